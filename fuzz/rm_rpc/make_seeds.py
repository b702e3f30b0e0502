#!/usr/bin/python3
"""make_seeds.py --out DIR [--dict-out DIR]: the rm_rpc fuzz target's hand-made seeds
(DIR/rm_rpc/<name>) and dictionary (rm_rpc.dict): well-formed requests for every message ID the
pure table serves, and each malformed case gunyah-abi.md section 6 names. Record format: see the
top of fuzz/rm_rpc/rm_rpc.c."""
import argparse
import os
import struct

PRIMARY, PEER = 0, 1
RAW, FIX0, TRAIN, NOTIFY = 0, 2, 4, 6  # ctl bits 1-2

IDS = {
    "get_vmid": 0x56000024, "get_hyp_resources": 0x56000020, "get_state": 0x56000017,
    "set_status": 0x56000080, "exit": 0x56000085, "console_open": 0x56000081,
    "console_close": 0x56000082, "console_write": 0x56000083, "console_flush": 0x56000084,
    "vm_start": 0x56000004, "mem_share": 0x51000013,
}


def hdr(msg_type, count, seq, msg_id, version=1, words=2):
    return bytes([(words << 4) | version, (count << 2) | msg_type]) + struct.pack("<HI", seq, msg_id)


def rec(chan, kind, data):
    assert len(data) <= 255
    return bytes([chan | kind, len(data)]) + data


def request(chan, name, payload=b"", seq=1):
    """A request, split into 240-byte messages as a VM sends it (one record per message)."""
    msg_id = IDS[name] if isinstance(name, str) else name
    count = max(0, (len(payload) - 1) // 232)
    out = b""
    for i in range(count + 1):
        chunk = payload[i * 232:(i + 1) * 232]
        out += rec(chan, RAW, hdr(1 if i == 0 else 0, count, seq, msg_id) + chunk)
    return out


def vmid_req(vmid):
    return struct.pack("<HH", vmid, 0)


def write(target, text):
    return struct.pack("<HH", target, len(text)) + text


def seeds():
    s = {}
    s["get_vmid"] = request(PRIMARY, "get_vmid") + request(PEER, "get_vmid", seq=0xFFFF)
    s["get_hyp_resources"] = (request(PRIMARY, "get_hyp_resources", vmid_req(0)) +
                              request(PRIMARY, "get_hyp_resources", vmid_req(0x80), 2) +
                              request(PRIMARY, "get_hyp_resources", vmid_req(0x42), 3) +
                              request(PRIMARY, "get_hyp_resources", b"\0\0\0", 4))
    s["state_status"] = (request(PEER, "set_status", bytes([0, 4, 0x34, 0x12])) +
                         request(PRIMARY, "get_state", vmid_req(0x80), 2) +
                         request(PEER, "get_state", vmid_req(3), 3) +
                         request(PEER, "set_status", bytes([0, 9, 0, 0]), 4))
    s["exit_peer"] = (request(PEER, "exit", bytes([1, 0, 2, 0])) +
                      request(PEER, "exit", bytes([1, 0, 2, 0]), 2) +
                      request(PRIMARY, "exit", bytes([0, 0, 4, 0]), 3))
    s["console_own"] = (request(PRIMARY, "console_write", write(0, b"early\n")) +
                        request(PRIMARY, "console_open", vmid_req(0), 2) +
                        request(PRIMARY, "console_write", write(0, b"hello\r\nwor\x1b"), 3) +
                        request(PRIMARY, "console_flush", vmid_req(0), 4) +
                        request(PRIMARY, "console_close", vmid_req(0), 5))
    s["console_chars"] = (request(PRIMARY, "console_open", vmid_req(0x80)) +
                          request(PEER, "console_open", vmid_req(0), 2) +
                          request(PRIMARY, "console_write", write(0x80, b"ping"), 3) +
                          request(PEER, "console_write", write(0, b"pong\n" * 60), 4) +
                          request(PEER, "console_open", vmid_req(3), 5))
    # Two VMs' lines cut into each other on the UART.
    s["console_interleave"] = (request(PRIMARY, "console_open", vmid_req(0)) +
                               request(PEER, "console_open", vmid_req(0), 2) +
                               request(PRIMARY, "console_write", write(0, b"abc"), 3) +
                               request(PEER, "console_write", write(0, b"peer\n"), 4) +
                               request(PRIMARY, "console_write", write(0, b"def\n"), 5))
    s["unknown_ids"] = (request(PRIMARY, 0) + request(PRIMARY, 0xFFFFFFFF, b"x", 2) +
                        request(PRIMARY, "vm_start", vmid_req(0x80), 3) +
                        request(PRIMARY, "mem_share", bytes(40), 4))
    # The largest request, 14 616 bytes in 63 messages, and the train form of one.
    s["max_request"] = request(PRIMARY, "console_open", vmid_req(0)) + request(
        PRIMARY, "console_write", write(0, bytes(97 + i % 26 for i in range(14612))), 2)
    s["train_62"] = rec(PRIMARY, TRAIN, hdr(1, 62, 9, IDS["console_write"]) + write(0, b"") +
                    bytes(228))
    # Malformed: short, long, bad version / words, 63 fragments, orphan and mismatched
    # continuations, a new message over a partial one, REPLY and NOTIFICATION from the VM.
    g = hdr(1, 0, 7, IDS["get_vmid"])
    s["short"] = b"".join(rec(PRIMARY, RAW, g[:n]) for n in range(8)) + request(PRIMARY, "get_vmid")
    s["long"] = rec(PRIMARY, RAW, g + bytes(233)) + rec(PEER, RAW, g + bytes(247))
    s["bad_byte0"] = (rec(PRIMARY, RAW, hdr(1, 0, 1, IDS["get_vmid"], version=2)) +
                      rec(PRIMARY, RAW, hdr(1, 0, 2, IDS["get_vmid"], words=3)) +
                      rec(PRIMARY, RAW, hdr(1, 0, 3, IDS["get_vmid"], version=0, words=0)))
    s["fragments_63"] = (rec(PRIMARY, RAW, hdr(1, 63, 1, IDS["get_vmid"])) +
                         rec(PRIMARY, TRAIN, hdr(1, 63, 2, IDS["console_write"]) + bytes(232)) +
                         # 64 messages whose payload would fit: only the count says no.
                         rec(PRIMARY, TRAIN, hdr(1, 63, 3, IDS["get_vmid"])))
    s["continuations"] = (rec(PRIMARY, RAW, hdr(0, 0, 1, IDS["get_vmid"])) +
                          rec(PRIMARY, RAW, hdr(1, 1, 5, IDS["get_vmid"])) +
                          rec(PRIMARY, RAW, hdr(0, 1, 6, IDS["get_vmid"])) +
                          rec(PRIMARY, RAW, hdr(0, 2, 5, IDS["get_vmid"])) +
                          rec(PRIMARY, RAW, hdr(0, 1, 5, IDS["get_state"])) +
                          rec(PRIMARY, RAW, hdr(0, 1, 5, IDS["get_vmid"])))
    s["partial_discarded"] = (rec(PRIMARY, RAW, hdr(1, 3, 1, IDS["console_write"]) + bytes(232)) +
                              request(PRIMARY, "get_vmid", seq=2) +
                              rec(PRIMARY, RAW, hdr(0, 3, 1, IDS["console_write"]) + bytes(10)))
    s["not_requests"] = (rec(PRIMARY, RAW, hdr(2, 0, 1, IDS["get_vmid"])) +
                         rec(PEER, RAW, hdr(3, 0, 2, IDS["get_vmid"])) +
                         rec(PRIMARY, RAW, hdr(2, 1, 3, IDS["get_vmid"])) +
                         rec(PRIMARY, RAW, hdr(0, 1, 3, IDS["get_vmid"])))
    s["notify"] = (rec(PRIMARY, NOTIFY, struct.pack("<IH", 0x56100008, 8)) +
                   rec(PEER, NOTIFY, struct.pack("<IH", 0x56100080, 14616)) +
                   rec(PRIMARY, NOTIFY, struct.pack("<IH", 0x51100011, 14617)))
    return s


def dictionary():
    words = [hdr(t, c, 0, 0)[:2] for t in range(4) for c in (0, 1, 62, 63)]
    words += [struct.pack("<I", v) for v in sorted(set(IDS.values()))]
    words += [struct.pack("<H", v) for v in (3, 0x80, 0xFF, 14612)]
    return "".join('"%s"\n' % "".join("\\x%02x" % b for b in w) for w in words)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dict-out")
    args = ap.parse_args()
    d = os.path.join(args.out, "rm_rpc")
    os.makedirs(d, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    if args.dict_out:
        os.makedirs(args.dict_out, exist_ok=True)
        with open(os.path.join(args.dict_out, "rm_rpc.dict"), "w") as f:
            f.write(dictionary())


if __name__ == "__main__":
    main()
