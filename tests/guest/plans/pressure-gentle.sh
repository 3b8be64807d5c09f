#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# LRU under gentle pressure: 2 x 48 MB unpinned (older A, newer B) and a
# hog that grows only until the first purge: A must lose pages, B none,
# although kswapd and a direct reclaimer purge at once (each takes the
# next chunk of A).
cd /t || exit 1
./vrange_pressure 96 200 --gentle
# A 64 GiB sparse unpin ahead of the resident pages: a few purges, no OOM.
./vrange_sparse
exit 0
