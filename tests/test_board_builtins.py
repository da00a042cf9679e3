# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Product modules use nothing SAMD21 CircuitPython builds lack (what a scan can see).

Such builds have no bytes.decode (str(raw, "utf-8") works) and no long ints; the long
ints are tests/test_longint.py's. This scan reads the source: it catches a `.decode(` call
on anything, which is stricter than needed, and cannot see a method looked up by getattr.
"""

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRODUCT = sorted(f for f in os.listdir(ROOT) if f.endswith(".py") and f not in ("setup.py", "conftest.py"))


@pytest.mark.parametrize("name", PRODUCT)
def test_no_bytes_decode(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    calls = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "decode"]
    assert not calls, "%s calls .decode() at lines %s: missing on SAMD21 builds, use str(raw, 'utf-8')" % (name, calls)


def test_the_scan_sees_a_decode_call():
    tree = ast.parse("def text(raw):\n    return raw.decode('utf-8')\n")
    assert any(isinstance(n, ast.Attribute) and n.attr == "decode" for n in ast.walk(tree))
