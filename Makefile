# SPDX-License-Identifier: GPL-2.0
#
# vrange: out-of-tree module, userspace library and tests.
#
#   make                 module for the running kernel (or KDIR=), library, vrangectl
#   make check           install dependencies, unit tests, QEMU suites
#   make check-debug     the QEMU suites on a KASAN/lockdep/kmemleak kernel
#   make demo            boot a guest and show what vrange does
#   make bench           benchmark table in a guest
#   make reclaim         the reclaim matrix: pressure plans, several boots
#   make report          a plot of reclaim per kernel (build/report/*.png)
#   make check-man       the manual pages alone (tests/man.sh), no VM
#   make install         install the library, vrangectl and the manual pages
#                        (PREFIX, DESTDIR)
#   make dkms-install    DKMS-install the module for every kernel with headers
#   make dkms-remove     remove it again
#   make deb             vrange-dkms, libvrange0, libvrange-dev, vrange-tools
#                        .debs in build/deb

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local

all: modules lib tools

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

lib:
	$(MAKE) -C lib

tools:
	$(MAKE) -C tools

unit:
	$(MAKE) -C tests/unit check

deps:
	scripts/install-deps.sh

check: deps
	tests/check.sh

check-man:
	tests/man.sh

check-debug: deps
	tests/vm/debug.sh

demo: deps
	tests/vm/run.sh --suite demo

bench: deps
	tests/vm/run.sh --suite bench

reclaim: deps
	tests/vm/reclaim.sh $(if $(BOOTS),--boots $(BOOTS))

report: deps
	tests/vm/report.sh

install: lib tools
	$(MAKE) -C lib install PREFIX=$(PREFIX)
	$(MAKE) -C tools install PREFIX=$(PREFIX)
	$(MAKE) -C man install PREFIX=$(PREFIX)

dkms-install:
	scripts/dkms.sh install

dkms-remove:
	scripts/dkms.sh remove

deb:
	scripts/deb.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C lib clean
	$(MAKE) -C tools clean
	rm -rf tests/unit/out tests/guest/out build module/compat/probed.h

.PHONY: all modules lib tools unit deps check check-man check-debug demo bench reclaim report install clean \
	dkms-install dkms-remove deb
