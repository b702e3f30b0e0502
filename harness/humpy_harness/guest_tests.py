"""The tests compiled into a guest image, read without booting it, and the guest's own selection.

The conformance guest registers every TEST(area, name) as a 24-byte entry (area pointer, name
pointer, function pointer) of its `humpy_tests` section (conformance/include/humpy/test.h). The raw
image carries no symbols, so the section's address and size come from the ELF the build links it
from (`guest.elf` next to `guest.bin`); the entries and their strings are then read from the raw
image itself, the bytes QEMU will load, after checking that the ELF's copy of the section is the
image's (a stale ELF is refused, never trusted). `select()` applies the guest's rules to the ids:
humpy.tests globs (`*`, `?`), the hidden area `selftest` only for a pattern starting `selftest.`,
visible tests first, by id (conformance/guest/runner.c).

The pytest plugin collects from this, so `--collect-only` starts no QEMU.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from .protocol import TEST_ID
from .qemu import GUEST_ADDR

SECTION = "humpy_tests"
ENTRY_SIZE = 24  # struct test: const char *area, *name; void (*fn)(void)
HIDDEN_AREA = "selftest"
_NAME = re.compile(r"[a-z0-9_]+")
_ID = re.compile(TEST_ID)
_EM_AARCH64 = 183
_STRING_MAX = 64  # an id is at most 63 characters (PROTOCOL.md)


class NoStaticList(Exception):
    """The image's test list cannot be read without booting; str() says why."""


def _section(elf: bytes, name: str) -> tuple[int, int, int]:
    """(address, file offset, size) of the named section of an ELF64 little-endian AArch64 file."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise NoStaticList("not an ELF64 little-endian file")
    machine, = struct.unpack_from("<H", elf, 18)
    if machine != _EM_AARCH64:
        raise NoStaticList(f"not an AArch64 ELF (e_machine {machine})")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    if shentsize < 64 or shoff + shnum * shentsize > len(elf) or shstrndx >= shnum:
        raise NoStaticList("truncated section headers")

    def header(k):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size
        return struct.unpack_from("<IIQQQQ", elf, shoff + k * shentsize)

    strtab_off, strtab_size = header(shstrndx)[4:6]
    for k in range(shnum):
        sh_name, _, _, addr, offset, size = header(k)
        if sh_name >= strtab_size:
            continue
        start = strtab_off + sh_name
        if elf[start:elf.index(b"\0", start)].decode("ascii", "replace") == name:
            if offset + size > len(elf):
                raise NoStaticList(f"section {name} past the end of the file")
            return addr, offset, size
    raise NoStaticList(f"no {name} section")


def _string(image: bytes, address: int) -> str:
    start = address - GUEST_ADDR
    if not 0 <= start < len(image):
        raise NoStaticList(f"a test name at {address:#x} lies outside the image")
    end = image.find(b"\0", start, start + _STRING_MAX)
    text = image[start:end].decode("ascii", "replace") if end >= 0 else ""
    if not _NAME.fullmatch(text):
        raise NoStaticList(f"no test name at {address:#x}")
    return text


def elf_for(guest: str | Path) -> Path:
    """Where the build leaves the guest's ELF: next to the raw image, same stem."""
    return Path(guest).with_suffix(".elf")


def compiled(guest: str | Path, elf: str | Path | None = None) -> list[str]:
    """Every test id compiled into the raw image `guest` (hidden ones included), in table order.
    NoStaticList when the ELF is missing, is not the image's, or the table is malformed."""
    elf_path = Path(elf) if elf else elf_for(guest)
    try:
        elf_bytes = elf_path.read_bytes()
        image = Path(guest).read_bytes()
    except OSError as e:
        raise NoStaticList(f"{e.filename}: {e.strerror}") from None
    try:
        addr, offset, size = _section(elf_bytes, SECTION)
    except NoStaticList as e:
        raise NoStaticList(f"{elf_path}: {e}") from None
    start = addr - GUEST_ADDR
    if size % ENTRY_SIZE or start < 0:
        raise NoStaticList(f"{elf_path}: {SECTION} at {addr:#x}, {size} bytes: not a test table")
    if image[start:start + size] != elf_bytes[offset:offset + size]:
        raise NoStaticList(f"{elf_path} is not the ELF of {guest} (its {SECTION} section differs "
                           f"from the image's bytes: rebuild, or the ELF is stale)")
    ids = []
    for k in range(0, size, ENTRY_SIZE):
        area, name, _ = struct.unpack_from("<QQQ", image, start + k)
        test_id = f"{_string(image, area)}.{_string(image, name)}"
        if not _ID.fullmatch(test_id) or len(test_id) > _STRING_MAX - 1:
            raise NoStaticList(f"bad test id {test_id!r} in {guest}")
        ids.append(test_id)
    return ids


def _glob(pattern: str, test_id: str) -> bool:
    """The guest's glob_match: `*` any run, `?` one character, everything else literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, test_id, re.DOTALL) is not None


def hidden(test_id: str) -> bool:
    return test_id.split(".", 1)[0] == HIDDEN_AREA


def select(ids: list[str], patterns: list[str] | None) -> list[str]:
    """The ids a boot with humpy.tests=patterns (None: none given) runs, in the guest's order."""
    def chosen(test_id: str) -> bool:
        if not patterns:
            return not hidden(test_id)
        return any(p and (not hidden(test_id) or p.startswith(HIDDEN_AREA + "."))
                   and _glob(p, test_id) for p in patterns)
    return sorted(dict.fromkeys(t for t in ids if chosen(t)), key=lambda t: (hidden(t), t))
