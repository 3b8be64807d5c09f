// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl numbers of the UAPI headers: /dev/vrange's code is one that no
 * entry of the kernel's Documentation/userspace-api/ioctl/ioctl-number.rst
 * uses, and /dev/ashmem keeps Android's numbers.
 */
#include <asm/posix_types.h>
#include <linux/ioctl.h>

#include "unit.h"
#include "../../include/uapi/linux/ashmem.h"
#include "../../include/uapi/linux/vrange.h"

/*
 * The codes of ioctl-number.rst in Linux 6.12 and 7.2 (the union), the
 * character codes ('A' ...) as their values.
 */
static const unsigned char registered[] = {
	0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x09, 0x10, 0x12, 0x15, 0x1b,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x2a, 0x31, 0x32, 0x33,
	0x38, 0x3b, 0x3d, 0x3e, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
	0x47, 0x48, 0x49, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52,
	0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x5a, 0x5b, 0x61, 0x62, 0x63,
	0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
	0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x79, 0x7a,
	0x7c, 0x80, 0x81, 0x89, 0x8a, 0x8b, 0x8c, 0x90, 0x92, 0x93, 0x94,
	0x97, 0x99, 0x9a, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xaa, 0xab,
	0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
	0xb7, 0xb8, 0xba, 0xc0, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xdb,
	0xdd, 0xe5, 0xec, 0xee, 0xf3, 0xf6, 0xf8, 0xf9, 0xfd, 0xfe,
};

static const unsigned long vrange_cmds[] = {
	VRANGE_SET_SIZE, VRANGE_GET_SIZE, VRANGE_SET_NAME, VRANGE_GET_NAME,
	VRANGE_PIN, VRANGE_UNPIN, VRANGE_GET_STATUS, VRANGE_PURGE,
	VRANGE_PURGE_ALL, VRANGE_UNPIN_CLASS, VRANGE_GET_PURGE_INFO,
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

int main(void)
{
	unsigned int i, j, taken = 0, ours = 1, distinct = 1;

	for (i = 0; i < N(registered); i++)
		taken |= registered[i] == VRANGE_IOC_MAGIC;
	unit_check(!taken, "code 0x%02x is not in ioctl-number.rst", VRANGE_IOC_MAGIC);
	for (i = 0; i < N(vrange_cmds); i++) {
		ours &= _IOC_TYPE(vrange_cmds[i]) == VRANGE_IOC_MAGIC &&
			_IOC_NR(vrange_cmds[i]) < 0x20;
		for (j = 0; j < i; j++)
			distinct &= vrange_cmds[i] != vrange_cmds[j];
	}
	unit_check(ours, "every vrange request has code 0x%02x, number below 0x20",
		   VRANGE_IOC_MAGIC);
	unit_check(distinct, "the vrange requests are distinct");

	/* Android's values (LP64), magic 0x77: they must never move. */
	unit_check(ASHMEM_SET_NAME == 0x41007701, "ASHMEM_SET_NAME");
	unit_check(ASHMEM_GET_NAME == 0x81007702, "ASHMEM_GET_NAME");
	unit_check(ASHMEM_SET_SIZE == 0x40087703, "ASHMEM_SET_SIZE");
	unit_check(ASHMEM_GET_SIZE == 0x7704, "ASHMEM_GET_SIZE");
	unit_check(ASHMEM_SET_PROT_MASK == 0x40087705, "ASHMEM_SET_PROT_MASK");
	unit_check(ASHMEM_GET_PROT_MASK == 0x7706, "ASHMEM_GET_PROT_MASK");
	unit_check(ASHMEM_PIN == 0x40087707, "ASHMEM_PIN");
	unit_check(ASHMEM_UNPIN == 0x40087708, "ASHMEM_UNPIN");
	unit_check(ASHMEM_GET_PIN_STATUS == 0x7709, "ASHMEM_GET_PIN_STATUS");
	unit_check(ASHMEM_PURGE_ALL_CACHES == 0x770a, "ASHMEM_PURGE_ALL_CACHES");
	unit_check(ASHMEM_GET_FILE_ID == 0x8008770b, "ASHMEM_GET_FILE_ID");
	return unit_done();
}
