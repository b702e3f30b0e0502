#!/bin/sh
# The real boards' own device trees, from Debian's arm64 kernel package (linux-image-*-arm64: its
# /usr/lib/linux-image-*/<vendor>/*.dtb), for the board models QEMU makes no tree for (zcu102).
# The package is fetched through a scratch apt state of its own under OUT (arm64 lists only; the
# machine's apt set-up is not touched, nothing is installed) and unpacked there; a second call
# finds it and fetches nothing. Prints the folder to use as HUMPY_BOARD_DTBS.
# usage: board-dtbs.sh OUT
set -eu
out=${1:?usage: board-dtbs.sh OUT}
found() { ls -d "$out"/kernel/usr/lib/linux-image-*-arm64 2>/dev/null | head -1; }
dir=$(found)
if [ -n "$dir" ] && [ -d "$dir/xilinx" ]; then echo "$dir"; exit 0; fi
fail() { echo "board-dtbs: $1 (log: $out/fetch.log)" >&2; exit 1; }
mkdir -p "$out/apt/lists/partial" "$out/apt/cache/archives/partial"
out=$(cd "$out" && pwd)
set -- -q -o APT::Architectures::=arm64 -o "Dir::State::Lists=$out/apt/lists" \
	-o "Dir::Cache=$out/apt/cache" -o APT::Sandbox::User=root
apt-get "$@" update >"$out/fetch.log" 2>&1 || fail "apt-get update of the arm64 package lists failed"
# The kernel the linux-image-arm64 metapackage points at today.
pkg=$(apt-cache "$@" depends linux-image-arm64:arm64 2>>"$out/fetch.log" |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*-arm64\).*/\1/p' | head -1)
[ -n "$pkg" ] || fail "no linux-image-*-arm64 behind linux-image-arm64:arm64 in the arm64 lists"
rm -f "$out"/linux-image-*.deb
(cd "$out" && apt-get "$@" download "$pkg:arm64" >>"$out/fetch.log" 2>&1) ||
	fail "apt-get download $pkg:arm64 failed"
rm -rf "$out/kernel" "$out/unpack"
dpkg-deb -x "$out"/linux-image-*.deb "$out/unpack" || fail "dpkg-deb could not unpack $pkg"
# Only the device trees stay (a few MB; the modules and the kernel are most of the 380 MB).
mkdir -p "$out/kernel/usr/lib"
mv "$out"/unpack/usr/lib/linux-image-*-arm64 "$out/kernel/usr/lib/" ||
	fail "$pkg holds no usr/lib/linux-image-*-arm64"
rm -rf "$out/unpack" "$out"/linux-image-*.deb "$out/apt"
dir=$(found)
[ -n "$dir" ] && [ -d "$dir/xilinx" ] || fail "$pkg holds no usr/lib/linux-image-*-arm64/xilinx"
echo "$dir"
