#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The reclaim issue's OOM cases: 200 MB unpinned in 25 calls of 8 MB, then
# in one call; a hog maps MemFree plus the shortfall in one mapping and
# touches it page by page.  No OOM kill is allowed: the unpinned pages
# cover every shortfall.  Purged/shortfall is reported, not judged (the
# purges are still whole unpin batches; see README, Known gaps).
cd /t || exit 1
./vrange_shortfall 200 25 8 16 32
./vrange_shortfall 200 1 16
exit 0
