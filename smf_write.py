# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_write: write Standard MIDI Files as a stream, and record incoming MIDI to one.

SMFWriter(path or binary file) writes format 0 or 1, one track after another, each
event as it comes (absolute ticks in, delta-times out); memory stays the same however
long the file grows. Every event is followed on the drive by an end-of-track that the
next event overwrites, and flush()/close() patch the lengths by seeking back, so a
full drive leaves a valid file up to the last complete event (OSError says so).
Recorder(path) writes what a MidiIn receives, at the times it arrived.

On CircuitPython the drive is read-only to code.py while a computer has it mounted:
boot.py must call storage.remount("/", readonly=False) (the computer then cannot write
to it). Channel messages write without allocating.
"""

META_TEXT = 0x01
META_TRACK_NAME = 0x03
META_MARKER = 0x06
META_TEMPO = 0x51
META_TIME_SIGNATURE = 0x58

_DATA_LENGTH = b"\x02\x02\x02\x02\x01\x01\x02"  # by (status >> 4) - 8
_EOT = b"\x00\xff\x2f\x00"
_ROFS = 30  # errno EROFS
_NOSPC = 28  # errno ENOSPC


class SMFWriter:
    """Writes a MIDI file; see the module docstring.

    SMFWriter(target, format=0, ppq=96, running_status=False): target is a path or a
    binary file with write, seek and tell (left open). Events take an absolute tick
    (never before the track's last): message(), sysex(), tempo(), time_signature(),
    text(), meta(). new_track() starts the next track (format 1); close() ends it.
    Fields: events (written), tick (of the last event), ntracks.
    """

    def __init__(self, target, format=0, ppq=96, running_status=False):
        if format not in (0, 1):
            raise ValueError("format must be 0 or 1, got %r" % (format,))
        if not isinstance(ppq, int) or not 1 <= ppq <= 0x7FFF:
            raise ValueError("ppq must be 1-32767, got %r" % (ppq,))
        self._own = isinstance(target, str)
        if self._own:
            try:
                target = open(target, "wb")
            except OSError as e:
                if e.args and e.args[0] == _ROFS:
                    raise OSError(
                        _ROFS,
                        "the drive is read-only: on CircuitPython, boot.py "
                        "must call storage.remount('/', readonly=False)",
                    )
                raise
        self._file = target
        self.format = format
        self.running_status = running_status
        self._buf = bytearray(16)
        view = memoryview(self._buf)
        self._views = [view[:n] for n in range(17)]  # made once: slicing allocates
        self._start = target.tell()
        self._put_raw(
            b"MThd\x00\x00\x00\x06\x00"
            + bytes((format,))
            + b"\x00\x01"  # 1 track so far
            + bytes((ppq >> 8, ppq & 0xFF))
        )
        self.ntracks = 0
        self.events = 0
        self._track = -1  # file offset of the open track's MTrk, -1 when none
        self.new_track()

    def _put_raw(self, data):
        if self._file.write(data) != len(data):
            raise OSError(_NOSPC, "drive full while writing the header")

    def new_track(self):
        """End the open track (if any) and start the next; format 0 has only one."""
        if self._track >= 0:
            if self.format == 0:
                raise ValueError("format 0 has one track: use format=1 for more")
            self._end_track()
        self._track = self._file.tell()
        self._put_raw(b"MTrk\x00\x00\x00\x04" + _EOT)
        self._file.seek(self._track + 8)
        self._pos = self._track + 8  # where the next event goes (over the end of track)
        self.ntracks += 1
        self.tick = 0
        self._status = 0

    def message(self, tick, status, data1=0, data2=0):
        """A channel message (status 0x80-0xEF, channel in its low nibble) at tick."""
        if not 0x80 <= status <= 0xEF or (data1 | data2) >> 7:
            raise ValueError(
                "channel message needs status 0x80-0xEF and data 0-127, got 0x%X %r %r" % (status, data1, data2)
            )
        n = self._head(tick, status)
        self._buf[n] = data1
        if _DATA_LENGTH[(status >> 4) - 8] == 2:
            n += 1
            self._buf[n] = data2
        self._put(n + 1)

    def send(self, tick, msg):
        """Write a message with .type/.channel/.data (a smolmidi Message) at tick: channel
        messages, and SysEx when complete; the rest (clock, system common) is skipped.
        True if written."""
        t = msg.type
        if t >= 0xF0:
            return t == 0xF0 and self._sysex_message(tick, msg)
        d = msg.data
        if (d[0] | d[-1]) >> 7:
            raise ValueError("data must be 0-127")
        t = self._head(tick, t | msg.channel)  # (t reused: the data's index)
        self._buf[t] = d[0]
        if len(d) > 1:
            t += 1
            self._buf[t] = d[1]
        self._put(t + 1)
        return True

    def _sysex_message(self, tick, msg):
        if getattr(msg, "truncated", False) or getattr(msg, "sysex_end", 0):
            return False  # never an incomplete SysEx as a complete one
        raw = bytes(msg)
        self.sysex(tick, raw[1:-1] if raw[-1] == 0xF7 else raw[1:])
        return True

    def _head(self, tick, status):
        # delta-time and status byte (left out under running status) into _buf; the
        # index after them
        n = self._delta(tick)
        if status != self._status or not self.running_status:
            self._buf[n] = status
            n += 1
            self._status = status
        return n

    def _delta(self, tick):
        # the delta-time as a variable-length quantity at the start of _buf; its length
        d = tick - self.tick
        if d < 0 or d > 0x0FFFFFFF:
            raise ValueError("tick %r is before this track's last event (%d) or too far past" % (tick, self.tick))
        self.tick = tick
        buf = self._buf
        if d < 0x80:
            buf[0] = d
            return 1
        n = 1 if d < 0x4000 else 2 if d < 0x200000 else 3
        for i in range(n, -1, -1):
            buf[i] = d & 0x7F | (0x80 if i < n else 0)
            d >>= 7
        return n + 1

    def _put(self, n):
        # the event (buf[:n]) and an end of track after it; the next event overwrites it
        buf = self._buf
        buf[n] = buf[n + 3] = 0  # (not a slice assignment: that makes a slice object)
        buf[n + 1] = 0xFF
        buf[n + 2] = 0x2F
        if self._write(self._views[n + 4]) != n + 4:
            self._full()
        self._pos += n
        self._file.seek(self._pos)
        self.events += 1

    def _write(self, data):
        # (its own small frame: a try block in a bigger one would put it on the heap)
        try:
            return self._file.write(data)
        except OSError:
            return -1

    def _full(self):
        # the drive is full: put the end of track back where this event began (bytes
        # already written: no new space), patch the lengths, and say so
        f = self._file
        try:
            f.seek(self._pos)
            f.write(_EOT)
            self._patch()
        finally:
            self._close_file()
        raise OSError(_NOSPC, "drive full: the file is valid up to event %d (tick %d)" % (self.events, self.tick))

    def sysex(self, tick, data):
        """A SysEx event: data is the payload (without F0; a closing F7 is added)."""
        for b in data:
            if b > 0x7F:
                raise ValueError("SysEx data must be 0-127, got 0x%02X" % b)
        self._long(tick, 0xF0, -1, bytes(data) + b"\xf7")

    def meta(self, tick, kind, data):
        """A meta event of type kind (0-127) with data bytes."""
        if not 0 <= kind <= 0x7F or kind == 0x2F:
            raise ValueError("meta type must be 0-127 (not 0x2F, written by close), got %r" % (kind,))
        self._long(tick, 0xFF, kind, bytes(data))

    def tempo(self, tick, us_per_quarter):
        """Tempo meta: microseconds per quarter note (500000 = 120 BPM)."""
        if not 1 <= us_per_quarter <= 0xFFFFFF:
            raise ValueError("tempo must be 1-16777215 us per quarter, got %r" % (us_per_quarter,))
        u = us_per_quarter
        self.meta(tick, META_TEMPO, (u >> 16, u >> 8 & 0xFF, u & 0xFF))

    def time_signature(self, tick, numerator, denominator, clocks=24, n32=8):
        """Time signature meta: numerator/denominator (a power of two)."""
        p = 0
        while 1 << p < denominator and p < 7:
            p += 1
        if 1 << p != denominator or not 1 <= numerator <= 255:
            raise ValueError("time signature must be 1-255 over a power of two, got %r/%r" % (numerator, denominator))
        self.meta(tick, META_TIME_SIGNATURE, (numerator, p, clocks, n32))

    def text(self, tick, text, kind=META_TEXT):
        """A text meta event (kind: META_TEXT, META_TRACK_NAME, META_MARKER...)."""
        self.meta(tick, kind, bytes(text, "utf-8") if isinstance(text, str) else text)

    def _long(self, tick, status, kind, body):
        # a SysEx or meta event: header into _buf, then the body, then the end of track
        n = self._delta(tick)
        buf = self._buf
        buf[n] = status
        n += 1
        if kind >= 0:
            buf[n] = kind
            n += 1
        m = len(body)
        if m > 0x0FFFFFFF:
            raise ValueError("event too long")
        k = 1 if m < 0x80 else 2 if m < 0x4000 else 3 if m < 0x200000 else 4
        for i in range(k - 1, -1, -1):
            buf[n + i] = m & 0x7F | (0x80 if i < k - 1 else 0)
            m >>= 7
        n += k
        self._status = 0  # running status ends at a meta or SysEx event
        if self._write(self._views[n]) != n or self._write(body) != len(body) or self._write(_EOT) != 4:
            self._full()  # (_pos is still where this event began)
        self._pos += n + len(body)
        self._file.seek(self._pos)
        self.events += 1

    def _end_track(self):
        self._patch()
        self._file.seek(self._pos + 4)

    def _patch(self):
        # track length (events and end of track) and track count, written in place
        f = self._file
        n = self._pos + 4 - self._track - 8
        f.seek(self._track + 4)
        f.write(bytes((n >> 24, n >> 16 & 0xFF, n >> 8 & 0xFF, n & 0xFF)))
        f.seek(self._start + 10)
        f.write(bytes((self.ntracks >> 8, self.ntracks & 0xFF)))
        f.seek(self._pos)

    def flush(self):
        """Patch the lengths so the file on the drive is complete as it stands now."""
        self._patch()
        if hasattr(self._file, "flush"):
            self._file.flush()

    def close(self):
        """End the track, patch the lengths; close the file if this writer opened it."""
        if self._file is None:
            return
        try:
            self._end_track()
        finally:
            self._close_file()

    def _close_file(self):
        if self._own and self._file is not None:
            self._file.close()
        self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Recorder:
    """Writes received messages to a format 0 file at the times they arrived.

    Recorder(target, ppq=96, tempo=500000, unit_us=1000, mask=0x1FFFFFFF): times in
    units of unit_us (1000: supervisor.ticks_ms; 1: time.ticks_us with mask=
    time.ticks_add(0, -1)); the first message recorded is at tick 0, unless start(now)
    set the time zero. record(msg, now) returns True if the message was written.
    """

    def __init__(self, target, ppq=96, tempo=500000, unit_us=1000, mask=0x1FFFFFFF):
        self.writer = SMFWriter(target, 0, ppq)
        self.writer.tempo(0, tempo)
        self._tempo = tempo
        self._k = unit_us * ppq  # tick = elapsed units x k / tempo
        self._chunk = (0x3FFFFFFF - tempo) // self._k  # units converted at most at once
        self._mask = mask
        self._half = (mask >> 1) + 1
        self._last = None
        self._tick = self._carry = 0

    def start(self, now):
        """Time zero of the recording is now."""
        self._last = now & self._mask
        self._tick = self._carry = 0

    def tick_at(self, now):
        """The tick of time now (moving the recording's clock on to it)."""
        if self._last is None:
            self.start(now)
            return 0
        d = (now - self._last) & self._mask
        if d >= self._half:
            return self._tick  # before the last message (out of order): same tick
        self._last = now & self._mask
        while d > 0:
            step = d if d < self._chunk else self._chunk
            d -= step
            x = step * self._k + self._carry
            self._tick += x // self._tempo
            self._carry = x % self._tempo
        return self._tick

    def record(self, msg, now):
        """Write msg (channel message or complete SysEx) at time now; True if written."""
        return self.writer.send(self.tick_at(now), msg)

    def flush(self):
        """Make the file on the drive complete as it stands (see SMFWriter.flush)."""
        self.writer.flush()

    def close(self):
        """End and close the file."""
        self.writer.close()
