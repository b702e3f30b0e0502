# common.sh: what the system fuzzer's scripts share (sourced). Needs SYSFUZZ_SHIM, SYSFUZZ_PLUGIN,
# SYSFUZZ_GUEST, SYSFUZZ_DTB, QEMU, CROSS from fuzz/system/system.mk.

# The hypervisor's text as LO:HI, from hyp.elf's symbols (__hyp_start .. __text_end).
sysfuzz_text() {
	"${CROSS}nm" "$1" | awk '$3 == "__hyp_start" { lo = $1 } $3 == "__text_end" { hi = $1 }
		END { if (lo == "" || hi == "") exit 1; print "0x" lo ":0x" hi }'
}

# The fuzzing guest's idle point (sysfuzz_host_wait in guest.elf, next to SYSFUZZ_GUEST's guest.bin),
# where the el2cov plugin parks QEMU's vCPU thread between inputs.
sysfuzz_wait_pc() {
	"${CROSS}nm" "${SYSFUZZ_GUEST%.bin}.elf" | awk '$3 == "sysfuzz_host_wait" { print "0x" $1; f = 1 }
		END { exit !f }'
}

# sysfuzz_shim HYP WORK ARGS...: the shim with the images and plugin of this build.
sysfuzz_shim() {
	local hyp=$1 work=$2 text wait_pc
	shift 2
	text=$(sysfuzz_text "$hyp") || { echo "sysfuzz: no __hyp_start/__text_end in $hyp" >&2; return 2; }
	wait_pc=$(sysfuzz_wait_pc) || { echo "sysfuzz: no sysfuzz_host_wait in ${SYSFUZZ_GUEST%.bin}.elf" >&2; return 2; }
	mkdir -p "$work"
	"$SYSFUZZ_SHIM" --qemu "$QEMU" --hyp "$hyp" --guest "$SYSFUZZ_GUEST" --dtb "$SYSFUZZ_DTB" \
		--plugin "$SYSFUZZ_PLUGIN" --text "$text" --wait-pc "$wait_pc" --work "$work" "$@"
}
