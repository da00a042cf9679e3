# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Each core module imports on its own, on every runtime. (That none imports another or
host_shim is checked in fresh interpreters by tests/test_core_imports.py.)"""

from mptest import ok

CORE = ("smolmidi", "smolmidi_out", "smf_lite")


def test_product_modules_import():
    for name in CORE:
        module = __import__(name)
        version = module.__version__
        parts = version.split(".")
        ok(len(parts) == 3 and all(p.isdigit() for p in parts), "%s.__version__ %r" % (name, version))
