# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_out: MIDI 1.0 output. MidiOut(port) sends to anything with write(buf)
returning the count taken (usb_midi.ports[1], a UART at 31250 baud, BLE MIDIService,
another MidiOut). Values are checked first (ValueError naming the argument); no
allocation per message; never blocks. Extras and retries: smolmidi_control.
"""

__version__ = "0.2.0"

# The message type names (NOTE_ON, CC, CLOCK ...) are smolmidi's: one copy for both.

# data bytes per status: channel statuses by high nibble (8-14), system by 16 + low nibble
DATA_LEN = b"\0\0\0\0\0\0\0\0\2\2\2\2\1\1\2\0\0\1\2\1\0\0\0\0\0\0\0\0\0\0\0\0"

_F0 = b"\xf0"
_F7 = b"\xf7"
_BYTES = (bytes, bytearray)  # made once: a tuple built in a call allocates


def check(spec, values):
    """Raise ValueError for the first of values out of spec ("name:top" or
    "name:low:top" each): the one funnel for argument errors."""
    spec = spec.split()
    for i in range(len(spec)):
        name, *top = spec[i].split(":")
        v = values[i]
        low = int(top[0]) if len(top) > 1 else 0
        if not isinstance(v, int) or not low <= v <= int(top[-1]):
            raise ValueError("%s must be %d%s%s, got %r" % (name, low, " to " if low else "-", top[-1], v))


def _bytes(data, top):
    # bytes and bytearray as they are; other sequences of ints (lists, arrays,
    # memoryviews) copied by value, each checked
    if isinstance(data, _BYTES):
        return data
    try:
        data = list(data)
        for i in range(len(data)):
            if not isinstance(data[i], int) or data[i] >> 8:  # a negative one shifts to -1
                raise ValueError("data[%d] must be 0-%d, got %r" % (i, top, data[i]))
    except TypeError:
        raise ValueError("data must be bytes or a sequence of ints, got %r" % (data,))
    return bytes(data)


def _one_byte(status):
    # the methods that send one status byte: tune request and realtime
    byte = bytes((status,))

    def send(self):
        if status == 0xF6 or status == 0xFF:  # these cancel running status
            self._state[0] = 0
        n = self._port(byte, 1)
        if n != 1:
            self._rest(byte, n)

    return send


class MidiOut:
    """MIDI 1.0 to `port`; channels 0-15. running_status: leave out repeated status
    bytes (DIN only), settable. dropped: bytes the port would not take. No arguments:
    tune_request, clock, start, continue_ (cont), stop, active_sensing, system_reset.
    """

    def __init__(self, port, running_status=False):
        if not callable(getattr(port, "write", None)):
            raise TypeError("port must have a write method, got %r" % (port,))
        self.port = port
        self.dropped = 0
        # [0]: the channel status the receiver holds (running status), 0 = none; kept in
        # a bytearray as a store on a class with a property costs 5 times a plain one
        self._state = bytearray(1)
        # bound methods cached: creating one per call allocates on MicroPython
        self._port = self._first
        self._rs_write = self._rs
        self._b3 = bytearray(3)
        self._b2 = bytearray(2)
        self._bufs = (bytearray(1), self._b2, self._b3)  # by data length
        self._tails = (memoryview(self._b2)[1:], memoryview(self._b3)[1:])
        self.running_status = running_status

    @property
    def running_status(self):
        """True while repeated status bytes are left out."""
        return self._write is self._rs_write

    @running_status.setter
    def running_status(self, on):
        self._state[0] = 0
        self._write = self._rs_write if on else self._port

    # -- channel voice ------------------------------------------------------------------
    # Written out for speed. One expression checks every value (out of range sets bit 7
    # up or goes negative; a non-int raises). The frame must stay within MicroPython's
    # 11 words or it comes from the heap: so 4 locals at most (a try takes 4 more words),
    # the buffer kept in `channel` once that is used (3 arguments), the port's count in
    # a spent one.

    def note_on(self, note, velocity=127, channel=0):
        """Note On: note 0-127, velocity 0-127 (0 means note off), channel 0-15."""
        try:
            if (note | velocity | channel << 3) >> 7:
                raise TypeError
        except:  # a value out of range or not an int: named by check
            pass
        else:
            self._b3[0] = 0x90 | channel
            channel = self._b3
            channel[1] = note
            channel[2] = velocity
            note = self._write(channel, 3)
            if note != 3:
                self._rest(channel, note)
            return
        note = (note, velocity, channel)
        check("note:127 velocity:127 channel:15", note)

    def note_off(self, note, velocity=0, channel=0):
        """Note Off: note 0-127, release velocity 0-127, channel 0-15."""
        try:
            if (note | velocity | channel << 3) >> 7:
                raise TypeError
        except:
            pass
        else:
            self._b3[0] = 0x80 | channel
            channel = self._b3
            channel[1] = note
            channel[2] = velocity
            note = self._write(channel, 3)
            if note != 3:
                self._rest(channel, note)
            return
        note = (note, velocity, channel)
        check("note:127 velocity:127 channel:15", note)

    def aftertouch(self, note, pressure, channel=0):
        """Polyphonic Key Pressure: note 0-127, pressure 0-127, channel 0-15."""
        try:
            if (note | pressure | channel << 3) >> 7:
                raise TypeError
        except:
            pass
        else:
            self._b3[0] = 0xA0 | channel
            channel = self._b3
            channel[1] = note
            channel[2] = pressure
            note = self._write(channel, 3)
            if note != 3:
                self._rest(channel, note)
            return
        note = (note, pressure, channel)
        check("note:127 pressure:127 channel:15", note)

    def control_change(self, control, value, channel=0):
        """Control Change: control 0-127, value 0-127, channel 0-15."""
        try:
            if (control | value | channel << 3) >> 7:
                raise TypeError
        except:
            pass
        else:
            self._b3[0] = 0xB0 | channel
            channel = self._b3
            channel[1] = control
            channel[2] = value
            control = self._write(channel, 3)
            if control != 3:
                self._rest(channel, control)
            return
        control = (control, value, channel)
        check("control:127 value:127 channel:15", control)

    def program_change(self, program, channel=0):
        """Program Change: program 0-127 (patch 1 is 0), channel 0-15."""
        try:
            if (program | channel << 3) >> 7:
                raise TypeError
        except:
            pass
        else:
            buf = self._b2
            buf[0] = 0xC0 | channel
            buf[1] = program
            program = self._write(buf, 2)
            if program != 2:
                self._rest(buf, program)
            return
        check("program:127 channel:15", (program, channel))

    def channel_pressure(self, pressure, channel=0):
        """Channel Pressure: pressure 0-127, channel 0-15."""
        try:
            if (pressure | channel << 3) >> 7:
                raise TypeError
        except:
            pass
        else:
            buf = self._b2
            buf[0] = 0xD0 | channel
            buf[1] = pressure
            pressure = self._write(buf, 2)
            if pressure != 2:
                self._rest(buf, pressure)
            return
        check("pressure:127 channel:15", (pressure, channel))

    def pitch_bend(self, value, channel=0):
        """Pitch Bend, signed: value -8192..8191 (0 = centre), channel 0-15."""
        try:
            if (value + 8192 | channel << 10) >> 14:
                raise TypeError
        except:
            pass
        else:
            value += 8192
            buf = self._b3
            buf[0] = 0xE0 | channel
            buf[1] = value & 0x7F
            buf[2] = value >> 7
            value = self._write(buf, 3)
            if value != 3:
                self._rest(buf, value)
            return
        check("value:-8192:8191 channel:15", (value, channel))

    # -- system common and realtime -----------------------------------------------------

    def mtc_quarter_frame(self, piece, value):
        """MTC Quarter Frame: piece 0-7, value 0-15."""
        if not isinstance(piece, int) or not isinstance(value, int) or piece >> 3 or value >> 4:
            return check("piece:7 value:15", (piece, value))
        self._emit(0xF1, piece << 4 | value, 0)

    def song_position(self, beats):
        """Song Position Pointer: beats 0-16383 (1 beat = 6 clocks)."""
        if not isinstance(beats, int) or beats >> 14:
            return check("beats:16383", (beats,))
        self._emit(0xF2, beats & 0x7F, beats >> 7)

    def song_select(self, song):
        """Song Select: song 0-127."""
        if not isinstance(song, int) or song >> 7:
            return check("song:127", (song,))
        self._emit(0xF3, song, 0)

    tune_request = _one_byte(0xF6)
    clock = _one_byte(0xF8)  # 24 per quarter note
    start = _one_byte(0xFA)
    continue_ = cont = _one_byte(0xFB)  # `continue` is a Python keyword
    stop = _one_byte(0xFC)
    active_sensing = _one_byte(0xFE)
    system_reset = _one_byte(0xFF)  # receivers forget running status: restated next

    # -- SysEx, any message, raw bytes --------------------------------------------------

    def sysex(self, data):
        """System Exclusive: data is bytes or ints 0-127, manufacturer ID first; F0 and
        F7 optional."""
        if not isinstance(data, _BYTES):
            data = _bytes(data, 127)
        n = len(data)
        start = n and data[0] == 0xF0
        end = n - (n > start and data[n - 1] == 0xF7)
        if end <= start:
            raise ValueError("data must hold a manufacturer ID, got an empty SysEx")
        if max(data) > 127:  # max runs in C: look where only when something is high
            for i in range(start, end):
                if data[i] > 127:
                    raise ValueError("data[%d] must be 0-127, got %d" % (i, data[i]))
        self._state[0] = 0
        if not start:
            self._put(_F0, 1)
        self._put(data, n)
        if end == n:
            self._put(_F7, 1)

    def send(self, msg):
        """Send a message with .type, .channel, .data (smolmidi's Message); a SysEx
        from bytes(msg), unless truncated or aborted (ValueError); a mido message."""
        kind = getattr(msg, "type", None)
        if kind == 0xF0:
            if getattr(msg, "truncated", 0) or getattr(msg, "sysex_end", 0):
                raise ValueError("msg is a truncated or aborted SysEx, not sent")
            return self.sysex(bytes(msg))
        if not isinstance(kind, int) or kind >> 8 or kind < 0x80 or kind == 0xF7 or kind < 0xF0 and kind & 0x0F:
            if hasattr(msg, "bin"):  # a mido message (on the desktop): its bytes, as mido made them
                return self.write(msg.bin())
            raise ValueError("msg.type must be a channel message type or a system status, got %r" % (kind,))
        if kind < 0xF0:
            channel = getattr(msg, "channel", None)
            if not isinstance(channel, int) or channel >> 4:
                return check("msg.channel:15", (channel,))
            kind |= channel
        need = DATA_LEN[kind >> 4] if kind < 0xF0 else DATA_LEN[16 + (kind & 0x0F)]
        data = getattr(msg, "data", None) or b""
        if len(data) < need:
            raise ValueError("msg.data must hold %d bytes for type 0x%02X, got %r" % (need, msg.type, data))
        msg = data[0] if need else 0
        data = data[1] if need > 1 else 0
        if not isinstance(msg, int) or not isinstance(data, int) or (msg | data) >> 7:
            return check("msg.data[0]:127 msg.data[1]:127", (msg, data))
        self._emit(kind, msg, data)

    def write(self, buf, nbytes=None):
        """Send buf[0:nbytes] (bytes or ints 0-255) as it is; return the count taken."""
        buf = _bytes(buf, 255)
        self._state[0] = 0
        return self._put(buf, len(buf) if nbytes is None else nbytes)

    # -- internals ----------------------------------------------------------------------

    def _emit(self, status, data1, data2):
        # one message, values checked; system common and reset cancel running status
        n = DATA_LEN[status >> 4] if status < 0xF0 else DATA_LEN[16 + (status & 15)]
        buf = self._bufs[n]
        buf[0] = status
        if n:
            buf[1] = data1
            if n > 1:
                buf[2] = data2
        if status < 0xF0:
            n = self._write(buf, n + 1)
        else:
            if status < 0xF8 or status == 0xFF:
                self._state[0] = 0
            n = self._port(buf, n + 1)
        if n != len(buf):
            self._rest(buf, n)

    def _put(self, buf, n):
        # buf[0:n] to the port; the count taken
        got = self._port(buf, n)
        return n if got == n else self._rest(buf, got, n)

    def _rs(self, buf, n):
        # port.write's stand-in with running status: a status the receiver has is left out
        status = buf[0]
        if status == self._state[0]:
            n = self._port(self._tails[n - 2], n - 1)
            return n if n is None else n + 1  # the status counts as taken
        self._state[0] = 0  # recorded once all of it is out, in case write raises
        n = self._port(buf, n)
        if n is None or n == len(buf):
            self._state[0] = status
        return n

    def _first(self, buf, n):
        # The first write learns the port: streams (usb_midi.PortOut, busio.UART,
        # machine.UART, a MidiOut) and BLE MIDIService take write(buf, nbytes); others
        # (pyserial, io, write(buf) ports) raise TypeError and get whole buffers after.
        write = self.port.write
        try:
            got = write(buf, n)
        except TypeError:

            def write(buf, n, write=write):
                return write(buf if n == len(buf) else memoryview(buf)[:n])

            got = write(buf, n)
        if self._write is self._port:
            self._write = write
        self._port = write
        return got

    def _rest(self, buf, got, n=None):
        # The port took got < n bytes of buf (usb_midi.PortOut when its FIFO is full, 0
        # with no USB host; None is a port that gives no count, BLE MIDIService or a
        # UART's timeout: taken as all). The rest is tried until the port takes nothing,
        # then counted in dropped; the next channel message restates its status.
        if n is None:
            n = len(buf)
        if got is None or got == n:
            return n
        while 0 < got < n:
            more = self._port(memoryview(buf)[got:n], n - got)  # allocates: this path only
            if more is None:
                return n
            if not more:
                break
            got += more
        if got < n:
            self.dropped += n - got
            self._state[0] = 0
        return got
