"""Renders one LAVA job per device type from lava-jobs/templates/ and the guest's test list."""

import hashlib
import math
import os
import re
import subprocess

import jinja2
import yaml

from . import LavaError, paths
from humpy_harness import protocol



def qemu_facts():
    """The machine and the VM's load addresses, from the harness's QEMU command line (one copy of
    conformance/PROTOCOL.md's "Boot"), in the shape lava-server's qemu.jinja2 takes."""
    from humpy_harness import qemu as hq

    args, argv = {}, list(hq.MACHINE_ARGS)
    for i, arg in enumerate(argv):
        if arg.startswith("-"):
            has_value = i + 1 < len(argv) and not argv[i + 1].startswith("-")
            args[arg] = argv[i + 1] if has_value else None
    memory = args["-m"]
    units = {"G": 1024, "M": 1}
    memory_mb = int(memory[:-1]) * units[memory[-1]] if memory[-1] in units else int(memory)
    return {"cpu": args["-cpu"], "machine": args["-machine"], "memory_mb": memory_mb,
            "smp": int(args["-smp"]), "vm_dtb_addr": f"{hq.DTB_ADDR:#x}",
            "guest_addr": f"{hq.GUEST_ADDR:#x}"}


# The guest's default per-test limit (humpy.timeout_ms); a test that hits it reports ERROR and the run
# goes on, so the whole run is bounded by tests x limit plus boot.
PER_TEST_SECONDS = 2
MONITOR_NAME = "humpy"

# Which artefacts each kind of job deploys (names as in the templates).
QEMU_ARTEFACTS = ("hyp", "vmdtb", "guest")
BOARD_ARTEFACTS = ("humpy",)


def board_image(board):
    """The images key of the packed image a board job deploys as its humpy artefact: humpy.bin,
    or, for a board the harness boots on a model (boards.yaml harness_machine: M), humpy-M.bin,
    the image that harness run boots."""
    machine = board.get("harness_machine")
    return f"humpy-{machine}" if machine else "humpy"


def load_boards(path=paths.BOARDS):
    with open(path, encoding="utf-8") as f:
        boards = yaml.safe_load(f)
    for device_type, board in boards.items():
        for key in ("template", "dictionary", "lava_template"):
            if key not in board:
                raise LavaError(f"{path}: {device_type} has no {key}")
    return boards


def monitor():
    """The monitors entry, from the harness's one copy of the protocol.

    LAVA hands start and end to pexpect, which compiles them as regexes, so the literal protocol
    strings are escaped here ("[humpy]" unescaped would be a character class and never match).
    The end pattern runs to the end of the END line: LAVA logs console lines only once their
    newline has arrived and stops reading at the end match, so matching "[humpy] END" alone can
    leave the END line (and its counts) out of the job log."""
    return {
        "name": MONITOR_NAME,
        "start": re.escape(protocol.LAVA_START),
        "end": re.escape(protocol.LAVA_END) + r"[^\n]*\n",
        "pattern": protocol.RESULT_PATTERN,
        "fixupdict": dict(protocol.LAVA_FIXUP),
    }


def lava_case_name(test_id):
    """The case name LAVA records for a test id (its monitor turns every non-word run into '_')."""
    return re.sub(r"\W+", "_", test_id.strip().lower())


def check_tests(tests):
    """A test list LAVA can report without ambiguity: protocol ids, no two with one LAVA name."""
    if not tests:
        raise LavaError("the test list is empty")
    seen = {}
    for test_id in tests:
        if not re.fullmatch(protocol.TEST_ID, test_id):
            raise LavaError(f"test id {test_id!r} does not match the protocol's {protocol.TEST_ID}")
        name = lava_case_name(test_id)
        if name in seen:
            raise LavaError(f"tests {seen[name]} and {test_id} have the same LAVA case name {name}")
        seen[name] = test_id


def timeouts(n_tests, is_board):
    test = math.ceil(n_tests * PER_TEST_SECONDS / 60) + 2
    deploy = 5 if is_board else 2
    boot = 4 if is_board else 1
    return {"deploy": deploy, "boot": boot, "test": test, "action": max(deploy, boot, test),
            "connection": 2, "job": deploy + boot + test + 3}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def artefact(path, base_url=None):
    """{url, sha256} for one file: file:// for local runs, or BASE_URL/<file name> for a lab."""
    if not os.path.isfile(path):
        raise LavaError(f"missing image {path} (run `make` first)")
    url = (base_url.rstrip("/") + "/" + os.path.basename(path) if base_url
           else "file://" + os.path.abspath(path))
    return {"url": url, "sha256": sha256(path), "path": os.path.abspath(path)}


def git_commit():
    try:
        out = subprocess.run(["git", "-C", paths.REPO, "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=10, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def yaml_quote(value):
    """A YAML single-quoted scalar: no escapes to get wrong in regexes."""
    return "'" + str(value).replace("'", "''") + "'"


def environment(templates=paths.TEMPLATES):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=False, keep_trailing_newline=True, autoescape=False)
    env.filters["yq"] = yaml_quote
    env.filters["area"] = lambda test_id: test_id.split(".", 1)[0]
    return env


def render_job(device_type, board, tests, artefacts, commit, env=None):
    """One job as text (checked to parse as YAML). artefacts: name -> artefact() for this job."""
    check_tests(tests)
    is_board = device_type != "qemu"
    needed = BOARD_ARTEFACTS if is_board else QEMU_ARTEFACTS
    missing = [name for name in needed if name not in artefacts]
    if missing:
        raise LavaError(f"{device_type}: no {', '.join(missing)} image given")
    env = env or environment()
    context = {
        "template_name": board["template"], "device_type": device_type, "board": board,
        "tests": list(tests), "artefacts": artefacts, "commit": commit, "monitor": monitor(),
        "timeouts": timeouts(len(tests), is_board), "qemu": qemu_facts(),
    }
    try:
        text = env.get_template(board["template"]).render(**context)
    except jinja2.TemplateError as e:
        raise LavaError(f"{board['template']}: {e}") from e
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise LavaError(f"{board['template']} rendered invalid YAML: {e}") from e
    return text


def render_all(out_dir, tests, images, base_url=None, device_types=None, boards=None,
               board_dtb=None):
    """Renders every job into out_dir/<device_type>.yaml; returns {device_type: path}.

    images: {"hyp": path, "vmdtb": path, "guest": path, "humpy": path, "humpy-zcu102": path, ...}
    (board_image); board_dtb: optional device tree every board job deploys instead of using
    U-Boot's own."""
    boards = boards or load_boards()
    device_types = device_types or list(boards)
    unknown = [d for d in device_types if d not in boards]
    if unknown:
        raise LavaError(f"unknown device type {', '.join(unknown)} (see lava-jobs/boards.yaml)")
    env = environment()
    commit = git_commit()
    cache = {}

    def get(name, path):
        if name not in cache:
            cache[name] = artefact(path, base_url)
        return cache[name]

    os.makedirs(out_dir, exist_ok=True)
    written = {}
    for device_type in device_types:
        is_board = device_type != "qemu"
        # artefact name -> images key (a board's humpy artefact may be a machine's own image)
        keys = ({"humpy": board_image(boards[device_type])} if is_board
                else {n: n for n in QEMU_ARTEFACTS})
        missing = [k for k in keys.values() if not images.get(k)]
        if missing:
            raise LavaError(f"{device_type}: no path for {', '.join(missing)}")
        arts = {n: get(k, images[k]) for n, k in keys.items()}
        arts["boarddtb"] = get("boarddtb", board_dtb) if (is_board and board_dtb) else None
        text = render_job(device_type, boards[device_type], tests, arts, commit, env)
        path = os.path.join(out_dir, device_type + ".yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        written[device_type] = path
    with open(os.path.join(out_dir, "tests.txt"), "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in tests))
    return written
