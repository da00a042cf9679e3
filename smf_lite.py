"""smf_lite: Standard MIDI Files streamed from flash, and a drift-free player.

Reading::

    import smf_lite
    song = smf_lite.MidiFile("tune.mid")     # a path, or a file opened "rb"
    for event in song:                        # formats 0 and 1: all tracks merged by tick
        print(event.tick, event.time_ms, hex(event.status), event.channel, bytes(event.data))

Playing (sends to any port with `write`: usb_midi.ports[1], busio.UART, machine.UART)::

    player = smf_lite.Player(song, usb_midi.ports[1])
    player.play()                             # blocks until the end; or call update() in a loop

Memory: the file stays on the drive. `MidiFile` keeps one open file, a small buffer per
track (`buffer_size` bytes) and one reused `Event`, all allocated when the file is
opened; reading events allocates nothing more, so the heap does not grow with the
file. Meta and SysEx data are kept up to `payload_size` bytes (the rest is flagged
`truncated`; a long SysEx is still sent whole, streamed from the file).

Time: every event carries its absolute tick and its absolute time, computed with
integers and carried remainders (no floats, no drift, every intermediate below 2**30
so 32-bit boards never make long ints). The time is the exact time rounded down to
the whole microsecond, and is worked out only when asked for (`event.time_ms`), so a
reader that needs only ticks pays nothing for it. Tempo changes in any track apply to
all tracks. A song may run to 805 million ticks and 6.2 days. SMPTE
divisions run at 24, 25, 29.97 (the file's -29, "30 drop frame": 30000/1001 frames a
second) or 30 frames a second; tempo events do not change SMPTE time.

Blocking: `MidiFile` reads only from the file. `Player.update()` never sleeps: it sends
what is due and returns. `Player.play()` blocks until the song ends.

Errors: a corrupt file raises `SMFError` (a ValueError) naming the track, the byte
offset in the file and what was wrong. Reading never runs past a chunk, never hangs,
and accepts what real files do: running status after meta and SysEx events, a
missing end of track, unknown chunks and unknown meta events (skipped by length), a
header longer than 6 bytes.
"""

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

__version__ = "0.1.0"

# Event types (`Event.type`): channel messages have their channel stripped.
NOTE_OFF = 0x80
NOTE_ON = 0x90
AFTERTOUCH = 0xA0
CONTROLLER_CHANGE = CC = 0xB0
PROGRAM_CHANGE = 0xC0
CHANNEL_PRESSURE = 0xD0
PITCH_BEND = 0xE0
SYSEX = 0xF0           # F0 event: a SysEx message, sent as F0 + data
SYSEX_ESCAPE = 0xF7    # F7 event: raw bytes sent as they are (SysEx packets, realtime)
META = 0xFF            # meta event: never sent

# Meta event types (`Event.meta_type`).
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

DEFAULT_TEMPO = 500000  # microseconds per quarter note (120 BPM) until a tempo event

_DONE = const(0x3FFFFFFF)        # tick of a track with no more events (above every real tick)
# limits that keep every sum below 2**30 (a small int on 32-bit boards) without checks
# before each addition: a tick plus a delta-time (< 2**28), milliseconds plus one step
_TICK_LIMIT = const(0x2FFFFFFF)  # 805 million ticks
_MS_LIMIT = const(0x20000000)    # 2**29 ms of song time: 6.2 days
_CHUNK_TICKS = const(16384)      # ticks per time step: 16384 * 32767 + 32767 < 2**30
_LOOKAHEAD = const(16)           # bytes kept buffered before an event header is parsed

# where Event keeps the fields every event sets, in one list (see Event)
_TICK = const(0)
_TRACK = const(1)
_STATUS = const(2)
_DATA1 = const(3)
_DATA2 = const(4)

# data bytes per channel status, indexed by (status >> 4) - 8
_DATA_LENGTH = b"\x02\x02\x02\x02\x01\x01\x02"


class SMFError(ValueError):
    """A corrupt or unsupported Standard MIDI File.

    The message names the track (when inside one), what was wrong and the byte offset
    in the file; `track` and `offset` hold the same values (None when not known).
    """

    def __init__(self, message, track=None, offset=None):
        if offset is not None:
            message = "%s at byte %d" % (message, offset)
        if track is not None:
            message = "track %d: %s" % (track, message)
        super().__init__(message)
        self.track = track
        self.offset = offset


def _write_all(port, buf):
    # a port may accept fewer bytes than given (PortOut.write); retry the rest until
    # it accepts nothing (no USB host), so nothing is lost silently: return the count
    total = len(buf)
    n = port.write(buf) or 0
    while n < total:
        more = port.write(memoryview(buf)[n:]) or 0
        if not more:
            break
        n += more
    return n


class Event:
    """One event of a `MidiFile`. The reader reuses one Event: it is valid until the next.

    Attributes:
      track        index of the track it came from
      tick         absolute tick (format 2: ticks continue from the end of the last track)
      time_ms, time_frac_us
                   absolute time: whole milliseconds, and 0-999 microseconds more
                   (small ints, exact: use these on boards; `time_us` joins them).
                   Worked out when first asked for, so reading without times is faster
      status       the status byte: 0x80-0xEF channel messages, 0xF0 SysEx,
                   0xF7 escape, 0xFF meta
      type         status without the channel (NOTE_ON, ..., SYSEX, SYSEX_ESCAPE, META)
      channel      0-15 for channel messages, else None
      data1, data2 the data bytes of a channel message (data2 is 0 for one-byte messages)
      meta_type    the meta event type (META_TEMPO, ...), else None
    SysEx, escape and meta events only (other events leave them as they were):
      length       data length declared in the file
      payload      a writable memoryview holding the first `payload_length` bytes of that data
      payload_length, truncated
                   bytes kept, and whether the data was longer than `payload`
    """

    def __init__(self, payload_size, file, reader):
        # tick, track, status, data1, data2: every event sets them, so they live in a
        # list and are read through properties. (On MicroPython, storing an attribute
        # of an object whose class has properties costs a class lookup: list stores
        # keep reading events fast.)
        self._f = [0, 0, 0, 0, 0]
        self._reader = reader
        self._meta_type = 0
        self.length = 0
        # payload is a view of _raw from byte 1, so F0 + data go out in one write
        self._raw = bytearray(payload_size + 1)
        self.payload = memoryview(self._raw)[1:]
        self.payload_length = 0
        self.truncated = False
        self._message = bytearray(3)
        view = memoryview(self._message)
        # views made once: slicing allocates on MicroPython
        self._sends = (view[0:0], view[0:1], view[0:2], view[0:3])
        self._datas = (view[1:1], view[1:2], view[1:3])
        self._file = file  # where a SysEx longer than payload is streamed from
        self._payload_offset = 0

    @property
    def tick(self):
        """Absolute tick (format 2: ticks continue from the end of the track before)."""
        return self._f[_TICK]

    @property
    def track(self):
        """Index of the track the event came from."""
        return self._f[_TRACK]

    @property
    def status(self):
        """The status byte: 0x80-0xEF channel messages, 0xF0 SysEx, 0xF7 escape, 0xFF meta."""
        return self._f[_STATUS]

    @property
    def data1(self):
        """First data byte of a channel message."""
        return self._f[_DATA1]

    @property
    def data2(self):
        """Second data byte of a channel message (0 for one-byte messages)."""
        return self._f[_DATA2]

    @property
    def time_ms(self):
        """Absolute time: whole milliseconds (exact time rounded down)."""
        reader = self._reader
        if reader._time_tick != self._f[_TICK]:
            reader._time_to(self._f[_TICK])
        return reader._ms

    @property
    def time_frac_us(self):
        """Absolute time: the microseconds (0-999) after time_ms."""
        reader = self._reader
        if reader._time_tick != self._f[_TICK]:
            reader._time_to(self._f[_TICK])
        return reader._us

    @property
    def time_us(self):
        """Absolute time in microseconds (exact time rounded down).

        A long int on 32-bit boards after 17.9 minutes (and an error on boards without
        long ints): use time_ms and time_frac_us there.
        """
        return self.time_ms * 1000 + self.time_frac_us

    # type, channel and meta_type are worked out when asked: reading an event then
    # stores fewer attributes, which is most of the time a MicroPython reader spends

    @property
    def type(self):
        """Status without the channel (NOTE_ON, ...), or SYSEX, SYSEX_ESCAPE, META."""
        status = self._f[_STATUS]
        return status & 0xF0 if status < 0xF0 else status

    @property
    def channel(self):
        """0-15 for a channel message, else None."""
        status = self._f[_STATUS]
        return status & 0x0F if status < 0xF0 else None

    @property
    def meta_type(self):
        """The meta event type (META_TEMPO, ...) of a meta event, else None."""
        return self._meta_type if self._f[_STATUS] == META else None

    def _fill_message(self):
        # status + data into _message; returns how many bytes the message has
        m = self._message
        f = self._f
        m[0] = f[_STATUS]
        m[1] = f[_DATA1]
        m[2] = f[_DATA2]
        return _DATA_LENGTH[(f[_STATUS] >> 4) - 8] + 1

    @property
    def data(self):
        """The data bytes: 1-2 for a channel message (a memoryview, no allocation);
        the kept payload for SysEx, escape and meta events (allocates a view)."""
        if self._f[_STATUS] < 0xF0:
            return self._datas[self._fill_message() - 1]
        return self.payload[:self.payload_length]

    @property
    def note(self):
        """Note number of a note on/off or aftertouch event."""
        return self.data1

    @property
    def velocity(self):
        """Velocity of a note on/off event."""
        return self.data2

    @property
    def control(self):
        """Controller number of a control change."""
        return self.data1

    @property
    def value(self):
        """Value of a control change."""
        return self.data2

    @property
    def program(self):
        """Program number of a program change."""
        return self.data1

    @property
    def pitch_bend(self):
        """Pitch bend, -8192..8191 (0 = centre)."""
        return (self.data2 << 7 | self.data1) - 8192

    @property
    def tempo(self):
        """Microseconds per quarter note of a tempo meta event, else None."""
        if self.meta_type != META_TEMPO or self.payload_length < 3:
            return None
        p = self.payload
        return p[0] << 16 | p[1] << 8 | p[2]

    @property
    def time_signature(self):
        """(numerator, denominator, MIDI clocks per metronome click, 32nds per quarter)
        of a time signature meta event, else None; allocates a tuple."""
        if self.meta_type != META_TIME_SIGNATURE or self.payload_length < 4:
            return None
        p = self.payload
        return (p[0], 1 << p[1], p[2], p[3])

    @property
    def key_signature(self):
        """(sharps, minor) of a key signature meta event: sharps -7..7 (negative =
        flats), minor True/False; else None. Allocates a tuple."""
        if self.meta_type != META_KEY_SIGNATURE or self.payload_length < 2:
            return None
        sf = self.payload[0]
        return (sf - 256 if sf > 127 else sf, self.payload[1] == 1)

    @property
    def text(self):
        """The kept payload as a str (text, lyric, marker, names); allocates."""
        raw = bytes(self.payload[:self.payload_length])
        try:
            return raw.decode("utf-8")
        except UnicodeError:
            return "".join(chr(b) for b in raw)  # Latin-1, as older files use

    def write_to(self, port):
        """Send this event to port (anything with write); return the bytes accepted.

        Channel messages go out with their full status byte and allocate nothing.
        SysEx goes out as F0 + data, escape events as their raw data; a SysEx longer
        than `payload` is streamed from the file. Meta events send nothing (0).
        """
        status = self._f[_STATUS]
        if status < 0xF0:
            return _write_all(port, self._sends[self._fill_message()])
        if status == META:
            return 0
        if self.truncated:
            return self._stream(port)
        if status == SYSEX:
            self._raw[0] = SYSEX
            return _write_all(port, memoryview(self._raw)[:self.payload_length + 1])
        return _write_all(port, self.payload[:self.payload_length])

    def _stream(self, port):
        # a SysEx or escape longer than payload: stream it through payload from the
        # file (the reader seeks before every read, so moving the file position is safe)
        status = self._f[_STATUS]
        sent = 0
        if status == SYSEX:
            self._message[0] = SYSEX
            sent = _write_all(port, self._sends[1])
            if not sent:
                return 0
        f = self._file
        chunk = self.payload
        offset = self._payload_offset
        left = self.length
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
        # payload again holds the start of the data, as the attributes promise
        f.seek(self._payload_offset)
        f.readinto(chunk)
        return sent


class MidiFile:
    """A Standard MIDI File read as a stream of events.

    MidiFile(source, payload_size=64, buffer_size=64): source is a path or a binary
    file object (seek/tell/readinto); a file opened here is closed by close() or a
    `with` block. Iterating gives every event in order (formats 0 and 1: all tracks
    merged by absolute tick, ties by lower track index, then file order; format 2:
    each track after the one before). Each step yields the same `Event` object.

    Attributes: format (0, 1, 2), ntracks, division (the raw header word), ppq (ticks
    per quarter note, None for SMPTE), smpte_fps (24, 25, 29 for 29.97 drop frame, 30;
    None for PPQ), ticks_per_frame, track_offsets (file offset of each track's data),
    track_lengths, event (the reused Event).
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
        self.event = Event(payload_size, self._file, self)
        self._f = self.event._f  # the event's fields, set here without attribute stores
        self._bufs = [bytearray(buffer_size) for _ in range(nt)]
        self._base = [0] * nt   # file offset of each buffer's first byte
        self._idx = [0] * nt    # next unread byte in the buffer
        self._len = [0] * nt    # valid bytes in the buffer (never past the chunk)
        self._end = [self.track_offsets[k] + self.track_lengths[k] for k in range(nt)]
        self._status = bytearray(nt)  # running status per track (0 = none yet)
        self._tick = [0] * nt or [_DONE]  # absolute tick of each track's next event
        self._event_offset = 0  # file offset of the event being read, for errors
        self.rewind()

    def _read_header(self):
        f = self._file
        f.seek(0, 2)
        size = f.tell()
        f.seek(0)
        head = bytearray(14)
        got = f.readinto(head) or 0
        if got < 14 or not head.startswith(b"MThd"):
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
            # microseconds per tick = _rate_num / _rate_den, fixed for SMPTE time
            if fps == 29:  # 30000/1001 frames a second: 1001000000 / (30000 * tpf)
                self._rate_num, self._rate_den = 100100, 3 * tpf
            else:
                self._rate_num, self._rate_den = 1000000, fps * tpf
        else:
            if not division:
                raise SMFError("division is 0 ticks per quarter note", None, 12)
            self.ppq = division
            self._rate_num, self._rate_den = DEFAULT_TEMPO, division  # until a tempo event
        # find the track chunks, skipping unknown chunks by their length
        offsets = []
        lengths = []
        pos = 8 + length
        while len(offsets) < declared:
            f.seek(pos)
            if pos + 8 > size or (f.readinto(head) or 0) < 8:
                raise SMFError("file ends after %d of %d tracks" % (len(offsets), declared),
                               None, pos)
            length = self._chunk_length(head, pos, size)
            if head.startswith(b"MTrk"):
                offsets.append(pos + 8)
                lengths.append(length)
            pos += 8 + length
        self.ntracks = len(offsets)
        self.track_offsets = offsets
        self.track_lengths = lengths

    @staticmethod
    def _chunk_length(head, pos, size):
        # 32-bit big-endian; a top byte >= 0x40 means >= 1 GiB, past any file a board
        # holds, and rejecting it first keeps the value a small int
        if head[4] >= 0x40:
            raise SMFError("chunk length runs past end of file", None, pos + 4)
        length = head[4] << 24 | head[5] << 16 | head[6] << 8 | head[7]
        if pos + 8 + length > size:
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
        """Every event from the start of the song (rewinds first)."""
        self.rewind()
        event = self.next_event()
        while event is not None:
            yield event
            event = self.next_event()

    def rewind(self):
        """Go back to the start of the song."""
        for t in range(self.ntracks):
            self._base[t] = self.track_offsets[t]
            self._idx[t] = 0
            self._len[t] = 0
            self._status[t] = 0
            self._tick[t] = _DONE
        self._f[_TRACK] = 0
        self._f[_TICK] = -1  # no event yet: next_event() looks for the earliest of every track
        self._time_tick = 0  # the tick the song time below is for
        self._ms = 0       # song time: whole milliseconds,
        self._us = 0       # + whole microseconds (0-999),
        self._rem = 0      # + _rem / _den of a microsecond
        self._set_rate(self._rate_num, self._rate_den)
        # formats 0 and 1 start every track; format 2 starts the next when one ends
        self._next_track = 0
        while self._next_track < self.ntracks:
            self._start_track(self._next_track, 0)
            self._next_track += 1
            if self.format == 2:
                break

    # MicroPython puts a function's frame on the heap, and frees it on return, when it
    # needs more than 11 slots (locals + stack): the reading functions below keep to 11
    # (tests/mp/case_smf_frames.py checks), so reading allocates nothing even briefly.
    # Errors are raised in _fail, whose frame may be as large as it likes.

    def _fail(self, t, offset, message):
        if "%" in message:  # the byte at offset, for messages that show it
            message = message % self._bufs[t][offset - self._base[t]]
        raise SMFError(message, t, offset)

    def _set_rate(self, num, den):
        # microseconds per tick = num / den, kept as q_ms ms + q_us us + r / den us
        q = num // den
        self._q_ms = q // 1000
        self._q_us = q % 1000
        self._r = num % den
        self._den = den

    def _time_to(self, tick):
        # move the song time on to tick (never back): add ticks * num / den microseconds,
        # in steps small enough that every product stays below 2**30 (long ints allocate
        # on 32-bit boards); one step adds at most 16384 * 16777 ms, so with
        # ms <= _MS_LIMIT the sum stays below 2**30 too
        ticks = tick - self._time_tick
        self._time_tick = tick
        while ticks > 0:
            step = ticks if ticks < _CHUNK_TICKS else _CHUNK_TICKS
            ticks -= step
            x = step * self._r + self._rem
            self._rem = x % self._den
            x = self._us + step * self._q_us + x // self._den  # whole microseconds
            self._ms += step * self._q_ms + x // 1000
            self._us = x % 1000
            if self._ms > _MS_LIMIT:
                raise SMFError("song time passes 6 days at tick %d" % tick)

    def _refill(self, t):
        # load the track buffer from file offset base + idx; the count is clamped to the
        # chunk, so bytes past the chunk are never looked at
        pos = self._base[t] + self._idx[t]
        self._file.seek(pos)
        n = self._file.readinto(self._bufs[t]) or 0
        if n > self._end[t] - pos:
            n = self._end[t] - pos
        self._base[t] = pos
        self._idx[t] = 0
        self._len[t] = n
        return n

    def _start_track(self, t, tick):
        # read the delta-time of the first event; an empty chunk has no events
        self._tick[t] = tick
        self._idx[t] = 0
        self._read_delta(t)

    def _read_vlq(self, t, i):
        # a variable-length quantity (at most 4 bytes) at buffer index i, which the
        # caller made sure is buffered up to 4 bytes or the chunk's end; the index
        # after it goes to _idx
        value = 0
        stop = i + 4
        while i < self._len[t]:
            value = value << 7 | (self._bufs[t][i] & 0x7F)
            i += 1
            if self._bufs[t][i - 1] < 0x80:
                self._idx[t] = i
                return value
            if i == stop:
                self._fail(t, self._base[t] + stop - 4,
                           "variable-length quantity longer than 4 bytes")
        self._fail(t, self._base[t] + stop - 4, "event runs past end of chunk")

    def _read_delta(self, t):
        # _idx is just after an event: read the next delta-time and move the track's
        # tick on, or mark the track done at the end of its chunk
        i = self._idx[t]
        n = self._len[t]
        if n - i < 4 and self._base[t] + n < self._end[t]:
            n = self._refill(t)
            i = 0
        if i >= n:
            self._idx[t] = i
            self._tick[t] = _DONE  # chunk ends without an end of track event: tolerated
            return
        n = self._tick[t] + self._read_vlq(t, i)  # (n reused for the new tick)
        if n > _TICK_LIMIT:
            self._fail(t, self._base[t] + i, "absolute tick passes 805306367")
        self._tick[t] = n

    def _read_payload(self, t, length):
        # copy up to len(payload) bytes of a SysEx/escape/meta body, skip the rest
        i = self._idx[t]
        if length > self._end[t] - self._base[t] - i:
            self._fail_length(t, length)
        ev = self.event
        ev.length = length
        ev._payload_offset = self._base[t] + i
        ev.truncated = length > len(ev.payload)
        ev.payload_length = len(ev.payload) if ev.truncated else length
        for j in range(ev.payload_length):
            if i >= self._len[t]:
                self._idx[t] = i
                self._refill(t)
                i = 0
            ev.payload[j] = self._bufs[t][i]
            i += 1
        i += length - ev.payload_length
        if i > self._len[t]:
            # skipped past the buffer: leave it empty at the new position
            self._base[t] += i
            self._len[t] = 0
            i = 0
        self._idx[t] = i

    def _fail_length(self, t, length):
        raise SMFError("%s length %d runs past end of chunk"
                       % ("meta event" if self._f[_STATUS] == META else "SysEx event", length),
                       t, self._base[t] + self._idx[t])

    def next_event(self):
        """The next event (the reused `Event`), or None at the end of the song.

        Allocates nothing on MicroPython.
        """
        f = self._f
        t = f[_TRACK]
        best = f[_TICK]
        if self._tick[t] != best:
            # the track just read has moved on (when it has not, its next event is at
            # the same tick and it is still the first track holding the earliest one)
            best = min(self._tick)  # the earliest next event (min and index run in C)
            if best == _DONE:
                best = self._earliest()  # format 2: the next track, if any
                if best == _DONE:
                    return None
            t = self._tick.index(best)  # the first track holding it: ties go to the lower
            f[_TICK] = best
            f[_TRACK] = t
        # channel messages, the bulk of a song, are read here in one pass; anything
        # else (meta, SysEx, the end of a buffer, errors) goes the long way
        buf = self._bufs[t]
        i = self._idx[t]
        n = self._len[t]
        if n - i < _LOOKAHEAD and self._base[t] + n < self._end[t]:
            n = self._refill(t)
            i = 0
        if i >= n:
            return self._read_event(t)
        status = buf[i]
        if status < 0x80:
            status = self._status[t]  # running status (kept across meta and SysEx events)
            if not status:
                return self._read_event(t)
        elif status < 0xF0:
            i += 1
            self._status[t] = status
        else:
            return self._read_event(t)
        if status < 0xC0 or status >= 0xE0:  # two data bytes
            if i + 2 > n or buf[i] > 0x7F or buf[i + 1] > 0x7F:
                return self._read_event(t)
            f[_DATA1] = buf[i]
            f[_DATA2] = buf[i + 1]
            i += 2
        else:
            if i >= n or buf[i] > 0x7F:
                return self._read_event(t)
            f[_DATA1] = buf[i]
            f[_DATA2] = 0
            i += 1
        f[_STATUS] = status
        if i < n and buf[i] < 0x80 and best < _TICK_LIMIT - 127:
            self._tick[t] = best + buf[i]  # a one-byte delta-time, the usual case
            self._idx[t] = i + 1
        else:
            self._idx[t] = i
            self._read_delta(t)
        return self.event

    def _earliest(self):
        # the earliest tick of any track, starting the next track of a format 2 file
        # when one has ended; _DONE at the end of the song
        best = min(self._tick)
        while best == _DONE and self._next_track < self.ntracks:
            best = self._f[_TICK]
            self._start_track(self._next_track, best if best > 0 else 0)
            self._next_track += 1
            best = min(self._tick)
        return best

    def _read_event(self, t):
        # the long way: meta and SysEx events, and channel messages at the end of a
        # buffer or broken (then this raises the error); returns the event
        buf = self._bufs[t]
        i = self._idx[t]
        n = self._len[t]
        if n - i < _LOOKAHEAD and self._base[t] + n < self._end[t]:
            n = self._refill(t)
            i = 0
        self._event_offset = self._base[t] + i  # for error messages
        if i >= n:
            self._fail(t, self._event_offset, "delta-time without an event at end of chunk")
        status = buf[i]
        if status < 0x80:
            status = self._status[t]  # running status (kept across meta and SysEx events)
            if not status:
                self._fail(t, self._event_offset, "data byte 0x%02X with no running status")
        else:
            i += 1
        self._f[_STATUS] = status
        if status < 0xF0:
            self._read_channel(t, i, status)
        elif status == META:
            self._read_meta(t, i)
        elif status == SYSEX or status == SYSEX_ESCAPE:
            n = self._read_vlq(t, i)  # (n reused for the length)
            self._read_payload(t, n)
            self._read_delta(t)
        else:
            self._fail(t, self._event_offset, "status byte 0x%02X is not allowed in a track")
        return self.event

    def _read_channel(self, t, i, status):
        # a channel message next_event() left: broken, so this raises
        self._status[t] = status
        n = _DATA_LENGTH[(status >> 4) - 8]
        if i + n > self._len[t]:
            self._fail(t, self._event_offset, "event runs past end of chunk")
        for k in range(i, i + n):
            if self._bufs[t][k] > 0x7F:
                raise SMFError("status 0x%02X needs %d data bytes, found 0x%02X"
                               % (status, n, self._bufs[t][k]), t, self._event_offset)
        self._f[_DATA1] = self._bufs[t][i]
        self._f[_DATA2] = self._bufs[t][i + 1] if n == 2 else 0
        self._idx[t] = i + n
        self._read_delta(t)

    def _read_meta(self, t, i):
        ev = self.event
        if i >= self._len[t]:
            self._fail(t, self._event_offset, "event runs past end of chunk")
        ev._meta_type = self._bufs[t][i]
        self._f[_DATA1] = self._f[_DATA2] = 0
        i = self._read_vlq(t, i + 1)  # (i reused for the length)
        self._read_payload(t, i)
        if ev._meta_type == META_END_OF_TRACK:
            self._tick[t] = _DONE  # bytes after the end of track are ignored
            return
        if ev._meta_type == META_TEMPO:
            if ev.length < 3:
                self._fail(t, self._event_offset,
                           "tempo event has %d data bytes, needs 3" % ev.length)
            if self.ppq:  # SMPTE time ignores tempo
                self._time_to(self._f[_TICK])  # the time so far runs at the old tempo
                self._set_rate(ev.tempo, self._rate_den)
        self._read_delta(t)


def _default_clock():
    # (ticks function, microseconds per tick, period mask) for the running platform
    try:
        import supervisor  # CircuitPython, or host_shim's stand-in when installed
        return supervisor.ticks_ms, 1000, 0x1FFFFFFF
    except ImportError:
        pass
    import time
    ticks_us = getattr(time, "ticks_us", None)
    if ticks_us is not None:  # MicroPython: its own period (2**30 on 32-bit boards)
        return ticks_us, 1, getattr(time, "ticks_add")(0, -1)
    mask = 0x3FFFFFFF

    def monotonic_us():  # CPython: a monotonic microsecond clock that wraps like a board's
        return (time.monotonic_ns() // 1000) & mask
    return monotonic_us, 1, mask


_STOPPED = const(0)
_PLAYING = const(1)
_PAUSED = const(2)
_SONG_STEP_US = const(500000)  # song time is scheduled in pieces: 500999 * 1000 + 10**7 < 2**30


class Player:
    """Plays a MidiFile to a port, each event at its time, without drift.

    Player(song, port, loop=False, tempo_scale=1.0, ticks_ms=None, ticks_us=None,
    ticks_period=None, send_sysex=True)

    song is a MidiFile or a path; port is anything with write(buf) (usb_midi.ports[1],
    busio.UART, machine.UART). The clock is supervisor.ticks_ms() on CircuitPython
    (and under host_shim), time.ticks_us() on MicroPython, a monotonic microsecond
    clock on CPython; pass ticks_ms= or ticks_us= (a function; ticks_period, the
    power of two it wraps at, defaults to 2**29 for ms and 2**30 for us) to choose.

    Each event is due at the song start plus its time (divided by tempo_scale),
    computed from the song's exact microseconds with carried remainders, so deadlines
    are absolute and never drift; it is sent at the first clock tick at or after that.
    All clock arithmetic wraps (the ms clock wraps every 6.2 days, first 65.5 s after
    a CircuitPython board boots).

    update() sends everything due and returns at once (never sleeps, allocates nothing
    for channel messages); play() blocks until the song ends. Note-ons are tracked so
    stop(), pause() and a loop restart can send a note-off for every sounding note.
    Counters: sent (events sent), lost_bytes (bytes the port did not accept).
    """

    def __init__(self, song, port, loop=False, tempo_scale=1.0, ticks_ms=None, ticks_us=None,
                 ticks_period=None, send_sysex=True):
        if isinstance(song, str):
            song = MidiFile(song)
        self.song = song
        self.port = port
        self.loop = loop
        self.send_sysex = send_sysex
        # masks, not periods: 2**30 itself would be a long int (an error on SAMD21)
        if ticks_ms is not None:
            self._ticks, self._unit_us = ticks_ms, 1000
            mask = ticks_period - 1 if ticks_period else 0x1FFFFFFF
        elif ticks_us is not None:
            self._ticks, self._unit_us = ticks_us, 1
            mask = ticks_period - 1 if ticks_period else 0x3FFFFFFF
        else:
            self._ticks, self._unit_us, mask = _default_clock()
        self._mask = mask
        self._half = (mask >> 1) + 1
        self._next_event = song.next_event  # bound method cached: creating it allocates
        self._speed = 1000
        self.tempo_scale = tempo_scale
        self._sounding = bytearray(256)  # bit per (channel, note): 16 * 128 bits
        self._off = bytearray(3)
        self._muted_channels = 0
        self._muted_tracks = bytearray(song.ntracks)
        self._state = _STOPPED
        self._event = None  # the event waiting for its deadline
        self._deadline = 0  # clock ticks (wrapping) at which _event is due, rounded down
        self._rem = 0       # + _rem / _div of a tick: due is later unless _rem is 0
        self._song_ms = 0   # song time the deadline was last moved to
        self._song_us = 0
        self._paused_at = 0
        self.sent = 0
        self.lost_bytes = 0

    # -- wrap-safe clock arithmetic: every value stays below the period (small ints)

    def _add(self, a, b):
        # (a + b) mod period for 0 <= b < period, without making a + b itself
        if b > self._mask - a:
            return b - (self._mask - a) - 1
        return a + b

    def _diff(self, a, b):
        # a - b as a signed count of ticks, correct across a wrap
        d = (a - b) & self._mask
        if d >= self._half:
            d = d - self._mask - 1
        return d

    @property
    def tempo_scale(self):
        """Speed factor: 2.0 plays twice as fast. Setting it applies from the next event."""
        return self._speed / 1000

    @tempo_scale.setter
    def tempo_scale(self, scale):
        speed = int(scale * 1000 + 0.5)
        if not 10 <= speed <= 10000:
            raise ValueError("tempo_scale must be 0.01-10.0, got %r" % (scale,))
        self._speed = speed
        self._div = speed * self._unit_us  # song us * 1000 / _div = clock ticks
        self._rem = 0

    @property
    def playing(self):
        """True from start() until the song ends or stop(); also while paused."""
        return self._state != _STOPPED

    @property
    def paused(self):
        """True between pause() and resume()."""
        return self._state == _PAUSED

    def mute_track(self, track, muted=True):
        """Mute (or unmute) one track: its events are not sent, except note-offs for
        notes already sounding."""
        self._muted_tracks[track] = 1 if muted else 0

    def mute_channel(self, channel, muted=True):
        """Mute (or unmute) channel 0-15, as mute_track does."""
        if not 0 <= channel <= 15:
            raise ValueError("channel must be 0-15, got %r" % (channel,))
        if muted:
            self._muted_channels |= 1 << channel
        else:
            self._muted_channels &= ~(1 << channel)

    def start(self):
        """Start (or restart) the song from its beginning, now."""
        self.silence()
        self.song.rewind()
        self._deadline = self._ticks() & self._mask
        self._rem = 0
        self._song_ms = self._song_us = 0
        self._state = _PLAYING
        self._fetch()

    def _fetch(self):
        # read the next event and move the deadline on by its distance in song time
        event = self._next_event()
        self._event = event
        if event is None:
            return
        song = self.song
        if song._time_tick != event._f[_TICK]:
            song._time_to(event._f[_TICK])  # what event.time_ms does, without property calls
        ms = song._ms - self._song_ms
        us = song._us - self._song_us
        self._song_ms = song._ms
        self._song_us = song._us
        while ms > 500:  # long gaps in pieces, so products stay below 2**30
            self._advance_us(_SONG_STEP_US)
            ms -= 500
        self._advance_us(ms * 1000 + us)

    def _advance_us(self, song_us):
        x = song_us * 1000 + self._rem
        self._rem = x % self._div
        self._deadline = self._add(self._deadline, x // self._div)

    def update(self):
        """Send every event that is due; return True while the song is playing (or
        paused), False once it has ended or was stopped. Never sleeps."""
        state = self._state
        if state != _PLAYING:
            return state == _PAUSED
        now = self._ticks()
        while True:
            event = self._event
            if event is None:
                self.silence()
                length = self._song_ms or self._song_us
                if not self.loop:
                    self._state = _STOPPED
                    return False
                self.song.rewind()
                self._song_ms = self._song_us = 0
                self._fetch()
                if self._event is None:  # an empty song: nothing to loop
                    self._state = _STOPPED
                    return False
                if not length:
                    return True  # a song of length 0 loops once a call, not forever
                continue
            late = self._diff(now, self._deadline)
            if late < 0 or (late == 0 and self._rem):
                return True  # not due yet: due at deadline + _rem/_div, rounded up
            self._send(event)
            self._fetch()

    def _send(self, event):
        # the event is due: send it unless muted; a sounding note always gets its
        # note-off. (Few locals: a frame of more than 11 slots is heap-allocated on
        # MicroPython at every call.)
        f = event._f
        if f[_STATUS] >= 0xF0:
            if f[_STATUS] != META and self.send_sysex and not self._muted_tracks[f[_TRACK]]:
                self._write(event)
            return
        index = (f[_STATUS] & 0x0F) << 4 | f[_DATA1] >> 3  # byte of _sounding for the note
        if 0x90 <= f[_STATUS] < 0xA0 and f[_DATA2]:  # note-on
            if self._muted_tracks[f[_TRACK]] or self._muted_channels >> (f[_STATUS] & 15) & 1:
                return
            self._sounding[index] |= 1 << (f[_DATA1] & 7)
        elif f[_STATUS] < 0xA0 and self._sounding[index] >> (f[_DATA1] & 7) & 1:  # note-off
            self._sounding[index] &= ~(1 << (f[_DATA1] & 7))
        elif self._muted_tracks[f[_TRACK]] or self._muted_channels >> (f[_STATUS] & 15) & 1:
            return
        self._write(event)

    def _write(self, event):
        n = event.write_to(self.port)
        self.sent += 1
        if event._f[_STATUS] < 0xF0:
            n -= _DATA_LENGTH[(event._f[_STATUS] >> 4) - 8] + 1
        else:
            n -= event.length + (event._f[_STATUS] == SYSEX)
        if n < 0:
            self.lost_bytes -= n

    def silence(self):
        """Send a note-off for every note this player has sounding."""
        off = self._off
        sounding = self._sounding
        for index in range(256):
            bits = sounding[index]
            if not bits:
                continue
            sounding[index] = 0
            off[0] = NOTE_OFF | (index >> 4)
            for b in range(8):
                if bits & (1 << b):
                    off[1] = ((index & 15) << 3) | b
                    self.lost_bytes += 3 - _write_all(self.port, off)

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
        """Go on after pause(): what was due later is due later by the pause's length."""
        if self._state == _PAUSED:
            paused_for = self._diff(self._ticks() & self._mask, self._paused_at)
            if paused_for > 0:
                self._deadline = self._add(self._deadline, paused_for)
            self._state = _PLAYING

    def time_to_next_ms(self):
        """Milliseconds until update() will send the next event (0 if due now or not
        playing; rounded down, so sleeping this long never makes an event late)."""
        if self._state != _PLAYING or self._event is None:
            return 0
        wait = self._diff(self._deadline, self._ticks() & self._mask)
        if self._rem:
            wait += 1  # a due time between ticks is met at the next tick
        if wait <= 0:
            return 0
        return wait // (1000 // self._unit_us)  # (not wait * unit: that could pass 2**30)

    def play(self):
        """Play the song to its end (blocks; with loop=True, until stop()).

        Sleeps while nothing is due (time.sleep), so other code only runs in between
        if it is called from elsewhere; use update() in a main loop for that."""
        import time
        if self._state == _STOPPED:
            self.start()
        while self.update():
            wait = self.time_to_next_ms()
            if wait > 1:
                time.sleep((wait - 1) / 1000)
