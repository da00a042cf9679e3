# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Scripted input: bytes waiting in a fake port, handed out in a chosen split.

A Feed holds the bytes that have "arrived" at a port and decides how many each read
may take, so tests can replay one stream in every way a real port might deliver it:

    split="all"     everything waiting, up to the reader's buffer
    split="byte"    one byte per read
    split="fixed"   `size` bytes per read
    split="random"  1..size bytes per read from a seeded generator (same on every runtime)
    gaps=N          N empty reads before each non-empty one ("random": 0..N of them)

`capacity` bounds what may wait (a device FIFO or UART receive buffer); bytes that
arrive when it is full are dropped and counted in `dropped`, newest first, as on
RP2040. Reads copy with an index loop so a read allocates nothing on MicroPython.
"""

SPLITS = ("all", "byte", "fixed", "random")


class Feed:
    """Bytes waiting to be read, and the rule for how many each read gets."""

    def __init__(self, data=b"", split="all", size=1, gaps=0, seed=1, capacity=None):
        if split not in SPLITS:
            raise ValueError("split must be one of %s, got %r" % (SPLITS, split))
        if size < 1:
            raise ValueError("size must be >= 1, got %r" % (size,))
        self.split = split
        self.size = size
        self.gaps = gaps
        self.capacity = capacity
        self.dropped = 0
        self.reads = 0
        self.empty_reads = 0
        self._data = bytearray()
        self._pos = 0
        self._gap_left = 0
        self._rand = (seed % 65536) or 1
        if gaps and split != "random":
            self._gap_left = gaps
        elif gaps:
            self._gap_left = self._next(gaps + 1)
        self.feed(data)

    def _next(self, n):
        # 16-bit LCG: the same splits on CPython and 32-bit MicroPython, small ints only
        self._rand = (self._rand * 75 + 74) % 65537
        return self._rand % n

    def waiting(self):
        """Number of bytes waiting."""
        return len(self._data) - self._pos

    def feed(self, data):
        """Bytes arrive; past `capacity` they are dropped and counted."""
        if self._pos and self._pos == len(self._data):
            self._data = bytearray()
            self._pos = 0
        room = len(data)
        if self.capacity is not None:
            room = min(room, self.capacity - self.waiting())
            if room < 0:
                room = 0
        self._data.extend(data[:room] if room < len(data) else data)
        self.dropped += len(data) - room

    def discard(self):
        """Drop everything waiting (not counted as dropped)."""
        self._data = bytearray()
        self._pos = 0

    def take_into(self, buf, nbytes):
        """Copy this read's share (at most nbytes) into buf; return the count (0 if none)."""
        self.reads += 1
        waiting = len(self._data) - self._pos
        if waiting == 0:
            self.empty_reads += 1
            return 0
        if self._gap_left:
            self._gap_left -= 1
            self.empty_reads += 1
            return 0
        split = self.split
        if split == "all":
            n = waiting
        elif split == "byte":
            n = 1
        elif split == "fixed":
            n = self.size
        else:
            n = 1 + self._next(self.size)
        if n > waiting:
            n = waiting
        if n > nbytes:
            n = nbytes
        data = self._data
        pos = self._pos
        for i in range(n):  # index loop: a slice here would allocate on MicroPython
            buf[i] = data[pos + i]
        self._pos = pos + n
        if self.gaps:
            self._gap_left = self.gaps if split != "random" else self._next(self.gaps + 1)
        return n

    def take_exact(self, buf, n):
        """Copy exactly n waiting bytes into buf, ignoring split and gaps (the caller checked)."""
        self.reads += 1
        data = self._data
        pos = self._pos
        for i in range(n):
            buf[i] = data[pos + i]
        self._pos = pos + n
        return n


class Capture:
    """What a fake port transmitted: `written` (bytes kept), `count` (all bytes), take().

    keep=False counts only, so a write allocates nothing (for allocation checks).
    Ports joined with connect() get each write fed to them (a virtual cable).
    """

    def __init__(self, keep=True):
        self.written = bytearray()
        self.count = 0
        self.writes = 0
        self.keep = keep
        self.sinks = []

    def connect(self, port_in):
        """Feed everything sent from now on to port_in."""
        self.sinks.append(port_in)

    def put(self, buf, n):
        """Record the first n bytes of buf (index loop; allocates only to keep them)."""
        self.writes += 1
        self.count += n
        if self.keep:
            w = self.written
            for i in range(n):
                w.append(buf[i])
        if self.sinks:
            chunk = bytes(buf[:n]) if n < len(buf) else bytes(buf)
            for sink in self.sinks:
                sink.feed(chunk)

    def take(self):
        """Return and clear what has been kept (test side)."""
        out = bytes(self.written)
        self.written = bytearray()
        return out
