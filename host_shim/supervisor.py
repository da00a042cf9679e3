# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for CircuitPython's `supervisor`: ticks_ms() on host_shim's clock."""

from . import clock

runtime = None  # CircuitPython's supervisor.runtime; programs rarely need it here


def ticks_ms():
    """Milliseconds since start, wrapping at 2**29 (first wrap 65.5 s in, as on a board)."""
    return clock.ticks_ms()


def reload():
    """On a board this restarts code.py; here it ends the program."""
    raise SystemExit(0)
