"""The guest's test list read without booting (humpy_harness.guest_tests), on images made by
tests/static_guest.py, and the guest's selection rules applied to it."""

import pytest

import static_guest
from humpy_harness import guest_tests
from humpy_harness.guest_tests import NoStaticList

IDS = ["psci.version", "identify.flags", "selftest.fail", "identify.api_info", "msgq.send_full"]


def test_the_list_is_the_images_table_in_table_order(tmp_path):
    image = static_guest.write(tmp_path, "tests: []\n", IDS)
    assert guest_tests.compiled(image) == IDS
    assert guest_tests.elf_for(image) == tmp_path / "guest.elf"


def test_an_elf_that_is_not_the_images_is_refused(tmp_path):
    a = static_guest.write(tmp_path / "a", "tests: []\n", IDS)
    # The names are read from the image itself: an ELF whose table has the image's bytes at the
    # image's address gives the image's list. One more test moves every string: refused.
    b = static_guest.write(tmp_path / "b", "tests: []\n", IDS + ["msgq.send_empty"])
    with pytest.raises(NoStaticList, match=r"a/guest.elf is not the ELF of .*b/guest.bin \(its "
                       r"humpy_tests section differs from the image's bytes"):
        guest_tests.compiled(b, elf=tmp_path / "a" / "guest.elf")
    assert guest_tests.compiled(a) == IDS


def test_no_elf_or_no_table_is_no_static_list(tmp_path):
    image = static_guest.write(tmp_path, "tests: []\n", IDS)
    (tmp_path / "guest.elf").unlink()
    with pytest.raises(NoStaticList, match="guest.elf: No such file"):
        guest_tests.compiled(image)
    (tmp_path / "guest.elf").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(57))
    with pytest.raises(NoStaticList, match="not an AArch64 ELF"):
        guest_tests.compiled(image)


def test_a_pointer_outside_the_image_is_refused(tmp_path):
    image = static_guest.write(tmp_path, "tests: []\n", ["a.b"])
    data = bytearray(image.read_bytes())
    elf = bytearray((tmp_path / "guest.elf").read_bytes())
    # The first entry's area pointer, in both copies (the image and the ELF must still agree):
    # the table follows the scenario at the next 8 bytes in the image, the ELF header in the ELF.
    start = (len(b"tests: []\n" + static_guest.IMAGE_MARK) + 7) & ~7
    bad = (guest_tests.GUEST_ADDR + 0x100000).to_bytes(8, "little")
    data[start:start + 8] = bad
    elf[64:64 + 8] = bad
    image.write_bytes(bytes(data))
    (tmp_path / "guest.elf").write_bytes(bytes(elf))
    with pytest.raises(NoStaticList, match="outside the image"):
        guest_tests.compiled(image)


def test_selection_follows_the_guests_rules():
    ids = IDS + ["selftest.hang", "identify.flags"]  # a duplicate entry is listed once
    # No pattern: the visible tests, by id; the hidden area only when a pattern names it.
    assert guest_tests.select(ids, None) == [
        "identify.api_info", "identify.flags", "msgq.send_full", "psci.version"]
    assert guest_tests.select(ids, ["*"]) == guest_tests.select(ids, None)
    assert guest_tests.select(ids, ["*.f*", "selftest.*"]) == [
        "identify.flags", "selftest.fail", "selftest.hang"]
    assert guest_tests.select(ids, ["identify.?lags", "psci.versio"]) == ["identify.flags"]
    assert guest_tests.select(ids, ["msgq.send[_]full"]) == []  # no character classes
