#!/bin/sh
# The emulated U-Boot board for local LAVA runs: QEMU virt (the machine the harness uses) running
# Debian's u-boot-qemu. LAVA's connection command starts it paused with its console on stdio; the
# power commands drive it over QMP; QEMU's user-mode network serves TFTP from LAVA's tftp directory.
# usage: qemu-board.sh connect NAME [TFTP_DIR] | reset NAME | off NAME
set -eu
cmd=${1:?usage: qemu-board.sh connect|reset|off NAME [TFTP_DIR]}
name=${2:?usage: qemu-board.sh connect|reset|off NAME [TFTP_DIR]}
run=${HUMPY_BOARD_RUN:-${TMPDIR:-/tmp}/humpy-qemu-board}/$name
qemu=${QEMU:-qemu-system-aarch64}
uboot=${UBOOT_QEMU:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}
# No run of the board outlives this, whatever LAVA does with the connection.
limit=${HUMPY_BOARD_TIMEOUT:-900}

qmp() {
	i=0
	while [ ! -S "$run/qmp.sock" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { echo "qemu-board: $name has no QMP socket after 30 s" >&2; exit 1; }
		sleep 0.1
	done
	{
		echo '{"execute":"qmp_capabilities"}'
		for c in "$@"; do echo "{\"execute\":\"$c\"}"; done
		sleep 0.3
	} | socat -t2 - "UNIX-CONNECT:$run/qmp.sock" >/dev/null
}

# The harness's machine (harness/humpy_harness/qemu.py MACHINE) plus acpi=off: with firmware loaded
# (-bios) and ACPI left on, virt swaps its PL061 GPIO for an ACPI GED, so the board would have no
# PL061 for humpy to offer the root VM as an hwirq. U-Boot needs no ACPI.
machine=virt,virtualization=on,gic-version=3,highmem=off,mte=on,acpi=off

case "$cmd" in
connect)
	# Starts paused (-S): the hard reset LAVA sends next is what really powers the board on.
	mkdir -p "$run"
	rm -f "$run/qmp.sock"
	exec timeout --kill-after=5 "$limit" "$qemu" \
		-machine "$machine" -cpu max -m 2G -smp 4 \
		-display none -monitor none -serial stdio -S \
		-bios "$uboot" \
		-netdev "user,id=n0,tftp=${3:-/srv/tftp}" -device virtio-net-pci,netdev=n0 \
		-qmp "unix:$run/qmp.sock,server=on,wait=off" -pidfile "$run/qemu.pid"
	;;
reset) qmp system_reset cont ;;
off) if [ -S "$run/qmp.sock" ]; then qmp stop || true; fi ;;
*) echo "qemu-board: unknown command $cmd" >&2; exit 1 ;;
esac
