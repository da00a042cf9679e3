# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_inputs: several MidiIn polled fairly in one call, and receive timestamps.

Inputs(din, usb, ble).receive() returns the next message from any of them, taking
turns so that a busy input never starves the others; `source` is the index of the
one it came from. Stamped(port) stands for a port and records when bytes were read
from it: give it to MidiIn, and after receive() returns a message, `time` is the
ticks_ms (or ticks_us) value at which the read holding its last byte was made.
Nothing here blocks or allocates.
"""


def _default_ticks():
    # ticks_ms: time's on MicroPython, supervisor's on CircuitPython, a stand-in on CPython
    import time

    ticks = getattr(time, "ticks_ms", None)
    if ticks is not None:
        return ticks
    try:
        import supervisor

        return supervisor.ticks_ms
    except ImportError:
        return lambda: int(time.monotonic() * 1000) & 0x3FFFFFFF


class Inputs:
    """Polls MidiIn objects (anything with receive()) in turn; receive() returns a Message
    or None after asking each once. `source`: the index of the message's input."""

    def __init__(self, *inputs):
        if not inputs:
            raise ValueError("inputs must name at least one MidiIn, got none")
        for i in inputs:
            if not callable(getattr(i, "receive", None)):
                raise TypeError("inputs must have receive(), got %r" % (i,))
        self.inputs = inputs
        self._receive = [i.receive for i in inputs]  # bound methods cached: making one allocates
        self._next = 0
        self.source = -1

    def receive(self):
        """The next Message from the input whose turn it is, or None if none has one."""
        i = self._next
        tries = len(self._receive)
        while tries:
            msg = self._receive[i]()
            if msg is not None:
                self.source = i
                self._next = i + 1 if i + 1 < len(self._receive) else 0
                return msg
            i = i + 1 if i + 1 < len(self._receive) else 0
            tries -= 1
        return None


class Stamped:
    """A port that records when its bytes were read: readinto is the port's, and `time`
    is ticks() (default ticks_ms; pass time.ticks_us for microseconds) taken just after
    the last read that returned bytes. Compare times with ticks_diff (time.ticks_diff,
    or adafruit_ticks on CircuitPython): they wrap. any() and in_waiting pass through, so
    MidiIn reads the port in its own way."""

    def __init__(self, port, ticks=None):
        if not hasattr(port, "readinto"):
            raise TypeError("port must have readinto(), got %r" % (port,))
        self.port = port
        self._readinto = port.readinto  # cached bound method
        self._ticks = ticks or _default_ticks()
        self.time = 0
        if hasattr(port, "any"):
            self.any = port.any  # machine.UART: MidiIn asks before it reads

    def __getattr__(self, name):
        if name == "in_waiting":  # pyserial, busio.UART: read each time, never cached
            return self.port.in_waiting
        raise AttributeError(name)

    def readinto(self, buf, nbytes=None):
        """The port's readinto; a read that returns bytes sets `time`."""
        n = self._readinto(buf) if nbytes is None else self._readinto(buf, nbytes)
        if n:
            self.time = self._ticks()
        return n
