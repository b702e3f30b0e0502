#!/usr/bin/env python3
"""Seeds of the system fuzzer: one short input per kind of operation (fuzz/README.md, "System-mode
fuzzing", gives the 16-byte layout), written as files named after what they do."""

import argparse
import os


def op(kind, variant=0, sels=(0, 0, 0, 0, 0, 0), raws=(0, 0, 0, 0, 0, 0), imm=0):
    return bytes([kind, variant, *sels, *raws, imm & 0xFF, imm >> 8])


SEEDS = {
    # native identify; SMCCC identify
    "identify": op(0) + op(5),
    # a doorbell made and activated, then doorbell_send on it (native 0x12: cap, flags)
    "doorbell": op(14, 0x80) + op(0, 0x12, sels=(6, 1, 0, 0, 0, 0), raws=(0, 1, 0, 0, 0, 0)),
    # a message queue, configured through SMCCC, a send on it
    "msgqueue": op(14, 1) + op(5, 0x21, sels=(6, 1, 1, 0, 0, 0), raws=(0, 8, 16, 0, 0, 0))
    + op(0, 0x1b, sels=(6, 1, 7, 0, 0, 0), raws=(0, 4, 0, 0, 0, 0)),
    # copy and delete a cap in the root cspace
    "cspace": op(14, 0) + op(0, 0x23, sels=(4, 4, 6, 2, 0, 0)) + op(0, 0x22, sels=(4, 6, 0, 0, 0, 0)),
    # GICD read of TYPER, GICR write of an SGI priority, an unmapped IPA
    "mmio": op(9, 0x08, raws=(0, 0, 4, 0, 0, 0)) + op(9, 0x19, sels=(1, 0, 0, 0, 0, 0),
                                                    raws=(0xA0, 0, 0x00, 0x04, 1, 0))
    + op(9, 0x0A, raws=(0, 0, 0x10, 0, 0, 0)),
    # the redistributor's SGIs as an OS brings one up: all enabled (ISENABLER0 = ~0), SGI 1 made
    # pending (ISPENDR0 = 1 << 1: listed for the guest), the priorities of SGIs 28-31 read back
    # (IPRIORITYR7: the IPRIORITYR block's edge, SGI_base + 0x400, plus 0x1C; byte 13 bit 7 says
    # "edge", byte 10 is the edge's index in the guest's table, byte 11 the distance)
    "gicr_sgi": op(9, 0x19, sels=(2, 0, 0, 0, 0, 0), raws=(0, 0, 0x00, 0x01, 1, 0))
    + op(9, 0x19, sels=(11, 0, 0, 0, 0, 0), raws=(1, 0, 0x00, 0x02, 1, 0))
    + op(9, 0x09, raws=(0, 0, 12, 0x1C, 0, 0x80)),
    # register 31, a pair, writeback: to the GIC and to unmapped IPAs
    "fault": op(11, 0x00) + op(11, 0x04) + op(11, 0x0A) + op(11, 0x13, raws=(0, 0, 8, 0, 0, 0)),
    # an hvc and an smc with other immediates
    "imm": op(7, 0, imm=0x1234) + op(8, 0, imm=0),
    # timer armed, registers held across its interrupt, ICC registers, an MRS, SVE
    "sysreg": op(12, 5, raws=(0, 0, 4, 0, 0, 0)) + op(12, 8, raws=(0, 0, 40, 0, 0, 0))
    + op(12, 2, raws=(0, 0, 0xF0, 0, 0, 0)) + op(12, 4) + op(12, 0, raws=(0, 0, 0x00, 0x40, 0, 0))
    + op(12, 7),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, data in SEEDS.items():
        assert len(data) % 16 == 0, name
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
