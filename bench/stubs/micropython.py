"""CPython stand-in for the `micropython` module, for peers that import it unconditionally (tmidi)."""


def const(value):
    """Return value unchanged."""
    return value
