#!/bin/sh
# Installs the Debian packages listed in scripts/debian-packages.txt that are missing.
# Idempotent: when everything is present it only asks dpkg, which takes a fraction of a second.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list="$here/debian-packages.txt"

wanted=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list")
missing=""
for pkg in $wanted; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "setup: installing missing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
		echo "setup: missing packages:$missing; run as root or install them with apt-get" >&2
		exit 1
	fi
else
	sudo=""
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $missing >/dev/null
echo "setup: done"
