# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite: Standard MIDI Files streamed from flash, and a drift-free Player.

MidiFile reads a path or binary file; reading allocates nothing and memory does not
grow with the file; times are exact small ints. Player writes to any port with
write(buf) (a MidiOut too); update() never sleeps. smf_extras.py adds the rest.
"""

__version__ = "0.2.0"

SYSEX = 0xF0
META = 0xFF
META_END_OF_TRACK = 0x2F
META_TEMPO = 0x51
DEFAULT_TEMPO = 500000
# (0x3FFFFFFF below: the tick of a track with no more events)


class SMFError(ValueError):
    """A corrupt or unsupported file; also has `track` and `offset`."""

    def __init__(self, message, track=None, offset=None):
        if offset is not None:
            message += " at byte %d" % offset
        if track is not None:
            message = "track %d: %s" % (track, message)
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


class Event:
    """The reused event of a MidiFile: valid until the next is read.

    tick, track, status, data1, data2; length, payload, payload_length (SysEx,
    meta); type, channel, meta_type, data, tempo, time_ms, time_frac_us, time_us.
    """

    def __init__(self, size, reader):
        self.tick = self.track = self.status = self.data1 = self.data2 = 0
        self.length = self.payload_length = self._meta = self._at = 0
        self._reader = reader
        self._raw = bytearray(size + 1)  # F0 + payload: one write
        self.payload = memoryview(self._raw)[1:]
        self._msg = bytearray(3)
        v = memoryview(self._msg)
        self._views = (v[1:2], v[1:3], v[0:2], v[0:3])  # made once: slicing allocates

    def _fill(self):
        # the message into _msg; its length
        self._msg[0] = self.status
        self._msg[1] = self.data1
        self._msg[2] = self.data2
        return 3 - (0xC0 <= self.status < 0xE0)

    def __getattr__(self, name):
        # names that are not plain fields (no property keeps stores cheap)
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
        r = self._reader
        r._time_to(self.tick)
        if name == "time_us":
            return r._ms * 1000 + r._us  # a long int after 17.9 minutes on a board
        return r._ms if name == "time_ms" else r._us

    def write_to(self, port):
        """Send it to port (SysEx as F0 + data, streamed if long); bytes taken."""
        if self.status < 0xF0:
            return _write_all(port, self._views[self._fill()])
        return self._sysex(port)

    def _sysex(self, port):
        s = self.status
        self._raw[0] = SYSEX
        i = s != SYSEX  # an escape sends its data alone
        f = self._reader._file
        at = self._at
        left = self.length
        sent = 0
        while s < META:
            n = min(left, len(self.payload))  # data bytes in this piece
            k = _write_all(port, memoryview(self._raw)[i : n + 1])
            sent += k
            left -= n
            if not left or k <= n - i:
                break
            at += n
            i = 1
            f.seek(at)  # (the reader seeks before each read)
            f.readinto(self.payload)
        if at != self._at:
            f.seek(self._at)
            f.readinto(self.payload)  # the payload holds the start again
        return sent


class MidiFile:
    """MidiFile(path or binary file, payload_size=64, buffer_size=64).

    next_event() and iterating give the Event: formats 0 and 1 merged by tick
    (ties: lower track), format 2 a track at a time. format, ntracks, division,
    ppq, smpte_fps, ticks_per_frame, track_offsets, track_lengths; close().
    """

    def __init__(self, source, payload_size=64, buffer_size=64):
        self._own = isinstance(source, str)
        f = self._file = open(source, "rb") if self._own else source
        try:
            f.seek(0, 2)
            size = f.tell()
            h = bytearray(14)
            m = memoryview(h)[:4]  # the chunk type (made once: slices allocate)
            n = nt = 0  # the offset of the chunk read
            t = -1  # (track -1: the MThd chunk)
            while t < nt:
                f.seek(n)
                k = f.readinto(h) or 0
                if t < 0 and (k < 14 or m != b"MThd"):
                    k = k if k and h[: min(k, 4)] == b"MThd"[: min(k, 4)] else 0
                    raise SMFError("file ends inside the MThd header" if k else "no MThd header", None, k)
                if size - n < 8 or k < 8:
                    raise SMFError("file ends after %d of %d tracks" % (t, nt), None, n)
                if min(m) < 0x20 or max(m) > 0x7E:
                    raise SMFError("not a chunk type", None, n)
                # a top byte >= 0x40 (1 GiB) is refused before it is a long int,
                # and compared as size - n: no sum passes 2**30
                k = h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7] if h[4] < 0x40 else size
                if k > size - n - 8:
                    raise SMFError("chunk length %d runs past end of file" % k, None, n + 4)
                if t < 0:  # the header
                    self.format = h[8] << 8 | h[9]
                    nt = self.ntracks = h[10] << 8 | h[11]
                    d = self.division = h[12] << 8 | h[13]
                    if k < 6:
                        raise SMFError("header length %d is shorter than 6" % k, None, 4)
                    if self.format > 2:
                        raise SMFError("format %d is not 0, 1 or 2" % self.format, None, 8)
                    self.ppq = self.smpte_fps = self.ticks_per_frame = None
                    self._num = DEFAULT_TEMPO  # us a tick: _tempo / _den
                    self._den = d
                    if d > 0x7FFF:  # SMPTE: frames a second, ticks a frame
                        t = 256 - (d >> 8)
                        d &= 0xFF
                        if t not in (24, 25, 29, 30) or not d:
                            raise SMFError("SMPTE division -%d frames, %d ticks per frame" % (t, d), None, 12 + (d < 1))
                        self.smpte_fps = t
                        self.ticks_per_frame = d
                        # 29.97 fps: 1001000000 / (30000 tpf)
                        self._num = 100100 if t == 29 else 1000000
                        self._den = 3 * d if t == 29 else t * d
                    elif d:
                        self.ppq = d
                    else:
                        raise SMFError("division is 0 ticks per quarter note", None, 12)
                    self.track_offsets = [0] * nt
                    self.track_lengths = [0] * nt
                    self._end = [0] * nt  # the offset of each chunk's end
                    t = 0
                elif m == b"MTrk":
                    self.track_offsets[t] = n + 8
                    self.track_lengths[t] = k
                    self._end[t] = n + 8 + k
                    t += 1
                n += 8 + k  # (other chunks are skipped)
        except BaseException:
            self.close()
            raise
        self.event = Event(max(payload_size, 3), self)
        self._pool = []
        for t in range(min(nt, 32)):
            self._pool.append(bytearray(max(buffer_size, 16)))
        self._owner = [-1] * 32  # the track whose bytes are in each buffer
        self._base = [0] * nt  # offset of each track's buffered bytes
        self._idx = [0] * nt  # the next unread one
        self._len = [0] * nt  # how many (never past the chunk; 0: none)
        self._status = bytearray(nt)  # running status
        self._tick = [0x3FFFFFFF] * (nt or 1)  # tick of each track's next event
        self._tree = []  # (smf_extras: a tree finds the earliest of many)
        self.rewind()

    def close(self):
        if self._own and self._file:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        self.rewind()
        while self.next_event() is not None:
            yield self.event

    def rewind(self):
        """Go back to the start."""
        self.event.track = 0
        self.event.tick = -1  # no event yet
        self._time_tick = self._ms = self._us = self._rem = 0  # song time at _time_tick
        self._tempo = self._num
        self._next_track = 1 if self.format == 2 else self.ntracks
        for t in range(self.ntracks):
            self._base[t] = self.track_offsets[t]
            self._idx[t] = self._len[t] = self._status[t] = 0
            self._tick[t] = 0 if t < self._next_track else 0x3FFFFFFF
            if t < self._next_track:
                self._idx[t] = self._delta(t, 0)

    def next_event(self):
        """The next Event, or None at the end. Allocates nothing."""
        # (the reading path keeps within MicroPython's 11 frame slots of locals and
        # stack: no call takes a heap frame. Errors are raised from _fail)
        ev = self.event
        t = ev.track
        if self._tick[t] != ev.tick:  # the track just read has moved on
            n = 0x3FFFFFFF if self._tree else min(self._tick)  # min and index run in C
            if n == 0x3FFFFFFF:  # the end, a format 2 track's end, many tracks
                t = self._pick(t)
                if t < 0:
                    return None
            else:
                t = self._tick.index(n)  # the first track with it: ties go lower
                ev.tick = n
                ev.track = t
        i = self._idx[t]
        n = self._len[t]
        if n - i < 16 and self._base[t] + n < self._end[t]:
            n = self._refill(t, i)  # an event and its delta-time fit in 16 bytes
            i = 0
        # (the event starts at _idx[t] until it is read: errors name it)
        if i >= n:
            self._fail(t, "delta-time without an event at end of chunk")
        buf = self._pool[t % 32]
        s = buf[i]
        if s < 0x80:
            s = self._status[t]  # running status, kept across meta and SysEx
            if not s:
                self._fail(t, "data byte 0x%02X with no running status")
        elif s < 0xF0:
            i += 1
            self._status[t] = s
        else:
            return self._other(t, i)
        ev.status = s
        if s < 0xC0 or s >= 0xE0:
            if i + 2 > n or buf[i] > 0x7F or buf[i + 1] > 0x7F:
                self._fail(t, 2)
            ev.data1 = buf[i]
            ev.data2 = buf[i + 1]
            i += 2
        else:
            if i >= n or buf[i] > 0x7F:
                self._fail(t, 1)
            ev.data1 = buf[i]
            ev.data2 = 0
            i += 1
        if i < n and buf[i] < 0x80 and ev.tick < 0x2FFFFF80:
            self._tick[t] = ev.tick + buf[i]  # a one-byte delta-time, the usual case
            i += 1
        elif i + 1 < n and buf[i] > 0x7F and buf[i + 1] < 0x80 and ev.tick < 0x2FFFC000:
            s = (buf[i] & 0x7F) << 7 | buf[i + 1]  # two bytes (s reused: a small frame)
            self._tick[t] = ev.tick + s
            i += 2
        else:
            i = self._delta(t, i)
        self._idx[t] = i
        return ev

    def _other(self, t, i):
        # meta, SysEx and escape events: the body goes straight from the file
        # into the payload, then the track's buffer is loaded after it
        ev = self.event
        s = ev.status = self._pool[t % 32][i]
        ev.data1 = ev.data2 = 0
        ev._meta = -1
        if s == META:
            if i + 1 >= self._len[t]:
                self._fail(t, "event runs past end of chunk")
            i += 1
            ev._meta = self._pool[t % 32][i]
        elif s != SYSEX and s != 0xF7:
            self._fail(t, "status byte 0x%02X is not allowed in a track")
        n = self._vlq(t, i + 1)
        if ev._meta == META_TEMPO and n < 3:
            self._fail(t, "tempo event has %d data bytes, needs 3" % n)
        i = self._base[t] + self._after  # (the body's offset)
        if n > self._end[t] - i:
            raise SMFError(("meta" if s == META else "SysEx") + " event length %d runs past end of chunk" % n, t, i)
        ev.length = n
        ev.payload_length = min(n, len(ev.payload))
        ev._at = i
        self._file.seek(i)
        self._file.readinto(ev.payload)
        self._len[t] = 0
        if ev._meta == META_END_OF_TRACK:
            self._tick[t] = 0x3FFFFFFF  # bytes after the end of track are ignored
            return ev
        if ev._meta == META_TEMPO and self.ppq:  # SMPTE time has no tempo
            self._time_to(ev.tick)  # the time so far runs at the old tempo
            self._tempo = ev.tempo
        self._base[t] = i
        n = self._delta(t, n)
        self._idx[t] = n
        return ev

    def _pick(self, t):
        # the track with the earliest next event, or -1 at the end; format 2
        # starts the next track when one ends. (smf_extras: a tree for many)
        t = self._tick.index(min(self._tick))
        while self._tick[t] == 0x3FFFFFFF:
            if self._next_track >= self.ntracks:
                return -1
            t = self._next_track
            self._next_track += 1
            self._tick[t] = max(self.event.tick, 0)
            self._idx[t] = self._delta(t, 0)
            t = self._tick.index(min(self._tick))
        self.event.tick = self._tick[t]
        self.event.track = t
        return t

    def _fail(self, t, message, i=None):
        # at the index i of track t's buffer (None: the event's start, _idx[t]);
        # message 1 or 2: a channel message with that many data bytes, cut short
        # or with a status byte among them
        buf = self._pool[t % 32]
        if i is None:
            i = self._idx[t]
        if message in (1, 2):
            j = i + (buf[i] > 0x7F)  # its first data byte
            message = (
                "event runs past end of chunk"
                if j + message > self._len[t]
                else (
                    "status 0x%02X needs %d data bytes, found 0x%02X"
                    % (self.event.status, message, buf[j] if buf[j] > 0x7F else buf[j + 1])
                )
            )
        elif "%" in message:  # messages that show the byte there
            message %= buf[i]
        raise SMFError(message, t, self._base[t] + i)

    def _time_to(self, tick):
        # song time on to tick, in steps that keep every product below 2**30;
        # microseconds a tick: _tempo / _den
        ticks = tick - self._time_tick
        if ticks > 0:  # (after rewind() the event's tick is -1: no time to add)
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
                raise SMFError("song time passes 6 days at tick %d" % tick, self.event.track)

    def _refill(self, t, i):
        # load track t's buffer from index i on (never past the chunk); a track
        # that shared the buffer keeps its place and reloads when next read
        s = t % 32
        k = self._owner[s]
        if k != t and k >= 0:
            self._base[k] += self._idx[k]
            self._len[k] = self._idx[k] = 0
        self._owner[s] = t
        i += self._base[t]  # (the file offset)
        self._file.seek(i)
        k = self._file.readinto(self._pool[s]) or 0
        self._base[t] = i
        self._idx[t] = 0
        self._len[t] = min(k, self._end[t] - i)
        return self._len[t]

    def _vlq(self, t, i):
        # a variable-length quantity (at most 4 bytes, buffered) at index i;
        # the index after it goes to _after
        v = 0
        for j in range(i, min(i + 4, self._len[t])):
            v = v << 7 | self._pool[t % 32][j] & 0x7F
            if self._pool[t % 32][j] < 0x80:
                self._after = j + 1
                return v
        self._fail(
            t,
            "variable-length quantity longer than 4 bytes" if i + 4 <= self._len[t] else "event runs past end of chunk",
            i,
        )

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
            self._fail(t, "absolute tick passes 805306367", i)
        return self._after


class Player:
    """Player(song, port, ticks_ms=None, ticks_us=None, ticks_period=None).

    Sends each event of a MidiFile (or path) to port (anything with write()) at
    its time, without drift, on supervisor.ticks_ms, time.ticks_us or the clock
    given (ticks_period: where it wraps). start(), update() (never sleeps; False
    once ended), play() (blocks), stop() and silence() (note-offs for sounding
    notes); playing, sent, lost_bytes.
    """

    def __init__(self, song, port, ticks_ms=None, ticks_us=None, ticks_period=None):
        self.song = MidiFile(song) if isinstance(song, str) else song
        self.port = port
        self._next_event = self.song.next_event  # bound method made once: making one allocates
        self._ticks = ticks_ms or ticks_us
        if not self._ticks:
            try:
                import supervisor  # CircuitPython, or host_shim's stand-in

                ticks_ms = self._ticks = supervisor.ticks_ms
            except ImportError:
                import time  # MicroPython; CPython: a us clock

                self._ticks = getattr(time, "ticks_us", lambda: time.monotonic_ns() // 1000)
        self._per_ms = 1 if ticks_ms else 1000
        # a mask, not a period (2**30 is a long int on a board): by default 2**29 for
        # ms, 2**30 for us (right too for a clock wrapping at any multiple of it)
        self._mask = ticks_period - 1 if ticks_period else 0x3FFFFFFF >> (self._per_ms == 1)
        # a wait past a quarter of the clock's period goes in steps (a wrap hides it)
        self._step = (self._mask >> 2) // self._per_ms
        self._sounding = bytearray(256)  # a bit per (channel, note)
        self._off = bytearray(3)
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
        self._fetch()

    def _fetch(self):
        e = self._event = self._next_event()
        if e is not None:
            self.song._time_to(e.tick)
            self._ms = self.song._ms
            # clock ticks after the ms, rounded up: a ms clock sends at the
            # first tick at or after the exact time
            self._extra = -(-self.song._us * self._per_ms // 1000)

    def update(self):
        """Send what is due; True while playing."""
        now = self._ticks()
        while self.playing:
            if self._event is None:
                if self._end():  # (smf_extras' loop: send from the next call)
                    return True
                continue
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
                self._fetch()
        return False

    def _end(self):
        self.stop()

    def _send(self, e):
        # sounding notes are tracked, for their note-offs
        s = e.status
        if s == META:
            return
        if s < 0xA0:
            k = (s & 15) << 4 | e.data1 >> 3  # the note's byte of _sounding
            if s >= 0x90 and e.data2:
                self._sounding[k] |= 1 << (e.data1 & 7)
            else:
                self._sounding[k] &= ~(1 << (e.data1 & 7))
        self.sent += 1
        self.lost_bytes += (e.length + (s == SYSEX) if s > 0xEF else e._fill()) - e.write_to(self.port)

    def silence(self):
        """Send a note-off for every sounding note."""
        for k in range(256):
            bits = self._sounding[k]
            self._sounding[k] = 0
            self._off[0] = 0x80 | k >> 4
            self._off[1] = (k & 15) << 3
            while bits:
                if bits & 1:
                    self.lost_bytes += 3 - _write_all(self.port, self._off)
                bits >>= 1
                self._off[1] += 1

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
