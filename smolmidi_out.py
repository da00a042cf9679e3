# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
# MidiOut(port) sends to anything with write(buf) returning the count taken
# (usb_midi.ports[1], a UART at 31250 baud, BLE MIDIService, another MidiOut). Values are
# checked first (ValueError naming the argument); no allocation per message; never
# blocks. Extras and retries: smolmidi_control. Docstrings are short and the comments
# say the rest: every byte of a .py costs heap to compile on a board.
"""smolmidi_out: MIDI 1.0 output (MidiOut)."""

__version__ = "0.2.0"

# data bytes per status: channel statuses by high nibble (8-14), system by 16 + low nibble
DATA_LEN = b"\0\0\0\0\0\0\0\0\2\2\2\2\1\1\2\0\0\1\2\1\0\0\0\0\0\0\0\0\0\0\0\0"

_MUST = "%s must be %s, got %r"  # every error message


class MidiOut:
    """MIDI 1.0 out. Also clock, start, continue_, stop, tune_request, active_sensing,
    system_reset."""

    # running_status: leave out repeated status bytes (DIN only), settable. dropped: bytes
    # the port would not take.

    def _check(self, n, data):
        # The one funnel for argument errors: ValueError naming the first of data out of
        # range. n names them, a hex digit each, first lowest: 0x210 is note, velocity, channel.
        for value in data:
            i = n & 15
            n >>= 4
            low = -8192 * (i == 7)
            top = (1 << b"\7\7\4\7\7\7\7\x0e\3\4\x0e\7"[i]) - 1 + low  # bits per argument
            if not isinstance(value, int) or not low <= value <= top:
                n = "note velocity channel pressure control value program value piece value beats song"
                raise ValueError(_MUST % (n.split()[i], ("%d to %d" if low else "%d-%d") % (low, top), value))

    def __init__(self, port, running_status=False):
        if getattr(port, "write", None) is None:
            raise TypeError(_MUST % ("port", "writable", port))
        self.port = port
        self.dropped = 0
        # [0]: the channel status the receiver holds (running status), 0 = none; kept in
        # a bytearray as a store on a class with a property costs 5 times a plain one
        self._state = bytearray(1)
        self._port = self._write = self._first  # learns the port's write on the first call
        b2 = bytearray(2)
        self._b3 = b3 = bytearray(3)
        # by data length, then the data bytes of b2 and b3 (made once: views allocate)
        self._bufs = (bytearray(1), b2, b3, memoryview(b2)[1:], memoryview(b3)[1:])
        self._bytes = (bytes, bytearray, memoryview)  # made once: a tuple built in a call allocates
        self.running_status = running_status

    def running_status(self, *value):
        # True while repeated status bytes are left out: the getter (no value) and the
        # setter in one function
        if not value:
            return self._write is not self._port
        self._state[0] = 0
        self._write = self._rs if value[0] else self._port  # bound method made once, here

    running_status = property(running_status, running_status)

    # -- channel voice ------------------------------------------------------------------
    # Written out for speed. One expression checks every value (out of range sets bit 7
    # up or goes negative; a non-int raises). The frame must stay within MicroPython's
    # 11 words or it comes from the heap: so 4 locals at most (a try takes 3 more words),
    # the buffer kept in `channel` once that is used, the port's count in a spent one.

    def note_on(self, note, velocity=127, channel=0):
        """Note On; channel 0-15."""  # note, velocity 0-127; velocity 0 is a note off
        try:
            if (note | velocity | channel << 3) >> 7:
                raise TypeError
        except:  # a value out of range or not an int: named by _check
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
        self._check(0x210, note)

    def note_off(self, note, velocity=0, channel=0):
        """Note Off; channel 0-15."""  # note, release velocity 0-127
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
        self._check(0x210, note)

    def aftertouch(self, note, pressure, channel=0):
        """Polyphonic Key Pressure; channel 0-15."""  # note, pressure 0-127
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
        self._check(0x230, note)

    def control_change(self, control, value, channel=0):
        """Control Change; channel 0-15."""  # control, value 0-127
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
        self._check(0x254, control)

    def program_change(self, program, channel=0):
        """Program Change; channel 0-15."""  # program 0-127 (patch 1 is 0)
        try:
            if (program | channel << 3) >> 7:
                raise TypeError
        except:
            pass
        else:
            buf = self._bufs[1]
            buf[0] = 0xC0 | channel
            buf[1] = program
            program = self._write(buf, 2)
            if program != 2:
                self._rest(buf, program)
            return
        program = (program, channel)  # a tuple first: the frame must stay within 11 words
        self._check(0x26, program)

    def channel_pressure(self, pressure, channel=0):
        """Channel Pressure; channel 0-15."""  # pressure 0-127
        try:
            if (pressure | channel << 3) >> 7:
                raise TypeError
        except:
            pass
        else:
            buf = self._bufs[1]
            buf[0] = 0xD0 | channel
            buf[1] = pressure
            pressure = self._write(buf, 2)
            if pressure != 2:
                self._rest(buf, pressure)
            return
        pressure = (pressure, channel)
        self._check(0x23, pressure)

    def pitch_bend(self, value, channel=0):
        """Pitch Bend; channel 0-15."""  # value -8192 to 8191, 0 = centre
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
        value = (value, channel)
        self._check(0x27, value)

    # -- system common and realtime -----------------------------------------------------

    def mtc_quarter_frame(self, piece, value):
        """MTC Quarter Frame."""  # piece 0-7, value 0-15
        if not isinstance(piece, int) or not isinstance(value, int) or piece >> 3 or value >> 4:
            self._check(0x98, (piece, value))
        self._emit(0xF1, piece << 4 | value, 0)

    def song_position(self, beats):
        """Song Position Pointer."""  # beats 0-16383 (a beat is 6 clocks)
        if not isinstance(beats, int) or beats >> 14:
            self._check(0xA, (beats,))
        self._emit(0xF2, beats & 0x7F, beats >> 7)

    def song_select(self, song):
        """Song Select."""  # song 0-127
        if not isinstance(song, int) or song >> 7:
            self._check(0xB, (song,))
        self._emit(0xF3, song, 0)

    def __getattr__(self, name):
        # tune_request, clock, start, continue_ (cont), stop, active_sensing, system_reset:
        # one closure each, made on first use and kept on the instance (smaller than
        # seven methods; a realtime call costs what a method calling _emit costs)
        # the names by status from 0xF6 ("-": undefined)
        names = "tune_request - clock - start continue_ stop - active_sensing system_reset".split()
        if name == "-" or name not in names:
            raise AttributeError(name)
        status = 0xF6 + names.index(name)

        def send():
            self._emit(status, 0, 0)

        setattr(self, name, send)
        return send

    # -- SysEx, any message, raw bytes --------------------------------------------------

    def sysex(self, data):
        """System Exclusive."""
        # data: bytes, bytearray or memoryview of 0-127, manufacturer ID first; F0 and
        # F7 optional
        if not isinstance(data, self._bytes):
            raise TypeError(_MUST % ("data", "bytes", data))
        n = len(data)
        start = n and data[0] == 0xF0
        end = n - (n > start and data[n - 1] == 0xF7)
        if end <= start:
            raise ValueError(_MUST % ("data", "complete", data))
        if max(data) > 127:  # max runs in C: look where only when something is high
            for i in range(start, end):
                if data[i] > 127:
                    raise ValueError(_MUST % ("data[%d]" % i, "0-%d" % 127, data[i]))
        if not start:
            self._emit(0xF0, 0, 0)
        self.write(data)
        if end == n:
            self._emit(0xF7, 0, 0)

    def send(self, msg):
        """Send smolmidi's Message."""
        # anything with .type, .channel, .data; a SysEx as bytes(msg) when complete
        kind = getattr(msg, "type", -1)  # -1: none (not a status)
        if kind == 0xF0:  # bytes(msg) ends in F7 only when complete and not truncated
            data = bytes(msg)
            if not data or data[-1] != 0xF7:
                raise ValueError(_MUST % ("msg", "complete", data))
            return self.sysex(data)
        channel = getattr(msg, "channel", -1)
        data = getattr(msg, "data", None) or b""
        try:  # each check raises (TypeError, IndexError) for what is not a message
            status = kind | channel if kind < 0xF0 else kind
            n = DATA_LEN[status >> 4 if status < 0xF0 else status - 0xE0]
            note = data[0] if n else 0
            value = data[1] if n > 1 else 0
            if (
                kind >> 8
                or kind < 0x80
                or kind == 0xF7
                or kind < 0xF0
                and (channel >> 4 or kind & 15)
                or (note | value) >> 7
            ):
                raise TypeError
        except:
            raise ValueError(_MUST % ("msg", "valid MIDI", (kind, channel, data)))
        self._emit(status, note, value)

    def write(self, buf, nbytes=None):
        """Send buf[0:nbytes] as it is; return the count taken."""  # bytes-like buf
        if not isinstance(buf, self._bytes):
            raise TypeError(_MUST % ("buf", "bytes", buf))
        self._state[0] = 0
        if nbytes is None:
            nbytes = len(buf)
        got = self._port(buf, nbytes)
        return nbytes if got == nbytes else self._rest(buf if nbytes == len(buf) else memoryview(buf)[:nbytes], got)

    # -- internals ----------------------------------------------------------------------

    def _emit(self, status, note, value):
        # one message, values checked; system common and reset cancel running status
        n = DATA_LEN[status >> 4 if status < 0xF0 else status - 0xE0]
        buf = self._bufs[n]
        buf[0] = status
        if n:
            buf[1] = note
            if n > 1:
                buf[2] = value
        if status < 0xF0:
            n = self._write(buf, n + 1)
        else:
            if status < 0xF8 or status == 0xFF:
                self._state[0] = 0
            n = self._port(buf, n + 1)
        if n != len(buf):
            self._rest(buf, n)

    def _rs(self, buf, n):
        # port.write's stand-in with running status: a status the receiver has is left out
        state = self._state
        status = buf[0]
        if status == state[0]:
            n = self._port(self._bufs[n + 1], n - 1)
            return n if n is None else n + 1  # the status counts as taken
        state[0] = 0  # recorded once all of it is out, in case write raises
        n = self._port(buf, n)
        if n is None or n == len(buf):
            state[0] = status
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

    def _rest(self, buf, n):
        # The port took n < len(buf) bytes of buf (usb_midi.PortOut when its FIFO is
        # full, 0 with no USB host; None is a port that gives no count, BLE MIDIService
        # or a UART's timeout: taken as all). The rest is tried until the port takes
        # nothing, then counted in dropped; the next channel message restates its status.
        nbytes = len(buf)
        if n is None:
            return nbytes
        while 0 < n < nbytes:
            more = self._port(memoryview(buf)[n:], nbytes - n)  # allocates: this path only
            if more is None:
                return nbytes
            if not more:
                break
            n += more
        if n < nbytes:
            self.dropped += nbytes - n
            self._state[0] = 0
        return n
