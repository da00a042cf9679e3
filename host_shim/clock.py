# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The clock behind supervisor.ticks_ms(): real by default, virtual when a test asks.

Virtual time is a count of microseconds that only moves when told to (`advance_ms`,
`advance_us`, `set_ms`), or by `step_us` on every read when `autostep` is set (used
by the runner so a busy-waiting program still sees time pass). `set_ms(2**29 - 5)`
starts just before supervisor.ticks_ms() wraps.
"""

import sys
import time

if sys.implementation.name == "circuitpython":  # its own, taken before install() hides it
    import supervisor as _board_supervisor

TICKS_PERIOD = 1 << 29  # supervisor.ticks_ms() wraps here (CircuitPython)
TICKS_MAX = TICKS_PERIOD - 1

_virtual = False
_now_us = 0
_autostep_us = 0


def reset():
    """Back to the real clock."""
    global _virtual, _now_us, _autostep_us
    _virtual = False
    _now_us = 0
    _autostep_us = 0


def use_virtual(start_ms=0, autostep_us=0):
    """Switch to virtual time starting at start_ms; optionally advance on every read."""
    global _virtual, _now_us, _autostep_us
    _virtual = True
    _now_us = start_ms * 1000
    _autostep_us = autostep_us


def is_virtual():
    """True when time only moves when told to."""
    return _virtual


def set_ms(ms):
    """Set virtual time (switching to the virtual clock if needed)."""
    global _virtual, _now_us
    _virtual = True
    _now_us = ms * 1000


def advance_us(us):
    """Move virtual time forward by us microseconds."""
    global _now_us
    if not _virtual:
        raise RuntimeError("advance needs the virtual clock: call clock.use_virtual() first")
    _now_us += us


def advance_ms(ms):
    """Move virtual time forward by ms milliseconds."""
    advance_us(ms * 1000)


def sleep(seconds):
    """time.sleep on the virtual clock: advance instead of waiting."""
    if _virtual:
        advance_us(int(seconds * 1000000))
    else:
        time.sleep(seconds)


def now_us():
    """Microseconds since the clock started (not wrapped)."""
    global _now_us
    if _virtual:
        _now_us += _autostep_us
        return _now_us
    if hasattr(time, "ticks_us"):
        return _real_us_micropython()
    if sys.implementation.name == "circuitpython":
        return _real_us_circuitpython()
    return time.monotonic_ns() // 1000


_mp_last = None
_mp_total = 0


def _real_us_micropython():
    # ticks_us wraps on MicroPython; accumulate differences into an unwrapped count
    global _mp_last, _mp_total
    t = time.ticks_us()
    if _mp_last is not None:
        _mp_total += time.ticks_diff(t, _mp_last)
    _mp_last = t
    return _mp_total


def _real_us_circuitpython():
    # supervisor.ticks_ms wraps at 2**29 ms (time.monotonic_ns gives long ints, and
    # raises on builds without them)
    global _mp_last, _mp_total
    t = _board_supervisor.ticks_ms()
    if _mp_last is not None:
        _mp_total += ((t - _mp_last) & TICKS_MAX) * 1000
    _mp_last = t
    return _mp_total


def ticks_ms():
    """Milliseconds, wrapping at 2**29 like CircuitPython's supervisor.ticks_ms()."""
    return (now_us() // 1000) & TICKS_MAX
