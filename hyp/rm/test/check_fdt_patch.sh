#!/bin/sh
# Checks the trees test_fdt_patch wrote, with dtc's own tools (fdtget, fdtput, dtc) as the independent
# parser: every property of /hypervisor and its two children exact (names, bytes, nothing extra), the
# rest of the tree unchanged, and the odd-block-order blob giving the same tree.
# usage: check_fdt_patch.sh IN.dtb OUT.dtb ODD_OUT.dtb   (the values are test_fdt_patch.c's test_node)
set -eu
in=${1:?usage: check_fdt_patch.sh IN.dtb OUT.dtb ODD_OUT.dtb}
out=${2:?}
odd=${3:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
checks=0
rpc=/hypervisor/qcom,resource-manager-rpc@1a2b3c4d5e6f7081
vm=/hypervisor/qcom,gunyah-vm

same() { # what got want
	checks=$((checks + 1))
	if [ "$2" != "$3" ]; then
		fails=$((fails + 1))
		printf 'FAIL %s:\n  got  %s\n  want %s\n' "$1" "$2" "$3"
	fi
}
# The bytes of a string list (each string with its NUL) as fdtget -t bx prints them.
strings_bx() {
	for s in "$@"; do printf '%s\0' "$s"; done | od -An -tx1 -v | tr -s ' \n' '  ' |
		sed 's/^ //; s/ $//; s/ 0\([0-9a-f]\)/ \1/g; s/^0\([0-9a-f]\)/\1/'
}
bx() { fdtget -t bx "$out" "$1" "$2" | sed 's/ *$//'; }
cells() { fdtget -t x "$out" "$1" "$2"; }
list() { "$@" | sort | tr '\n' ' '; }

# dtc reads the whole patched blob (a warning about the simple-bus child without reg is expected).
checks=$((checks + 1))
dtc -q -I dtb -O dtb -o /dev/null "$out" || { fails=$((fails + 1)); echo "FAIL dtc rejects $out"; }

same "root has one hypervisor child" "$(fdtget -l "$out" / | grep -c '^hypervisor')" 1
same "/hypervisor subnodes" "$(list fdtget -l "$out" /hypervisor)" \
	"qcom,gunyah-vm qcom,resource-manager-rpc@1a2b3c4d5e6f7081 "
same "/hypervisor properties" "$(list fdtget -p "$out" /hypervisor)" \
	"#address-cells #size-cells compatible "
same "/hypervisor compatible" "$(bx /hypervisor compatible)" \
	"$(strings_bx qcom,gunyah-hypervisor-1.0 qcom,gunyah-hypervisor simple-bus)"
same "/hypervisor #address-cells" "$(bx /hypervisor '#address-cells')" "0 0 0 2"
same "/hypervisor #size-cells" "$(bx /hypervisor '#size-cells')" "0 0 0 0"

same "vm properties" "$(list fdtget -p "$out" $vm)" "compatible qcom,vendor qcom,vmid "
same "vm subnodes" "$(list fdtget -l "$out" $vm)" ""
same "vm compatible" "$(bx $vm compatible)" "$(strings_bx qcom,gunyah-vm-id-1.0 qcom,gunyah-vm-id)"
same "vm qcom,vmid" "$(bx $vm qcom,vmid)" "0 0 0 3"
same "vm qcom,vendor" "$(bx $vm qcom,vendor)" "$(strings_bx Qualcomm)"

same "rpc properties" "$(list fdtget -p "$out" $rpc)" \
	"compatible interrupts qcom,is-full-duplex qcom,rx-message-size qcom,rx-queue-depth qcom,tx-message-size qcom,tx-queue-depth reg "
same "rpc subnodes" "$(list fdtget -l "$out" $rpc)" ""
same "rpc compatible" "$(bx $rpc compatible)" \
	"$(strings_bx gunyah-resource-manager qcom,resource-manager-1-0 qcom,resource-manager)"
same "rpc reg (tx cap, rx cap)" "$(cells $rpc reg)" "1a2b3c4d 5e6f7081 0 42"
same "rpc interrupts (SPI 7, SPI 8, level high)" "$(cells $rpc interrupts)" "0 7 4 0 8 4"
same "rpc qcom,is-full-duplex (empty)" "$(bx $rpc qcom,is-full-duplex)" ""
same "rpc tx-message-size" "$(cells $rpc qcom,tx-message-size)" "f0"
same "rpc rx-message-size" "$(cells $rpc qcom,rx-message-size)" "f0"
same "rpc tx-queue-depth" "$(cells $rpc qcom,tx-queue-depth)" "8"
same "rpc rx-queue-depth" "$(cells $rpc qcom,rx-queue-depth)" "8"

# Without /hypervisor the patched tree is the original, node for node and byte for byte of every value.
cp "$out" "$tmp/removed.dtb"
fdtput -r "$tmp/removed.dtb" /hypervisor
dtc -q -I dtb -O dts -o "$tmp/in.dts" "$in"
dtc -q -I dtb -O dts -o "$tmp/removed.dts" "$tmp/removed.dtb"
checks=$((checks + 1))
if ! cmp -s "$tmp/in.dts" "$tmp/removed.dts"; then
	fails=$((fails + 1))
	echo "FAIL the rest of the tree changed:"
	diff "$tmp/in.dts" "$tmp/removed.dts" | head -20
fi
# The same tree when the blob's blocks came in another order.
dtc -q -I dtb -O dts -o "$tmp/out.dts" "$out"
dtc -q -I dtb -O dts -o "$tmp/odd.dts" "$odd"
checks=$((checks + 1))
if ! cmp -s "$tmp/out.dts" "$tmp/odd.dts"; then
	fails=$((fails + 1))
	echo "FAIL the odd-order blob patched to another tree:"
	diff "$tmp/out.dts" "$tmp/odd.dts" | head -20
fi

echo "check_fdt_patch: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
