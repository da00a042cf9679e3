# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Every case file in tests/mp, run on CPython, MicroPython unix and MicroPython WebAssembly,
and on the unix port dressed as CircuitPython (circuitpython-standin: tests/cp_standin.py).

Each case file runs once per runtime (mprun prints one line per test); each of its
test_* functions is then one pytest item per runtime, so a check that does not apply
on a runtime (allocation on CPython, mem_total on WebAssembly: see mptest) shows as
skipped there instead of as a pass. One more item per file and runtime checks the run
as a whole (the VM did not die, every test reported) and lists, as a skip, the n/a
checks inside tests that passed on their other checks. A missing runtime is a failure,
not a skip: `make test` installs all three.
"""

import ast
import contextlib
import importlib
import io
import os

import pytest

import mprun
import runtimes

WHOLE = "(whole file)"
_runs = {}


def names_in(module):
    """The test_* names a case file defines or imports at top level, from its source."""
    with open(os.path.join(runtimes.CASES, module + ".py")) as f:
        tree = ast.parse(f.read())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return sorted(n for n in names if n.startswith("test_"))


def _params():
    params = []
    for module in runtimes.case_modules():
        for runtime in runtimes.RUNTIMES:
            for name in names_in(module) + [WHOLE]:
                params.append(pytest.param(runtime, module, name, id="%s-%s.%s" % (runtime, module, name)))
    return params


def parse(output):
    """{test name: (status, detail)} from mprun's lines; a FAIL's detail is its traceback."""
    results, current = {}, None
    for line in output.splitlines():
        word, _, rest = line.partition(" ")
        if word in ("PASS", "SKIP", "FAIL") and "." in rest.split(":")[0]:
            label, _, detail = rest.partition(": ") if word == "SKIP" else rest.partition(" ")
            name = label.split(".", 1)[1]
            current = name if word == "FAIL" else None
            results[name] = (word, detail)
        elif current is not None:
            status, detail = results[current]
            results[current] = (status, detail + line + "\n")
    return results


def run_file(runtime, module):
    """(exit status, output) of one case file on one runtime, run once and kept."""
    key = (runtime, module)
    if key not in _runs:
        if runtime == "cpython":
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                importlib.import_module(module)
                failed = mprun.main(module)
            _runs[key] = (1 if failed else 0, out.getvalue())
        else:
            if runtime in ("micropython-unix", "circuitpython-standin"):
                assert runtimes.micropython_command(), "micropython not installed: run make test"
            else:
                assert runtimes.wasm_ready(), "node or the WebAssembly MicroPython is missing: run make test"
            _runs[key] = runtimes.run_case(runtime, module)
    return _runs[key]


@pytest.mark.parametrize("runtime, module, name", _params())
def test_case(runtime, module, name):
    status, output = run_file(runtime, module)
    results = parse(output)
    if name == WHOLE:
        missing = sorted(set(names_in(module)) - set(results))
        extra = sorted(set(results) - set(names_in(module)))
        assert not missing and not extra, "%s on %s: tests not reported %s, unexpected %s:\n%s" % (
            module,
            runtime,
            missing,
            extra,
            output,
        )
        failed = [n for n, (s, _) in results.items() if s == "FAIL"]
        assert status == 0 or failed, "%s on %s exited with %s:\n%s" % (module, runtime, status, output)
        na = ["%s %s" % (n, d) for n, (s, d) in sorted(results.items()) if s == "PASS" and d.startswith("[n/a")]
        if na:
            pytest.skip("checks not applicable on %s inside passing tests: %s" % (runtime, "; ".join(na)))
        return
    assert name in results, "%s.%s on %s was not reported (the run died?):\n%s" % (module, name, runtime, output)
    word, detail = results[name]
    if word == "SKIP":
        pytest.skip(detail)
    assert word == "PASS", "%s.%s on %s failed:\n%s" % (module, name, runtime, detail)
