# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi: MIDI input that never blocks or allocates. Channels are 0-15.
Source compatible with Winterbloom SmolMIDI; filters and fields: smolmidi_filter."""

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
SYSEX_CHUNK = 2  # sysex_size bytes of a longer SysEx: more of it follows


class Message:
    """type, channel (None: system), data (None: none); a SysEx: length, sysex_end."""

    # SYSEX messages only (declared for type checkers; nothing is stored here)
    length: int
    sysex_end: int
    _sysex: memoryview

    def __init__(self, type=None, channel=None, data=None):
        self.type = type
        self.channel = channel
        self.data = data

    def __iter__(self):
        # bytes(msg) (MicroPython's bytes() ignores __bytes__; both iterate)
        if self.type == SYSEX:
            return iter(b"\xf0" + self._sysex[: self.length] + (b"" if self.sysex_end else b"\xf7"))
        return iter(bytes((self.type | (self.channel or 0),)) + (self.data or b""))


class MidiIn:
    """MIDI from a port with readinto(). A SysEx longer than sysex_size comes in pieces."""

    def __init__(self, port, enable_running_status=False, *, sysex_size=128, read_size=64):
        if not (hasattr(port, "readinto") and isinstance(sysex_size + read_size, int) and sysex_size > 0 < read_size):
            raise ValueError("port must have readinto(), sizes be 1+: %r %r %r" % (port, sysex_size, read_size))
        # (attributes named as the arguments: a name the module already has costs no heap)
        self.port = port
        self.sysex_size = sysex_size
        self.read_size = read_size
        # 4 bytes more than a read fills: the byte after the data is set to 0xFF, a status
        # byte, so looking up to four bytes ahead needs no bounds check
        buf = self._buf = bytearray(read_size + 4)
        # the port fills a view: one that replaces the contents (buf[:] = data, as
        # adafruit_usb_host_midi does) fails loudly instead of shrinking the buffer
        self._view = memoryview(buf)[:read_size]
        # _status: running status (8n-En), -0xF0 while a SysEx is open, 0 none, or minus the
        # status of a message still waiting for data (its first data byte in _data1)
        self._pos = self._end = self._status = self._sysex_len = 0
        self._data1 = self._sysex_at = -1  # _sysex_at: where the last SysEx was delivered
        # the SysEx payload, with a read's size of spare room before and after (_sysex_run)
        self._sysex = bytearray(sysex_size + 2 * read_size)
        self.error_count = 0  # bytes or messages dropped
        # One reused Message per data length (so receive() never stores msg.data), one for
        # data-less messages (realtime, F4-F6) and one for SysEx
        self._one = Message(data=bytearray(1))
        self._two = Message(data=bytearray(2))
        self._rt = Message()
        sx = self._sx = Message(SYSEX)
        sx._sysex = memoryview(self._sysex)[read_size : read_size + sysex_size]
        sx.length = sx.sysex_end = 0
        self._fill = self._reader(port)  # cached: making a bound method allocates

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
                        self._pos = pos - 1
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
                    pass  # any other status byte ends an open SysEx (F7 properly): below
                elif status < 0:
                    # a status byte abandons an unfinished message; b is decoded again
                    self.error_count += 1
                    self._status = status = 0
                    self._data1 = -1
                    pos -= 1
                    continue
                else:
                    # system common: running status ends
                    self._status = status = -b if b < 0xF4 else 0  # F0-F3 take data bytes
                    if b != 0xF0:
                        if not status and b != 0xF7:  # a lone F7 is ignored
                            self._pos = pos
                            msg = self._rt
                            msg.type = b  # F4, F5, F6: no data bytes
                            return msg
                        continue
                    self._sysex_len = 0
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
            if status == -0xF0:  # the SysEx payload from here on (or its end)
                msg = self._sysex_run(pos - 1)
                if msg is not None:
                    return msg or None
                pos = self._pos
            elif status:
                # a message was waiting for this data byte
                status = -status
                d1 = self._data1
                self._data1 = -1
                if d1 < 0 and (status < 0xC0 or status == 0xF2 or 0xE0 <= status < 0xF0):  # two data bytes
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
        msg.type = status & 0xF0 if status < 0xF0 else status
        msg.channel = status & 15 if status < 0xF0 else None
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
            start = self.read_size  # the payload starts here in self._sysex
            if n and pos:
                # after a realtime byte: byte by byte, as a whole read would land on the payload
                while buf[pos] < 0x80 and n < self.sysex_size:
                    self._sysex[start + n] = buf[pos]
                    n += 1
                    pos += 1
            else:
                start += n - pos  # where buf[0] lands
                self._sysex[start : start + self.read_size] = self._view
            start = pos
            # four bytes a test (a status byte sets bit 7 of their OR; the 0xFF after the data stops it)
            while not (buf[pos] | buf[pos + 1] | buf[pos + 2] | buf[pos + 3]) & 0x80:
                pos += 4
            while buf[pos] < 0x80:
                pos += 1
            n += pos - start  # the payload so far, counting what did not fit
            start = n - self.sysex_size  # bytes past the buffer's end
            if start > 0:  # a full buffer: delivered; the bytes that did not fit begin the next
                self._sysex_len = 0
                self._sx.length = n - start
                self._sx.sysex_end = 2  # SYSEX_CHUNK
                self._pos = self._sysex_at = pos - start
                return self._sx
            if pos < self._end:
                break
            self._pos = pos  # the 0xFF after the data: read on (inline: a call costs a dump's speed)
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
            self.error_count += 1
        self._sx.length = n
        self._sx.sysex_end = start
        self._pos = self._sysex_at = pos
        return self._sx

    def _reader(self, port):
        # what receive() calls to read; smolmidi_filter's takes ports that wait or need a length
        if getattr(port, "timeout", 0) != 0:  # busio.UART's readinto waits up to it; pyserial's None: forever
            raise ValueError("port must not wait: make it with timeout=0, or use smolmidi_filter")
        return port.readinto

    def readinto_sysex(self, buf):
        """Copy the last SysEx's payload into buf; return the count."""
        n = min(self._sx.length, len(buf)) if self._sysex_at == self._pos else 0
        sysex = self._sx._sysex
        for i in range(n):  # an index loop: a slice would allocate
            buf[i] = sysex[i]
        return n

    def receive_sysex(self, max_length):
        """(payload bytearray, truncated) of the last SysEx, as in SmolMIDI."""
        buf = bytearray(max_length)
        n = self.readinto_sysex(buf)
        sx = self._sx
        return buf[:n], self._sysex_at == self._pos and (sx.sysex_end > 0 or sx.length > n)
