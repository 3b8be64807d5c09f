#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the vrange build and VM tests need on a fresh
# Debian 12 machine. Idempotent; run as root. Only uses the configured
# apt sources (does not touch /etc/apt).
#
# Also fetches the kernel headers of the target kernels resolved by
# tests/vm/kernels.sh (VRANGE_KERNELS overrides) and their boot images
# into the harness cache (/var/cache/vrange), so the first test run is
# faster.  No kernel package is installed on the host.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: must run as root" >&2
	exit 1
fi

apt-get update

# groff-base, man-db and mandoc: tests/man.sh renders the manual pages;
# lintian: tests/vm/deb.sh checks the packages; gnuplot-nox: make report.
# No kernel package: headers and images are unpacked into the cache.
apt-get install -y --no-install-recommends \
	qemu-system-x86 busybox-static cpio kmod gcc make libc6-dev \
	gcc-multilib dkms bc dwarves openssl debootstrap debhelper dh-dkms \
	dpkg-dev xz-utils groff-base man-db mandoc lintian udev gnuplot-nox

# Resolution needs the apt lists fetched above.
# shellcheck source-path=SCRIPTDIR/..
# shellcheck source=tests/vm/kernels.sh
. "$here/../tests/vm/kernels.sh"
kernels=$(vr_kernel_list)
# 5.10, 6.1, 6.12: apt-get download + dpkg -x into the cache; 7.x: in
# the cached sid chroot (see tests/vm/kernels.sh).
# shellcheck disable=SC2086
vr_kernel_headers $kernels

# Best effort: a missing image is fetched again by tests/vm/run.sh.
for k in $kernels; do
	vr_kernel_image "$k" >/dev/null ||
		echo "install-deps.sh: could not prefetch image for $k" >&2
done
