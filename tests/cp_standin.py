# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Makes the MicroPython unix port look like CircuitPython to what it imports next.

tests/runtimes.py's circuitpython-standin runtime imports this before mprun, so every
case file and its helpers run on the MicroPython VM (which CircuitPython is) with
CircuitPython's module surface: sys.implementation.name "circuitpython", a
`supervisor` with ticks_ms(), a `time` without ticks_* (monotonic_ns is there: it is
on every build with long ints), a `micropython` with only const, and sys, os and gc
cut down to the names CircuitPython 9/10 documents (its `sys`, `os`, `time`, `gc` and
`micropython` pages; circuitpython-stubs carries supervisor, micropython, atexit and
traceback). atexit and traceback are absent, as on builds without them. A name
outside these lists is missing, as it would be on a board.
Only what runs after this import sees the stand-ins.
"""

import gc as _gc
import os as _os
import sys as _sys
import time as _time

# what each stand-in module has (tests/test_cp_standin.py reads this with ast)
NAMES = {
    "sys": (
        "argv",
        "byteorder",
        "exit",
        "implementation",
        "maxsize",
        "modules",
        "path",
        "platform",
        "print_exception",
        "stderr",
        "stdin",
        "stdout",
        "version",
        "version_info",
    ),
    "os": (
        "chdir",
        "getcwd",
        "getenv",
        "listdir",
        "mkdir",
        "remove",
        "rename",
        "rmdir",
        "sep",
        "stat",
        "statvfs",
        "sync",
        "uname",
        "unlink",
        "urandom",
        "utime",
    ),
    "gc": ("collect", "disable", "enable", "isenabled", "mem_alloc", "mem_free", "threshold"),
    "time": ("monotonic", "monotonic_ns", "sleep", "time", "localtime", "mktime", "struct_time"),
    "micropython": ("const",),
    "supervisor": ("ticks_ms",),
}


def _module(name, names, *sources):
    """A real module object holding the names given, each from the first of `sources`
    that has it (a missing name then fails as it does on a board: AttributeError, or
    ImportError for `from name import x`)."""
    __import__("cp_standin_module")  # an empty file: a fresh module object each time
    module = _sys.modules.pop("cp_standin_module")
    for attr in names:
        for source in sources:
            if hasattr(source, attr):
                setattr(module, attr, getattr(source, attr))
                break
    module.__name__ = name
    return module


class _Implementation:
    name = "circuitpython"
    version = (10, 0, 0)
    _machine = "CircuitPython stand-in on the MicroPython unix port"
    _mpy = 0


class _Extra:
    """Names CircuitPython has that the unix port lacks."""

    implementation = _Implementation()

    @staticmethod
    def monotonic():
        return _time.ticks_us() / 1000000

    @staticmethod
    def monotonic_ns():
        return _time.ticks_us() * 1000

    @staticmethod
    def const(x):
        return x


_START_MS = _time.ticks_ms()


class _Supervisor:
    @staticmethod
    def ticks_ms():
        # as on a board: wraps at 2**29 ms, first wrap 65.536 s after start
        return (_time.ticks_ms() - _START_MS - 65536) & 0x1FFFFFFF


for _absent in ("atexit", "traceback", "supervisor", "tempfile", "shutil"):
    if _absent in _sys.modules:
        raise RuntimeError(_absent + " is already imported: import cp_standin first")

_SOURCES = {
    "sys": (_Extra, _sys),
    "os": (_os,),
    "gc": (_gc,),
    "time": (_Extra, _time),
    "micropython": (_Extra,),
    "supervisor": (_Supervisor,),
}
for _name in NAMES:
    _sys.modules[_name] = _module(_name, NAMES[_name], *_SOURCES[_name])
