# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""CPython stand-in for the `micropython` module, for peers that import it unconditionally (tmidi)."""


def const(value):
    """Return value unchanged."""
    return value
