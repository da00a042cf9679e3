# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for CircuitPython's `usb_midi`: `ports` is (PortIn, PortOut).

PortIn.readinto(buf[, nbytes]) returns the count read, 0 when empty, and never
blocks; its device FIFO holds 128 bytes. PortOut.write(buf) returns the count
accepted: all of it by default, at most `accept` bytes per call when a test sets
it, and 0 while `connected` is False (no USB host). What PortOut accepts is kept in
`written` and passed on to any port joined by host_shim.cable().
"""

from .feed import Feed

FIFO_SIZE = 128  # CFG_TUD_MIDI_RX_BUFSIZE on SAMD and RP2040


class PortIn:
    """USB MIDI input: raw MIDI bytes, non-blocking readinto."""

    def __init__(self, split="all", size=1, gaps=0, seed=1, capacity=FIFO_SIZE):
        self.feed_ = Feed(split=split, size=size, gaps=gaps, seed=seed, capacity=capacity)

    def feed(self, data):
        """Bytes arrive from the USB host (test side)."""
        self.feed_.feed(data)

    @property
    def dropped(self):
        """Bytes that arrived while the FIFO was full."""
        return self.feed_.dropped

    def readinto(self, buf, nbytes=None):
        """Read up to nbytes (default len(buf)) into buf; return the count, 0 if none."""
        if nbytes is None or nbytes > len(buf):
            nbytes = len(buf)
        return self.feed_.take_into(buf, nbytes)

    def read(self, nbytes=None):
        """Read and return bytes (allocates, as on the board); b'' when empty."""
        buf = bytearray(nbytes if nbytes is not None else FIFO_SIZE)
        n = self.readinto(buf)
        return bytes(buf[:n])


class PortOut:
    """USB MIDI output: write returns the count accepted and never blocks."""

    def __init__(self):
        self.written = bytearray()
        self.accept = None
        self.connected = True
        self.writes = 0
        self._sinks = []

    def connect(self, port_in):
        """Feed everything accepted from now on to port_in (a virtual cable)."""
        self._sinks.append(port_in)

    def write(self, buf, nbytes=None):
        """Accept bytes; return how many were taken (may be fewer than given)."""
        self.writes += 1
        n = len(buf) if nbytes is None else min(nbytes, len(buf))
        if not self.connected:
            return 0
        if self.accept is not None and n > self.accept:
            n = self.accept
        chunk = bytes(buf[:n])
        self.written.extend(chunk)
        for sink in self._sinks:
            sink.feed(chunk)
        return n

    def take(self):
        """Return and clear what has been written (test side)."""
        out = bytes(self.written)
        self.written = bytearray()
        return out


ports = (PortIn(), PortOut())


def reset():
    """Fresh ports, as after a reboot."""
    global ports
    ports = (PortIn(), PortOut())
