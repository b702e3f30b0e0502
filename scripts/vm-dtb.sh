#!/bin/sh
# Makes the primary VM's device tree: QEMU's own virt tree for a 1 GiB, one-CPU machine without the ITS
# (upstream Gunyah's QEMU recipe), with /chosen/bootargs set. Loaded at IPA 0x40F00000 next to the guest.
# usage: vm-dtb.sh OUT.dtb [BOOTARGS]   (QEMU from $QEMU, default qemu-system-aarch64; the VM's GIC
# from $VM_GIC_VERSION: 3, the default, or 2 for a host on GICv2: its GICC is where humpy maps GICV)
set -eu
out=${1:?usage: vm-dtb.sh OUT.dtb [BOOTARGS]}
bootargs=${2-}
qemu=${QEMU:-qemu-system-aarch64}
command -v "$qemu" >/dev/null 2>&1 || { echo "vm-dtb: $qemu not found (install qemu-system-arm)" >&2; exit 1; }
command -v fdtput >/dev/null 2>&1 || { echo "vm-dtb: fdtput not found (install device-tree-compiler)" >&2; exit 1; }
tmp="$out.tmp.$$"
gic=${VM_GIC_VERSION:-3}
case $gic in 2|3) ;; *) echo "vm-dtb: VM_GIC_VERSION must be 2 or 3, not $gic" >&2; exit 1;; esac
"$qemu" -machine virt,virtualization=on,gic-version=$gic,its=off,highmem=off,dumpdtb="$tmp" \
	-cpu max -m 1G -smp 1 -nographic >/dev/null 2>&1 || { rm -f "$tmp"; echo "vm-dtb: $qemu could not dump the virt device tree" >&2; exit 1; }
fdtput -t s "$tmp" /chosen bootargs "$bootargs"
# Root profile: slots a hypervisor may fill in place with the guest's root partition, cspace, VIC and
# vCPU cap IDs, and the hwirq of its PL061 (conformance/spec/ROOT_PROFILE.md). All ones (an ID that never
# names a cap) means none.
for slot in partition cspace vic vcpu hwirq addrspace; do
	fdtput -t x "$tmp" /chosen "humpy,root-$slot-cap" 0xffffffff 0xffffffff
done
# The root partition's physical memory (base, size: two cells each), all ones until filled in.
fdtput -t x "$tmp" /chosen humpy,root-memory 0xffffffff 0xffffffff 0xffffffff 0xffffffff
# The hypervisor's own memory (base, size), for the child VM's isolation probes; all ones until filled.
fdtput -t x "$tmp" /chosen humpy,hyp-memory 0xffffffff 0xffffffff 0xffffffff 0xffffffff
mv "$tmp" "$out"
