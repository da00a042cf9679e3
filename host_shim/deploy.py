# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""`python -m host_shim deploy DRIVE [--example NAME] [--only-imported]`: put smolmidi on a CIRCUITPY drive (CPython only).

Copies the library modules (smolmidi.py, smolmidi_out.py, smf_lite.py) into the
drive's lib/ folder and, with --example, one example as code.py together with the data
files it opens (tune.mid for smf_player) and the boards/ pin file of the board named in
boot_out.txt ("Board ID:" line); it warns when the example uses board pins that board
lacks. --only-imported copies only the modules the program imports (following our
optional modules' own imports), so a small drive fits. It refuses a folder without
boot_out.txt (every CircuitPython drive has one) unless --force is given.

It never leaves the drive worse than it found it: the space needed is counted in whole
blocks of the drive's filesystem, every file is first written under a temporary name
(NAME.tmp), and only when all of them are written are they renamed into place. A
drive that fills up part-way gets its temporary files removed and is otherwise
unchanged. Nothing is deleted: a different code.py (or data file) already on the drive
is renamed to code.py.bak (code.py.bak1, ... if taken). Identical files are left alone.
Every action is printed.
"""

import ast
import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBRARY_MODULES = ("smolmidi.py", "smolmidi_out.py", "smf_lite.py")


def _data_dir(name):
    """host_shim/name in an installed wheel (pyproject.toml puts it there), else ROOT/name."""
    installed = os.path.join(HERE, name)
    return installed if os.path.isdir(installed) else os.path.join(ROOT, name)


EXAMPLES_DIR = _data_dir("examples")
BOARDS_DIR = _data_dir("boards")
# CircuitPython runs the first of these it finds; code.py loses to code.txt
RUN_ORDER = ("code.txt", "code.py", "main.txt", "main.py")
DATA_SUFFIXES = (".mid", ".midi", ".syx", ".bin", ".txt", ".json")
# CircuitPython board id (boot_out.txt) -> our pin file in boards/
BOARD_FILES = {
    "raspberry_pi_pico": "pico.py",
    "raspberry_pi_pico_w": "pico.py",
    "adafruit_feather_rp2040": "feather_rp2040.py",
    "adafruit_qtpy_rp2040": "qtpy_rp2040.py",
    "adafruit_kb2040": "kb2040.py",
    "feather_m4_express": "feather_m4_express.py",
    "itsybitsy_m4_express": "itsybitsy_m4.py",
    "metro_m4_express": "metro_m4.py",
    "trinket_m0": "trinket_m0.py",
    "qtpy_m0": "qtpy_m0.py",
    "qtpy_m0_haxpress": "qtpy_m0.py",
}
TMP_SUFFIX = ".tmp"


class DeployError(Exception):
    """The target or an example is not usable; the message says why."""


def find_example(name):
    """Path of an example given as NAME, NAME.py or a path to a .py file."""
    candidates = [name, os.path.join(EXAMPLES_DIR, name), os.path.join(EXAMPLES_DIR, name + ".py")]
    for path in candidates:
        if path.endswith(".py") and os.path.isfile(path):
            return path
    known = sorted(f[:-3] for f in os.listdir(EXAMPLES_DIR) if f.endswith(".py")) if os.path.isdir(EXAMPLES_DIR) else []
    raise DeployError("no example named %r (known: %s)" % (name, ", ".join(known) or "none"))


def board_id(drive):
    """The board id from the drive's boot_out.txt ("Board ID:xxx" line), or None."""
    try:
        with open(os.path.join(drive, "boot_out.txt"), encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    m = re.search(r"^Board ID:\s*(\S+)", text, re.M)
    return m.group(1) if m else None


def board_pins(board):
    """Pin names of a CircuitPython board (our table, else circuitpython-stubs), or None."""
    from .board_pins import PINS

    if board in PINS:
        return set(PINS[board].split())
    import sys

    for path in sys.path:
        stub = os.path.join(path, "board_definitions", board, "__init__.pyi")
        if os.path.isfile(stub):
            with open(stub, encoding="utf-8") as f:
                return set(re.findall(r"^([A-Za-z_]\w*): microcontroller\.Pin", f.read(), re.M))
    return None


def _tree(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), path)


def imported_names(path):
    """Top-level module names a program imports anywhere (inside try/if/def too)."""
    names = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names.extend(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    return names


def our_module(name):
    """Path of our module NAME (top level of the checkout, or a boards/ file), or None."""
    for folder in (ROOT, BOARDS_DIR):
        path = os.path.join(folder, name + ".py")
        if os.path.isfile(path):
            return path
    return None


def needed_modules(program):
    """Our modules the program imports, following their imports: a list of paths."""
    found, todo = [], [program]
    while todo:
        for name in imported_names(todo.pop()):
            path = our_module(name)
            if path and path not in found:
                found.append(path)
                todo.append(path)
    return found


def board_uses(path):
    """Pin names used as board.NAME in a program (comments and strings not counted)."""
    return sorted(
        {
            node.attr
            for node in ast.walk(_tree(path))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "board"
        }
    )


def data_files(path):
    """Files next to the example (or in examples/data/) that it names in a string."""
    found = []
    for node in ast.walk(_tree(path)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.endswith(DATA_SUFFIXES)
            and "/" not in node.value
        ):
            for folder in (os.path.dirname(path), os.path.join(EXAMPLES_DIR, "data")):
                src = os.path.join(folder, node.value)
                if os.path.isfile(src) and src not in found:
                    found.append(src)
                    break
    return found


def _same(src, dst):
    if not os.path.isfile(dst) or os.path.getsize(src) != os.path.getsize(dst):
        return False
    with open(src, "rb") as a, open(dst, "rb") as b:
        return a.read() == b.read()


def _free_name(path):
    candidate = path + ".bak"
    n = 1
    while os.path.exists(candidate):
        candidate = "%s.bak%d" % (path, n)
        n += 1
    return candidate


def plan(drive, example=None, force=False, only_imported=False, out=print):
    """Check the target; return a list of (source, destination) pairs to copy."""
    if not os.path.isdir(drive):
        raise DeployError("%s is not a folder (is the board plugged in and mounted?)" % drive)
    if not force and not os.path.isfile(os.path.join(drive, "boot_out.txt")):
        raise DeployError(
            "%s has no boot_out.txt, so it does not look like a CircuitPython drive; use --force to copy anyway" % drive
        )
    program = find_example(example) if example is not None else None
    board = board_id(drive)
    if only_imported:
        target = program or os.path.join(drive, "code.py")
        if not os.path.isfile(target):
            raise DeployError("--only-imported needs a program: give --example or put a code.py on %s" % drive)
        modules = needed_modules(target)
    else:
        modules = []
        for name in LIBRARY_MODULES:
            src = os.path.join(ROOT, name)
            if not os.path.isfile(src):
                raise DeployError("library module missing from this checkout: %s" % src)
            modules.append(src)
        if program is not None:
            modules += [p for p in needed_modules(program) if p not in modules]
        pin_file = BOARD_FILES.get(board)
        if pin_file and os.path.join(BOARDS_DIR, pin_file) not in modules:
            modules.append(os.path.join(BOARDS_DIR, pin_file))
    pairs = [(src, os.path.join(drive, "lib", os.path.basename(src))) for src in modules]
    if program is not None:
        pairs += [(src, os.path.join(drive, os.path.basename(src))) for src in data_files(program)]
        _check_pins(program, board, out)
        # code.py last: the board restarts as soon as it changes
        pairs.append((program, os.path.join(drive, "code.py")))
    return pairs


def _check_pins(program, board, out):
    uses = board_uses(program)
    if not uses:
        return
    if board is None:
        out("note: boot_out.txt names no board, so the pins %s were not checked" % ", ".join(uses))
        return
    pins = board_pins(board)
    if pins is None:
        out("note: no pin list for board %s here, so the pins %s were not checked" % (board, ", ".join(uses)))
        return
    missing = [p for p in uses if p not in pins]
    if missing:
        pin_file = BOARD_FILES.get(board)
        hint = " (see boards/%s for this board's MIDI pins)" % pin_file if pin_file else ""
        out(
            "warning: %s uses board.%s, which board %s does not have: edit the pins before "
            "it runs%s" % (os.path.basename(program), ", board.".join(missing), board, hint)
        )


def _space(drive):
    """(free bytes, block size) of the filesystem holding drive."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows: no block size to be had; FAT on a CIRCUITPY drive uses 512+
        return shutil.disk_usage(drive).free, 4096
    st = statvfs(drive)
    block = st.f_frsize or st.f_bsize or 512
    return st.f_bavail * block, block


def _blocks(size, block):
    return -(-size // block) * block


def _copy_to(src, dst):
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def deploy(drive, example=None, force=False, out=print, only_imported=False):
    """Copy the library (and an example as code.py) to drive; return the paths written."""
    pairs = plan(drive, example, force, only_imported, out)
    todo = [(src, dst) for src, dst in pairs if not _same(src, dst)]
    for src, dst in pairs:
        if (src, dst) not in todo:
            out("unchanged %s" % os.path.relpath(dst, drive))
    free, block = _space(drive)
    new_dirs = {os.path.dirname(dst) for _, dst in todo if not os.path.isdir(os.path.dirname(dst))}
    # the new files are written beside the old ones, so nothing is freed before they fit
    needed = sum(_blocks(os.path.getsize(src), block) for src, _ in todo) + block * len(new_dirs)
    if needed > free:
        hint = ""
        if not only_imported and example is not None:
            hint = "; --only-imported copies only the modules %s imports" % os.path.basename(pairs[-1][0])
        raise DeployError(
            "%s has %d bytes free, the files need %d (in %d-byte blocks); nothing "
            "was changed%s" % (drive, free, needed, block, hint)
        )
    made_dirs, temps = [], []
    try:
        for d in sorted(new_dirs):
            os.makedirs(d)
            made_dirs.append(d)
        for src, dst in todo:
            temps.append(dst + TMP_SUFFIX)
            _copy_to(src, dst + TMP_SUFFIX)
    except OSError as e:
        for tmp in temps:
            if os.path.exists(tmp):
                os.remove(tmp)
        for d in reversed(made_dirs):
            if not os.listdir(d):
                os.rmdir(d)
        raise DeployError(
            "%s: writing failed (%s); the temporary files were removed and "
            "nothing else was changed" % (drive, e.strerror or e)
        )
    written = []
    for src, dst in todo:
        shown = os.path.relpath(dst, drive)
        in_lib = os.path.basename(os.path.dirname(dst)) == "lib"
        if os.path.exists(dst) and not in_lib:
            backup = _free_name(dst)
            os.rename(dst, backup)
            out("kept your old %s as %s" % (shown, os.path.relpath(backup, drive)))
        os.replace(dst + TMP_SUFFIX, dst)
        written.append(dst)
        out("copied %s -> %s" % (os.path.relpath(src, ROOT) if src.startswith(ROOT) else src, shown))
    if written and hasattr(os, "sync"):
        os.sync()  # a USB drive may hold writes in the OS cache; the board reads the flash
    if example is not None:
        first = [f for f in RUN_ORDER if os.path.isfile(os.path.join(drive, f))][:1]
        if first and first[0] != "code.py":
            out("note: the board runs %s before code.py; rename or remove it to run the example" % first[0])
    return written


def main(drive, example=None, force=False, only_imported=False):
    """Command-line entry: return an exit status, errors as one line on stderr."""
    import sys

    try:
        deploy(drive, example, force, only_imported=only_imported)
    except (DeployError, OSError) as e:
        print("host_shim deploy: %s" % e, file=sys.stderr)
        return 2
    return 0
