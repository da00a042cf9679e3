# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for the `micropython` module on CPython: only `const`, as on CircuitPython."""


def const(value):
    """Return value unchanged: MicroPython folds it at compile time, CPython needs nothing."""
    return value
