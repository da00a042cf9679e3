"""Stand-in for the `micropython` module on CPython: only `const`, as on CircuitPython."""


def const(value):
    """Return value unchanged: MicroPython folds it at compile time, CPython needs nothing."""
    return value
