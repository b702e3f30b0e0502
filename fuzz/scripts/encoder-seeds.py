#!/usr/bin/python3
"""encoder-seeds.py --out DIR: seed inputs of the encoder targets (esr, pte, ich_lr), written from
readable values: the syndromes, PSTATEs, mappings and list registers the hypervisor really uses
(see each target's header comment for its input layout)."""
import argparse
import os
import struct


def u64(*vals):
    return b"".join(struct.pack("<Q", v & (2**64 - 1)) for v in vals)


def dabt(ec=0x24, il=1, isv=1, sas=2, sse=0, srt=0, sf=0, wnr=0, dfsc=0x07):
    return (ec << 26 | il << 25 | isv << 24 | sas << 22 | sse << 21 | srt << 16 | sf << 15
            | wnr << 6 | dfsc)


# QEMU -cpu max: FEAT_PAN3 (MMFR1 bits 23:20), FEAT_SSBS2 (PFR1 7:4), MTE3 (PFR1 11:8).
MMFR1_MAX, PFR1_MAX = 0x3 << 20, 0x2 << 4 | 0x3 << 8
SCTLR_RESET, SPAN, DSSBS = 0x30D00800, 1 << 23, 1 << 44


def esr_seeds():
    s = {}
    cpus = [(MMFR1_MAX, PFR1_MAX, SCTLR_RESET), (0, 0, SCTLR_RESET),
            (MMFR1_MAX, PFR1_MAX, SCTLR_RESET | SPAN | DSSBS)]
    cases = {
        "gicd-ldr-w1": (dabt(srt=1), 0x3C5, 0, 0x00480000),
        "gicr-str-x2-64": (dabt(sas=3, srt=2, sf=1, wnr=1, dfsc=0x06), 0x3C4, 0x1122334455667788, 0),
        "ldrsb-sign": (dabt(sas=0, sse=1, srt=3, sf=1), 0x3C5, 0, 0x80),
        "ldrsh-w": (dabt(sas=1, sse=1, srt=4, sf=0), 0x0, 0, 0x8001),
        "str-xzr": (dabt(sas=2, srt=31, wnr=1), 0x3C5, 0, 0),
        "no-isv": (dabt(isv=0, sas=0, srt=0, dfsc=0x04), 0x3C5, 0, 0),
        "perm-fault": (dabt(dfsc=0x0F), 0x3C5, 0, 0),
        "iabt-el0": (0x20 << 26 | 1 << 25 | 0x07, 0x0, 0, 0),
        "aa32-user": (dabt(il=0), 0x80000010 | 1 << 21, 0, 0),
        "el1h-pstate-bits": (dabt(), 0xF03C5 | 3 << 10 | 1 << 12 | 1 << 20 | 1 << 21 | 1 << 22
                             | 1 << 23 | 1 << 25, 0, 0),
        "sysreg-trap": (0x18 << 26 | 1 << 25 | 0x300000, 0x3C5, 0, 0),
        "high-iss2": (1 << 32 | dabt(), 0x3C5, 0, 0),
    }
    for i, (name, (esr, spsr, reg, val)) in enumerate(sorted(cases.items())):
        for j, cpu in enumerate(cpus):
            for data in (0, 1):
                s[f"{name}-cpu{j}-{'data' if data else 'insn'}"] = u64(esr, spsr, reg, val, *cpu) + bytes([data])
    return s


def pte_call(mode, va, pa, size, extra=0):
    return bytes([mode]) + struct.pack("<IIHB", va, pa, size, extra)


G4K, G2M, G1G, RAW = 0x00, 0x10, 0x20, 0x30
S2, DEV, W, X = 1, 2, 4, 8


def pte_seeds():
    s = {}
    probes = u64(0x40000000, 0x09000000, 0x08000000, 0x7FFFFFFF, 0x80001000, 0)
    # The VM's stage-2: RAM as one 1 GiB block, the PL011 page as device.
    s["stage2-vm"] = bytes([40 - 32, 8]) + pte_call(S2 | G1G | W | X, 1, 1, 1) + \
        pte_call(S2 | G4K | DEV | W, 0x9000, 0x9000, 1) + probes
    s["stage2-48bit"] = bytes([48 - 32, 8]) + pte_call(S2 | G1G | W | X, 1, 1, 1) + \
        pte_call(S2 | G4K | DEV | W, 0x9000, 0x9000, 1) + probes
    # EL2 stage-1: MMIO 1 GiB device, text RX, rodata R, data RW with a guard page.
    s["stage1-hyp"] = bytes([40 - 32, 32]) + pte_call(G1G | DEV | W, 0, 0, 1) + \
        pte_call(G4K | X, 0x80000, 0x80000, 0x20) + pte_call(G4K, 0x80020, 0x80020, 0x8) + \
        pte_call(G4K | W, 0x80029, 0x80029, 0x4) + pte_call(G4K | W, 0x8002E, 0x8002E, 0x4) + \
        pte_call(G2M | W, 0x401, 0x401, 0x1FF) + probes
    s["overlap-twice"] = bytes([39 - 32, 8]) + pte_call(G2M | W, 1, 1, 2) + pte_call(G4K | W, 0x300, 0x300, 1) + probes
    s["block-over-pages"] = bytes([39 - 32, 8]) + pte_call(G4K | W, 0x201, 0x201, 1) + pte_call(G2M | W, 1, 1, 1) + probes
    s["nomem"] = bytes([48 - 32, 0]) + b"".join(pte_call(G4K | W, i << 18, i << 18, 1) for i in range(8))
    s["bad-args"] = bytes([32, 8]) + pte_call(RAW | W, 0x12345, 0x1000, 3) + pte_call(G1G, 4, 0, 1) + pte_call(G4K, 0, 0, 0)
    s["unaligned-blocks"] = bytes([36 - 32, 16]) + pte_call(G4K | W | X, 0x1FF, 0x3FF, 0x402, 7) + probes
    return s


def lr(state, hw, g1, prio, pintid, vintid, eoi=0):
    flags = state | hw << 2 | g1 << 3 | eoi << 4
    raw = state << 62 | hw << 61 | g1 << 60 | prio << 48 | (pintid << 32 if hw else eoi << 41) | vintid
    return u64(raw) + bytes([flags, prio]) + struct.pack("<H", pintid) + u64(vintid)


def ich_lr_seeds():
    return {
        "vtimer-hw": lr(1, 1, 1, 0xA0, 27, 27),
        "sgi-sw-eoi": lr(1, 0, 1, 0x80, 0, 3, eoi=1),
        "active-g0": lr(2, 0, 0, 0xF0, 0, 1019),
        "pending-active-lpi": lr(3, 1, 1, 0x00, 0x1FFF, 8192),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    total = 0
    for target, seeds in (("esr", esr_seeds()), ("pte", pte_seeds()), ("ich_lr", ich_lr_seeds())):
        d = os.path.join(args.out, target)
        os.makedirs(d, exist_ok=True)
        for name, blob in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(blob)
        total += len(seeds)
    print(f"encoder-seeds: {total} seeds (esr, pte, ich_lr) in {args.out}")


if __name__ == "__main__":
    main()
