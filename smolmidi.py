"""smolmidi: MIDI input for CircuitPython, MicroPython and CPython.

MidiIn(port).receive() returns the next complete MIDI 1.0 message or None: it never blocks,
never allocates, and follows the wire rules (running status, realtime bytes inside messages
and SysEx, losses counted). The Message is reused: valid until the next receive(); copy()
keeps one. Channels are 0-15. Source compatible with Winterbloom SmolMIDI.
"""

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

__version__ = "0.2.0"

NOTE_OFF = const(0x80)
NOTE_ON = const(0x90)
AFTERTOUCH = const(0xA0)
CONTROLLER_CHANGE = CC = const(0xB0)
PROGRAM_CHANGE = const(0xC0)
CHANNEL_PRESSURE = const(0xD0)
PITCH_BEND = const(0xE0)
SYSTEM_EXCLUSIVE = SYSEX = const(0xF0)
MTC_QUARTER_FRAME = const(0xF1)
SONG_POSITION = const(0xF2)
SONG_SELECT = const(0xF3)
BUS_SELECT = const(0xF5)  # undefined in MIDI 1.0; SmolMIDI's name
TUNE_REQUEST = const(0xF6)
SYSEX_END = const(0xF7)
CLOCK = const(0xF8)
TICK = const(0xF9)  # undefined in MIDI 1.0; passed up like any realtime byte
START = const(0xFA)
CONTINUE = const(0xFB)
STOP = const(0xFC)
ACTIVE_SENSING = const(0xFE)
SYSTEM_RESET = const(0xFF)

# How a SysEx ended (Message.sysex_end)
SYSEX_COMPLETE = const(0)
SYSEX_ABORTED = const(1)  # another status byte came before F7
SYSEX_CHUNK = const(2)  # sysex_chunks=True: the buffer filled, more of this SysEx follows

# Data bytes per status, indexed by status - 0x80 (F0 and F7 are handled apart)
_LENGTH = b"\x02" * 64 + b"\x01" * 32 + b"\x02" * 16 + b"\x00\x01\x02\x01" + b"\x00" * 12

# Named fields: how to decode (first byte), then the types they apply to
_FIELDS = {
    "note": b"\x00\x80\x90\xa0", "velocity": b"\x01\x80\x90", "control": b"\x00\xb0",
    "value": b"\x01\xb0", "program": b"\x00\xc0", "pressure": b"\x02\xa0\xd0",
    "pitch_bend": b"\x03\xe0", "song_position": b"\x04\xf2", "song": b"\x00\xf3",
    "mtc_piece": b"\x05\xf1", "mtc_value": b"\x06\xf1",
}


class Message:
    """One MIDI message: type, channel (0-15, None for system messages), data (None if none).

    type is the status without the channel for channel messages, the whole status byte
    for system messages. Named fields are decoded when read: note, velocity, control,
    value, program, pressure, pitch_bend (-8192..8191), song, song_position, mtc_piece,
    mtc_value, status; one that does not apply to the type raises AttributeError. A SYSEX
    message has length, truncated and sysex_end; MidiIn.receive_sysex() gives its payload.
    """

    def __init__(self, type=None, channel=None, data=None):
        self.type = type
        self.channel = channel
        self.data = data

    def __getattr__(self, name):
        # Tried only for names the instance lacks: unlike @property it leaves stores fast
        # (a class with properties makes every store look for a setter first).
        t = self.type
        if name == "status":
            return t if self.channel is None else t | self.channel
        spec = _FIELDS.get(name)
        if not (spec and t and t in spec):  # t is a status: never one of the "how" bytes
            raise AttributeError("message type 0x%02X has no %s" % (t or 0, name))
        how = spec[0]
        d = self.data
        if how < 2:
            return d[how]
        if how == 2:
            return d[len(d) - 1]  # AFTERTOUCH: the second byte; CHANNEL_PRESSURE: the only one
        if how > 4:
            return d[0] >> 4 if how == 5 else d[0] & 15
        return (d[0] | d[1] << 7) - (8192 if how == 3 else 0)

    def __iter__(self):
        # bytes(msg): the wire form (MicroPython's bytes() ignores __bytes__; both iterate)
        if self.type == SYSEX:
            raw = b"\xf0" + bytes(self._sysex[:self.length])
            return iter(raw if self.sysex_end or self.truncated else raw + b"\xf7")
        return iter(bytes([self.status]) + bytes(self.data or b""))

    def copy(self):
        """A Message of your own, which later receive() calls leave alone."""
        other = Message(self.type, self.channel, self.data and bytes(self.data))
        if self.type == SYSEX:
            other.length = self.length
            other.truncated = self.truncated
            other.sysex_end = self.sysex_end
            other._sysex = bytes(self._sysex[:self.length])
        return other

    def __repr__(self):
        return "Message(%r)" % bytes(self)


class MidiIn:
    """Reads MIDI from a port; receive() returns the next complete Message or None.

    port: anything with readinto(buf) returning a count, 0 or None. Ports with any()
        (machine.UART) or in_waiting (pyserial, busio.UART) are asked first and never
        read for more than waits; one that needs readinto(buf, length) (BLE) is found out.
    enable_running_status: accepted for SmolMIDI; running status is always received.
    channel: 0-15 keeps only channel messages on that channel; None keeps all.
    zero_velocity_note_off: deliver NOTE_ON with velocity 0 as NOTE_OFF.
    ignore_clock, ignore_active_sensing: drop CLOCK / ACTIVE_SENSING.
    sysex_size: the SysEx payload buffer; what does not fit is dropped (truncated) or,
        with sysex_chunks=True, delivered in SYSEX_CHUNK pieces.
    read_size: bytes asked of the port per read; it is read when these are used up.

    Loss counters: stray_data (data bytes with no status), abandoned (messages cut off by
    a status byte), sysex_truncated, sysex_aborted; error_count is their sum.
    """

    def __init__(self, port, enable_running_status=False, *, channel=None,
                 zero_velocity_note_off=False, ignore_clock=False,
                 ignore_active_sensing=False, sysex_size=128, sysex_chunks=False, read_size=64):
        if not hasattr(port, "readinto"):
            raise TypeError("port must have readinto(), got %r" % (port,))
        if channel is not None and channel not in range(16):
            raise ValueError("channel must be 0-15 or None, got %r" % (channel,))
        for name, size in (("sysex_size", sysex_size), ("read_size", read_size)):
            if not (isinstance(size, int) and size > 0):
                raise ValueError("%s must be at least 1, got %r" % (name, size))
        # two bytes more than a read fills: the byte after the data is set to 0xFF, a
        # status byte, so looking one or two bytes ahead needs no bounds check
        self._buf = bytearray(read_size + 2)
        # the port fills a view: one that replaces the contents (buf[:] = data, as
        # adafruit_usb_host_midi does) fails loudly instead of shrinking the buffer
        view = self._view = memoryview(self._buf)[:read_size]
        self._pos = self._end = 0
        # running status (8n-En), -SYSEX while a SysEx is open, 0 none, or minus the
        # status of a message still waiting for data (its first data byte in _data1)
        self._status = 0
        self._data1 = -1
        self._channel = channel
        self._zero_off = zero_velocity_note_off
        self._ignore = (CLOCK if ignore_clock else 0, ACTIVE_SENSING if ignore_active_sensing else 0)
        if channel is not None or zero_velocity_note_off or ignore_clock or ignore_active_sensing:
            self.receive = self._receive_options
        # the SysEx payload, with a read's size of spare room before and after (_payload)
        self._sysex = bytearray(sysex_size + 2 * read_size)
        self._payload_view = memoryview(self._sysex)[read_size:read_size + sysex_size]
        self._sysex_len = 0
        self._dropped = False
        self._chunks = sysex_chunks
        self._sysex_at = -1  # where receive() stopped after delivering a SysEx; -1: gone
        self.stray_data = self.abandoned = self.sysex_truncated = self.sysex_aborted = 0
        self.error_count = 0
        # One reused Message per data length (so receive() never stores msg.data), one for
        # data-less messages (realtime, F6) and one for SysEx
        self._one = Message(data=bytearray(1))
        self._two = Message(data=bytearray(2))
        self._rt = Message()
        sx = self._sx = Message(SYSEX)
        sx._sysex = self._payload_view
        sx.length = sx.sysex_end = 0
        sx.truncated = False
        # Port shapes: plain readinto(buf) is called straight; the rest go through
        # _read_port. Bound methods are cached: making one allocates on MicroPython.
        self._port = port
        self._fill = self._read_port
        self._readinto = port.readinto
        self._shape = 2 if hasattr(port, "any") else 3 if hasattr(port, "in_waiting") else 0
        self._views = [view[:1 << i] for i in range(7) if 1 << i < read_size]

    def receive(self):
        """Return the next complete Message, or None if none is complete yet. Never blocks."""
        # At most 11 words of locals and stack here, or MicroPython takes the frame from
        # the heap on every call: hence no local for the buffer's end.
        pos = self._pos
        buf = self._buf
        status = self._status
        while True:
            if pos >= self._end:
                pos = self._fill(self._view)
                if not pos:
                    self._pos = self._end
                    return None
                self._end = pos
                buf[pos] = 0xFF  # a status byte after the data: look-aheads need no bounds check
                self._sysex_at = -1  # a SysEx delivered before this read is no longer readable
                pos = 0
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
                    # realtime: delivered at once; an unfinished message waits untouched
                    self._pos = pos
                    msg = self._rt
                    msg.type = b
                    return msg
                elif status == -SYSEX:
                    # any other status byte ends an open SysEx; F7 is its proper end
                    self._status = 0
                    if b == SYSEX_END:
                        return self._sysex_ends(SYSEX_COMPLETE, pos)
                    self.sysex_aborted += 1
                    self.error_count += 1
                    pos -= 1  # b is decoded on the next call
                    return self._sysex_ends(SYSEX_ABORTED, pos)
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
                    self._status = status = -b if b == SYSEX or _LENGTH[b - 0x80] else 0
                    if b == SYSEX:
                        self._sysex_len = 0
                        self._dropped = False
                    elif not status and b != SYSEX_END:  # a lone F7 is ignored
                        self._pos = pos
                        msg = self._rt
                        msg.type = b  # F4, F5, F6: no data bytes
                        return msg
                    continue
            # a data byte
            if status > 0:
                # running status (or the status just read)
                d1 = -1
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
                break
            if status == -SYSEX:
                pos -= 1
                pos = self._payload(pos)
                if pos < 0:
                    pos = ~pos
                    return self._sysex_ends(SYSEX_CHUNK, pos)
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

    def _receive_options(self):
        # receive() with the constructor's filters applied, kept out of the plain path
        while True:
            msg = MidiIn.receive(self)
            if msg is None:
                return None
            if msg.type in self._ignore:
                continue
            if msg.channel is not None and self._channel is not None and msg.channel != self._channel:
                continue
            if msg.type == NOTE_ON and self._zero_off and msg.data[1] == 0:
                msg.type = NOTE_OFF
            return msg

    def _payload(self, pos):
        # SysEx payload from pos on: the whole read is copied in C so that buf[pos] lands
        # at the payload's end (spare room of a read's size on each side takes the rest),
        # then the run of data bytes is found. Returns where it stopped, or ~pos when the
        # buffer is full and sysex_chunks wants the chunk delivered first.
        buf = self._buf
        sysex = self._sysex
        n = self._sysex_len
        if self._sx.sysex_end == SYSEX_CHUNK:
            n = self._sx.sysex_end = 0  # a chunk was delivered: the next one starts
        start = len(self._view)  # the payload starts here in self._sysex
        if n and pos:
            # a realtime byte came inside the SysEx: the copy would land on earlier payload
            while buf[pos] < 0x80 and n < len(sysex) - 2 * start:
                sysex[start + n] = buf[pos]
                n += 1
                pos += 1
        else:
            start += n - pos  # where buf[0] lands
            end = start + len(self._view)
            sysex[start:end] = self._view
        start = pos
        while buf[pos] < 0x80:
            pos += 1
        n += pos - start  # the payload so far, counting what did not fit
        start = n + 2 * len(self._view) - len(sysex)  # bytes past the buffer's end
        if start > 0:
            n -= start
            if self._chunks:
                self._sysex_len = n
                pos -= start  # those begin the next chunk
                return ~pos
            self._dropped = True
        self._sysex_len = n
        return pos

    def _sysex_ends(self, how, pos):
        self._pos = self._sysex_at = pos
        sx = self._sx
        sx.length = self._sysex_len
        sx.sysex_end = how
        sx.truncated = self._dropped
        if how != SYSEX_CHUNK and self._dropped:
            self.sysex_truncated += 1
            self.error_count += 1
        return sx

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
        if shape == 1:
            n = len(view)
            return self._readinto(view, n)
        if shape == 2:
            n = self._port.any()  # machine.UART: readinto on an empty UART busy-waits
            if n > len(view):
                n = len(view)
            return n and self._readinto(view, n)
        n = self._port.in_waiting  # pyserial, busio.UART: readinto waits for a full buffer
        if n < len(view):
            if not n:
                return 0
            shape = len(self._views) - 1
            while 1 << shape > n:
                shape -= 1
            view = self._views[shape]  # 1, 2, 4, ... bytes: never more than waits
        return self._readinto(view)

    def readinto_sysex(self, buf):
        """Copy the payload of the SysEx just received (no F0/F7) into buf; return the count.

        0 if the last message was not a SysEx. Copies at most len(buf) bytes; allocates nothing.
        """
        if self._sysex_at != self._pos:
            return 0
        n = min(self._sx.length, len(buf))
        sysex = self._payload_view
        if n == len(sysex):
            buf[0:n] = sysex  # a full buffer: one copy in C
        else:
            for i in range(n):  # an index loop: a slice would allocate
                buf[i] = sysex[i]
        return n

    def receive_sysex(self, max_length):
        """SmolMIDI's call: (payload bytearray, truncated) of the SysEx just received.

        truncated is True when bytes were dropped or another status byte cut it off.
        """
        if self._sysex_at != self._pos:
            return bytearray(), False
        sx = self._sx
        n = sx.length
        return bytearray(self._payload_view[:min(n, max_length)]), bool(sx.truncated or sx.sysex_end == SYSEX_ABORTED or n > max_length)
