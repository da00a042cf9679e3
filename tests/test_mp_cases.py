"""Every case file in tests/mp, run on CPython, MicroPython unix and MicroPython WebAssembly.

One pytest test per case file and runtime, so one command reports everything. A
missing runtime is a failure, not a skip: `make test` installs all three.
"""

import importlib

import pytest

import mprun
import runtimes


@pytest.mark.parametrize("module", runtimes.case_modules())
@pytest.mark.parametrize("runtime", runtimes.RUNTIMES)
def test_case_file(runtime, module, capsys):
    if runtime == "cpython":
        importlib.import_module(module)
        failed = mprun.main(module)
        assert failed == 0, capsys.readouterr().out
        return
    if runtime == "micropython-unix":
        assert runtimes.micropython_command(), "micropython not installed: run make test"
    else:
        assert runtimes.wasm_ready(), "node or the WebAssembly MicroPython is missing: run make test"
    status, output = runtimes.run_case(runtime, module)
    assert status == 0, "%s on %s failed:\n%s" % (module, runtime, output)
    assert "FAIL" not in output, output
