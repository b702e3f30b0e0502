"""seqasm: writes hypercall_seq inputs from readable call lists (seeds, regression reproducers).

The byte format is the one fuzz/targets/hypercall_seq.c documents. Calls are named by the spec's
call names and encoded as spec rows (selector 0xe0 + row), so an input keeps its meaning when hyp
starts dispatching more calls.
"""

import re
import struct

CALL_RE = re.compile(r'^\s*\{0x([0-9a-f]+), "([a-z0-9_]+)", (\d+),')


def spec_rows(spec_calls_h):
    """The spec table's rows in order: [(num, name, n_inputs)]."""
    rows = []
    with open(spec_calls_h) as f:
        for line in f:
            m = CALL_RE.match(line)
            if m:
                rows.append((int(m.group(1), 16), m.group(2), int(m.group(3))))
    if not rows:
        raise SystemExit(f"{spec_calls_h}: no spec_calls rows")
    return rows


# Callers (the "who" byte): bits 1:0 mode, bit 2 SMCCC path, bits 7:3 k.
ROOT, THREAD, NO_CSPACE, CSPACE = 0, 1, 2, 3


def who(mode=ROOT, k=0, smccc=False):
    return mode | (4 if smccc else 0) | (k << 3)


# Argument kinds.
def cap(i=0):
    """The i-th pooled cap of the type the spec wants for this input."""
    return bytes([0, i])


def anycap(i):
    """The i-th pooled cap (pool: 0 root partition, 1 root cspace, then each new cap)."""
    return bytes([1, i])


def val(v=0):
    """The reserved value for a reserved input, else the small value v."""
    return bytes([2, v])


def raw(v):
    return bytes([3]) + struct.pack("<Q", v & (2**64 - 1))


def limit(i):
    return bytes([4, i])


def slot(k, sel):
    """A slot ID of the k-th active cspace: sel 0 last, 1 one past, 2 two past, 3 index 2^32-1."""
    return bytes([5, k, sel])


def flip(i, bit):
    return bytes([6, i, bit])


def own(vcpu=False):
    """The root VM's own VIC cap (or its vCPU's), which the guest reads from /chosen."""
    return bytes([0x45, 1 if vcpu else 0])


def prev():
    return bytes([7])


class Seq:
    def __init__(self, rows):
        self.rows = rows
        self.index = {name: i for i, (_, name, _) in enumerate(rows)}
        self.out = bytearray()

    def call(self, name, *args, caller=0):
        row = self.index[name]
        n = self.rows[row][2]
        if len(args) > n:
            raise ValueError(f"{name} takes {n} inputs")
        self.out += bytes([0xE0, caller, row])
        for a in args:
            self.out += a
        # Inputs left out: the reserved value (or 0).
        for _ in range(n - len(args)):
            self.out += val(0)
        return self

    def raw_call(self, num, *args, caller=0):
        self.out += bytes([0xF8, caller, num])
        for a in args:
            self.out += a
        return self

    def bytes(self):
        return bytes(self.out)
