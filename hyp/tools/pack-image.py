#!/usr/bin/python3
"""Packs hyp.bin and VM images into one booti-able arm64 Image (humpy.bin).

usage: pack-image.py -o OUT HYP.bin FILE@IPA [FILE@IPA ...]

The payload goes right behind the hypervisor's memory image (the header's image_size, which
covers its BSS and stacks), in the format hyp/include/payload.h describes; image_size is then
grown to cover the payload, so a bootloader copies and reserves all of it.
"""
import argparse
import struct
import sys

MAGIC = 0x314B5059504D5548  # "HUMPYPK1"
MAX_ENTRIES = 4
MAX_SIZE = 64 << 20
ARM64_MAGIC = b"ARM\x64"


def align(n, a):
    return (n + a - 1) // a * a


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("hyp")
    ap.add_argument("images", nargs="+", metavar="FILE@IPA")
    args = ap.parse_args()

    hyp = bytearray(open(args.hyp, "rb").read())
    if len(hyp) < 64 or hyp[0x38:0x3C] != ARM64_MAGIC:
        sys.exit(f"pack-image: {args.hyp} has no arm64 Image header")
    image_size = struct.unpack_from("<Q", hyp, 16)[0]
    if image_size < len(hyp) or image_size % 4096:
        sys.exit(f"pack-image: {args.hyp}: image_size {image_size:#x} is not a page-aligned "
                 f"size covering the file ({len(hyp):#x} bytes)")
    if len(args.images) > MAX_ENTRIES:
        sys.exit(f"pack-image: at most {MAX_ENTRIES} images")

    entries = []
    blobs = []
    offset = align(16 + 16 * len(args.images), 16)
    for spec in args.images:
        path, _, addr = spec.rpartition("@")
        if not path:
            sys.exit(f"pack-image: '{spec}' is not FILE@IPA")
        data = open(path, "rb").read()
        if not data:
            sys.exit(f"pack-image: {path} is empty")
        entries.append((int(addr, 0), offset, len(data)))
        blobs.append((offset, data))
        offset = align(offset + len(data), 16)
    total = offset
    if total > MAX_SIZE:
        sys.exit(f"pack-image: payload of {total} bytes exceeds {MAX_SIZE}")

    payload = bytearray(total)
    struct.pack_into("<QII", payload, 0, MAGIC, len(entries), total)
    for i, (dest, off, size) in enumerate(entries):
        struct.pack_into("<QII", payload, 16 + 16 * i, dest, off, size)
    for off, data in blobs:
        payload[off:off + len(data)] = data

    out = hyp + bytes(image_size - len(hyp)) + payload
    struct.pack_into("<Q", out, 16, align(len(out), 4096))
    with open(args.output, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
