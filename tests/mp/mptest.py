# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Assertions and allocation checks for case files that run on every runtime.

Case files (tests/mp/case_*.py) hold plain `test_*` functions using these helpers;
tests/test_mp_cases.py runs each file on CPython, the MicroPython unix port and the
32-bit MicroPython WebAssembly build, and on boards (python -m host_shim test-board).
Nothing here needs a module CircuitPython or a MicroPython board lacks (no atexit,
traceback, time.ticks_*, long ints): tests/test_mp_cases.py's circuitpython-standin
runtime checks that.
"""

import gc
import sys

# the MicroPython VM, CircuitPython's included: gc.mem_alloc() counts, frames can be heap ones
IS_CIRCUITPYTHON = sys.implementation.name == "circuitpython"
IS_MICROPYTHON = IS_CIRCUITPYTHON or sys.implementation.name == "micropython"
# a microcontroller (sys.platform "rp2", "esp32", "RP2040"...): small heap, flash drive
ON_BOARD = sys.platform not in ("linux", "darwin", "win32", "webassembly")
# ints from 2**30 up are heap objects on 32-bit MicroPython (and on the boards)
IS_32BIT = IS_MICROPYTHON and not sys.maxsize >> 31  # no 1 << 32: a long int itself
try:  # counts every byte ever allocated, frames included: unix port only (not WebAssembly)
    from micropython import mem_total as _mem_total
except (ImportError, AttributeError):
    _mem_total = None
HAS_MEM_TOTAL = _mem_total is not None


class Skip(Exception):
    """Raised by skip(): mprun reports the test as SKIP, not as a pass."""


def skip(reason):
    """End the current test as skipped (not applicable here), saying why."""
    raise Skip(reason)


# What the current test checked, for mprun: real checks (eq/ok/raises) and checks that
# do not apply on this runtime. A test whose every check was n/a is reported as SKIP.
RECORD = {"checks": 0, "na": []}


def not_applicable(what):
    """Record a check that cannot be made on this runtime (the test goes on)."""
    RECORD["na"].append(what)


def _private_tmp():
    # A folder of this run's own, so suites running side by side never share a file.
    import os

    try:
        import atexit
        import shutil
        import tempfile
    except ImportError:  # MicroPython, CircuitPython
        pass
    else:
        path = tempfile.mkdtemp(prefix="smolmidi-")
        atexit.register(shutil.rmtree, path, True)
        return path
    if ON_BOARD:  # one run at a time on a board; its drive has no /tmp (and is /flash on some)
        path = os.getcwd().rstrip("/") + "/smolmidi_tmp"
    else:
        path = "/tmp/smolmidi-%d" % (clock_us() & 0x3FFFFFFF)
    try:
        os.mkdir(path)
    except OSError:
        pass  # there already, the WebAssembly VM's own /tmp, or a read-only drive
    return path


def clock_us():
    """A real clock in microseconds, for timing (wraps on boards: compare differences)."""
    import time

    if hasattr(time, "ticks_us"):  # MicroPython
        return time.ticks_us()
    if hasattr(time, "perf_counter"):  # CPython
        return int(time.perf_counter() * 1000000)
    try:  # CircuitPython: monotonic_ns raises on builds without long ints
        return time.monotonic_ns() // 1000
    except (AttributeError, NotImplementedError):
        import supervisor

        return supervisor.ticks_ms() * 1000


TMP = _private_tmp()


def empty_tmp(path=None):
    """Delete everything under TMP (or path), keeping the folder itself."""
    import os

    path = TMP if path is None else path
    try:
        names = os.listdir(path)
    except OSError:  # never made (a read-only drive)
        return
    for name in names:
        full = path + "/" + name
        if os.stat(full)[0] & 0x4000:  # a directory
            empty_tmp(full)
            os.rmdir(full)
        else:
            os.remove(full)


def eq(got, want, what=""):
    """Fail unless got == want, showing both."""
    RECORD["checks"] += 1
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what or "values differ", got, want))


def ok(cond, what=""):
    """Fail unless cond is true."""
    RECORD["checks"] += 1
    if not cond:
        raise AssertionError(what or "condition is false")


def raises(exc_type, fn, *args, **kwargs):
    """Call fn; fail unless it raises exc_type. Return the exception for further checks."""
    RECORD["checks"] += 1
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        return e
    raise AssertionError("%s did not raise %s" % (getattr(fn, "__name__", fn), exc_type.__name__))


def _run_unmeasured(fn, n, what):
    # CPython: fn still runs n times (its errors surface), but the check is n/a, and
    # eq/ok calls inside fn do not count as checks of the test
    checks = RECORD["checks"]
    for _ in range(n):
        fn()
    RECORD["checks"] = checks
    not_applicable(what)


def alloc(fn, n=10000, what="gc.mem_alloc"):
    """Bytes the heap grew by over n calls of fn() after one warm-up call.

    Returns None on CPython, where the count means nothing (fn is still called n times,
    and the check is recorded as not applicable). The collector is off while measuring
    so a collection cannot hide an allocation.
    """
    fn()
    if not IS_MICROPYTHON:
        _run_unmeasured(fn, n, "allocation (%s)" % what)
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
    what = what or getattr(fn, "__name__", "call")
    got = alloc(fn, n, what)
    if got is not None:
        RECORD["checks"] += 1
    if got:
        raise AssertionError("%s: %d calls allocated %d bytes, want 0" % (what, n, got))
    return got


def no_transient(fn, n=10000, what=""):
    """Fail if n calls of fn() allocate anything, even memory freed at once (a heap
    frame), by micropython.mem_total(); not applicable where that is missing (CPython,
    WebAssembly). Returns the byte count, or None when n/a."""
    what = what or getattr(fn, "__name__", "call")
    fn()
    if _mem_total is None:
        _run_unmeasured(fn, n, "mem_total (%s)" % what)
        return None
    RECORD["checks"] += 1
    before = _mem_total()
    for _ in range(n):
        fn()
    got = _mem_total() - before
    if got:
        raise AssertionError("%s: %d calls allocated %d bytes (freed or not), want 0" % (what, n, got))
    return got


class FakeClock:
    """A clock of small ints that wraps at period; ticks() allocates nothing."""

    def __init__(self, start, period):
        self.now = start
        self.period = period

    def ticks(self):
        return self.now

    def step(self, n):
        self.now = (self.now + n) % self.period
