# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_clockgen: send MIDI clock (24 PPQN) and transport from a main loop.

ClockGenerator(port) writes CLOCK bytes to any port with write(buf) (usb_midi, a UART,
a MidiOut) at a tempo with hundredths of a BPM. Each clock's due time counts from the
start in whole clock ticks plus a carried remainder, so nothing drifts, however long
it runs; all of it is small ints, wrap-safe on supervisor.ticks_ms and time.ticks_us.
update() sends what is due and returns at once; it allocates nothing.
"""

CLOCK = b"\xf8"
START = b"\xfa"
CONTINUE = b"\xfb"
STOP = b"\xfc"


def _default_clock():
    # (ticks function, ticks per ms, mask), as smf_lite's Player picks them
    try:
        import supervisor

        return supervisor.ticks_ms, 1, 0x1FFFFFFF
    except ImportError:
        pass
    import time

    if hasattr(time, "ticks_us"):
        return time.ticks_us, 1000, getattr(time, "ticks_add")(0, -1)

    def monotonic_us():
        return (time.monotonic_ns() // 1000) & 0x3FFFFFFF

    return monotonic_us, 1000, 0x3FFFFFFF


def bpm100_of(bpm):
    """Tempo x 100 from an int (whole BPM), a str such as "120.25", or a float."""
    if isinstance(bpm, str):
        dot = bpm.find(".")  # (not partition: missing on small CircuitPython builds)
        whole, frac = (bpm, "") if dot < 0 else (bpm[:dot], bpm[dot + 1 :])
        if not (whole.isdigit() and (frac.isdigit() or not frac) and len(frac) <= 2):
            raise ValueError("bpm must look like 120 or 120.25, got %r" % (bpm,))
        n = int(whole) * 100 + int((frac + "00")[:2])
    elif isinstance(bpm, int):
        n = bpm * 100
    elif isinstance(bpm, float):
        n = int(bpm * 100 + 0.5)
    else:
        raise TypeError("bpm must be an int, str or float, got %r" % (bpm,))
    if not 100 <= n <= 99999:
        raise ValueError("bpm must be 1-999.99, got %r" % (bpm,))
    return n


class ClockGenerator:
    """Sends CLOCK at a tempo; start(), stop(), continue_(), song_position().

    ClockGenerator(port, bpm=120, ticks_ms=None, ticks_us=None, mask=None): the clock
    is supervisor.ticks_ms on CircuitPython, time.ticks_us on MicroPython, or the
    function given (mask: where it wraps, less one; default 2**29 - 1 for ms, 2**30 - 1
    for us). Clocks go out all the time; START and CONTINUE go just before the next
    clock, which is then tick `position` of the song. Fields: bpm100 (tempo x 100),
    running, position (24 PPQN ticks into the song), clocks (sent), dropped (bytes
    the port did not take).
    """

    def __init__(self, port, bpm=120, ticks_ms=None, ticks_us=None, mask=None):
        self._write = port.write  # bound method cached: creating it allocates
        if ticks_ms is not None:
            self._ticks, per_ms = ticks_ms, 1
            mask = mask or 0x1FFFFFFF
        elif ticks_us is not None:
            self._ticks, per_ms = ticks_us, 1000
            mask = mask or 0x3FFFFFFF
        else:
            self._ticks, per_ms, mask = _default_clock()
        self._mask = mask
        self._half = (mask >> 1) + 1
        self._num = 250000 * per_ms  # clock ticks per MIDI clock = num / bpm100
        self.running = False
        self.position = self.clocks = self.dropped = 0
        self._pending = None  # START or CONTINUE, sent with the next clock
        self._due = self._ticks() & mask  # the next clock: at due, + 1 if rem
        self._rem = 0
        self._prev = -1  # due time of the last clock sent, -1 before the first
        self.set_tempo(bpm)

    def set_tempo(self, bpm):
        """New tempo (see bpm100_of), from the next clock on: no gap, no burst."""
        self.bpm100 = n = bpm100_of(bpm)
        self._q = self._num // n
        self._r = self._num % n
        if self._prev >= 0:
            # the next clock one new period after the last, or now if that has passed
            self._due = self._add(self._prev, self._q)
            self._rem = 0
            now = self._ticks() & self._mask
            if self._diff(now, self._due) > 0:
                self._due = now

    def _add(self, a, b):
        # (a + b) mod period for 0 <= b < period, without making a + b itself
        if b > self._mask - a:
            return b - (self._mask - a) - 1
        return a + b

    def _diff(self, a, b):
        d = (a - b) & self._mask
        return d - self._mask - 1 if d >= self._half else d

    def update(self):
        """Send the clocks that are due (and a waiting START/CONTINUE); return how many."""
        now = self._ticks()
        sent = 0
        while self._diff(now, self._due) >= (1 if self._rem else 0):
            if self._pending is not None:
                self._send(self._pending)
                self._pending = None
                self.running = True
            self._send(CLOCK)
            self.clocks += 1
            sent += 1
            if self.running:
                self.position += 1
            self._prev = self._due
            self._due = self._add(self._due, self._q)
            self._rem += self._r
            if self._rem >= self.bpm100:
                self._rem -= self.bpm100
                self._due = self._add(self._due, 1)
        return sent

    def _send(self, byte):
        n = self._write(byte)
        if n is not None and n < 1:
            self.dropped += 1

    def start(self):
        """Send START before the next clock: the song plays from tick 0."""
        self.position = 0
        self._pending = START

    def continue_(self):
        """Send CONTINUE before the next clock: the song goes on from `position`."""
        self._pending = CONTINUE

    def stop(self):
        """Send STOP now; clocks keep going, the position stays."""
        self._pending = None
        self.running = False
        self._send(STOP)

    def song_position(self, beats):
        """Send SONG_POSITION (beats of 6 clocks, 0-16383) and move there."""
        if not isinstance(beats, int) or not 0 <= beats <= 16383:
            raise ValueError("beats must be 0-16383, got %r" % (beats,))
        self._spp = bytes((0xF2, beats & 0x7F, beats >> 7))
        n = self._write(self._spp)
        if n is not None and n < 3:
            self.dropped += 3 - n
        self.position = beats * 6
