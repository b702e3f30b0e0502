"""A guest image and its ELF, made for the harness's tests: the image holds a fake QEMU scenario
(tests/fake_qemu.py reads it up to the `#@@image` line) and, after it, a `humpy_tests` table laid
out as the real guest's (24-byte entries: area pointer, name pointer, function pointer; the
strings they point at), at the address the image is loaded to; the ELF names that section, so
humpy_harness.guest_tests reads the list without booting."""

import struct
from pathlib import Path

GUEST_ADDR = 0x41000000
IMAGE_MARK = b"\n#@@image\n"
EM_AARCH64 = 183


def _elf(section: bytes, addr: int) -> bytes:
    shstrtab = b"\0humpy_tests\0.shstrtab\0"
    data_off = 64
    str_off = data_off + len(section)
    shoff = (str_off + len(shstrtab) + 7) & ~7
    header = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, EM_AARCH64,
                         1, addr, 0, shoff, 0, 64, 0, 0, 64, 3, 2)
    body = header + section + shstrtab
    body += bytes(shoff - len(body))
    sh = struct.Struct("<IIQQQQIIQQ")
    body += sh.pack(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    body += sh.pack(1, 1, 2, addr, data_off, len(section), 0, 0, 8, 0)  # humpy_tests, alloc
    body += sh.pack(13, 3, 0, 0, str_off, len(shstrtab), 0, 0, 1, 0)  # .shstrtab
    return body


def write(directory: Path, scenario: str, ids: list[str], stem: str = "guest") -> Path:
    """Writes STEM.bin (scenario + table) and STEM.elf; returns the image's path."""
    prefix = scenario.encode() + IMAGE_MARK
    table_off = (len(prefix) + 7) & ~7
    strings_off = table_off + 24 * len(ids)
    strings, where = b"", {}
    for part in dict.fromkeys(p for t in ids for p in t.split(".", 1)):
        where[part] = GUEST_ADDR + strings_off + len(strings)
        strings += part.encode() + b"\0"
    table = b"".join(struct.pack("<QQQ", where[t.split(".")[0]], where[t.split(".", 1)[1]],
                                 GUEST_ADDR) for t in ids)
    image = prefix + bytes(table_off - len(prefix)) + table + strings
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{stem}.bin").write_bytes(image)
    (directory / f"{stem}.elf").write_bytes(_elf(table, GUEST_ADDR + table_off))
    return directory / f"{stem}.bin"
