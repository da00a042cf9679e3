# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""A core module never imports another core module or host_shim (DESIGN section 1): all
nine rules, each checked by importing one core module alone in a fresh interpreter, on
CPython and on the MicroPython unix port, and looking at sys.modules afterwards."""

import os
import subprocess
import sys

import pytest

import runtimes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = ("smolmidi", "smolmidi_out", "smf_lite")
FORBIDDEN = CORE + ("host_shim",)

CODE = """import sys
sys.path.insert(0, %r)
import %s
print(sorted(k for k in sys.modules if k.split('.')[0] in %r))
"""


def loaded_after_import(runtime, module):
    """Our modules (and host_shim's) present in sys.modules after `import module` alone."""
    code = CODE % (ROOT, module, FORBIDDEN)
    if runtime == "cpython":
        cmd = [sys.executable, "-I", "-c", code]
    else:
        cmd = [runtimes.micropython_command(), "-c", code]
    proc = subprocess.run(cmd, cwd="/", capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return eval(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("runtime", ["cpython", "micropython-unix"])
@pytest.mark.parametrize("module", CORE)
def test_a_core_module_imports_no_other_core_module_nor_host_shim(runtime, module):
    loaded = loaded_after_import(runtime, module)
    assert module in loaded, loaded  # the check sees what it looks for
    for other in FORBIDDEN:
        if other != module:
            assert not [k for k in loaded if k.split(".")[0] == other], "%s imports %s on %s: %s" % (
                module,
                other,
                runtime,
                loaded,
            )


def test_the_check_sees_an_import_of_host_shim():
    assert "host_shim" in loaded_after_import("cpython", "host_shim.feed")
