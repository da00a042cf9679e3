# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_clock: follow incoming MIDI clock (24 PPQN): transport, position, tempo.

ClockFollower is fed each clock message (CLOCK, START, STOP, CONTINUE, SONG_POSITION:
anything with .type and .data, such as smolmidi's Message) with the time it arrived,
read from a clock that wraps (supervisor.ticks_ms by default, or time.ticks_us). The
tempo is a least-squares line through the clock times since the last tempo change,
kept in integers (no value reaches 2**30); a run of residuals all one way starts the
line afresh, so a tempo change is followed within a beat. feed() never blocks and
allocates nothing.
"""

CLOCK = 0xF8
START = 0xFA
CONTINUE = 0xFB
STOP = 0xFC
SONG_POSITION = 0xF2

_N_MAX = 384  # clocks in the line at most (16 beats): older ones fade out
_E_MAX = 1 << 19  # residuals clamped here (fine units), so products stay below 2**30


class ClockFollower:
    """Follows MIDI clock fed to it; see feed().

    ClockFollower(beats_per_bar=4, beat_value=4, unit_us=1000, mask=0x1FFFFFFF):
    times are in units of unit_us microseconds (1000: supervisor.ticks_ms, 1:
    time.ticks_us) wrapping at mask + 1 (time.ticks_us: mask=time.ticks_add(0, -1)).
    Fields: running, tick (24 PPQN tick of the last clock played, -1 before one),
    position (tick of the next clock), clocks (every clock seen). Read when asked:
    song_position (MIDI beats, 6 ticks each), beat and bar (from 0, by the time
    signature), bpm100 (tempo x 100, 0 while unknown).
    """

    def __init__(self, beats_per_bar=4, beat_value=4, unit_us=1000, mask=0x1FFFFFFF):
        if unit_us not in (1, 1000):
            raise ValueError("unit_us must be 1 or 1000, got %r" % (unit_us,))
        self.unit_us = unit_us
        self._mask = mask
        self._half = (mask >> 1) + 1
        self._fine = 8 * unit_us  # fine units (1/8 us) per time unit
        self._w_min = 100000 // unit_us
        self._w_max = 250000 // unit_us
        self.set_time_signature(beats_per_bar, beat_value)
        self.running = False
        self.tick = -1
        self.position = 0
        self.clocks = 0
        self._last = 0  # time of the last clock
        self._n = 0  # clocks in the line (0: none yet)
        self._t256 = 0  # clock period, fine units x 256
        self._d = 0  # the line's place at the last clock minus its time (fine units)
        self._m16 = self._seen = 0  # mean absolute residual x 16, residuals in it (to 16)
        self._sum = self._run = 0  # residuals since the last sign change, and their count

    def set_time_signature(self, beats_per_bar, beat_value=4):
        """Bars of beats_per_bar beats of 1/beat_value notes (1, 2, 4, 8, 16, 32)."""
        if not isinstance(beats_per_bar, int) or not 1 <= beats_per_bar <= 64:
            raise ValueError("beats_per_bar must be 1-64, got %r" % (beats_per_bar,))
        if beat_value not in (1, 2, 4, 8, 16, 32):
            raise ValueError("beat_value must be 1, 2, 4, 8, 16 or 32, got %r" % (beat_value,))
        self.beats_per_bar = beats_per_bar
        self.beat_value = beat_value
        self._beat_ticks = 96 // beat_value  # 32nd notes: 3 ticks

    def __getattr__(self, name):
        # computed fields: no property on this class keeps its stores cheap
        if name == "song_position":
            return self.position // 6
        if name == "beat":
            return self.tick // self._beat_ticks % self.beats_per_bar if self.tick >= 0 else 0
        if name == "bar":
            return self.tick // (self._beat_ticks * self.beats_per_bar) if self.tick >= 0 else 0
        if name == "bpm100":
            return self._bpm100()
        raise AttributeError(name)

    def _bpm100(self):
        # bpm x 100 = 60e6 us / (24 ticks x period us) x 100 = 2e9 fine units / period
        t = self._t256 >> 8
        if self._n < 2 or t <= 0:
            return 0
        q = 250000000 // t
        return q * 8 + ((250000000 - q * t) * 8 + (t >> 1)) // t

    def feed(self, msg, now):
        """Take one message and its arrival time; True when it was a CLOCK that played a
        tick (running), which is then in `tick`. Other messages are ignored (False)."""
        kind = msg.type
        if kind == CLOCK:
            return self.clock(now)
        if kind == START:
            self.start()
        elif kind == CONTINUE:
            self.continue_()
        elif kind == STOP:
            self.stop()
        elif kind == SONG_POSITION:
            self.song_position_to(msg.data[0] | msg.data[1] << 7)
        return False

    def start(self):
        """START: the next clock plays tick 0."""
        self.running = True
        self.tick = -1
        self.position = 0

    def continue_(self):
        """CONTINUE: the next clock plays `position`."""
        self.running = True

    def stop(self):
        """STOP: clocks still measure the tempo but play nothing."""
        self.running = False

    def song_position_to(self, beats):
        """SONG_POSITION: the next clock plays tick beats x 6."""
        self.position = beats * 6
        self.tick = self.position - 1

    def alive(self, now):
        """False when no clock came for 3 periods (100-250 ms): the clock stopped."""
        d = (now - self._last) & self._mask
        return self._n > 0 and (d >= self._half or d <= self._wait())

    def _wait(self):
        # 3 periods, at least 100 ms, at most 250 ms (so all stays small), in time units
        w = 3 * (self._t256 >> 8) // self._fine
        return self._w_min if w < self._w_min else self._w_max if w > self._w_max else w

    def clock(self, now):
        """CLOCK at time now: measure the tempo; True when running (a tick played)."""
        self.clocks += 1
        d = (now - self._last) & self._mask  # (wrap-safe: time since the last clock)
        if d >= self._half:
            d = d - self._mask - 1  # before it (times out of order): negative
        if self._n and d <= self._wait():
            self._follow(d * self._fine)
        else:
            self._n = 1  # the first clock, or the first after a gap: a new line
            self._d = self._sum = self._run = 0
        self._last = now & self._mask
        if not self.running:
            return False
        self.tick = self.position
        self.position += 1
        return True

    def _follow(self, interval):
        # one step of a least-squares line fit, done recursively (an alpha-beta filter
        # whose gains shrink as 1/n): e is how far this clock is from the line's guess
        n = self._n
        if n == 1:
            self._n = 2
            self._t256 = interval << 8
            self._d = 0
            return
        e = interval - self._d - ((self._t256 + 128) >> 8)
        if e > _E_MAX:
            e = _E_MAX
        elif e < -_E_MAX:
            e = -_E_MAX
        if n < _N_MAX:
            n += 1
            self._n = n
        nn = n * (n + 1)
        self._t256 += 6 * 256 * e // nn
        self._d = 2 * (2 * n - 1) * e // nn - e
        self._watch(e, n)  # (a call of its own: one frame this big would be on the heap)

    def _watch(self, e, n):
        # residuals one way adding up past 24 mean residuals: the tempo moved. A new
        # line starts from the run: k residuals growing by d each sum to d k (k + 1) / 2
        a = e if e >= 0 else -e
        m = (self._m16 >> 4) + self._fine
        k = self._seen
        if k < 16:  # the mean residual: the first 16 all count, then outliers count as 2m
            k += 1
            self._seen = k
            self._m16 += (16 * a - self._m16) // k
        else:
            self._m16 += (a if a < 2 * m else 2 * m) - (self._m16 >> 4)
            if n > 8:
                self._count_run(e, m)

    def _count_run(self, e, m):
        k = self._run
        s = self._sum
        if (s >= 0) == (e >= 0):
            s += e
            k += 1
        else:
            s = e
            k = 1
        self._sum = s
        self._run = k
        if (s if s >= 0 else -s) > 24 * m:
            s //= k * (k + 1) >> 1  # (s reused: the change of period, fine units)
            if s > _E_MAX:
                s = _E_MAX
            elif s < -_E_MAX:
                s = -_E_MAX
            self._t256 += s << 8
            self._n = 2
            self._d = self._sum = self._run = 0
        if not 0x1000 < self._t256 < 0x20000000:
            self._n = 1  # out of any real tempo's range: the next clock starts afresh
