"""`python -m host_shim deploy DRIVE [--example NAME]`: put smolmidi on a CIRCUITPY drive (CPython only).

Copies the library modules (smolmidi.py, smolmidi_out.py, smf_lite.py) into the
drive's lib/ folder and, with --example, one example as code.py. It refuses a folder
without boot_out.txt (every CircuitPython drive has one) unless --force is given.
It never deletes a file: a different code.py already on the drive is first renamed
to code.py.bak (code.py.bak1, ... if taken). Files already identical are left
untouched, to spare the flash. Every action is printed.
"""

import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBRARY_MODULES = ("smolmidi.py", "smolmidi_out.py", "smf_lite.py")
EXAMPLES_DIR = os.path.join(ROOT, "examples")
# CircuitPython runs the first of these it finds; code.py loses to code.txt
RUN_ORDER = ("code.txt", "code.py", "main.txt", "main.py")


class DeployError(Exception):
    """The target or an example is not usable; the message says why."""


def find_example(name):
    """Path of an example given as NAME, NAME.py or a path to a .py file."""
    candidates = [name, os.path.join(EXAMPLES_DIR, name), os.path.join(EXAMPLES_DIR, name + ".py")]
    for path in candidates:
        if path.endswith(".py") and os.path.isfile(path):
            return path
    known = sorted(f[:-3] for f in os.listdir(EXAMPLES_DIR) if f.endswith(".py")) \
        if os.path.isdir(EXAMPLES_DIR) else []
    raise DeployError("no example named %r (known: %s)" % (name, ", ".join(known) or "none"))


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


def plan(drive, example=None, force=False):
    """Check the target; return a list of (source, destination) pairs to copy."""
    if not os.path.isdir(drive):
        raise DeployError("%s is not a folder (is the board plugged in and mounted?)" % drive)
    if not force and not os.path.isfile(os.path.join(drive, "boot_out.txt")):
        raise DeployError("%s has no boot_out.txt, so it does not look like a CircuitPython "
                          "drive; use --force to copy anyway" % drive)
    pairs = []
    for name in LIBRARY_MODULES:
        src = os.path.join(ROOT, name)
        if not os.path.isfile(src):
            raise DeployError("library module missing from this checkout: %s" % src)
        pairs.append((src, os.path.join(drive, "lib", name)))
    if example is not None:
        # code.py last: the board restarts as soon as it changes
        pairs.append((find_example(example), os.path.join(drive, "code.py")))
    return pairs


def deploy(drive, example=None, force=False, out=print):
    """Copy the library (and an example as code.py) to drive; return the paths written."""
    pairs = plan(drive, example, force)
    needed = sum(os.path.getsize(src) for src, dst in pairs if not _same(src, dst))
    free = shutil.disk_usage(drive).free
    if needed > free:
        raise DeployError("%s has %d bytes free, the files need %d" % (drive, free, needed))
    written = []
    for src, dst in pairs:
        shown = os.path.relpath(dst, drive)
        if _same(src, dst):
            out("unchanged %s" % shown)
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.basename(dst) == "code.py" and os.path.exists(dst):
            backup = _free_name(dst)
            os.rename(dst, backup)
            out("kept your old code.py as %s" % os.path.relpath(backup, drive))
        shutil.copyfile(src, dst)
        written.append(dst)
        out("copied %s -> %s" % (os.path.relpath(src, ROOT) if src.startswith(ROOT) else src, shown))
    if written and hasattr(os, "sync"):
        os.sync()  # a USB drive may hold writes in the OS cache; the board reads the flash
    if example is not None:
        first = [f for f in RUN_ORDER if os.path.isfile(os.path.join(drive, f))][:1]
        if first and first[0] != "code.py":
            out("note: the board runs %s before code.py; rename or remove it to run the example"
                % first[0])
    return written


def main(drive, example=None, force=False):
    """Command-line entry: return an exit status, errors as one line on stderr."""
    import sys
    try:
        deploy(drive, example, force)
    except (DeployError, OSError) as e:
        print("host_shim deploy: %s" % e, file=sys.stderr)
        return 2
    return 0
