# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi: MIDI input. MidiIn(port).receive() gives the next complete message or None,
never blocks, never allocates and follows the MIDI 1.0 wire rules. Channels are 0-15.
Source compatible with Winterbloom SmolMIDI. Filters (channel, ...): smolmidi_filter."""

__version__ = "0.2.0"

NOTE_OFF = 0x80
NOTE_ON = 0x90
AFTERTOUCH = 0xA0
CONTROLLER_CHANGE = CC = 0xB0
PROGRAM_CHANGE = 0xC0
CHANNEL_PRESSURE = 0xD0
PITCH_BEND = 0xE0
SYSTEM_EXCLUSIVE = SYSEX = 0xF0
MTC_QUARTER_FRAME = 0xF1
SONG_POSITION = 0xF2
SONG_SELECT = 0xF3
BUS_SELECT = 0xF5  # undefined in MIDI 1.0; SmolMIDI's name
TUNE_REQUEST = 0xF6
SYSEX_END = 0xF7
CLOCK = 0xF8
TICK = 0xF9  # undefined in MIDI 1.0; passed up like any realtime byte
START = 0xFA
CONTINUE = 0xFB
STOP = 0xFC
ACTIVE_SENSING = 0xFE
SYSTEM_RESET = 0xFF

# How a SysEx ended (Message.sysex_end). Plain ints, not const(): public names stay in
# the module either way, and const() costs heap when the board compiles the .py.
SYSEX_COMPLETE = 0
SYSEX_ABORTED = 1  # another status byte came before F7
SYSEX_CHUNK = 2  # sysex_chunks=True: the buffer filled, more of this SysEx follows

# Data bytes per status, indexed by status - 0x80 (F0 and F7 are handled apart)
_LENGTH = b"\x02" * 64 + b"\x01" * 32 + b"\x02" * 16 + b"\x00\x01\x02\x01" + b"\x00" * 12


class Message:
    """A MIDI message: type, channel (None for system messages), data (None if none).

    Fields (note, velocity, control, value, program, pressure, pitch_bend, song,
    song_position, mtc_piece, mtc_value, status) are decoded when read. A SYSEX message
    has length, truncated and sysex_end. bytes(msg) is its wire form."""

    # SYSEX messages only (declared for type checkers; nothing is stored here)
    length: int
    truncated: bool
    sysex_end: int
    _sysex: memoryview

    def __init__(self, type=None, channel=None, data=None):
        self.type = type
        self.channel = channel
        self.data = data

    def __getattr__(self, name):
        # Tried only for names the instance lacks: unlike @property it leaves stores fast
        # (a class with properties makes every store look for a setter first).
        t = self.type
        d = self.data
        if name == "status":
            return t if self.channel is None else t | self.channel
        if name == (
            "note"
            if t and t < 0xB0
            else "control"
            if t == 0xB0
            else "program"
            if t == 0xC0
            else "pressure"
            if t == 0xD0
            else "song"
            if t == 0xF3
            else 0
        ):
            return d[0]
        if name == ("velocity" if t == 0x80 or t == 0x90 else "pressure" if t == 0xA0 else "value" if t == 0xB0 else 0):
            return d[1]
        if name == ("pitch_bend" if t == 0xE0 else "song_position" if t == 0xF2 else 0):
            return (d[0] | d[1] << 7) - (8192 if t == 0xE0 else 0)
        if name == ("mtc_piece" if t == 0xF1 else 0):
            return d[0] >> 4
        if name == ("mtc_value" if t == 0xF1 else 0):
            return d[0] & 15
        raise AttributeError("message type 0x%02X has no %s" % (t or 0, name))

    def __iter__(self):
        # bytes(msg): the wire form (MicroPython's bytes() ignores __bytes__; both iterate)
        if self.type == SYSEX:
            raw = b"\xf0" + bytes(self._sysex[: self.length])
            return iter(raw if self.sysex_end or self.truncated else raw + b"\xf7")
        return iter(bytes([self.status]) + bytes(self.data or b""))

    def copy(self):
        """A Message of your own, which receive() leaves alone."""
        other = Message(self.type, self.channel, self.data and bytes(self.data))
        if self.type == SYSEX:
            other.length = self.length
            other.truncated = self.truncated
            other.sysex_end = self.sysex_end
            other._sysex = bytes(self._sysex[: self.length])
        return other

    def __repr__(self):
        return "Message(%r)" % bytes(self)


class MidiIn:
    """Reads MIDI from any port with readinto; receive() returns a Message or None.

    Counters: stray_data, abandoned, sysex_truncated, sysex_aborted; error_count, their sum.
    sysex_size: payload bytes kept; sysex_chunks: deliver a longer SysEx in pieces."""

    def __init__(self, port, enable_running_status=False, *, sysex_size=128, sysex_chunks=False, read_size=64):
        if not hasattr(port, "readinto"):
            raise TypeError("port must have readinto(), got %r" % (port,))
        if not (isinstance(sysex_size, int) and isinstance(read_size, int) and sysex_size > 0 < read_size):
            raise ValueError("sysex_size and read_size must be at least 1, got %r, %r" % (sysex_size, read_size))
        # 4 bytes more than a read fills: the byte after the data is set to 0xFF, a status
        # byte, so looking up to four bytes ahead needs no bounds check
        buf = self._buf = bytearray(read_size + 4)
        # the port fills a view: one that replaces the contents (buf[:] = data, as
        # adafruit_usb_host_midi does) fails loudly instead of shrinking the buffer
        view = self._view = memoryview(buf)[:read_size]
        # _status: running status (8n-En), -0xF0 while a SysEx is open, 0 none, or minus the
        # status of a message still waiting for data (its first data byte in _data1)
        self._pos = self._end = self._status = self._sysex_len = 0
        self._data1 = self._sysex_at = -1  # _sysex_at: where the last SysEx was delivered
        # the SysEx payload, with a read's size of spare room before and after (_sysex_run)
        self._sysex = bytearray(sysex_size + 2 * read_size)
        self._room = sysex_size
        self._read_size = read_size
        self._chunks = sysex_chunks
        self.stray_data = self.abandoned = self.sysex_truncated = self.sysex_aborted = self.error_count = 0
        # One reused Message per data length (so receive() never stores msg.data), one for
        # data-less messages (realtime, F4-F6) and one for SysEx
        self._one = Message(data=bytearray(1))
        self._two = Message(data=bytearray(2))
        self._rt = Message()
        sx = self._sx = Message(SYSEX)
        sx._sysex = memoryview(self._sysex)[read_size : read_size + sysex_size]
        sx.length = sx.sysex_end = 0
        sx.truncated = False
        # Port shapes: plain readinto(buf) is called straight; the rest go through
        # _read_port. Bound methods are cached: making one allocates on MicroPython.
        self._port = port
        self._fill = self._read_port
        self._readinto = port.readinto
        self._shape = 2 if hasattr(port, "any") else 3 if hasattr(port, "in_waiting") else 0
        self._views = []  # 1, 2, 4, ... bytes of the buffer, for ports with in_waiting
        while self._shape == 3 and 1 << len(self._views) <= read_size:
            self._views.append(view[: 1 << len(self._views)])

    def receive(self):
        """The next complete Message, or None. Never blocks."""
        # At most 11 words of locals and stack here, or MicroPython takes the frame from
        # the heap on every call: hence no local for the buffer's end.
        pos = self._pos
        if pos >= self._end:  # the last read is used up: an idle call ends here
            pos = self._fill(self._view)
            if not pos:
                return None
            self._end = pos
            self._buf[pos] = 0xFF  # a status byte after the data: look-aheads need no bounds check
            self._sysex_at = -1  # a SysEx delivered before this read is no longer readable
            pos = 0
        buf = self._buf
        status = self._status
        while True:
            b = buf[pos]
            pos += 1
            if b > 0x7F:
                if b < 0xF0 and status >= 0:
                    # channel status with nothing unfinished: go on with its first data byte
                    self._status = status = b
                    b = buf[pos]
                    if b > 0x7F:
                        self._status = status = -status
                        continue
                    pos += 1
                elif b >= 0xF8:
                    if pos > self._end:  # the 0xFF after the data: read again
                        self._pos = pos = pos - 1
                        pos = self._fill(self._view)
                        if not pos:
                            return None
                        self._end = pos
                        buf[pos] = 0xFF
                        self._sysex_at = -1
                        pos = 0
                        continue
                    # realtime: delivered at once; an unfinished message waits untouched
                    self._pos = pos
                    msg = self._rt
                    msg.type = b
                    return msg
                elif status == -0xF0:
                    # any other status byte ends an open SysEx (F7 properly): _sysex sees to it
                    msg = self._sysex_run(pos - 1)
                    if msg is not None:
                        return msg or None
                    pos = self._pos
                    continue
                elif status < 0:
                    # a status byte abandons an unfinished message; b is decoded again
                    self.abandoned += 1
                    self.error_count += 1
                    self._status = status = 0
                    self._data1 = -1
                    pos -= 1
                    continue
                else:
                    # system common: running status ends
                    self._status = status = -b if b == 0xF0 or _LENGTH[b - 0x80] else 0
                    if b != 0xF0:
                        if not status and b != 0xF7:  # a lone F7 is ignored
                            self._pos = pos
                            msg = self._rt
                            msg.type = b  # F4, F5, F6: no data bytes
                            return msg
                        continue
                    self._sysex_len = 0
                    self._sx.truncated = False
                    pos += 1  # on to the payload below, read from pos - 1 as after a data byte
            # a data byte
            if status > 0:
                # running status (or the status just read)
                if status < 0xC0 or status >= 0xE0:  # two data bytes (not Cn, Dn)
                    d1 = buf[pos]
                    if d1 > 0x7F:
                        self._data1 = b
                        self._status = status = -status
                        continue
                    # complete, the usual case: finished here to skip the checks below
                    self._pos = pos + 1
                    msg = self._two
                    msg.type = status & 0xF0
                    msg.channel = status & 15
                    buf = msg.data  # buf is free now
                    buf[0] = b
                    buf[1] = d1
                    return msg
                d1 = -1
                break
            if status == -0xF0:
                msg = self._sysex_run(pos - 1)
                if msg is not None:
                    return msg or None
                pos = self._pos
            elif status:
                # a message was waiting for this data byte
                status = -status
                d1 = self._data1
                self._data1 = -1
                if d1 < 0 and _LENGTH[status - 0x80] > 1:
                    if buf[pos] > 0x7F:
                        self._data1 = b  # and it waits for the second
                        status = -status
                        continue
                    d1 = b
                    b = buf[pos]
                    pos += 1
                self._status = status if status < 0xF0 else 0
                break
            else:
                self.stray_data += 1
                self.error_count += 1
        # complete: status with data byte b, and d1 before it when it takes two
        self._pos = pos
        if d1 < 0:
            msg = self._one
            msg.data[0] = b
        else:
            msg = self._two
            buf = msg.data
            buf[0] = d1
            buf[1] = b
        if status < 0xF0:
            msg.type = status & 0xF0
            msg.channel = status & 15
        else:
            msg.type = status
            msg.channel = None
        return msg

    def _sysex_run(self, pos):
        # An open SysEx from pos on, across reads: each read is copied whole in C so that
        # buf[pos] lands at the payload's end (a read's size of spare room on each side takes
        # the rest), then the run of data bytes is found. Returns the SysEx Message when it
        # ends or a chunk is full, None when a realtime byte comes first, 0 when the port has
        # no more for now; self._pos is where receive() goes on.
        # (at most 11 words of locals and stack, or the frame comes from the heap: few locals)
        buf = self._buf
        n = self._sysex_len  # the payload so far
        while True:
            start = self._read_size  # the payload starts here in self._sysex
            if n and pos:
                # after a realtime byte: byte by byte, as a whole read would land on the payload
                while buf[pos] < 0x80 and n < self._room:
                    self._sysex[start + n] = buf[pos]
                    n += 1
                    pos += 1
            else:
                start += n - pos  # where buf[0] lands
                self._sysex[start : start + self._read_size] = self._view
            start = pos
            # four bytes a test (a status byte sets bit 7 of their OR; the 0xFF after the data stops it)
            while not (buf[pos] | buf[pos + 1] | buf[pos + 2] | buf[pos + 3]) & 0x80:
                pos += 4
            while buf[pos] < 0x80:
                pos += 1
            n += pos - start  # the payload so far, counting what did not fit
            start = n - self._room  # bytes past the buffer's end
            if start > 0:
                n -= start
                if self._chunks:  # deliver the chunk; the bytes that did not fit begin the next
                    self._sysex_len = 0
                    self._sx.length = n
                    self._sx.sysex_end = 2  # SYSEX_CHUNK
                    self._pos = self._sysex_at = pos - start
                    return self._sx
                self._sx.truncated = True
            if pos < self._end:
                break
            self._pos = pos  # the 0xFF after the data: read on
            pos = self._fill(self._view)
            if not pos:
                self._sysex_len = n
                return 0
            self._end = pos
            buf[pos] = 0xFF
            self._sysex_at = -1
            pos = 0
        self._sysex_len = n
        if buf[pos] >= 0xF8:
            self._pos = pos
            return None  # realtime: delivered by receive(), the SysEx stays open
        self._status = 0
        start = 0  # SYSEX_COMPLETE
        if buf[pos] == 0xF7:
            pos += 1
        else:  # another status byte: decoded on the next call
            start = 1  # SYSEX_ABORTED
            self.sysex_aborted += 1
            self.error_count += 1
        if self._sx.truncated:
            self.sysex_truncated += 1
            self.error_count += 1
        self._sx.length = n
        self._sx.sysex_end = start
        self._pos = self._sysex_at = pos
        return self._sx

    def _read_port(self, view):
        # Ports other than a plain readinto(buf), and learning which one this is
        shape = self._shape
        if not shape:
            try:
                n = self._readinto(view)
                self._fill = self._readinto  # plain: called straight from now on
                return n
            except TypeError:
                self._shape = shape = 1  # BLE MIDIService: readinto(buf, length)
        n = self._read_size
        if shape == 2:  # machine.UART: readinto on an empty UART busy-waits
            n = min(self._port.any(), n)
        elif shape == 3:  # pyserial, busio.UART: readinto waits for a full buffer
            n = min(self._port.in_waiting, n)
            shape = 0
            while 2 << shape <= n:
                shape += 1
            return n and self._readinto(self._views[shape])  # 1, 2, 4 ... bytes: never more than waits
        return n and self._readinto(view, n)

    def readinto_sysex(self, buf):
        """Copy the last SysEx's payload into buf (allocates nothing); return the count."""
        n = min(self._sx.length, len(buf)) if self._sysex_at == self._pos else 0
        sysex = self._sx._sysex
        if n == len(sysex):
            buf[0:n] = sysex  # a full buffer: one copy in C
        else:
            for i in range(n):  # an index loop: a slice would allocate
                buf[i] = sysex[i]
        return n

    def receive_sysex(self, max_length):
        """(payload bytearray, truncated) of the last SysEx, as in SmolMIDI."""
        if self._sysex_at != self._pos:
            return bytearray(), False
        sx = self._sx
        n = sx.length
        return bytearray(sx._sysex[: min(n, max_length)]), bool(
            sx.truncated or sx.sysex_end == SYSEX_ABORTED or n > max_length
        )
