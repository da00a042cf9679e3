"""smolmidi: MIDI input for CircuitPython, MicroPython and CPython.

MidiIn(port) reads MIDI 1.0 bytes from anything with readinto (usb_midi.PortIn,
busio.UART, machine.UART, BLE MIDI, pyserial) and returns whole messages. receive()
never blocks, never waits for the rest of a message and allocates nothing; the Message
it returns is reused (valid until the next receive(); copy() keeps one). Running status,
realtime bytes inside messages and SysEx, and every loss follow the MIDI 1.0 wire rules.
Channels are 0-15, as on the wire. Source compatible with Winterbloom SmolMIDI.
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

# Named fields: name -> (how to decode, types it applies to)
_FIELDS = {
    "note": (0, b"\x80\x90\xa0"), "velocity": (1, b"\x80\x90"),
    "control": (0, b"\xb0"), "value": (1, b"\xb0"), "program": (0, b"\xc0"),
    "pressure": (2, b"\xa0\xd0"), "pitch_bend": (3, b"\xe0"), "song_position": (4, b"\xf2"),
    "song": (0, b"\xf3"), "mtc_piece": (5, b"\xf1"), "mtc_value": (6, b"\xf1"),
}


class Message:
    """One MIDI message: type, channel (0-15, None for system messages), data (None if none).

    type is the status without the channel for channel messages (NOTE_ON, ...) and the
    whole status byte for system messages. Named fields are decoded when read: note,
    velocity, control, value, program, pressure, pitch_bend (-8192..8191), song,
    song_position, mtc_piece, mtc_value and status; one that does not apply to the type
    raises AttributeError. A SYSEX message has length, truncated and sysex_end instead of
    data; its payload comes from MidiIn.receive_sysex() or readinto_sysex().
    """

    def __init__(self, type=None, channel=None, data=None):
        self.type = type
        self.channel = channel
        self.data = data

    def __getattr__(self, name):
        # Only tried for names the instance lacks: unlike @property, it leaves stores fast
        # (a class with properties makes every store look for a setter first).
        t = self.type
        if name == "status":
            return t if self.channel is None else t | self.channel
        spec = _FIELDS.get(name)
        if spec is None or t not in spec[1]:
            raise AttributeError("message type 0x%02X has no %s" % (t or 0, name))
        how = spec[0]
        d = self.data
        if how < 2:
            return d[how]
        if how == 2:
            return d[len(d) - 1]  # AFTERTOUCH: the second byte, CHANNEL_PRESSURE: the only one
        if how == 5:
            return d[0] >> 4
        if how == 6:
            return d[0] & 15
        return d[0] | d[1] << 7 if how == 4 else (d[0] | d[1] << 7) - 8192

    def __bytes__(self):
        if self.type == SYSEX:
            out = bytes([SYSEX]) + bytes(self._sysex[:self.length])
            return out + bytes([SYSEX_END]) if self.sysex_end == 0 and not self.truncated else out
        return bytes([self.status]) + bytes(self.data or b"")

    def __iter__(self):
        # MicroPython's bytes() ignores __bytes__ and iterates instead
        return iter(self.__bytes__())

    def copy(self):
        """A Message of your own, which later receive() calls leave alone."""
        other = Message(self.type, self.channel, None if self.data is None else bytes(self.data))
        if self.type == SYSEX:
            other.length = self.length
            other.truncated = self.truncated
            other.sysex_end = self.sysex_end
            other._sysex = bytes(self._sysex[:self.length])
        return other

    def __eq__(self, other):
        return isinstance(other, Message) and bytes(self) == bytes(other)

    def __repr__(self):
        return "Message(%s)" % bytes(self).hex()


class MidiIn:
    """Reads MIDI from a port; receive() returns the next complete Message or None.

    port: anything with readinto(buf) returning a count, 0 or None. Ports that say how
        much is waiting are asked first and never read for more: any() (machine.UART,
        whose readinto busy-waits when empty) and in_waiting (pyserial, busio.UART, whose
        readinto waits for a full buffer). One that needs readinto(buf, length) (BLE
        MIDIService) is recognised on the first read.
    enable_running_status: accepted for SmolMIDI; running status is always received.
    channel: 0-15 keeps only channel messages on that channel; None keeps all.
    zero_velocity_note_off: deliver NOTE_ON with velocity 0 as NOTE_OFF.
    ignore_clock, ignore_active_sensing: drop CLOCK / ACTIVE_SENSING bytes.
    sysex_size: SysEx payload buffer in bytes; what does not fit is dropped (truncated)
        or, with sysex_chunks=True, delivered in SYSEX_CHUNK pieces.
    read_size: bytes asked of the port per read (the port is read when these are used).

    Loss counters: stray_data (data bytes with no status in force), abandoned (messages
    cut off by a status byte), sysex_truncated, sysex_aborted; error_count is their sum.
    """

    def __init__(self, port, enable_running_status=False, *, channel=None,
                 zero_velocity_note_off=False, ignore_clock=False,
                 ignore_active_sensing=False, sysex_size=128, sysex_chunks=False, read_size=64):
        if not hasattr(port, "readinto"):
            raise TypeError("port must have readinto(), got %r" % (port,))
        if channel is not None and channel not in range(16):
            raise ValueError("channel must be 0-15 or None, got %r" % (channel,))
        if not (isinstance(sysex_size, int) and sysex_size > 0):
            raise ValueError("sysex_size must be at least 1, got %r" % (sysex_size,))
        if not (isinstance(read_size, int) and read_size > 0):
            raise ValueError("read_size must be at least 1, got %r" % (read_size,))
        self._buf = bytearray(read_size + 2)
        # the port fills a view: one that replaces the contents (buf[:] = data) fails
        # loudly instead of shrinking the buffer
        self._view = memoryview(self._buf)[:read_size]
        self._small = self._view[:16] if read_size > 16 else self._view  # reads while a SysEx is open
        self._pos = self._end = 0
        # status in force: running status (8n-En), SYSEX while one is open, 0 none, or
        # minus the status of a message still waiting for data (its first byte in _data1)
        self._status = 0
        self._data1 = -1
        self._channel = channel
        self._zero_off = zero_velocity_note_off
        self._ignore_clock = ignore_clock
        self._ignore_sensing = ignore_active_sensing
        self._sysex = bytearray(sysex_size)
        self._sysex_len = 0
        self._dropped = False
        self._chunks = sysex_chunks
        self._sysex_out = 0  # 1: a SysEx was delivered, 2: a chunk of one
        self._sysex_at = -1  # where receive() stopped after delivering it
        if channel is not None or zero_velocity_note_off or ignore_clock or ignore_active_sensing:
            self.receive = self._receive_options
        self.stray_data = self.abandoned = self.sysex_truncated = self.sysex_aborted = 0
        self.error_count = 0
        # Messages are reused; one per data length, so receive() never stores msg.data,
        # and one for data-less ones (realtime, F6)
        self._one_msg = Message(data=bytearray(1))
        self._two_msg = Message(data=bytearray(2))
        self._rt = Message()
        sx = self._sx = Message(SYSEX)
        sx._sysex = self._sysex
        sx.length = 0
        sx.truncated = False
        sx.sysex_end = 0
        # Port shapes, learned here once; bound methods are cached (making one allocates)
        self._port = port
        self._readinto = port.readinto
        if hasattr(port, "any"):
            self._any = port.any
            self._fill = self._fill_any
        elif hasattr(port, "in_waiting"):
            # views of 1, 2, 4, ... bytes: never ask for more than is waiting
            self._views = views = []
            while 1 << len(views) < read_size:
                views.append(self._view[:1 << len(views)])
            self._fill = self._fill_waiting
        else:
            self._fill = self._fill_first

    def receive(self):
        """Return the next complete Message, or None if none is complete yet. Never blocks."""
        # At most 11 words of locals and stack here, or MicroPython takes the frame from
        # the heap on every call: hence no local for the buffer's end.
        pos = self._pos
        if pos >= self._end:
            pos = self._fill(self._view)  # self._read() inlined: the idle path is hot too
            if not pos:
                return None
            self._end = pos
            self._buf[pos] = 0xFF
            self._sysex_at = -1
            pos = 0
        buf = self._buf
        status = self._status
        while True:
            b = buf[pos]
            pos += 1
            if b < 0x80:
                if status > 0:
                    # running status
                    if status < 0xC0 or status >= 0xE0:  # two data bytes (not Cn, Dn)
                        d1 = buf[pos]
                        if d1 < 0x80:
                            # complete, the usual case: written out here, it skips the checks below
                            self._pos = pos + 1
                            msg = self._two_msg
                            msg.type = status & 0xF0
                            msg.channel = status & 15
                            buf = msg.data  # buf is free now
                            buf[0] = b
                            buf[1] = d1
                            return msg
                        self._data1 = b
                        self._status = status = -status
                    else:
                        d1 = -1
                        break
                elif status == -SYSEX:
                    pos -= 1
                    pos = self._payload(pos)
                    if pos < 0:
                        return self._deliver_sysex(SYSEX_CHUNK, ~pos)
                elif status:
                    # a message is waiting for this data byte
                    status = -status
                    d1 = self._data1
                    if d1 >= 0 or _LENGTH[status - 0x80] < 2:
                        self._data1 = -1
                        self._status = status if status < 0xF0 else 0
                        break
                    if buf[pos] < 0x80:  # the second data byte is here too
                        d1 = b
                        b = buf[pos]
                        pos += 1
                        self._status = status if status < 0xF0 else 0
                        break
                    self._data1 = b
                    status = -status
                else:
                    self.stray_data += 1
                    self.error_count += 1
            elif b < 0xF0 and status >= 0:
                # channel status with nothing unfinished: most messages are whole here
                self._status = status = b
                if b < 0xC0 or b >= 0xE0:
                    b = buf[pos]
                    d1 = buf[pos + 1]
                    if (b | d1) < 0x80:
                        self._pos = pos + 2
                        msg = self._two_msg
                        msg.type = status & 0xF0
                        msg.channel = status & 15
                        buf = msg.data
                        buf[0] = b
                        buf[1] = d1
                        return msg
                    self._status = status = -status
                else:
                    b = buf[pos]
                    if b < 0x80:
                        pos += 1
                        d1 = -1
                        break
                    self._status = status = -status
            elif b >= 0xF8:
                # realtime: delivered at once; an unfinished message waits untouched
                self._pos = pos
                msg = self._rt
                msg.type = b
                return msg
            elif status < 0:
                # a status byte ends an open SysEx (F7 properly) or abandons a message
                if status == -SYSEX:
                    self._status = 0
                    if b == SYSEX_END:
                        return self._deliver_sysex(SYSEX_COMPLETE, pos)
                    self.sysex_aborted += 1
                    self.error_count += 1
                    pos -= 1  # b is decoded on the next call
                    return self._deliver_sysex(SYSEX_ABORTED, pos)
                self.abandoned += 1
                self.error_count += 1
                self._status = status = 0
                self._data1 = -1
                pos -= 1  # decode b again, with nothing unfinished
            elif b == SYSEX:
                self._status = status = -SYSEX
                self._sysex_len = 0
                self._dropped = False
                self._sysex_out = 0
            elif _LENGTH[b - 0x80]:
                self._status = status = -b  # system common: running status ends
            else:
                self._status = status = 0
                if b != SYSEX_END:  # a lone F7 is ignored
                    self._pos = pos
                    self._rt.type = b  # F4, F5, F6: no data bytes
                    return self._rt
            if pos >= self._end:
                if not self._read():
                    self._pos = pos  # all used: the next call reads first
                    return None
                pos = 0
        # complete: status with data byte b, and d1 before it when it takes two
        self._pos = pos
        if d1 < 0:
            msg = self._one_msg
            buf = msg.data
            buf[0] = b
        else:
            msg = self._two_msg
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

    def _read(self):
        # One read of the port into the buffer; the count, 0 when nothing came
        end = self._fill(self._small if self._status == -SYSEX else self._view)
        if end:
            self._end = end
            self._buf[end] = 0xFF  # a status byte after the data: look-aheads need no bounds check
            self._sysex_at = -1  # a SysEx delivered before this read is no longer readable
        return end

    def _receive_options(self):
        # receive() with the constructor's filters applied (kept out of the plain path)
        while True:
            msg = MidiIn.receive(self)
            if msg is None:
                return None
            t = msg.type
            if t >= 0xF0:
                if (t == CLOCK and self._ignore_clock) or (t == ACTIVE_SENSING and self._ignore_sensing):
                    continue
                return msg
            if self._channel is not None and msg.channel != self._channel:
                continue
            if t == NOTE_ON and self._zero_off and msg.data[1] == 0:
                msg.type = NOTE_OFF
            return msg

    def _payload(self, pos):
        # Copy SysEx payload from pos on, reading the port while the payload goes on;
        # return where a status byte stopped it (or the port ran dry), or ~pos when the
        # SysEx buffer is full and sysex_chunks wants the chunk delivered first.
        sysex = self._sysex
        buf = self._buf
        if self._sysex_out:
            self._sysex_len = self._sysex_out = 0  # a chunk was delivered: the next one starts
        while True:
            shift = self._sysex_len - pos  # SysEx buffer index = read buffer index + shift
            stop = len(sysex) - shift  # where the SysEx buffer would be full
            if stop < self._end:
                break
            # A whole 16-byte read of payload (reads are 16 bytes while a SysEx is open):
            # checked by one expression and copied in C, ~4x faster than byte by byte
            if pos == 0 and self._end == 16 and (
                    buf[0] | buf[1] | buf[2] | buf[3] | buf[4] | buf[5] | buf[6] | buf[7] | buf[8]
                    | buf[9] | buf[10] | buf[11] | buf[12] | buf[13] | buf[14] | buf[15]) < 0x80:
                pos = shift + 16
                sysex[shift:pos] = self._small
                self._sysex_len = pos
            else:
                while True:  # the status byte after the data (buf[end]) ends it
                    b = buf[pos]
                    if b > 0x7F:
                        break
                    sysex[pos + shift] = b
                    pos += 1
                self._sysex_len = pos + shift
                if pos < self._end:
                    return pos  # a status byte
            pos = self._fill(self._small)
            if not pos:
                return self._end  # nothing more yet
            self._end = pos
            buf[pos] = 0xFF
            self._sysex_at = -1
            pos = 0
        while pos < stop:
            b = buf[pos]
            if b > 0x7F:
                break
            sysex[pos + shift] = b
            pos += 1
        self._sysex_len = pos + shift
        if buf[pos] < 0x80:
            # the payload goes on but the SysEx buffer is full
            if self._chunks:
                return ~pos
            self._dropped = True
            while buf[pos] < 0x80:
                pos += 1
        return pos

    def _deliver_sysex(self, how, pos):
        self._pos = self._sysex_at = pos
        sx = self._sx
        sx.length = self._sysex_len
        sx.sysex_end = how
        sx.truncated = self._dropped
        if how == SYSEX_CHUNK:
            self._sysex_out = 2
        else:
            self._sysex_out = 1
            if self._dropped:
                self.sysex_truncated += 1
                self.error_count += 1
        return sx

    def _fill_first(self, view):
        # Learn the port's readinto shape once: BLE's MIDIService needs the length
        try:
            n = self._readinto(view)
            self._fill = self._readinto
        except TypeError:
            self._fill = self._fill_length
            n = self._fill_length(view)
        return n

    def _fill_length(self, view):
        return self._readinto(view, len(view))

    def _fill_any(self, view):
        n = self._any()
        if not n:
            return 0
        return self._readinto(view, n if n < len(view) else len(view))

    def _fill_waiting(self, view):
        n = self._port.in_waiting
        if not n:
            return 0
        if n >= len(view):
            return self._readinto(view)
        i = len(self._views) - 1
        while 1 << i > n:
            i -= 1
        return self._readinto(self._views[i])

    def _sysex_ready(self):
        # a SysEx was the last message returned, and nothing has been read since
        return self._sysex_out and self._pos == self._sysex_at

    def readinto_sysex(self, buf):
        """Copy the payload of the SysEx just received (no F0/F7) into buf; return the count.

        Valid until the next receive(); 0 if the last message was not a SysEx. Copies at
        most len(buf) bytes and allocates nothing.
        """
        if not self._sysex_ready():
            return 0
        n = self._sx.length
        if n > len(buf):
            n = len(buf)
        sysex = self._sysex
        if n == len(sysex):
            buf[0:n] = sysex  # a full buffer: one copy in C
        else:
            for i in range(n):  # an index loop: a slice would allocate
                buf[i] = sysex[i]
        return n

    def receive_sysex(self, max_length):
        """SmolMIDI's call: (payload bytearray, truncated) for the SysEx just received.

        truncated is True when bytes were dropped (longer than max_length or sysex_size)
        or the SysEx was cut off by another status byte. Allocates the result.
        """
        if not self._sysex_ready():
            return bytearray(), False
        sx = self._sx
        n = sx.length
        return (bytearray(self._sysex[:min(n, max_length)]),
                sx.truncated or n > max_length or sx.sysex_end == SYSEX_ABORTED)
