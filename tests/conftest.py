# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Suite-wide setup: tests/mp on sys.path, a runtime header, fresh host_shim per test."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for path in (ROOT, os.path.join(HERE, "mp"), HERE):
    if path not in sys.path:
        sys.path.insert(0, path)

import runtimes  # noqa: E402


def pytest_report_header(config):
    lines = ["runtime cpython: %s" % sys.version.split()[0]]
    mp = runtimes.micropython_command()
    if mp:
        out = subprocess.run(
            [mp, "-c", "import sys; print(sys.version)"], capture_output=True, text=True
        ).stdout.strip()
        lines.append("runtime micropython-unix: %s (%s)" % (out, mp))
    else:
        lines.append("runtime micropython-unix: MISSING")
    lines.append("runtime micropython-wasm: %s" % ("node + npm package" if runtimes.wasm_ready() else "MISSING"))
    return lines


@pytest.fixture(autouse=True)
def fresh_shim():
    """Every test starts with fresh usb_midi ports and the real clock."""
    import host_shim

    host_shim.reset()
    yield
    host_shim.reset()


def pytest_terminal_summary(terminalreporter):
    """Say, per runtime, how many case-file tests passed, were n/a there, or failed."""
    counts = {}
    for outcome in ("passed", "skipped", "failed", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if "test_mp_cases.py::test_case[" not in nodeid:
                continue
            runtime = nodeid.split("[", 1)[1].split("-case_", 1)[0]
            counts.setdefault(runtime, {}).setdefault(outcome, 0)
            counts[runtime][outcome] += 1
    for runtime in runtimes.RUNTIMES:
        got = counts.get(runtime, {})
        terminalreporter.write_line(
            "runtime %s: %d case tests passed, %d not applicable (skipped), %d failed"
            % (runtime, got.get("passed", 0), got.get("skipped", 0), got.get("failed", 0) + got.get("error", 0))
        )
