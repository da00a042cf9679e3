# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Runs an examples/*.py program under host_shim with scripted input, on any runtime.

The examples are plain CircuitPython `code.py` programs that loop forever. This runs
one with host_shim's stand-ins, a virtual clock, scripted input at given times, and
ends it: once every scripted input has been read and the program has polled its
ports `idle_polls` more times (as `python -m host_shim run` does), or when virtual
time reaches `until_ms`. It returns what the program printed and sent:

    r = exrun.run("usb_monitor", usb=[(0, b"\\x90\\x3c\\x64")])
    r.lines            # printed lines
    r.usb              # bytes written to usb_midi.ports[1]; r.usb_log: (ms, bytes) each write
    r.uarts[0].take()  # bytes written to the first busio.UART the program opened

Times are whole milliseconds, or microseconds from every(): no float arithmetic on
large times (a board's single-precision float steps by 32 ms near 2**29 ms).
Time is virtual: each read of a port costs `poll_us` microseconds, `time.sleep`
advances the clock, and supervisor.ticks_ms / time.monotonic read it. Scripted input
is a list of (ms, bytes) for usb_midi.ports[0] (`usb`) or for every UART the program
opens (`din`), and `events` a list of (ms, function) run when their time comes (to
turn a knob, press a button). Works on CPython, MicroPython unix and WebAssembly.
"""

import os
import sys

import host_shim
from host_shim import busio, clock, digitalio, supervisor, usb_midi


class Stop(BaseException):
    """Ends the program: its input is used up or its time is over (not an Exception,
    so an example's own `except` clauses cannot swallow it)."""


class Result:
    """What a run printed and sent."""

    def __init__(self, text, usb, uarts, now_ms, timed_out, pins, usb_log):
        self.text = text
        self.usb_log = usb_log  # (ms, bytes) of each write to usb_midi.ports[1]
        self.pins = pins  # digitalio outputs: pin name -> every value written
        self.lines = [line for line in text.split("\n") if line]
        self.usb = usb
        self.uarts = uarts
        self.now_ms = now_ms
        self.timed_out = timed_out


class _Run:
    def __init__(self, usb, din, events, idle_polls, until_ms, poll_us):
        self.schedule = []  # (us, kind, payload), kept sorted by time, then order given
        for ms, data in usb:
            self.schedule.append((_us(ms), "usb", data))
        for ms, data in din:
            self.schedule.append((_us(ms), "din", data))
        for ms, fn in events:
            self.schedule.append((_us(ms), "call", fn))
        order = list(range(len(self.schedule)))
        order.sort(key=lambda i: (self.schedule[i][0], i))
        self.schedule = [self.schedule[i] for i in order]
        self.next = 0
        self.idle_polls = idle_polls
        self.until_ms = until_ms
        self.poll_us = poll_us
        self.idle = 0
        self.port_in = None
        self.uarts = []
        self.din_sent = []  # din input delivered so far (for UARTs opened later)
        self.usb_log = []  # (ms, bytes) for each write to usb_midi.ports[1]
        self.timed_out = False

    def now_ms(self):
        return clock.now_us() // 1000

    def pump(self):
        """Deliver every scripted input whose time has come; stop when time is over."""
        now = clock.now_us()
        if self.until_ms is not None and now >= self.until_ms * 1000:
            self.timed_out = True
            raise Stop()
        schedule = self.schedule
        while self.next < len(schedule) and schedule[self.next][0] <= now:
            us, kind, payload = schedule[self.next]
            self.next += 1
            if kind == "usb":
                self.port_in.feed(payload)
            elif kind == "din":
                self.din_sent.append(payload)
                for uart in self.uarts:
                    uart.feed(payload)
            else:
                payload()

    def waiting(self):
        if self.port_in.feed_.waiting():
            return True
        for uart in self.uarts:
            if uart.feed_.waiting():
                return True
        return False

    def polled(self, n):
        """A port was read; n is what it returned. Apply the stop rule."""
        if n:
            self.idle = 0
            return
        if self.next < len(self.schedule) or self.waiting():
            return
        self.idle += 1
        if self.until_ms is None and self.idle > self.idle_polls:
            raise Stop()


_run = None


class _PortIn(usb_midi.PortIn):
    def __init__(self):
        super().__init__(capacity=None)  # scripted input waits for the program, never dropped

    def readinto(self, buf, nbytes=None):
        clock.advance_us(_run.poll_us)
        _run.pump()
        n = super().readinto(buf, nbytes)
        _run.polled(n)
        return n


class _PortOut(usb_midi.PortOut):
    def write(self, buf, nbytes=None):
        n = super().write(buf, nbytes)
        if n:
            _run.usb_log.append((clock.now_us() // 1000, bytes(buf[:n])))
        return n


class _UART(busio.UART):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed_.capacity = None
        _run.uarts.append(self)
        for data in _run.din_sent:
            self.feed(data)

    def readinto(self, buf):
        clock.advance_us(_run.poll_us)
        _run.pump()
        n = super().readinto(buf)
        _run.polled(n)
        return n


def _pump():
    if _run is not None:  # a module that kept a reference after its run just reads the clock
        _run.pump()


class _Time:
    """The `time` module the program sees: sleep and monotonic on the virtual clock."""

    def sleep(self, seconds):
        clock.sleep(seconds)
        _pump()

    def monotonic(self):
        _pump()
        return clock.now_us() / 1000000

    def monotonic_ns(self):
        _pump()
        return clock.now_us() * 1000


def _ticks_ms():
    _pump()
    return clock.ticks_ms()


# imported afresh inside each run, so they bind the stand-ins and the virtual clock
PRODUCT_MODULES = (
    "smolmidi",
    "smolmidi_out",
    "smf_lite",
    "smolmidi_notes",
    "smolmidi_control",
    "smolmidi_thru",
    "smf_extras",
)


def example_path(name):
    """Where examples/<name>.py is, whichever runtime this is."""
    for root in sys.path:
        path = (root or ".") + "/examples/" + name + ".py"
        try:
            os.stat(path)
            return path
        except OSError:
            pass
    raise OSError("examples/%s.py not found on sys.path" % name)


def run(name, usb=(), din=(), events=(), idle_polls=200, until_ms=None, poll_us=200, start_ms=0, cwd=None, settings=()):
    """Run examples/<name>.py to its end under test; return a Result.

    settings: (old line, new line) pairs, each replacing one line of the program's
    settings block, as a maker edits it (`("MODE = \"up\"", "MODE = \"down\"")`).
    """
    global _run
    host_shim.reset()
    host_shim.install()
    clock.use_virtual(start_ms)
    r = _run = _Run(usb, din, events, idle_polls, until_ms, poll_us)
    r.port_in = _PortIn()
    usb_midi.ports = (r.port_in, _PortOut())
    saved_uart = busio.UART
    saved_ticks = supervisor.ticks_ms
    saved_time = sys.modules.get("time")
    busio.UART = _UART
    supervisor.ticks_ms = _ticks_ms
    sys.modules["time"] = _Time()
    saved_modules = {}
    for module in PRODUCT_MODULES:
        if module in sys.modules:
            saved_modules[module] = sys.modules.pop(module)
    printed = []

    def fake_print(*args, **kwargs):
        printed.append(kwargs.get("sep", " ").join([str(a) for a in args]))
        printed.append(kwargs.get("end", "\n"))

    path = example_path(name)
    with open(path) as f:
        source = f.read()
    for old, new in settings:
        if old not in source:
            raise ValueError("%s.py has no %r to change" % (name, old))
        source = source.replace(old, new, 1)
    old_cwd = None
    if cwd is not None:
        old_cwd = os.getcwd()
        os.chdir(cwd)
    try:
        r.pump()
        exec(source, {"__name__": "__main__", "__file__": path, "print": fake_print})
    except Stop:
        pass
    finally:
        _run = None
        busio.UART = saved_uart
        supervisor.ticks_ms = saved_ticks
        if saved_time is None:
            del sys.modules["time"]
        else:
            sys.modules["time"] = saved_time
        if old_cwd is not None:
            os.chdir(old_cwd)
        for module in PRODUCT_MODULES:
            sys.modules.pop(module, None)
        sys.modules.update(saved_modules)
    pins = {}
    for key in digitalio._outputs:
        pins[key] = list(digitalio._outputs[key])
    result = Result("".join(printed), usb_midi.ports[1].take(), r.uarts, r.now_ms(), r.timed_out, pins, r.usb_log)
    host_shim.reset()
    return result


class Us:
    """A scripted time in microseconds (every() gives these)."""

    def __init__(self, us):
        self.us = us


def _us(ms):
    # whole ms (any size, exact), Us, or a small float ms
    if isinstance(ms, Us):
        return ms.us
    if isinstance(ms, int):
        return ms * 1000
    return int(ms * 1000)


def every(start_ms, step_us, count, data):
    """[(time, data)] for count repeats of data, step_us microseconds apart (a float step
    is fine: only i * step_us, a small product, is ever a float)."""
    return [(Us(start_ms * 1000 + int(i * step_us)), data) for i in range(count)]
