# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite: MIDI files (formats 0, 1) read from flash without allocating, and a Player
that writes them to any port with write(); smf_extras.py adds format 2, SMPTE and more."""

__version__ = "0.2.0"

SYSEX = 0xF0
META = 0xFF
META_END_OF_TRACK = 0x2F
META_TEMPO = 0x51
DEFAULT_TEMPO = 500000
# (0x3FFFFFFF below: the tick of a track with no more events)


class SMFError(ValueError):
    """A corrupt or unsupported file; also has `track` and `offset`."""

    def __init__(self, message, track, offset):
        # (pieces of 10 characters or fewer: interned, not a string object each)
        if offset is not None:
            message += " at byte " + str(offset)
        if track is not None:
            message = "track " + str(track) + ": " + message
        super().__init__(message)
        self.track = track
        self.offset = offset


def _write_all(port, buf):
    # the count taken: a short write's rest is retried until nothing is taken
    # (None: all taken, as BLE says; never a resend)
    n = 0
    while n < len(buf):
        k = port.write(memoryview(buf)[n:] if n else buf)
        if k is None:
            return len(buf)
        if not k:
            break
        n += k
    return n


class MidiFile:
    """MidiFile(path or binary file, payload_size=64, buffer_size=64): iterate it for
    its events by tick; each is the MidiFile itself, valid until the next."""

    status = 0

    def __init__(self, source, payload_size=64, buffer_size=64):
        self._own = isinstance(source, str)
        f = self._file = open(source, "rb") if self._own else source
        try:
            f.seek(0, 2)
            size = f.tell()
            h = bytearray(14)
            m = memoryview(h)[:4]  # the chunk type
            n = nt = 0  # the offset of the chunk read
            t = -1  # (track -1: the MThd chunk)
            starts = self.track_offsets = []
            ends = self._end = []  # of each track's chunk
            while t < nt:
                f.seek(n)
                k = f.readinto(h) or 0
                # a top byte >= 0x40 (1 GiB) is refused before it is a long int
                c = h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7] if h[4] < 0x40 else size
                if (
                    k < 8
                    or min(m) < 0x20
                    or max(m) > 0x7E
                    or c > size - n - 8
                    or t < 0
                    and (k < 14 or m != b"MThd" or c < 6)
                ):
                    raise SMFError("no MThd" if t < 0 else "bad chunk", None, n)
                if t < 0:
                    self.format = h[8] << 8 | h[9]
                    nt = self.ntracks = h[10] << 8 | h[11]
                    self.ppq = self.division = self._den = h[12] << 8 | h[13]  # us a tick: _tempo / _den
                    # (smf_extras.MidiFile reads format 2 and SMPTE too: it says so in _any_fmt)
                    if not getattr(self, "_any_fmt", 0) and (self.format > 1 or not 0 < self._den < 0x8000):
                        raise SMFError(
                            "format %d division %d: smf_extras reads format 2 and SMPTE" % (self.format, self._den),
                            None,
                            8,
                        )
                    t = 0
                elif m == b"MTrk":
                    starts.append(n + 8)
                    ends.append(n + 8 + c)
                    t += 1
                n += 8 + c  # (other chunks are skipped)
        except BaseException:
            self.close()
            raise
        self.event = self
        self._raw = bytearray(max(payload_size, 3) + 1)  # F0 + payload: one write
        self._raw[0] = SYSEX
        self.payload = memoryview(self._raw)[1:]
        v = memoryview(bytearray(3))
        self._views = (v[1:2], v[1:3], v[0:2], v[0:3])  # made once: slicing allocates
        p = list(map(bytearray, [max(buffer_size, 16)] * min(nt, 32)))
        self._pool = (p * (nt // 32 + 1))[:nt]  # track t's buffer, shared past 32 tracks
        self._owner = [-1] * 32  # the track whose bytes are in each buffer
        self._base = [0] * nt  # offset of each track's buffered bytes
        self._idx = [0] * nt  # the next unread one
        self._len = [0] * nt  # how many (never past the chunk; 0: none)
        self._status = bytearray(nt)  # running status
        self._tick = [0x3FFFFFFF] * (nt or 1)  # tick of each track's next event
        self._pick = None  # (smf_extras: a function picking the next track)
        self.rewind()

    def close(self):
        if self._own and self._file:
            self._file.close()
            self._file = None

    def __iter__(self):
        self.rewind()
        while self.next_event():
            yield self

    def rewind(self):
        """Go back to the start."""
        self.track = self.status = self.data1 = self.data2 = self.length = self.payload_length = 0
        self._meta = self._after = 0  # (every field set here: a new one would grow the dict)
        self.tick = -1  # no event yet
        self._time_tick = self._ms = self._us = self._rem = 0  # song time at _time_tick
        self._tempo = DEFAULT_TEMPO
        for t in range(self.ntracks):
            self._base[t] = self.track_offsets[t]
            self._len[t] = self._status[t] = self._tick[t] = 0
            self._idx[t] = self._delta(t, 0)

    def next_event(self):
        """The next event (this MidiFile), or None at the end. Allocates nothing."""
        # (within MicroPython's 11 frame slots of locals and stack: no heap frame)
        t = self.track
        if self._tick[t] != self.tick:  # the track just read has moved on
            if self._pick:  # (smf_extras: format 2, many tracks)
                t = self._pick(t)
                if t < 0:
                    return None
            else:
                n = min(self._tick)  # min and index run in C
                if n == 0x3FFFFFFF:
                    return None
                t = self.track = self._tick.index(n)  # the first track with it: ties go lower
                self.tick = n
        i = self._idx[t]
        n = self._len[t]
        if n - i < 16 and self._base[t] + n < self._end[t]:
            n = self._refill(t, i)  # an event and its delta-time fit in 16 bytes
            i = 0
        # (the event starts at _idx[t] until it is read: errors name it)
        if i >= n:
            self._fail(t, "no event", None)
        buf = self._pool[t]
        s = buf[i]
        if s < 0x80:
            s = self._status[t]  # running status, kept across meta and SysEx
            if not s:
                self._fail(t, "no status", None)
        elif s < 0xF0:
            i += 1
            self._status[t] = s
        else:
            return self._other(t, i)
        self.status = s
        if s < 0xC0 or s >= 0xE0:
            if i + 2 > n or buf[i] > 0x7F or buf[i + 1] > 0x7F:
                self._fail(t, "cut short", None)
            self.data1 = buf[i]
            self.data2 = buf[i + 1]
            i += 2
        else:
            if i >= n or buf[i] > 0x7F:
                self._fail(t, "cut short", None)
            self.data1 = buf[i]
            self.data2 = 0
            i += 1
        if i < n and buf[i] < 0x80 and self.tick < 0x2FFFFF80:
            self._tick[t] = self.tick + buf[i]  # a one-byte delta-time, the usual case
            i += 1
        elif i + 1 < n and buf[i] > 0x7F and buf[i + 1] < 0x80 and self.tick < 0x2FFFC000:
            self._tick[t] = self.tick + ((buf[i] & 0x7F) << 7 | buf[i + 1])  # two bytes
            i += 2
        else:
            i = self._delta(t, i)
        self._idx[t] = i
        return self

    def _other(self, t, i):
        # meta, SysEx and escape events: the body goes straight from the file
        # into the payload, then the track's buffer is loaded after it
        s = self.status = self._pool[t][i]
        self.data1 = self.data2 = 0
        self._meta = -1
        if s == META:
            if i + 1 >= self._len[t]:
                self._fail(t, "cut short", None)
            i += 1
            self._meta = self._pool[t][i]
        elif s != SYSEX and s != 0xF7:
            self._fail(t, "bad status", None)
        n = self._vlq(t, i + 1)
        i = self._base[t] + self._after  # (the body's offset)
        if n > self._end[t] - i or self._meta == META_TEMPO and n < 3:
            raise SMFError("bad length", t, i)
        self.length = n
        self.payload_length = min(n, len(self.payload))
        self._file.seek(i)
        self._file.readinto(self.payload)
        self._len[t] = 0
        if self._meta == META_END_OF_TRACK:
            self._tick[t] = 0x3FFFFFFF  # bytes after the end of track are ignored
            return self
        if self._meta == META_TEMPO:
            self._time_to(self.tick)  # the time so far runs at the old tempo
            self._tempo = self.tempo
        self._base[t] = i
        self._idx[t] = self._delta(t, n)
        return self

    def _fail(self, t, message, i):
        # at index i of track t's buffer (None: the event's start)
        raise SMFError(message, t, self._base[t] + (self._idx[t] if i is None else i))

    def __getattr__(self, name):
        # the event's fields worked out when asked for (no property keeps stores cheap)
        s = self.status
        if name == "type":
            return s & 0xF0 if s < 0xF0 else s
        if name == "channel":
            return s & 15 if s < 0xF0 else None
        if name == "meta_type":
            return self._meta if s == META else None
        if name == "data":
            return self._views[self._fill() - 2] if s < 0xF0 else self.payload[: self.payload_length]
        if name == "tempo":
            p = self.payload
            return p[0] << 16 | p[1] << 8 | p[2] if s == META and self._meta == META_TEMPO else None
        if name != "time_ms" and name != "time_frac_us" and name != "time_us":
            raise AttributeError(name)
        self._time_to(self.tick)
        if name == "time_us":
            return self._ms * 1000 + self._us  # a long int after 17.9 minutes on a board
        return self._ms if name == "time_ms" else self._us

    def _fill(self):
        # the channel message into _msg; its length
        m = self._views[3]
        m[0] = self.status
        m[1] = self.data1
        m[2] = self.data2
        return 3 - (0xC0 <= self.status < 0xE0)

    def write_to(self, port):
        """Send the event to port (SysEx as F0 + data; not a meta); the bytes taken."""
        s = self.status
        if s < 0xF0:
            return _write_all(port, self._views[self._fill()])
        if s == META or self.length > self.payload_length:
            return 0  # (smf_extras streams a SysEx longer than the payload)
        return _write_all(port, memoryview(self._raw)[s != SYSEX : self.length + 1])

    def _time_to(self, tick):
        # song time on to tick, in steps that keep every product below 2**30;
        # microseconds a tick: _tempo / _den
        ticks = tick - self._time_tick
        if ticks > 0:  # (after rewind() the tick is -1: no time to add)
            self._time_tick = tick
        while ticks > 0:
            step = min(ticks, 16384)
            ticks -= step
            x = step * (self._tempo % self._den) + self._rem
            self._rem = x % self._den
            x = self._us + step * (self._tempo // self._den % 1000) + x // self._den
            self._ms += step * (self._tempo // self._den // 1000) + x // 1000
            self._us = x % 1000
            if self._ms > 0x20000000:
                raise SMFError("time limit", self.track, None)  # 6.2 days

    def _refill(self, t, i):
        # load track t's buffer from index i on (never past the chunk); a track
        # that shared the buffer keeps its place and reloads when next read
        k = self._owner[t % 32]
        if k != t and k >= 0:
            self._base[k] += self._idx[k]
            self._len[k] = self._idx[k] = 0
        self._owner[t % 32] = t
        i += self._base[t]  # (the file offset)
        self._file.seek(i)
        k = min(self._file.readinto(self._pool[t]) or 0, self._end[t] - i)
        self._base[t] = i
        self._idx[t] = 0
        self._len[t] = k
        return k

    def _vlq(self, t, i):
        # a variable-length quantity (at most 4 bytes, buffered) at index i;
        # the index after it goes to _after
        v = 0
        for j in range(i, min(i + 4, self._len[t])):
            v = v << 7 | self._pool[t][j] & 0x7F
            if self._pool[t][j] < 0x80:
                self._after = j + 1
                return v
        self._fail(t, "bad VLQ", i)

    def _delta(self, t, i):
        # the delta-time at index i moves track t's tick on, or the chunk has
        # ended (no end of track event: tolerated); the index after it
        if self._len[t] - i < 4 and self._base[t] + self._len[t] < self._end[t]:
            self._refill(t, i)
            i = 0
        if i >= self._len[t]:
            self._tick[t] = 0x3FFFFFFF
            return i
        self._tick[t] += self._vlq(t, i)
        if self._tick[t] > 0x2FFFFFFF:  # (sums stay below 2**30)
            self._fail(t, "tick limit", i)  # 805306367
        return self._after


class Player:
    """Player(song, port, ticks_ms=None, ticks_us=None, ticks_period=None): plays a
    MidiFile (or path) to port on time, by supervisor.ticks_ms, time.ticks_us or the
    clock given."""

    def __init__(self, song, port, ticks_ms=None, ticks_us=None, ticks_period=None):
        song = self.song = MidiFile(song) if isinstance(song, str) else song
        self.port = port
        t = ticks_ms or ticks_us
        if not t:
            try:
                from supervisor import ticks_ms as t  # CircuitPython, or host_shim's stand-in

                ticks_ms = t
            except ImportError:
                import time  # MicroPython; CPython: a us clock

                t = getattr(time, "ticks_us", lambda: time.monotonic_ns() // 1000 & 0x3FFFFFFF)
        self._ticks = t
        t = self._per_ms = 1 if ticks_ms else 1000
        # a mask, not a period (2**30 is a long int on a board): by default 2**29 for
        # ms, 2**30 for us (right too for a clock wrapping at any multiple of it)
        m = self._mask = ticks_period - 1 if ticks_period else 0x3FFFFFFF >> (t == 1)
        # a wait past a quarter of the clock's period goes in steps (a wrap hides it)
        self._step = (m >> 2) // t
        self._sounding = bytearray(256)  # a bit per (channel, note)
        self.playing = False
        self._event = None  # the event waiting for its time
        self._mark = self._at_ms = self._ms = self._extra = self.sent = self.lost_bytes = 0

    def start(self):
        """Start from the beginning, now."""
        self.silence()
        self.song.rewind()
        self._mark = self._ticks() & self._mask  # the clock at song time _at_ms
        self._at_ms = 0
        self.playing = True
        self._send(None)

    def update(self):
        """Send what is due; True while playing."""
        now = self._ticks()
        while self.playing:
            if self._event is None:  # the end (smf_extras' loop starts again)
                self.stop()
                break
            gone = (now - self._mark) & self._mask  # clock ticks since the mark
            wait = self._ms - self._at_ms
            extra = self._extra
            if wait > self._step:
                wait = self._step
                extra = 0
            if gone < wait * self._per_ms + extra:
                return True
            # the mark moves on by whole ms of song time (no sum passes 2**30)
            self._mark = (now - (gone - wait * self._per_ms)) & self._mask
            self._at_ms += wait
            if self._at_ms == self._ms:
                self._send(self._event)
        return False

    def _send(self, e):
        # send event e (sounding notes are tracked, for their note-offs), then
        # read the next and work out its time
        s = e.status if e else META
        if s < 0xA0:
            k = (s & 15) << 4 | e.data1 >> 3  # the note's byte of _sounding
            b = 1 << (e.data1 & 7)
            self._sounding[k] = self._sounding[k] | b if s >= 0x90 and e.data2 else self._sounding[k] & ~b
        if s != META:
            self.sent += 1
            self.lost_bytes += (e.length + (s == SYSEX) if s > 0xEF else e._fill()) - e.write_to(self.port)
        e = self._event = self.song.next_event()  # (a method call: no bound method is made)
        if e:
            e._time_to(e.tick)
            self._ms = e._ms
            # clock ticks after the ms, rounded up: a ms clock sends at the
            # first tick at or after the exact time
            self._extra = -(-e._us * self._per_ms // 1000)

    def silence(self):
        """Send a note-off for every sounding note."""
        off = self.song._views[3]  # (the song's message buffer: filled again before each use)
        off[2] = 0
        for k in range(256):
            bits = self._sounding[k]
            self._sounding[k] = 0
            off[0] = 0x80 | k >> 4
            off[1] = (k & 15) << 3
            while bits:
                if bits & 1:
                    self.lost_bytes += 3 - _write_all(self.port, off)
                bits >>= 1
                off[1] += 1

    def stop(self):
        """Stop, with note-offs for sounding notes."""
        self.silence()
        self.playing = False

    def play(self):
        """Play to the end (blocks)."""
        import time

        if not self.playing:
            self.start()
        while self.update():
            time.sleep(0.001)
