"""smf_lite: Standard MIDI Files streamed from flash, and a drift-free Player.

MidiFile(path or binary file) yields one reused Event per step, all tracks merged by
tick (format 2: one track after another). Memory is fixed when the file is opened:
a few words per track and at most 32 small buffers; reading allocates nothing.
Times are exact integers (no floats, every value below 2**30), worked out only when
asked for. Player(song, port) sends each event at its time: update() never sleeps,
play() blocks. A corrupt file raises SMFError naming the track and byte offset.
smf_extras adds loop, tempo_scale, muting and time_to_next_ms.
"""

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

__version__ = "0.2.0"

NOTE_OFF = 0x80
NOTE_ON = 0x90
AFTERTOUCH = 0xA0
CONTROLLER_CHANGE = CC = 0xB0
PROGRAM_CHANGE = 0xC0
CHANNEL_PRESSURE = 0xD0
PITCH_BEND = 0xE0
SYSEX = 0xF0
SYSEX_ESCAPE = 0xF7
META = 0xFF

META_SEQUENCE_NUMBER = 0x00
META_TEXT = 0x01
META_COPYRIGHT = 0x02
META_TRACK_NAME = 0x03
META_INSTRUMENT_NAME = 0x04
META_LYRIC = 0x05
META_MARKER = 0x06
META_CUE_POINT = 0x07
META_CHANNEL_PREFIX = 0x20
META_PORT = 0x21
META_END_OF_TRACK = 0x2F
META_TEMPO = 0x51
META_SMPTE_OFFSET = 0x54
META_TIME_SIGNATURE = 0x58
META_KEY_SIGNATURE = 0x59
META_SEQUENCER_SPECIFIC = 0x7F

DEFAULT_TEMPO = 500000

_DONE = const(0x3FFFFFFF)        # tick of a track with no more events
# limits that keep every sum below 2**30 (a small int on boards) without more checks
_TICK_LIMIT = const(0x2FFFFFFF)  # 805 million ticks
_MS_LIMIT = const(0x20000000)    # 6.2 days of song time
_CHUNK_TICKS = const(16384)      # ticks per time step: 16384 * 32767 + 32767 < 2**30
_LOOKAHEAD = const(16)           # bytes buffered before an event header is parsed
_SLOTS = const(32)               # track buffers kept; track t uses buffer t % 32
_TREE_FROM = 64                  # more tracks than this: a tree finds the earliest

_DATA_LENGTH = b"\x02\x02\x02\x02\x01\x01\x02"  # by (status >> 4) - 8
_NAMES = ("note off", "note on", "aftertouch", "control change", "program change",
          "channel pressure", "pitch bend")


class SMFError(ValueError):
    """A corrupt or unsupported file; `track` and `offset` are also in the message."""

    def __init__(self, message, track=None, offset=None):
        if offset is not None:
            message = "%s at byte %d" % (message, offset)
        if track is not None:
            message = "track %d: %s" % (track, message)
        super().__init__(message)
        self.track = track
        self.offset = offset


def _write_all(port, buf):
    # the port contract: write returns the count taken; retry the rest of a short
    # write until it takes nothing. None is "all taken" (BLE), never a resend
    n = port.write(buf)
    if n is None:
        return len(buf)
    while 0 < n < len(buf):
        more = port.write(memoryview(buf)[n:])
        if more is None:
            return len(buf)
        if not more:
            break
        n += more
    return n


class Event:
    """One event of a MidiFile, reused: valid until the next one is read.

    Fields: tick, track, status, data1 and data2 (0 unless a channel message).
    Worked out when read: type, channel and meta_type (None when not that kind),
    data, time_ms + time_frac_us (exact, small ints; time_us joins them), and the
    fields of one kind of event: note, velocity, control, value, program,
    pitch_bend; length, payload, payload_length, truncated (SysEx, escape, meta);
    text (meta). A field that does not apply raises AttributeError naming the
    event's type. tempo, time_signature, key_signature: None unless that meta event.
    """

    def __init__(self, payload_size, reader):
        self.tick = self.track = self.status = self.data1 = self.data2 = 0
        self._reader = reader
        self._meta = self._length = self._kept = self._at = 0
        self._raw = bytearray(payload_size + 1)  # F0 + payload, sent in one write
        self._payload = memoryview(self._raw)[1:]
        self._msg = bytearray(3)
        view = memoryview(self._msg)
        # views made once: slicing allocates on MicroPython
        self._sends = (view[0:0], view[0:1], view[0:2], view[0:3])
        self._datas = (view[1:1], view[1:2], view[1:3])

    def _fill(self):
        # status + data into _msg; returns the message's length
        m = self._msg
        m[0] = self.status
        m[1] = self.data1
        m[2] = self.data2
        return _DATA_LENGTH[(self.status >> 4) - 8] + 1

    def __getattr__(self, name):
        # only names that are not plain fields come here: no property on this class,
        # so storing the plain fields stays cheap on MicroPython
        s = self.status
        if name == "time_ms" or name == "time_frac_us" or name == "time_us":
            r = self._reader
            if r._time_tick != self.tick:
                r._time_to(self.tick)
            if name == "time_ms":
                return r._ms
            if name == "time_frac_us":
                return r._us
            return r._ms * 1000 + r._us  # a long int after 17.9 minutes on a board
        if name == "type":
            return s & 0xF0 if s < 0xF0 else s
        if name == "channel":
            return s & 15 if s < 0xF0 else None
        if name == "meta_type":
            return self._meta if s == META else None
        if name == "data":
            if s < 0xF0:
                return self._datas[self._fill() - 1]
            return self._payload[:self._kept]
        k = s >> 4
        if (name == "note" and 8 <= k <= 10 or name == "control" and k == 11
                or name == "program" and k == 12):
            return self.data1
        if name == "velocity" and k < 10 or name == "value" and k == 11:
            return self.data2
        if name == "pitch_bend" and k == 14:
            return (self.data2 << 7 | self.data1) - 8192
        if s >= 0xF0:
            if name == "length":
                return self._length
            if name == "payload":
                return self._payload
            if name == "payload_length":
                return self._kept
            if name == "truncated":
                return self._length > self._kept
            if s == META:
                return self._meta_field(name)
        if name == "tempo" or name == "time_signature" or name == "key_signature":
            return None
        raise AttributeError("%s does not apply to a %s event (status 0x%02X)"
                             % (name, _NAMES[k - 8] if s < 0xF0 else
                                "SysEx" if s == SYSEX else "escape" if s < META else "meta", s))

    def _meta_field(self, name):
        p = self._payload
        m = self._meta
        if name == "text":
            return self._text()
        if name == "tempo" and m == META_TEMPO:
            return p[0] << 16 | p[1] << 8 | p[2]  # a tempo event has 3 bytes (checked)
        if name == "time_signature" and m == META_TIME_SIGNATURE:
            if self._kept < 4:
                return None
            if p[1] > 29:  # 1 << 30 would be a long int
                raise SMFError("time signature denominator 2**%d" % p[1], self.track,
                               self._at + 1)
            return (p[0], 1 << p[1], p[2], p[3])
        if name == "key_signature" and m == META_KEY_SIGNATURE:
            if self._kept < 2:
                return None
            return (p[0] - 256 if p[0] > 127 else p[0], p[1] == 1)
        if name == "tempo" or name == "time_signature" or name == "key_signature":
            return None  # (as channel and meta_type: None when not that kind of event)
        raise AttributeError("%s does not apply to a meta event" % name)

    def _text(self):
        raw = bytes(self._payload[:self._kept])
        try:
            return str(raw, "utf-8")  # bytes.decode is missing on small boards
        except UnicodeError:
            return "".join(chr(b) for b in raw)  # Latin-1, as older files use

    def write_to(self, port):
        """Send this event to port; return the bytes it took (meta events: 0).

        A SysEx goes out as F0 + data, streamed from the file when longer than payload.
        """
        s = self.status
        if s < 0xF0:
            return _write_all(port, self._sends[self._fill()])
        if s == META:
            return 0
        if self._length > self._kept:
            return self._stream(port)
        if s == SYSEX:
            self._raw[0] = SYSEX
            return _write_all(port, memoryview(self._raw)[:self._kept + 1])
        return _write_all(port, self._payload[:self._kept])

    def _stream(self, port):
        # the reader seeks before every read, so moving the file position is safe
        sent = 0
        if self.status == SYSEX:
            self._msg[0] = SYSEX
            sent = _write_all(port, self._sends[1])
            if not sent:
                return 0
        f = self._reader._file
        chunk = self._payload
        offset = self._at
        left = self._length
        while left:
            f.seek(offset)
            got = f.readinto(chunk) or 0
            if got > left:
                got = left
            if not got:
                break
            n = _write_all(port, memoryview(chunk)[:got])
            sent += n
            if n < got:
                break
            offset += got
            left -= got
        f.seek(self._at)
        f.readinto(chunk)  # payload holds the start of the data again
        return sent


class MidiFile:
    """A Standard MIDI File read as a stream of events.

    MidiFile(source, payload_size=64, buffer_size=64): a path (closed by close() or
    `with`) or a binary file with seek/tell/readinto. Iterating gives every event in
    order: formats 0 and 1 merged by tick, ties by lower track, then file order.
    Attributes: format, ntracks, division, ppq (None for SMPTE), smpte_fps (24, 25,
    29 for 29.97, 30), ticks_per_frame, track_offsets, track_lengths, event.
    """

    def __init__(self, source, payload_size=64, buffer_size=64):
        if buffer_size < _LOOKAHEAD:
            raise ValueError("buffer_size must be >= %d, got %d" % (_LOOKAHEAD, buffer_size))
        if payload_size < 3:
            raise ValueError("payload_size must be >= 3, got %d" % payload_size)
        self._own = isinstance(source, str)
        self._file = open(source, "rb") if self._own else source
        try:
            self._read_header()
        except BaseException:
            self.close()
            raise
        nt = self.ntracks
        self.event = Event(payload_size, self)
        self._pool = [bytearray(buffer_size) for _ in range(min(nt, _SLOTS))]
        self._owner = [-1] * _SLOTS  # the track whose bytes are in each buffer
        self._base = [0] * nt   # file offset of the track's buffered bytes
        self._idx = [0] * nt    # next unread byte in them
        self._len = [0] * nt    # bytes buffered (never past the chunk)
        self._end = [0] * nt  # file offset of the end of its chunk
        for t in range(nt):
            self._end[t] = self.track_offsets[t] + self.track_lengths[t]
        self._status = bytearray(nt)  # running status (0 = none yet)
        self._tick = [_DONE] * (nt or 1)  # tick of each track's next event
        self._tree = [0] * (2 * nt) if nt > _TREE_FROM else []
        self._at = 0  # file offset of the event being read, for errors
        self.rewind()

    def _read_header(self):
        f = self._file
        f.seek(0, 2)
        size = f.tell()
        f.seek(0)
        head = bytearray(14)
        got = f.readinto(head) or 0
        if got < 14 and got and head[:min(got, 4)] == b"MThd"[:min(got, 4)]:
            raise SMFError("file ends inside the MThd header", None, got)
        if got < 14 or head[:4] != b"MThd":
            raise SMFError("not a Standard MIDI File: no MThd header", None, 0)
        length = self._chunk_length(head, 0, size)
        if length < 6:
            raise SMFError("header length %d is shorter than 6" % length, None, 4)
        self.format = head[8] << 8 | head[9]
        declared = head[10] << 8 | head[11]
        division = self.division = head[12] << 8 | head[13]
        if self.format > 2:
            raise SMFError("format %d is not 0, 1 or 2" % self.format, None, 8)
        self.ppq = self.smpte_fps = self.ticks_per_frame = None
        if division & 0x8000:
            fps = 256 - (division >> 8)
            tpf = division & 0xFF
            if fps not in (24, 25, 29, 30):
                raise SMFError("SMPTE division -%d is not 24, 25, 29 or 30 frames" % fps, None, 12)
            if not tpf:
                raise SMFError("SMPTE division has 0 ticks per frame", None, 13)
            self.smpte_fps = fps
            self.ticks_per_frame = tpf
            # microseconds per tick = _rate_num / _rate_den; 29.97: 1001000000 / (30000 tpf)
            self._rate_num, self._rate_den = (100100, 3 * tpf) if fps == 29 else (1000000, fps * tpf)
        else:
            if not division:
                raise SMFError("division is 0 ticks per quarter note", None, 12)
            self.ppq = division
            self._rate_num, self._rate_den = DEFAULT_TEMPO, division
        # the track chunks, skipping unknown chunks by their length
        self.track_offsets = offsets = [0] * declared
        self.track_lengths = lengths = [0] * declared
        n = 0
        pos = 8 + length
        while n < declared:
            f.seek(pos)
            if size - pos < 8 or (f.readinto(head) or 0) < 8:
                raise SMFError("file ends after %d of %d tracks" % (n, declared), None, pos)
            for k in range(4):
                if not 0x20 <= head[k] <= 0x7E:
                    raise SMFError("not a chunk type (4 ASCII characters): 0x%02X%02X%02X%02X"
                                   % (head[0], head[1], head[2], head[3]), None, pos)
            length = self._chunk_length(head, pos, size)
            if head[:4] == b"MTrk":
                offsets[n] = pos + 8
                lengths[n] = length
                n += 1
            pos += 8 + length
        self.ntracks = declared

    @staticmethod
    def _chunk_length(head, pos, size):
        # a top byte >= 0x40 is >= 1 GiB: refused before it becomes a long int, and
        # compared as size - pos so no sum passes 2**30
        length = head[4] << 24 | head[5] << 16 | head[6] << 8 | head[7] if head[4] < 0x40 else _DONE
        if length > size - pos - 8:
            raise SMFError("chunk length %d runs past end of file (%d bytes)" % (length, size),
                           None, pos + 4)
        return length

    def close(self):
        """Close the file if this MidiFile opened it."""
        if self._own and self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        self.rewind()
        event = self.next_event()
        while event is not None:
            yield event
            event = self.next_event()

    def rewind(self):
        """Go back to the start of the song."""
        nt = self.ntracks
        for t in range(nt):
            self._base[t] = self.track_offsets[t]
            self._idx[t] = self._len[t] = self._status[t] = 0
            self._tick[t] = _DONE
        for s in range(_SLOTS):
            self._owner[s] = -1
        ev = self.event
        ev.track = 0
        ev.tick = -1  # no event yet: next_event() looks for the earliest
        self._time_tick = self._ms = self._us = self._rem = 0  # song time at _time_tick
        self._set_rate(self._rate_num, self._rate_den)
        self._next_track = 1 if self.format == 2 else nt
        for t in range(min(nt, self._next_track)):
            self._start_track(t, 0)
        if self._tree:
            self._build_tree(nt)

    def _build_tree(self, nt):
        # leaves nt..2nt-1 hold the tracks; each node above, the winner of its two
        tree = self._tree
        ticks = self._tick
        for t in range(nt):
            tree[nt + t] = t
        for j in range(nt - 1, 0, -1):
            a = tree[2 * j]
            t = tree[2 * j + 1]
            tree[j] = t if ticks[t] < ticks[a] or ticks[t] == ticks[a] and t < a else a

    # Functions on the reading path keep within MicroPython's 11 frame slots (locals +
    # stack), so no call takes a heap frame; errors are raised from _fail.

    def _fail(self, t, offset, message):
        if "%" in message:  # messages that show the byte at offset
            message = message % self._pool[t % _SLOTS][offset - self._base[t]]
        raise SMFError(message, t, offset)

    def _set_rate(self, num, den):
        # microseconds per tick = num / den, as q_ms ms + q_us us + r / den us
        q = num // den
        self._q_ms = q // 1000
        self._q_us = q % 1000
        self._r = num % den
        self._den = den

    def _time_to(self, tick):
        # song time on to tick, in steps small enough that products stay below 2**30
        ticks = tick - self._time_tick
        self._time_tick = tick
        while ticks > 0:
            step = ticks if ticks < _CHUNK_TICKS else _CHUNK_TICKS
            ticks -= step
            x = step * self._r + self._rem
            self._rem = x % self._den
            x = self._us + step * self._q_us + x // self._den
            self._ms += step * self._q_ms + x // 1000
            self._us = x % 1000
            if self._ms > _MS_LIMIT:
                self._fail(self.event.track, self._at,
                           "song time passes 6 days at tick %d" % tick)

    def _refill(self, t):
        # load track t's buffer from base + idx, clamped to the chunk; another track
        # sharing the buffer keeps its place and reloads when next read
        s = t % _SLOTS
        other = self._owner[s]
        if other != t:
            if other >= 0:
                self._base[other] += self._idx[other]
                self._idx[other] = self._len[other] = 0
            self._owner[s] = t
        pos = self._base[t] + self._idx[t]
        self._file.seek(pos)
        n = self._file.readinto(self._pool[s]) or 0
        if n > self._end[t] - pos:
            n = self._end[t] - pos
        self._base[t] = pos
        self._idx[t] = 0
        self._len[t] = n
        return n

    def _start_track(self, t, tick):
        self._tick[t] = tick
        self._read_delta(t)

    def _read_vlq(self, t, i):
        # a variable-length quantity (at most 4 bytes) at index i, buffered by the
        # caller; the index after it goes to _idx
        buf = self._pool[t % _SLOTS]
        value = 0
        stop = i + 4
        while i < self._len[t]:
            value = value << 7 | (buf[i] & 0x7F)
            i += 1
            if buf[i - 1] < 0x80:
                self._idx[t] = i
                return value
            if i == stop:
                break
        self._fail_vlq(t, stop)

    def _fail_vlq(self, t, stop):
        self._fail(t, self._base[t] + stop - 4, "variable-length quantity longer than 4 bytes"
                   if stop <= self._len[t] else "event runs past end of chunk")

    def _read_delta(self, t):
        # after an event: the next delta-time moves the track's tick on, or the track
        # is done at the end of its chunk
        i = self._idx[t]
        n = self._len[t]
        if n - i < 4 and self._base[t] + n < self._end[t]:
            n = self._refill(t)
            i = 0
        if i >= n:
            self._tick[t] = _DONE  # no end of track event: tolerated
            return
        n = self._tick[t] + self._read_vlq(t, i)
        if n > _TICK_LIMIT:
            self._fail(t, self._base[t] + i, "absolute tick passes 805306367")
        self._tick[t] = n

    def _read_payload(self, t, length):
        # keep up to len(payload) bytes of a SysEx, escape or meta body, skip the rest
        i = self._idx[t]
        if length > self._end[t] - self._base[t] - i:
            self._fail_length(t, i, length)
        ev = self.event
        ev._length = length
        ev._at = self._base[t] + i
        ev._kept = length if length < len(ev._payload) else len(ev._payload)
        length -= ev._kept  # (now the bytes skipped)
        j = 0
        while j < ev._kept:
            if i >= self._len[t]:
                self._idx[t] = i
                self._refill(t)
                i = 0
            ev._payload[j] = self._pool[t % _SLOTS][i]
            i += 1
            j += 1
        i += length
        if i > self._len[t]:  # skipped past the buffer: empty it at the new place
            self._base[t] += i
            self._len[t] = 0
            i = 0
        self._idx[t] = i

    def _fail_length(self, t, i, length):
        self._fail(t, self._base[t] + i, ("meta event" if self.event.status == META else "SysEx event")
                   + " length %d runs past end of chunk" % length)

    def next_event(self):
        """The next event (the reused Event), or None at the end. Allocates nothing."""
        ev = self.event
        t = ev.track
        best = ev.tick
        if self._tick[t] != best:
            # the track just read moved on (else it holds the earliest event still)
            best = _DONE if self._tree else min(self._tick)  # min, index: in C
            if best == _DONE:  # many tracks, a format 2 track's end, the song's end
                t = self._pick(t)
                if t < 0:
                    return None
                best = ev.tick
            else:
                t = self._tick.index(best)  # the first track holding it: ties go lower
                ev.tick = best
                ev.track = t
        # channel messages, most of a song, are read here in one pass; the rest
        # (meta, SysEx, a buffer's end, errors) goes the long way
        i = self._idx[t]
        n = self._len[t]
        if n - i < _LOOKAHEAD and self._base[t] + n < self._end[t]:
            n = self._refill(t)  # (a track whose buffer another took has _len 0)
            i = 0
        self._at = self._base[t] + i  # for errors
        buf = self._pool[t % _SLOTS]
        if i >= n:
            return self._read_event(t)
        status = buf[i]
        if status < 0x80:
            status = self._status[t]  # running status, kept across meta and SysEx
            if not status:
                return self._read_event(t)
        elif status < 0xF0:
            i += 1
            self._status[t] = status
        else:
            return self._read_event(t)
        if status < 0xC0 or status >= 0xE0:
            if i + 2 > n or buf[i] > 0x7F or buf[i + 1] > 0x7F:
                return self._read_event(t)
            ev.data1 = buf[i]
            ev.data2 = buf[i + 1]
            i += 2
        else:
            if i >= n or buf[i] > 0x7F:
                return self._read_event(t)
            ev.data1 = buf[i]
            ev.data2 = 0
            i += 1
        ev.status = status
        if i < n and buf[i] < 0x80 and best < _TICK_LIMIT - 127:
            self._tick[t] = best + buf[i]  # a one-byte delta-time, the usual case
            self._idx[t] = i + 1
        else:
            self._idx[t] = i
            self._read_delta(t)
        return ev

    def _pick(self, t):
        # the track with the earliest next event (ties: the lower track), or -1;
        # format 2 starts the next track when one ends
        ticks = self._tick
        while True:
            if not self._tree:
                best = min(ticks)  # min and index run in C
                t = ticks.index(best)
            else:
                self._replay(t)
                t = self._tree[1]
                best = ticks[t]
            if best != _DONE:
                break
            if self._next_track >= self.ntracks:
                return -1
            t = self._next_track
            self._next_track += 1
            self._start_track(t, self.event.tick if self.event.tick > 0 else 0)
        self.event.tick = best
        self.event.track = t
        return t

    def _replay(self, t):
        # track t's tick changed: recompute the winners on its path to the root
        tree = self._tree
        ticks = self._tick
        j = self.ntracks + t
        while j > 1:
            o = tree[j ^ 1]
            if ticks[o] < ticks[t] or ticks[o] == ticks[t] and o < t:
                t = o
            j >>= 1
            tree[j] = t

    def _read_event(self, t):
        # the long way: meta and SysEx events, and broken channel messages (raising)
        i = self._idx[t]
        n = self._len[t]
        if n - i < _LOOKAHEAD and self._base[t] + n < self._end[t]:
            n = self._refill(t)
            i = 0
        if i >= n:
            self._fail(t, self._at, "delta-time without an event at end of chunk")
        status = self._pool[t % _SLOTS][i]
        if status < 0x80:
            status = self._status[t]
            if not status:
                self._fail(t, self._at, "data byte 0x%02X with no running status")
        else:
            i += 1
        ev = self.event
        ev.status = status
        ev.data1 = ev.data2 = 0
        if status < 0xF0:
            self._read_channel(t, i, status)
        elif status == META:
            self._read_meta(t, i)
        elif status == SYSEX or status == SYSEX_ESCAPE:
            n = self._read_vlq(t, i)  # (n reused: a call inside a call needs more frame)
            self._read_payload(t, n)
            self._read_delta(t)
        else:
            self._fail(t, self._at, "status byte 0x%02X is not allowed in a track")
        return ev

    def _read_channel(self, t, i, status):
        # a channel message next_event() left: broken, so this raises
        n = _DATA_LENGTH[(status >> 4) - 8]
        if i + n > self._len[t]:
            self._fail(t, self._at, "event runs past end of chunk")
        buf = self._pool[t % _SLOTS]
        for k in range(i, i + n):
            if buf[k] > 0x7F:
                raise SMFError("status 0x%02X needs %d data bytes, found 0x%02X"
                               % (status, n, buf[k]), t, self._at)

    def _read_meta(self, t, i):
        ev = self.event
        if i >= self._len[t]:
            self._fail(t, self._at, "event runs past end of chunk")
        ev._meta = self._pool[t % _SLOTS][i]
        i = self._read_vlq(t, i + 1)  # (i reused for the length)
        self._read_payload(t, i)
        if ev._meta == META_END_OF_TRACK:
            self._tick[t] = _DONE  # bytes after the end of track are ignored
            return
        if ev._meta == META_TEMPO:
            if ev._length < 3:
                self._fail(t, self._at, "tempo event has %d data bytes, needs 3" % ev._length)
            if self.ppq:  # SMPTE time ignores tempo
                self._time_to(ev.tick)  # the time so far runs at the old tempo
                self._set_rate(ev.tempo, self._rate_den)
        self._read_delta(t)


def _default_clock():
    # (ticks function, clock ticks per ms, mask) for the running platform
    try:
        import supervisor  # CircuitPython, or host_shim's stand-in
        return supervisor.ticks_ms, 1, 0x1FFFFFFF
    except ImportError:
        pass
    import time
    if hasattr(time, "ticks_us"):  # MicroPython: its own period (2**30 on boards)
        return time.ticks_us, 1000, getattr(time, "ticks_add")(0, -1)

    def monotonic_us():  # CPython: microseconds that wrap as a board's do
        return (time.monotonic_ns() // 1000) & 0x3FFFFFFF
    return monotonic_us, 1000, 0x3FFFFFFF


_STOPPED = const(0)
_PLAYING = const(1)
_PAUSED = const(2)


class Player:
    """Plays a MidiFile (or a path) to a port, each event at its time, without drift.

    Player(song, port, ticks_ms=None, ticks_us=None, ticks_period=None): port is
    anything with write(buf) returning the count taken. The clock is
    supervisor.ticks_ms on CircuitPython, time.ticks_us on MicroPython, or the
    function given (ticks_period: the power of two it wraps at, default 2**29 for ms,
    2**30 for us). update() sends what is due and returns (False once the song has
    ended or was stopped); play() blocks. stop() and pause() send a note-off for
    every sounding note. playing, paused: state. Counters: sent, lost_bytes.
    """

    def __init__(self, song, port, ticks_ms=None, ticks_us=None, ticks_period=None):
        if isinstance(song, str):
            song = MidiFile(song)
        self.song = song
        self.port = port
        self._next_event = song.next_event  # bound method cached: creating one allocates
        # masks, not periods: 2**30 itself would be a long int
        if ticks_ms is not None:
            self._ticks, self._per_ms = ticks_ms, 1
            mask = ticks_period - 1 if ticks_period else 0x1FFFFFFF
        elif ticks_us is not None:
            self._ticks, self._per_ms = ticks_us, 1000
            mask = ticks_period - 1 if ticks_period else 0x3FFFFFFF
        else:
            self._ticks, self._per_ms, mask = _default_clock()
        self._mask = mask
        self._half = (mask >> 1) + 1
        self._step = (mask >> 2) // self._per_ms  # ms waited at most per deadline step
        self._sounding = bytearray(256)  # bit per (channel, note)
        self._off = bytearray(3)
        self._state = _STOPPED
        self._event = None  # the event waiting for its time
        self._deadline = 0  # clock reading at song time _at_ms
        self._at_ms = 0
        self._ms = self._extra = 0  # the event's song ms, + clock ticks after the ms
        self._paused_at = 0
        self.sent = 0
        self.lost_bytes = 0

    def _add(self, a, b):
        # (a + b) mod period for 0 <= b < period, without making a + b itself
        if b > self._mask - a:
            return b - (self._mask - a) - 1
        return a + b

    def _diff(self, a, b):
        # a - b as a signed count of ticks, correct across a wrap
        d = (a - b) & self._mask
        return d - self._mask - 1 if d >= self._half else d

    def __getattr__(self, name):
        # playing, paused: no property on this class keeps its stores cheap
        if name == "playing":
            return self._state != _STOPPED
        if name == "paused":
            return self._state == _PAUSED
        raise AttributeError(name)

    def start(self):
        """Start (or restart) the song from its beginning, now."""
        self.silence()
        self.song.rewind()
        self._deadline = self._ticks() & self._mask
        self._at_ms = 0
        self._state = _PLAYING
        self._fetch()

    def _fetch(self):
        event = self._event = self._next_event()
        if event is not None:
            song = self.song
            if song._time_tick != event.tick:
                song._time_to(event.tick)
            self._ms = song._ms
            # a ms clock sends at the first tick at or after the exact time
            self._extra = song._us if self._per_ms == 1000 else song._us > 0

    def _due(self, now):
        # the event is due at deadline + (its ms - _at_ms) ms + _extra; a longer wait
        # than a quarter of the clock period goes in steps, as a wrap would hide it
        while self._ms - self._at_ms > self._step:
            due = self._add(self._deadline, self._step * self._per_ms)
            if self._diff(now, due) < 0:
                return False
            self._deadline = due
            self._at_ms += self._step
        due = self._add(self._deadline, (self._ms - self._at_ms) * self._per_ms)
        if self._diff(now, self._add(due, self._extra)) < 0:
            return False
        self._deadline = due
        self._at_ms = self._ms
        return True

    def update(self):
        """Send every event that is due; True while playing or paused. Never sleeps."""
        if self._state != _PLAYING:
            return self._state == _PAUSED
        now = self._ticks()
        while True:
            if self._event is None:
                ended = self._end()  # 0: stopped, 1: begun again, 2: begun again, wait
                if ended != 1:
                    return ended == 2
            elif not self._due(now):
                return True
            else:
                self._send(self._event)
                self._fetch()

    def _end(self):
        self.stop()
        return 0

    def _send(self, event):
        # sounding notes are tracked, for their note-offs on stop and pause
        s = event.status
        if s >= 0xF0:
            if s != META:
                self._out(event)
            return
        k = (s & 0x0F) << 4 | event.data1 >> 3  # byte of _sounding for the note
        if s >= 0xA0:
            pass
        elif s >= 0x90 and event.data2:
            self._sounding[k] |= 1 << (event.data1 & 7)
        else:
            self._sounding[k] &= ~(1 << (event.data1 & 7))
        self._out(event)

    def _out(self, event):
        n = event.write_to(self.port)
        self.sent += 1
        if event.status < 0xF0:
            n -= _DATA_LENGTH[(event.status >> 4) - 8] + 1
        else:
            n -= event._length + (event.status == SYSEX)
        if n < 0:
            self.lost_bytes -= n

    def silence(self):
        """Send a note-off for every note this player has sounding."""
        for k in range(256):
            if self._sounding[k]:
                self._silence(k)

    def _silence(self, k):
        # (a frame small enough to stay off the heap: few locals, short expressions)
        bits = self._sounding[k]
        self._sounding[k] = 0
        self._off[0] = NOTE_OFF | k >> 4
        k = (k & 15) << 3  # (k reused: the first note of the byte)
        while bits:
            if bits & 1:
                self._off[1] = k
                self.lost_bytes += 3 - _write_all(self.port, self._off)
            bits >>= 1
            k += 1

    def stop(self):
        """Stop playing and send a note-off for every sounding note."""
        self.silence()
        self._state = _STOPPED

    def pause(self):
        """Hold the song where it is; sounding notes get their note-off."""
        if self._state == _PLAYING:
            self._paused_at = self._ticks() & self._mask
            self.silence()
            self._state = _PAUSED

    def resume(self):
        """Go on after pause(): what follows is later by the pause's length."""
        if self._state == _PAUSED:
            paused_for = self._diff(self._ticks() & self._mask, self._paused_at)
            if paused_for > 0:
                self._deadline = self._add(self._deadline, paused_for)
            self._state = _PLAYING

    def play(self):
        """Play the song to its end (blocks), resting a millisecond between updates."""
        import time
        if self._state == _STOPPED:
            self.start()
        while self.update():
            time.sleep(0.001)
