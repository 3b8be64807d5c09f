// SPDX-License-Identifier: GPL-2.0
/*
 * PLACEHOLDER from branch issue11-man, only so that the vrange-tools
 * package builds there; the real vrangectl (branch issue11-vrangectl,
 * documented in man/vrangectl.8) replaces it.  It knows --help,
 * --version and the "module not loaded" message, nothing else.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("vrangectl %s (placeholder)\n", VRANGECTL_VERSION);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("usage: vrangectl stat|ps|top|purge ... (see vrangectl(8))\n");
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: vrangectl stat|ps|top|purge ...\n");
		return 2;
	}
	if (access("/dev/vrange", F_OK)) {
		fprintf(stderr, "vrangectl: /dev/vrange is missing: the vrange module is not loaded (load it with: modprobe vrange)\n");
		return 1;
	}
	fprintf(stderr, "vrangectl: this build is a packaging placeholder\n");
	return 1;
}
