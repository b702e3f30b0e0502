"""Command line: PYTHONPATH=lava-jobs/tools /usr/bin/python3 -m humpy_lava COMMAND ... (see --help).
Exit status: 0 fine, 1 a run failed or differs from the harness, 2 a one-line error before that."""

import argparse
import os
import shutil
import sys
import time

from . import LavaError, local, render, submit, testlist, validate
from humpy_harness.errors import HarnessError


def _tests(args):
    if args.tests_file:
        return testlist.from_file(args.tests_file)
    if not (args.hyp and args.guest):
        raise LavaError("give --tests-file, or --hyp and --guest for a list boot")
    return testlist.from_boot(args.hyp, args.guest, args.reports)


def _device_types(args, boards, lab_only=False):
    if args.device_type:
        names = [n for arg in args.device_type for n in arg.replace(",", " ").split()]
    else:
        names = [d for d in boards if not (lab_only and boards[d].get("local"))]
    unknown = [n for n in names if n not in boards]
    if unknown:
        raise LavaError(f"unknown device type {', '.join(unknown)}; known: {', '.join(boards)}")
    return names


def _snapshot(args):
    """Copies the images into one directory and uses the copies from here on: the jobs' sha256s,
    the list boot and the harness run of lava-local then see the same bytes, however the build
    tree changes meanwhile."""
    os.makedirs(args.snapshot, exist_ok=True)
    for attr in ("hyp", "guest", "vm_dtb", "humpy_bin", "humpy_zcu102", "board_dtb"):
        src = getattr(args, attr)
        if not src:
            continue
        if not os.path.isfile(src):
            raise LavaError(f"missing image {src} (run `make` first)")
        dst = os.path.join(args.snapshot, os.path.basename(src))
        tmp = dst + ".tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        setattr(args, attr, dst)


def cmd_jobs(args):
    """Render every job, then validate each (schema, board facts, lava-run --validate)."""
    boards = render.load_boards()
    types = _device_types(args, boards, lab_only=bool(args.base_url))
    if args.snapshot:
        _snapshot(args)
    tests = _tests(args)
    images = {"hyp": args.hyp, "guest": args.guest, "vmdtb": args.vm_dtb, "humpy": args.humpy_bin,
              "humpy-zcu102": args.humpy_zcu102}
    needed = set()
    for d in types:
        needed.update(render.QEMU_ARTEFACTS if d == "qemu" else [render.board_image(boards[d])])
    written = render.render_all(args.out, tests, {k: v for k, v in images.items() if k in needed},
                                base_url=args.base_url, device_types=types,
                                board_dtb=args.board_dtb)
    print(f"lava-jobs: {len(written)} job(s) for {len(tests)} tests in {args.out}")
    for device_type, path in written.items():
        started = time.monotonic()
        if args.schema_only:
            validate.schema(path)
            how = "LAVA schema (strict)"
        else:
            validate.job(device_type, boards[device_type], path, args.server, args.out,
                         run_lava=not args.no_lava_run)
            how = "LAVA schema (strict), device config" + (
                "" if args.no_lava_run else ", lava-run --validate")
        print(f"  {device_type:18} ok: {how} ({time.monotonic() - started:.1f} s)")
    return 0


def cmd_local(args):
    types = args.device_type and _device_types(args, render.load_boards()) or list(local.LOCAL_TYPES)
    ok = local.main(args.jobs, args.server, args.out, args.hyp, args.guest, types,
                    compare=not args.no_compare, expect_path=args.expect or None)
    return 0 if ok else 1


def cmd_convert(args):
    from humpy_harness import reports
    from . import results
    expected = testlist.from_file(args.tests_file) if args.tests_file else None
    name = args.name or os.path.splitext(os.path.basename(args.log))[0]
    report = results.convert(args.log, expected,
                             console_out=os.path.join(args.out, name + ".console.log"),
                             expectations=args.expect or None)
    paths = results.write(report, args.out, name, suite=f"lava-{name}")
    print(reports.summary(report).replace("humpy run", f"lava {name}"))
    print(f"reports: {paths['json']} {paths['junit']}")
    return 0 if report.ok else 1


def cmd_submit(args):
    if args.check_only:
        version = submit.check_server(args.identity)
        print(f"lava-submit: {args.identity}: LAVA {version}")
        return 0
    boards = render.load_boards()
    types = _device_types(args, boards, lab_only=True)
    expected = testlist.from_file(os.path.join(args.jobs, "tests.txt"))
    ok = submit.main(args.jobs, args.identity, types, args.out, expected, wait=not args.no_wait,
                     wait_s=args.wait_s, poll_s=args.poll_s, expect_path=args.expect or None)
    return 0 if ok else 1


EXPECT_HELP = ("expectations file (conformance/expect/*.yaml): the profile and the SKIPs allowed; "
               "checked as the harness's --expect does")


def parser():
    p = argparse.ArgumentParser(prog="humpy_lava", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    j = sub.add_parser("jobs", help="render and validate the jobs")
    j.add_argument("--out", required=True, help="directory for <device-type>.yaml and tests.txt")
    j.add_argument("--server", help="unpacked lava-server package (device-type templates)")
    j.add_argument("--tests-file", help="test list (ids, or the guest's list output)")
    j.add_argument("--hyp", help="hypervisor ELF (qemu job; also the list boot)")
    j.add_argument("--guest", help="conformance guest image (qemu job; also the list boot)")
    j.add_argument("--vm-dtb", help="VM device tree for the qemu job")
    j.add_argument("--humpy-bin", help="packed board image")
    j.add_argument("--humpy-zcu102", help="packed image of the harness's zcu102 machine (the "
                   "xilinx-zcu102 job's: boards.yaml harness_machine)")
    j.add_argument("--board-dtb", help="device tree board jobs deploy (default: U-Boot's own)")
    j.add_argument("--base-url", help="where a lab downloads the images (default: file:// paths)")
    j.add_argument("--device-type", action="append", help="only these (repeat or comma-separate)")
    j.add_argument("--reports", default="reports", help="harness reports dir for the list boot")
    j.add_argument("--snapshot", help="copy the images here first and render from the copies")
    j.add_argument("--schema-only", action="store_true", help="only the LAVA schema check")
    j.add_argument("--no-lava-run", action="store_true", help="skip lava-run --validate")
    j.set_defaults(func=cmd_jobs)

    lo = sub.add_parser("local", help="run the qemu and emulated U-Boot jobs with lava-run")
    lo.add_argument("--jobs", required=True)
    lo.add_argument("--server", required=True)
    lo.add_argument("--out", required=True)
    lo.add_argument("--hyp", required=True)
    lo.add_argument("--guest", required=True)
    lo.add_argument("--device-type", action="append")
    lo.add_argument("--no-compare", action="store_true", help="no harness run to compare with")
    lo.add_argument("--expect", help=EXPECT_HELP)
    lo.set_defaults(func=cmd_local)

    c = sub.add_parser("convert", help="LAVA job log -> the harness's JSON and JUnit")
    c.add_argument("log")
    c.add_argument("--out", required=True)
    c.add_argument("--name")
    c.add_argument("--tests-file")
    c.add_argument("--expect", help=EXPECT_HELP)
    c.set_defaults(func=cmd_convert)

    s = sub.add_parser("submit", help="submit rendered jobs to a lab with lavacli")
    s.add_argument("--jobs")
    s.add_argument("--identity", default="")
    s.add_argument("--check-only", action="store_true", help="only check identity and server")
    s.add_argument("--device-type", action="append")
    s.add_argument("--out")
    s.add_argument("--no-wait", action="store_true")
    s.add_argument("--wait-s", type=int, default=3600, help="longest wait for one job")
    s.add_argument("--poll-s", type=int, default=10, help="how often to ask the lab")
    s.add_argument("--expect", help=EXPECT_HELP)
    s.set_defaults(func=cmd_submit)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        if args.command == "jobs" and not args.server and not args.schema_only:
            raise LavaError("--server (the unpacked lava-server package) is needed to validate")
        return args.func(args)
    except (LavaError, HarnessError) as e:  # HarnessError: a bad expectations file
        print(f"lava {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
