#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: build vrange-dkms, libvrange0 and libvrange-dev from a clean
# copy of the source files (git ls-files: tracked + untracked, not ignored),
# so neither build products nor ../ of the work tree are touched.
#
#   scripts/deb.sh [OUTDIR]     default OUTDIR: build/deb
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-$repo/build/deb}" && cd "${1:-$repo/build/deb}" && pwd)
[ -f "$repo/build/.gitignore" ] || { mkdir -p "$repo/build"; echo '*' >"$repo/build/.gitignore"; }
src=$out/src/vrange
rm -rf "$out/src" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$src"
if [ "$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$repo" && pwd -P)" ]; then
	git -C "$repo" ls-files -z -co --exclude-standard |
		tar -C "$repo" --null -T - -cf - | tar -C "$src" -xf -
else
	tar -C "$repo" --exclude=./build --exclude='*.o' --exclude='*.ko' \
		-cf - . | tar -C "$src" -xf -
fi
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	echo "deb.sh: dpkg-buildpackage failed; log $out/build.log" >&2
	exit 1
}
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out"/
ls "$out"/*.deb
