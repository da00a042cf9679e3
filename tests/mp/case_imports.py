"""Each product module imports on its own, on every runtime."""

import sys

from mptest import eq, ok


def test_product_modules_import():
    for name in ("smolmidi", "smolmidi_out", "smf_lite"):
        module = __import__(name)
        eq(module.__version__, "0.1.0", name)


def test_runtime_is_named():
    ok(sys.implementation.name in ("cpython", "micropython"))
