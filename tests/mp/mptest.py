"""Assertions and allocation checks for case files that run on every runtime.

Case files (tests/mp/case_*.py) hold plain `test_*` functions using these helpers;
tests/test_mp_cases.py runs each file on CPython, the MicroPython unix port and the
32-bit MicroPython WebAssembly build. Nothing here needs anything MicroPython lacks.
"""

import gc
import sys

IS_MICROPYTHON = sys.implementation.name == "micropython"
# ints from 2**30 up are heap objects on 32-bit MicroPython (and on the boards)
IS_32BIT = IS_MICROPYTHON and sys.maxsize < (1 << 32)

def _private_tmp():
    # A folder of this run's own, so suites running side by side never share a file.
    if not IS_MICROPYTHON:
        import atexit
        import shutil
        import tempfile
        path = tempfile.mkdtemp(prefix="smolmidi-")
        atexit.register(shutil.rmtree, path, True)
        return path
    import os
    import time
    path = "/tmp/smolmidi-%d" % (time.ticks_us() & 0x3FFFFFFF)
    try:
        os.mkdir(path)
    except OSError:
        pass  # the WebAssembly VM's /tmp is its own anyway
    return path


TMP = _private_tmp()


def empty_tmp(path=None):
    """Delete everything under TMP (or path), keeping the folder itself."""
    import os
    path = TMP if path is None else path
    for name in os.listdir(path):
        full = path + "/" + name
        if os.stat(full)[0] & 0x4000:  # a directory
            empty_tmp(full)
            os.rmdir(full)
        else:
            os.remove(full)


def eq(got, want, what=""):
    """Fail unless got == want, showing both."""
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what or "values differ", got, want))


def ok(cond, what=""):
    """Fail unless cond is true."""
    if not cond:
        raise AssertionError(what or "condition is false")


def raises(exc_type, fn, *args, **kwargs):
    """Call fn; fail unless it raises exc_type. Return the exception for further checks."""
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        return e
    raise AssertionError("%s did not raise %s" % (getattr(fn, "__name__", fn), exc_type.__name__))


def alloc(fn, n=10000):
    """Bytes the heap grew by over n calls of fn() after one warm-up call.

    Returns None on CPython, where the count means nothing (fn is still called n times).
    The collector is off while measuring so a collection cannot hide an allocation.
    """
    fn()
    if not IS_MICROPYTHON:
        for _ in range(n):
            fn()
        return None
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        for _ in range(n):
            fn()
        return gc.mem_alloc() - before
    finally:
        gc.enable()


class NullPort:
    """An output port that takes everything, counts the bytes and allocates nothing."""

    def __init__(self):
        self.count = 0

    def write(self, buf):
        self.count += len(buf)
        return len(buf)


def no_alloc(fn, n=10000, what=""):
    """Fail if n calls of fn() allocate anything on MicroPython; return the byte count."""
    got = alloc(fn, n)
    if got:
        raise AssertionError("%s: %d calls allocated %d bytes, want 0"
                             % (what or getattr(fn, "__name__", "call"), n, got))
    return got
