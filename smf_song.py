# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_song: what a MIDI file holds without playing it, and a player that follows
MIDI clock or seeks.

SongInfo(song) reads a smf_lite.MidiFile once: its length in ticks and time, and
tick_to_us / us_to_tick through its tempo map (one entry per tempo change). SyncPlayer
plays it to a port either on external MIDI clock (feed() each CLOCK, START, STOP,
CONTINUE, SONG_POSITION: the song moves 1/24 quarter note a CLOCK) or on its own
clock from any tick or time (start(tick) / start_ms(ms), update()). A seek sends the
program, controller, pressure and pitch-bend values in force there, and note-offs for
every note it had sounding. Built on smf_lite's public API; feed() and update()
allocate nothing.
"""

import smf_lite

_CHUNK = 16384  # ticks converted at once: 16384 x (32767 or 999) stays below 2**30


class SongInfo:
    """Length, tempo map and bars of a MidiFile (or a path); see tick_to_us, bar_to_tick.

    Fields: song, ppq (None for SMPTE), length_ticks (tick of the last event),
    length_ms, and length_us (a long int past 17.9 minutes on a board).
    """

    def __init__(self, song):
        if isinstance(song, str):
            song = smf_lite.MidiFile(song)
        self.song = song
        self.ppq = song.ppq
        if song.ppq:
            num, den = smf_lite.DEFAULT_TEMPO, song.ppq  # us per tick = num / den
        else:
            fps, tpf = song.smpte_fps, song.ticks_per_frame
            num, den = (100100, 3 * tpf) if fps == 29 else (1000000, fps * tpf)
        self._den = den
        self._tick = [0]  # the tempo map: from tick, num us per den ticks, from ms + us
        self._num = [num]
        self._ms = [0]
        self._us = [0]
        self._rem = [0]  # (and 1/den us: the same den all through, so it carries)
        self._bars = [0, 0, 4 * (song.ppq or 0)]  # time signatures: tick, bar, ticks a bar
        last = 0
        for e in song:
            last = e.tick
            if song.ppq and e.status == 0xFF and e.meta_type == 0x58 and e.payload_length >= 2:
                self._signature(e.tick, e.payload[0] * 4 * song.ppq >> e.payload[1])
            if song.ppq and e.status == 0xFF and e.tempo is not None:
                if e.tick != self._tick[-1]:
                    ms, us, rem = self._at(e.tick)
                    self._tick.append(e.tick)
                    self._num.append(0)
                    self._ms.append(ms)
                    self._us.append(us)
                    self._rem.append(rem)
                self._num[-1] = e.tempo
        song.rewind()
        self.length_ticks = last
        self.length_ms = self.tick_to_ms(last)

    def _signature(self, tick, per_bar):
        # a new bar starts at tick (a change mid-bar starts one early)
        b = self._bars
        bar = b[-2] + -(-(tick - b[-3]) // b[-1])
        if tick == b[-3]:
            b[-1] = per_bar
        elif per_bar > 0:
            b += [tick, bar, per_bar]

    def bar_to_tick(self, bar):
        """The tick where bar (from 0) starts, by the file's time signatures (4/4 before
        the first)."""
        b = self._bars
        i = len(b) - 3
        while b[i + 1] > bar:
            i -= 3
        return b[i] + (bar - b[i + 1]) * b[i + 2]

    def __getattr__(self, name):
        if name == "length_us":
            return self.tick_to_us(self.length_ticks)
        raise AttributeError(name)

    def _at(self, tick):
        # (ms, us, 1/den us) of tick, from the start of its tempo map entry
        i = len(self._tick) - 1
        while self._tick[i] > tick:
            i -= 1
        d = tick - self._tick[i]
        num, den = self._num[i], self._den
        q = num // den
        ms, us, rem = self._ms[i], self._us[i], self._rem[i]
        while d > 0:
            step = d if d < _CHUNK else _CHUNK
            d -= step
            x = step * (num % den) + rem
            rem = x % den
            x = us + step * (q % 1000) + x // den
            ms += step * (q // 1000) + x // 1000
            us = x % 1000
        return ms, us, rem

    def tick_to_ms(self, tick):
        """Song time of tick in whole milliseconds (rounded down)."""
        if tick < 0:
            raise ValueError("tick must be >= 0, got %r" % (tick,))
        return self._at(tick)[0]

    def tick_to_us(self, tick):
        """Song time of tick in microseconds (rounded down)."""
        if tick < 0:
            raise ValueError("tick must be >= 0, got %r" % (tick,))
        ms, us, rem = self._at(tick)
        return ms * 1000 + us

    def ms_to_tick(self, ms, us=0):
        """The last tick at or before song time ms (+ us microseconds), to the us."""
        if ms < 0 or not 0 <= us < 1000:
            raise ValueError("time must be >= 0 (us 0-999), got %r ms %r us" % (ms, us))
        i = len(self._tick) - 1
        while self._ms[i] > ms or self._ms[i] == ms and self._us[i] > us:
            i -= 1
        num, den = self._num[i], self._den
        d_ms = ms - self._ms[i]
        us -= self._us[i]
        if us < 0:
            us += 1000
            d_ms -= 1
        step_max = (0x3FFFFFFF - num) // (1000 * den) or 1
        tick, carry = self._tick[i], 0
        while d_ms > 0:
            step = d_ms if d_ms < step_max else step_max
            d_ms -= step
            x = step * 1000 * den + carry
            tick += x // num
            carry = x % num
        # the last tick whose time, to the whole us, is not past: time < given + 1 us
        return tick + (us * den + carry - self._rem[i] + den - 1) // num

    def us_to_tick(self, us):
        """The last tick at or before song time us microseconds."""
        if us < 0:
            raise ValueError("us must be >= 0, got %r" % (us,))
        return self.ms_to_tick(us // 1000, us % 1000)


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


_STOPPED = 0
_PLAYING = 1  # on its own clock
_CLOCKED = 2  # on external clock, running
_WAITING = 3  # on external clock, stopped (START/CONTINUE go on)

_CC_FIRST = b"\x00\x20"  # bank select, before the program change
_CC_AFTER = bytes([98, 99, 100, 101] + [c for c in range(120) if c not in (0, 32, 96, 97, 98, 99, 100, 101)])


class SyncPlayer:
    """Plays a MidiFile (or a path) on external MIDI clock, or on its own from a seek.

    SyncPlayer(song, port, ticks_ms=None, ticks_us=None, mask=None): port takes
    write(buf). External clock: feed(msg) with every message received (others are
    ignored), or feed(msg, now) and update() to place ticks between clocks too. Own clock (supervisor.ticks_ms, time.ticks_us or the function given):
    start(tick=0) or start_ms(ms), then update() often. seek(tick) moves without
    playing; stop() silences. Fields: info (SongInfo), tick (song position), playing,
    sent, lost_bytes.
    """

    def __init__(self, song, port, ticks_ms=None, ticks_us=None, mask=None):
        self.info = SongInfo(song)
        self.song = song = self.info.song
        if not song.ppq:
            raise ValueError("SyncPlayer needs a file timed in ticks per quarter note, not SMPTE")
        self._write = port.write  # bound methods cached: creating one allocates
        self._next_event = song.next_event
        self.port = port
        if ticks_ms is not None:
            self._ticks, self._per_ms, mask = ticks_ms, 1, mask or 0x1FFFFFFF
        elif ticks_us is not None:
            self._ticks, self._per_ms, mask = ticks_us, 1000, mask or 0x3FFFFFFF
        else:
            self._ticks, self._per_ms, mask = _default_clock()
        self._mask = mask
        self._half = (mask >> 1) + 1
        self._step = (mask >> 2) // self._per_ms  # longest wait (ms) checked at once
        self._sounding = bytearray(256)  # bit per (channel, note)
        self._state = bytearray(16 * 128 + 16 * 4)  # CC values + 1 (0: none), then program,
        self._buf = bytearray(3)  # pressure, bend lsb, msb (+1 each)
        view = memoryview(self._buf)
        self._views = (view[:2], view)
        self._mode = _STOPPED
        self._clock_per = song.ppq // 24
        self._clock_rem = song.ppq % 24
        self.sent = self.lost_bytes = 0
        self._clock_at = -1  # arrival of the last clock (feed with now), -1: none
        self._period = 0  # clock ticks between clocks, averaged (0: not known)
        self._d_max = 0x3FFFFFFF // song.ppq
        self.seek(0)

    def __getattr__(self, name):
        if name == "playing":
            return self._mode == _PLAYING or self._mode == _CLOCKED
        raise AttributeError(name)

    # -- seeking -------------------------------------------------------------------------

    def seek(self, tick):
        """Move to tick without playing: silence, then the state in force there is sent."""
        if not isinstance(tick, int) or tick < 0:
            raise ValueError("tick must be an int >= 0, got %r" % (tick,))
        self._silence()
        self.song.rewind()
        st = self._state
        for i in range(len(st)):
            st[i] = 0
        e = self._next_event()
        while e is not None and e.tick < tick:
            self._chase(e)
            e = self._next_event()
        self._event = e
        self._send_state()
        self.tick = tick
        self._rem = 0  # 24ths of a tick past `tick` (external clock)
        self._last_tick = -1  # tick of the last clock played, -1: none since the seek
        ms, us, rem = self.info._at(tick)
        self._song_ms = ms  # song time (whole ms) the own clock's anchor stands for
        self._extra = us  # the start tick's us past it

    def _chase(self, e):
        s = e.status
        k = s >> 4
        st = self._state
        if k == 11:
            st[(s & 15) << 7 | e.data1] = e.data2 + 1
        elif k == 12:
            st[2048 + (s & 15)] = e.data1 + 1
        elif k == 13:
            st[2064 + (s & 15)] = e.data1 + 1
        elif k == 14:
            st[2080 + (s & 15)] = e.data1 + 1
            st[2096 + (s & 15)] = e.data2 + 1

    def _send_state(self):
        st = self._state
        for ch in range(16):
            for c in _CC_FIRST:
                self._cc(ch, c)
            if st[2048 + ch]:
                self._out(0xC0 | ch, st[2048 + ch] - 1, 0, 0)
            for c in _CC_AFTER:
                self._cc(ch, c)
            if st[2064 + ch]:
                self._out(0xD0 | ch, st[2064 + ch] - 1, 0, 0)
            if st[2080 + ch]:
                self._out(0xE0 | ch, st[2080 + ch] - 1, st[2096 + ch] - 1, 1)

    def _cc(self, ch, c):
        v = self._state[ch << 7 | c]
        if v:
            self._out(0xB0 | ch, c, v - 1, 1)

    def _out(self, status, d1, d2, long):
        b = self._buf
        b[0] = status
        b[1] = d1
        b[2] = d2
        n = self._write(self._views[long])
        if n is not None and n < 2 + long:
            self.lost_bytes += 2 + long - n

    # -- playing ---------------------------------------------------------------------

    def _send(self, e):
        # one event; sounding notes are kept, for their note-offs
        s = e.status
        if s == 0xFF:
            return
        if s < 0xA0:
            k = (s & 0x0F) << 4 | e.data1 >> 3
            if s >= 0x90 and e.data2:
                self._sounding[k] |= 1 << (e.data1 & 7)
            else:
                self._sounding[k] &= ~(1 << (e.data1 & 7))
        n = e.write_to(self.port)
        self.sent += 1
        if s < 0xF0 and n < (2 if 0xC0 <= s < 0xE0 else 3):
            self.lost_bytes += (2 if 0xC0 <= s < 0xE0 else 3) - n

    def _play_to(self, tick):
        # send every event up to tick; False once the song has ended
        e = self._event
        while e is not None and e.tick <= tick:
            self._send(e)
            e = self._event = self._next_event()
        return e is not None

    def _silence(self):
        for k in range(256):
            bits = self._sounding[k]
            if bits:
                self._sounding[k] = 0
                for j in range(8):
                    if bits >> j & 1:
                        self._out(0x80 | k >> 4, (k & 15) << 3 | j, 0, 1)

    def stop(self):
        """Stop and send a note-off for every sounding note."""
        self._silence()
        self._mode = _STOPPED

    # -- external clock ----------------------------------------------------------------

    def feed(self, msg, now=None):
        """Follow one received message: CLOCK plays the next 1/24 quarter note, START
        plays from the top, CONTINUE goes on, STOP stops, SONG_POSITION seeks. With now
        (its arrival, on this player's clock), update() also plays the ticks between
        clocks at the clock's pace, instead of at the next clock."""
        t = msg.type
        if t == 0xF8:
            if now is not None:
                self._clock_time(now)
            if self._mode == _CLOCKED:
                self._clock()
        elif t == 0xFA:
            self.seek(0)
            self._mode = _CLOCKED
        elif t == 0xFB:
            self._mode = _CLOCKED
        elif t == 0xFC:
            self.stop()
            self._mode = _WAITING
        elif t == 0xF2:
            beats = msg.data[0] | msg.data[1] << 7  # 6 clocks each
            self.seek(beats * self.song.ppq // 4)
            self._rem = beats * self.song.ppq % 4 * 6
            if self._mode != _CLOCKED:
                self._mode = _WAITING

    def _clock_time(self, now):
        # the clock period, averaged over about 4 clocks
        d = self._diff(now, self._clock_at)
        if self._clock_at >= 0 and 0 < d < 0x100000:
            self._period = (3 * self._period + d) >> 2 if self._period else d
        self._clock_at = now & self._mask

    def _between(self):
        # ticks between the last clock and the next, played at the clock's pace
        d = self._diff(self._ticks(), self._clock_at)
        p = self._period
        if d >= p:
            d = p - 1  # never past the next clock's tick
        while d > self._d_max:  # d x ppq stays below 2**30
            d >>= 1
            p >>= 1
        if d > 0 and not self._play_to(self._last_tick + d * self.song.ppq // (24 * p)):
            self.stop()

    def _clock(self):
        # the clock stands for `tick`: send what is due, then move on 1/24 quarter note
        if not self._play_to(self.tick):
            self.stop()
            return
        self._last_tick = self.tick
        self.tick += self._clock_per
        self._rem += self._clock_rem
        if self._rem >= 24:
            self._rem -= 24
            self.tick += 1

    # -- own clock -----------------------------------------------------------------------

    def start(self, tick=0):
        """Play from tick on the own clock: the state there is sent first."""
        self.seek(tick)
        now = self._ticks() & self._mask
        # the anchor is the clock reading at song time _song_ms (whole ms)
        self._anchor = (now - self._extra) & self._mask if self._per_ms == 1000 else now
        self._mode = _PLAYING

    def start_ms(self, ms):
        """Play from song time ms (the first tick at or after it)."""
        tick = self.info.ms_to_tick(ms)
        if self.info.tick_to_ms(tick) < ms:
            tick += 1
        self.start(tick)

    def _add(self, a, b):
        if b > self._mask - a:
            return b - (self._mask - a) - 1
        return a + b

    def _diff(self, a, b):
        d = (a - b) & self._mask
        return d - self._mask - 1 if d >= self._half else d

    def update(self):
        """Send what is due (own clock; on external clock fed with times, the ticks
        between clocks); True while playing or waiting for clock. Never sleeps."""
        if self._mode != _PLAYING:
            if self._mode == _CLOCKED and self._period and self._last_tick >= 0:
                self._between()
            return self._mode == _CLOCKED or self._mode == _WAITING
        now = self._ticks()
        e = self._event
        while e is not None:
            if not self._due(now, e.time_ms, e.time_frac_us):
                return True
            self._send(e)
            e = self._event = self._next_event()
        self.stop()
        return False

    def _due(self, now, ms, us):
        # due at anchor + (ms - _song_ms) ms + us (a ms clock: + 1 if us); the anchor
        # moves on to each event sent, in steps for long rests (a wrap would hide them)
        while ms - self._song_ms > self._step:
            due = self._add(self._anchor, self._step * self._per_ms)
            if self._diff(now, due) < 0:
                return False
            self._anchor = due
            self._song_ms += self._step
        d = (ms - self._song_ms) * self._per_ms
        if self._diff(now, self._anchor) < d + (us if self._per_ms == 1000 else us > 0):
            return False
        if d > 0:
            self._anchor = self._add(self._anchor, d)
            self._song_ms = ms
        return True
