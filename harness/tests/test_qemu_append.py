"""The hypervisor's boot options reach QEMU as one -append: QEMU keeps only the last -append, so a
preset's options (humpy.root=rm) and the bench's (humpy.guest_pmu) must be merged, not stacked."""

from humpy_harness import qemu as qemu_mod
from humpy_harness.presets import PRESETS


def appends(cmd):
    return [cmd[k + 1] for k, a in enumerate(cmd) if a == "-append"]


def test_preset_and_bench_appends_merge_into_one():
    extra = list(qemu_mod.BENCH_QEMU_ARGS) + list(PRESETS["humpy-hlos"].qemu_args)
    cmd = qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb", extra)
    assert appends(cmd) == ["humpy.guest_pmu humpy.root=rm"]
    # The other arguments keep their order; the merged -append stands where the first one did.
    tail = cmd[cmd.index("-append"):]
    assert tail == ["-append", "humpy.guest_pmu humpy.root=rm", "-icount", "shift=0"]


def test_words_of_each_append_kept_in_order():
    cmd = qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb",
                                ["-s", "-append", "a  b", "-d", "int", "-append", "c"])
    assert appends(cmd) == ["a b c"]
    assert cmd[cmd.index("-s"):] == ["-s", "-append", "a b c", "-d", "int"]


def test_no_append_no_change():
    cmd = qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb", ["-s", "-icount", "shift=0"])
    assert "-append" not in cmd
    assert cmd[-3:] == ["-s", "-icount", "shift=0"]


def test_trailing_append_without_value_is_left_to_qemu():
    assert qemu_mod.merge_appends(["-append"]) == ["-append"]


def test_empty_append_drops_the_options_before_it():
    # harness/qemu_tests test_bench_without_the_pmu_counts_ticks boots bench this way.
    extra = list(qemu_mod.BENCH_QEMU_ARGS) + ["-append", ""]
    assert appends(qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb", extra)) == [""]
    assert qemu_mod.merge_appends(["-append", "a", "-append", "", "-append", "b"]) == [
        "-append", "b"]
