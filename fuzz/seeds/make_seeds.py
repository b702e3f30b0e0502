#!/usr/bin/env python3
"""make_seeds: the seed corpora and the generated dictionary of every fuzz target.

hypercall_seq: call sequences that reach each implemented call's success path and its documented
errors (written with seqasm), one input touching every spec row, and both entry paths.
fdt: the .dts files in --dts-dir compiled with dtc, and QEMU's own virt machine tree when QEMU is
installed. The hypercall_seq dictionary comes from the spec: call selectors, limits, magic values.
The conformance tests' own calls become seeds through trace2seeds.py (make fuzz-seeds runs both).
"""

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seqasm  # noqa: E402
from seqasm import (CSPACE, NO_CSPACE, THREAD, Seq, anycap, cap, flip, limit,  # noqa: E402
                    prev, raw, slot, val, who)

QEMU_VIRT = ["-machine", "virt,virtualization=on,gic-version=3,highmem=off", "-cpu", "max",
             "-m", "2G", "-smp", "4", "-nographic"]


def seq_seeds(rows):
    """name -> bytes."""
    seeds = {}

    def new():
        return Seq(rows)

    # Pool: 0 root partition, 1 root cspace, then each cap a call returns, in order.
    s = new()
    s.call("partition_create_cspace", cap(0), cap(0))       # pool 2: cspace (INIT)
    s.call("cspace_configure", cap(1), val(4))
    s.call("object_activate", anycap(2))
    s.call("cspace_copy_cap_from", cap(0), anycap(0), anycap(2), raw(0x1))  # into the new cspace
    s.call("cspace_copy_cap_from", cap(0), anycap(0), cap(0), raw(0x80000001))  # pool 4
    s.call("cspace_revoke_cap_from", cap(0), anycap(4))
    s.call("cspace_delete_cap_from", cap(0), anycap(4))
    s.call("cspace_revoke_caps_from", cap(0), anycap(0))
    s.call("cspace_delete_cap_from", cap(0), anycap(2))
    seeds["cspace_lifecycle"] = s.bytes()

    s = new()
    s.call("partition_create_partition", cap(0), cap(0))     # pool 2
    s.call("object_activate", anycap(2))
    for _ in range(4):
        s.call("partition_create_cspace", anycap(2), cap(0))
    s.call("object_activate_from", cap(0), anycap(2))
    for _ in range(5):
        s.call("partition_create_partition", cap(0), cap(0))
    for i in range(7, 12):
        s.call("object_activate", anycap(i))                 # NOMEM once the root runs out
    seeds["child_partition_nomem"] = s.bytes()

    s = new()
    s.call("partition_create_cspace", cap(0), cap(0))        # pool 2
    s.call("cspace_configure", cap(1), val(1))
    s.call("object_activate", anycap(2))
    s.call("cspace_copy_cap_from", cap(0), anycap(0), anycap(2), limit(26))
    s.call("cspace_copy_cap_from", cap(0), anycap(0), anycap(2), limit(26))  # CSPACE_FULL
    s.call("partition_create_doorbell", cap(0), anycap(2))   # CSPACE_FULL on create
    s.call("partition_create_cspace", cap(0), anycap(2))
    s.call("cspace_delete_cap_from", anycap(2), slot(1, 0))
    s.call("cspace_delete_cap_from", anycap(2), slot(1, 1))
    s.call("cspace_configure", cap(1), limit(15))
    s.call("object_activate", anycap(2))                     # OBJECT_STATE
    seeds["cspace_full_and_limits"] = s.bytes()

    s = new()
    s.call("partition_create_thread", cap(0), cap(0))        # pool 2
    s.call("partition_create_cspace", cap(0), cap(0))        # pool 3
    s.call("cspace_configure", anycap(3), val(8))
    s.call("object_activate", anycap(3))
    s.call("cspace_copy_cap_from", cap(0), anycap(0), anycap(3), limit(26))
    s.call("cspace_attach_thread", anycap(3), anycap(2))
    s.call("partition_create_doorbell", cap(0), cap(0), caller=who(THREAD))
    s.call("cspace_attach_thread", cap(0), anycap(2))
    s.call("object_activate", anycap(2))                     # threads do not activate yet
    s.call("partition_create_cspace", cap(0), cap(0), caller=who(NO_CSPACE))
    s.call("cspace_delete_cap_from", cap(0), anycap(2))
    seeds["thread_callers"] = s.bytes()

    s = new()
    s.call("partition_create_msgqueue", cap(0), cap(0))      # pool 2
    s.call("msgqueue_configure", anycap(2), limit(16))
    s.call("msgqueue_configure", anycap(2), limit(17))
    s.call("msgqueue_configure", anycap(2), limit(18))
    s.call("object_activate", anycap(2))
    s.call("msgqueue_configure", anycap(2), limit(19))
    s.call("partition_create_msgqueue", cap(0), cap(0))
    s.call("object_activate", anycap(3))                     # OBJECT_CONFIG
    s.call("cspace_delete_cap_from", cap(0), anycap(2))
    seeds["msgqueue_config"] = s.bytes()

    s = new()
    s.call("partition_create_cspace", cap(0), cap(0), caller=who(smccc=True))
    s.call("cspace_configure", cap(1), val(2), caller=who(smccc=True))
    s.call("object_activate", anycap(2), caller=who(smccc=True))
    s.call("cspace_copy_cap_from", cap(0), anycap(1), anycap(2), limit(26))
    s.call("partition_create_cspace", cap(0), cap(0), caller=who(CSPACE, 1))
    s.call("cspace_configure", raw(0), val(2), caller=who(CSPACE, 1))
    s.call("object_activate", flip(2, 0))
    s.call("object_activate", prev())
    s.raw_call(0x08, val(0))
    s.raw_call(0x69, val(0))
    s.raw_call(0xff, val(0), caller=who(smccc=True))
    seeds["paths_and_callers"] = s.bytes()

    # Every limit value into each configure call, on fresh INIT objects (boundary sweep).
    # (At most 48 calls an input: 20 values each.)
    for first in (0, 20):
        for obj, call in (("cspace", "cspace_configure"), ("msgqueue", "msgqueue_configure")):
            s = new()
            for i in range(20):
                s.call(f"partition_create_{obj}", cap(0), cap(0))
                s.call(call, anycap(2 + i), limit(first + i))
            seeds[f"{call}_limits_{first}"] = s.bytes()

    # Each missing right, as the conformance tests provoke INSUFFICIENT_RIGHTS: copies of the root
    # cspace and partition caps without one right each, then every cspace call through them.
    for bit in (0x1, 0x2, 0x4, 0x8, 0x10):
        s = new()
        s.call("cspace_copy_cap_from", cap(0), anycap(1), cap(0), raw(0xFFFFFFFF & ~bit))  # 2
        s.call("partition_create_doorbell", cap(0), cap(0))                                  # 3
        s.call("cspace_copy_cap_from", anycap(2), anycap(3), anycap(2), raw(0x3))            # 4
        s.call("partition_create_doorbell", cap(0), anycap(2))
        s.call("cspace_revoke_cap_from", anycap(2), anycap(4))
        s.call("cspace_revoke_caps_from", anycap(2), anycap(3))
        s.call("cspace_delete_cap_from", anycap(2), anycap(3))
        seeds[f"missing_cspace_right_{bit:#x}"] = s.bytes()
    s = new()
    for bit in (0x1, 0x2, 0x4, 0x8, 0x10, 0x80000000):
        s.call("cspace_copy_cap_from", cap(0), anycap(1), cap(0), raw(0xFFFFFFFF & ~bit))
    s.call("cspace_copy_cap_from", cap(0), anycap(0), cap(0), raw(0xFFFFFFFE))
    s.call("partition_create_doorbell", anycap(0), cap(0))            # pool 9
    for i in range(2, 8):
        s.call("cspace_copy_cap_from", anycap(i), anycap(9), anycap(i), raw(0x80000003))
        s.call("cspace_revoke_cap_from", anycap(i), anycap(10))
        s.call("cspace_delete_cap_from", anycap(i), anycap(10))
        s.call("partition_create_doorbell", anycap(8), anycap(i))
    seeds["missing_rights"] = s.bytes()

    # Every spec row once (and again on the SMCCC path), default arguments.
    names = [name for _, name, _ in rows]
    for part in range(0, len(names), 48):
        s = new()
        for name in names[part:part + 48]:
            s.call(name)
        seeds[f"every_call_{part // 48}"] = s.bytes()
        s = new()
        for name in names[part:part + 48]:
            s.call(name, caller=who(smccc=True))
        seeds[f"every_call_smccc_{part // 48}"] = s.bytes()

    # Reserved inputs set wrong on each implemented create/configure.
    s = new()
    s.call("partition_create_cspace", cap(0), cap(0), raw(1))
    s.call("cspace_configure", cap(1), val(4), raw(~0))
    s.call("cspace_copy_cap_from", cap(0), anycap(0), cap(0), raw(1), raw(1))
    seeds["reserved_inputs"] = s.bytes()

    # Memory: a basic extent over the root's RAM (fuzz/harness/world.h: 0xA0000000), a sparse
    # one derived from it given two pages, one mapped into a new address space; then the calls
    # that must fail: donating a mapped page back, mapping a page the sparse extent does not own.
    mem = 0xA0000000
    s = new()
    s.call("partition_create_memextent", cap(0), cap(0))     # pool 2: basic extent
    s.call("memextent_configure", anycap(2), raw(mem), raw(0x10000), raw(0x7))
    s.call("object_activate", anycap(2))
    s.call("partition_create_memextent", cap(0), cap(0))     # pool 3: sparse, derived
    s.call("memextent_configure_derive", anycap(3), anycap(2), raw(0), raw(0x4000),
           raw(0x7 | 1 << 16))
    s.call("object_activate", anycap(3))
    s.call("memextent_donate", raw(0), anycap(2), anycap(3), raw(0), raw(0x2000))
    s.call("partition_create_addrspace", cap(0), cap(0))     # pool 4
    s.call("addrspace_configure", anycap(4), raw(2))
    s.call("object_activate", anycap(4))
    s.call("addrspace_map", anycap(4), anycap(3), raw(0x80000000), raw(0x0F0066), raw(1),
           raw(0), raw(0x2000))
    s.call("memextent_donate", raw(1), anycap(3), anycap(2), raw(0), raw(0x1000))  # mapped
    s.call("addrspace_map", anycap(4), anycap(3), raw(0x80100000), raw(0x0F0066), raw(1),
           raw(0x2000), raw(0x1000))                          # not the sparse extent's page
    s.call("addrspace_unmap", anycap(4), anycap(3), raw(0x80000000), raw(1), raw(0),
           raw(0x2000))
    s.call("memextent_donate", raw(1), anycap(3), anycap(2), raw(0), raw(0x1000))
    seeds["memextent_map_donate"] = s.bytes()
    return seeds


def seq_dict(rows, guest_header):
    """libFuzzer/AFL++ dictionary: selectors of every spec row, limits and magic values as raw
    arguments (kind 3, little-endian)."""
    lines = ["# hypercall_seq: generated by fuzz/seeds/make_seeds.py from the spec"]
    for i, (num, name, _) in enumerate(rows):
        lines.append(f'call_{name}="\\xe0\\x00\\x{i:02x}"')
    values = {"zero": 0, "all_ones": 2**64 - 1, "cap_id_invalid": 2**64 - 1,
              "activate_right": 0x80000000, "rights32": 0xFFFFFFFF, "bit32": 1 << 32,
              "smccc_hypercall_base": 0xC6008000}
    with open(guest_header) as f:
        for line in f:
            m = re.match(r"#define GH_LIMIT_([A-Z0-9_]+) (\d+)U", line)
            if m:
                v = int(m.group(2))
                for d, suffix in ((-1, "_minus1"), (0, ""), (1, "_plus1")):
                    values[f"limit_{m.group(1).lower()}{suffix}"] = v + d
    values["create_info_max"] = 255 | 1023 << 16
    values["create_info_depth_over"] = 256 | 1023 << 16
    values["create_info_size_over"] = 255 | 1024 << 16
    for name, v in sorted(values.items()):
        enc = "".join(f"\\x{b:02x}" for b in bytes([3]) + struct.pack("<Q", v & (2**64 - 1)))
        lines.append(f'{name}="{enc}"')
    return "\n".join(lines) + "\n"


def fdt_seeds(dts_dir, out, tmp):
    n = 0
    if shutil.which("dtc"):
        for name in sorted(os.listdir(dts_dir)):
            if name.endswith(".dts"):
                subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o",
                                os.path.join(out, name[:-4] + ".dtb"),
                                os.path.join(dts_dir, name)], check=True)
                n += 1
    qemu = os.environ.get("QEMU", "qemu-system-aarch64")
    if shutil.which(qemu):
        dtb = os.path.join(out, "qemu-virt.dtb")
        r = subprocess.run(["timeout", "20", qemu] + QEMU_VIRT + ["-machine", f"dumpdtb={dtb}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0 and os.path.exists(dtb):
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="seed root: <out>/<target>/...")
    ap.add_argument("--dict-out", required=True, help="where generated dictionaries go")
    ap.add_argument("--dts-dir", required=True)
    ap.add_argument("--spec-calls", required=True)
    ap.add_argument("--guest-header", required=True)
    args = ap.parse_args()

    rows = seqasm.spec_rows(args.spec_calls)
    seq_out = os.path.join(args.out, "hypercall_seq")
    fdt_out = os.path.join(args.out, "fdt")
    for d in (seq_out, fdt_out, args.dict_out):
        os.makedirs(d, exist_ok=True)
    seeds = seq_seeds(rows)
    for name, data in seeds.items():
        with open(os.path.join(seq_out, name), "wb") as f:
            f.write(data)
    with open(os.path.join(args.dict_out, "hypercall_seq.dict"), "w") as f:
        f.write(seq_dict(rows, args.guest_header))
    n_fdt = fdt_seeds(args.dts_dir, fdt_out, args.out)
    print(f"fuzz-seeds: {len(seeds)} hypercall_seq seeds, {n_fdt} fdt seeds in {args.out}")


if __name__ == "__main__":
    main()
