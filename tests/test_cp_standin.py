# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The circuitpython-standin runtime (tests/cp_standin.py) looks like CircuitPython and
catches what CircuitPython lacks; its names agree with circuitpython-stubs."""

import ast
import os
import re
import site

import pytest

import runtimes


def standin_names():
    """cp_standin.NAMES, read without importing it (it would replace CPython's sys)."""
    with open(os.path.join(runtimes.ROOT, "tests", "cp_standin.py")) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "NAMES":
            return ast.literal_eval(node.value)
    raise AssertionError("no NAMES in cp_standin.py")


def run(body):
    source = "from mptest import ok\ndef test_it():\n" + "".join("    %s\n" % line for line in body.split("\n"))
    return runtimes.run_source("circuitpython-standin", source)


def test_it_looks_like_circuitpython():
    status, out = run("""import sys, time, micropython, supervisor, mptest
ok(sys.implementation.name == "circuitpython", sys.implementation.name)
ok(mptest.IS_CIRCUITPYTHON and mptest.IS_MICROPYTHON and not mptest.ON_BOARD)
ok(not hasattr(time, "ticks_us") and not hasattr(time, "ticks_ms") and hasattr(time, "monotonic_ns"))
t = supervisor.ticks_ms()
ok(0 <= t < (1 << 29), t)
ok(micropython.const(3) == 3)
for name in ("atexit", "traceback", "tempfile", "shutil"):
    try:
        __import__(name)
    except ImportError:
        pass
    else:
        ok(False, name + " imported")
try:
    from micropython import mem_total
except ImportError:
    pass
else:
    ok(False, "mem_total imported")
import gc
ok(gc.mem_alloc() > 0, "gc.mem_alloc() works: the VM is MicroPython's")""")
    assert status == 0 and "PASS _snippet_tmp.test_it" in out, out


@pytest.mark.parametrize(
    "use",
    [
        "time.ticks_us()",
        "time.ticks_ms()",
        "sys.settrace",
        "os.system",
        "gc.mem_total()",
        "micropython.mem_info()",
        "__import__('atexit')",
    ],
)
def test_what_circuitpython_lacks_fails(use):
    status, out = run("import gc, os, sys, time, micropython\n" + use)
    assert status != 0 and "FAIL _snippet_tmp.test_it" in out, out


TOP_NAME = re.compile(r"^(?:def|class)\s+(\w+)|^(\w+)\s*[:=]", re.M)


def _stub_names(module):
    # top-level names found by pattern: the stubs use syntax newer than this CPython (def f[T])
    for root in site.getsitepackages():
        path = os.path.join(root, module + "-stubs", "__init__.pyi")
        if os.path.exists(path):
            with open(path) as f:
                return {a or b for a, b in TOP_NAME.findall(f.read())}
    pytest.fail("circuitpython-stubs is not installed (make test installs it)")


@pytest.mark.parametrize("module", ["supervisor", "micropython"])
def test_stand_in_names_are_circuitpythons(module):
    """Every name the stand-in gives these modules is in circuitpython-stubs (which
    has no stubs for sys, os, gc or time: those lists follow CircuitPython's docs)."""
    got = set(standin_names()[module])
    assert got <= _stub_names(module), got - _stub_names(module)


def test_host_shim_supervisor_offers_only_circuitpythons_names():
    import host_shim.supervisor as ours

    public = {n for n in dir(ours) if not n.startswith("_") and n != "clock"}
    assert public <= _stub_names("supervisor"), public - _stub_names("supervisor")


def test_atexit_and_traceback_are_optional_on_circuitpython():
    """They are in the stubs (full builds have them), so code must fall back when missing."""
    assert "register" in _stub_names("atexit") and "print_exception" in _stub_names("traceback")
