"""smolmidi_out: MIDI 1.0 output for CircuitPython, MicroPython and CPython.

MidiOut(port) sends to any port with write(): usb_midi.ports[1], busio.UART or
machine.UART at 31250 baud, a BLE MIDIService, pyserial, or another MidiOut. It is a
port itself: write(buf) returns the count taken. Channels are 0-15.

Every argument is checked before a byte goes out (ValueError naming it). Nothing
allocates per message and nothing blocks: a port that takes fewer bytes gets the rest
again, up to `retries` calls that take nothing; then the rest is given up and counted
in `dropped` (bytes). Extras (RPN/NRPN, 14-bit CC, channel mode, panic) are in
smolmidi_control, Thru in smolmidi_thru.
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
SYSTEM_EXCLUSIVE = SYSEX = 0xF0
MTC_QUARTER_FRAME = 0xF1
SONG_POSITION = 0xF2
SONG_SELECT = 0xF3
TUNE_REQUEST = 0xF6
SYSEX_END = 0xF7
CLOCK = 0xF8
TICK = 0xF9
START = 0xFA
CONTINUE = 0xFB
STOP = 0xFC
ACTIVE_SENSING = 0xFE
SYSTEM_RESET = 0xFF

_STAGE = const(64)  # staging buffer for retries: views of 1, 2, 4 ... 64 bytes of it
_RETRIES = const(1000)

# data bytes per status: channel statuses by high nibble (8-14), system by 16 + low nibble
DATA_LEN = b"\0\0\0\0\0\0\0\0\2\2\2\2\1\1\2\0\0\1\2\1\0\0\0\0\0\0\0\0\0\0\0\0"

_F0 = b"\xf0"
_F7 = b"\xf7"


def check(spec, *values):
    """Raise ValueError for the first value outside its range in spec ("name:high" or
    "name:low:high", space separated): the one funnel for argument errors."""
    for i, item in enumerate(spec.split()):
        item = item.split(":")
        low = int(item[1]) if len(item) > 2 else 0
        v = values[i]
        if not isinstance(v, int) or not low <= v <= int(item[-1]):
            raise ValueError("%s must be %s%s%s, got %r" % (
                item[0], low, " to " if low else "-", item[-1], v))
    # all good: only an asynchronous exception (Ctrl-C) can have led here
    raise KeyboardInterrupt


def _checker(spec):
    # check() with its spec given: callable with 3 values from a full frame
    def bad(*values):
        check(spec, *values)
    return bad


_note = _checker("note:127 velocity:127 channel:15")
_aftertouch = _checker("note:127 pressure:127 channel:15")
_control = _checker("control:127 value:127 channel:15")
_program = _checker("program:127 channel:15")
_pressure = _checker("pressure:127 channel:15")
_bend = _checker("value:-8192:8191 channel:15")


def _one_byte(status):
    # the methods that send one constant status byte
    def send(self):
        self._emit(status, 0, 0)
    return send


def _first_bad(data, i, end, bits):
    # index of the first item of data[i:end] that is not an int of `bits` bits, or -1
    try:
        while i < end and not data[i] >> bits:  # a negative one shifts to -1
            i += 1
    except TypeError:
        pass
    return -1 if i >= end else i


class MidiOut:
    """Sends MIDI 1.0 messages to `port` (anything with write(), see the module docstring).

    running_status: leave out repeated channel status bytes (DIN only; off by default:
    over USB a status-less byte becomes a packet of its own); settable at any time.
    retries: calls in a row that take nothing before the rest of a message is given up.
    dropped: bytes given up so far. Realtime: clock, start, continue_ (cont), stop,
    active_sensing, system_reset; tune_request: no arguments each.
    """

    def __init__(self, port, running_status=False, *, retries=_RETRIES):
        write = getattr(port, "write", None)
        if not callable(write):
            raise TypeError("port must have a write method, got %r" % (port,))
        if not isinstance(retries, int) or retries < 1:
            check("retries:1:16777216", retries)
        self.port = port
        self.retries = retries
        self.dropped = 0
        self._last = 0  # channel status the receiver holds (running status); 0 = none
        self._shape = 0  # what port.write takes and returns: learned on the first write
        self._stalled = False
        self._eox_owed = False
        # bound methods cached: creating one per call allocates on MicroPython
        self._port_write = write
        self._via_write = self._via
        self._b3 = bytearray(3)
        self._b2 = bytearray(2)
        self._bufs = (self._b3, bytearray(1), self._b2, self._b3)  # by data length + 1 (no [0])
        self._stage = bytearray(_STAGE)
        view = memoryview(self._stage)
        self._views = tuple(view[:1 << i] for i in range(7))  # made once: slices allocate
        self._tails = (memoryview(self._b2)[1:], memoryview(self._b3)[1:])  # running status
        self.running_status = running_status

    @property
    def running_status(self):
        """True while repeated channel status bytes are left out; settable."""
        return self._rs

    @running_status.setter
    def running_status(self, on):
        self._rs = bool(on)
        self._last = 0
        self._route()

    def _route(self):
        # messages go straight to port.write when nothing needs doing in between
        plain = self._shape == 1 and not self._rs and not self._stalled
        self._write = self._port_write if plain else self._via_write

    # -- channel voice ------------------------------------------------------------------
    # Written out in full: a call more costs ~20% of a message. One expression checks
    # every value (out of range sets bits from bit 7 up or goes negative; a non-int
    # raises). The frame stays within MicroPython's 11 words, or it would come from the
    # heap: so a bare except with nothing in it (a handler reserves 4 stack words), the
    # buffer kept in `channel` once that is used, and the port's count in a spent argument.

    def note_on(self, note, velocity=127, channel=0):
        """Note On: note 0-127, velocity 0-127 (0 means note off), channel 0-15."""
        try:
            if (note | velocity | channel << 3) >> 7:
                raise TypeError
        except:  # a value out of range or not an int: named below
            pass
        else:
            self._b3[0] = 0x90 | channel
            channel = self._b3
            channel[1] = note
            channel[2] = velocity
            note = self._write(channel, 3)
            if note != 3:
                self._send(channel, note)
            return
        _note(note, velocity, channel)

    def note_off(self, note, velocity=0, channel=0):
        """Note Off: note 0-127, release velocity 0-127, channel 0-15."""
        try:
            if (note | velocity | channel << 3) >> 7:
                raise TypeError
        except:  # a value out of range or not an int: named below
            pass
        else:
            self._b3[0] = 0x80 | channel
            channel = self._b3
            channel[1] = note
            channel[2] = velocity
            note = self._write(channel, 3)
            if note != 3:
                self._send(channel, note)
            return
        _note(note, velocity, channel)

    def aftertouch(self, note, pressure, channel=0):
        """Polyphonic Key Pressure: note 0-127, pressure 0-127, channel 0-15."""
        try:
            if (note | pressure | channel << 3) >> 7:
                raise TypeError
        except:  # a value out of range or not an int: named below
            pass
        else:
            self._b3[0] = 0xA0 | channel
            channel = self._b3
            channel[1] = note
            channel[2] = pressure
            note = self._write(channel, 3)
            if note != 3:
                self._send(channel, note)
            return
        _aftertouch(note, pressure, channel)

    def control_change(self, control, value, channel=0):
        """Control Change: control 0-127, value 0-127, channel 0-15."""
        try:
            if (control | value | channel << 3) >> 7:
                raise TypeError
        except:  # a value out of range or not an int: named below
            pass
        else:
            self._b3[0] = 0xB0 | channel
            channel = self._b3
            channel[1] = control
            channel[2] = value
            control = self._write(channel, 3)
            if control != 3:
                self._send(channel, control)
            return
        _control(control, value, channel)

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
                self._send(buf, program)
            return
        _program(program, channel)

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
                self._send(buf, pressure)
            return
        _pressure(pressure, channel)

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
                self._send(buf, value)
            return
        _bend(value, channel)

    # -- system common and realtime -----------------------------------------------------

    def mtc_quarter_frame(self, piece, value):
        """MTC Quarter Frame: piece 0-7, value 0-15."""
        if not isinstance(piece, int) or not isinstance(value, int) or piece >> 3 or value >> 4:
            check("piece:7 value:15", piece, value)
        self._emit(0xF1, piece << 4 | value, 0)

    def song_position(self, beats):
        """Song Position Pointer: beats 0-16383 since the start (1 beat = 6 clocks)."""
        if not isinstance(beats, int) or beats >> 14:
            check("beats:16383", beats)
        self._emit(0xF2, beats & 0x7F, beats >> 7)

    def song_select(self, song):
        """Song Select: song 0-127."""
        if not isinstance(song, int) or song >> 7:
            check("song:127", song)
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
        """System Exclusive: data is the payload (manufacturer ID first), bytes-like or a
        sequence of ints 0-127; a leading F0 and trailing F7 are optional. All of it is
        checked before a byte goes out."""
        if isinstance(data, str):
            raise ValueError("data must be bytes or a sequence of ints, got a str")
        try:
            n = len(data)
            first = data[0] if n else 0
            last = data[n - 1] if n else 0
        except (TypeError, KeyError):
            raise ValueError("data must be bytes or a sequence of ints, got %r" % (data,))
        start = 1 if first == 0xF0 and type(first) is int else 0
        end = n - 1 if n > start and last == 0xF7 and type(last) is int else n
        if end <= start:
            raise ValueError("data must hold a manufacturer ID, got an empty SysEx")
        # bytes and bytearray go to the port as they are; anything else (lists, arrays,
        # memoryviews of any format) goes value by value through the staging buffer
        whole = type(data) is bytes or type(data) is bytearray
        if whole and start == 0 and end == n and max(data) < 128:  # max runs in C
            i = -1
        else:
            i = _first_bad(data, start, end, 7)
        if i >= 0:
            raise ValueError("data[%d] must be 0-127, got %r" % (i, data[i]))
        self._last = 0
        if start or self._send(_F0):
            # cut short: what was given up is counted, the F7 is owed (sent on recovery)
            self._eox_owed = not (self._send(data, -1 if whole else 0, n)
                                  and (end < n or self._send(_F7)))
        else:  # the port took nothing: all of it counts (the F0 is counted already)
            self.dropped += n + (end == n)

    def send(self, msg):
        """Send a message object with .type, .channel and .data (smolmidi's Message).

        Channel messages: type is the high nibble (NOTE_ON ...), channel 0-15, data the data
        bytes. System messages: type is the status byte. A SysEx (type 0xF0) is sent from
        msg's own bytes (len() and indexing, else bytes(msg)); a truncated or aborted one
        (msg.truncated, msg.sysex_end) raises ValueError rather than go out shortened.
        """
        kind = getattr(msg, "type", None)
        if kind == 0xF0 and type(kind) is int:
            if getattr(msg, "truncated", False) or getattr(msg, "sysex_end", 0):
                raise ValueError("msg is a truncated or aborted SysEx, not sent")
            try:
                len(msg)  # len() and indexing: nothing to copy
            except TypeError:
                msg = bytes(msg)
            return self.sysex(msg)
        if not isinstance(kind, int) or not 0x80 <= kind <= 0xFF or kind == 0xF7 \
                or (kind < 0xF0 and kind & 0x0F):
            raise ValueError("msg.type must be a channel message type (0x80-0xE0) or a "
                             "system status (0xF0-0xFF but 0xF7), got %r" % (kind,))
        if kind < 0xF0:
            channel = getattr(msg, "channel", None)
            if not isinstance(channel, int) or channel >> 4:
                check("msg.channel:15", channel)
            kind |= channel or 0
        need = DATA_LEN[kind >> 4] if kind < 0xF0 else DATA_LEN[16 + (kind & 0x0F)]
        data = getattr(msg, "data", None)
        try:
            count = 0 if data is None else len(data)
        except TypeError:
            count = -1
        if count < need:
            raise ValueError("msg.data must hold %d bytes for type 0x%02X, got %r"
                             % (need, msg.type, data))
        data1 = data[0] if need else 0  # type: ignore[index]
        data2 = data[1] if need > 1 else 0  # type: ignore[index]
        if not isinstance(data1, int) or not isinstance(data2, int) or (data1 | data2) >> 7:
            check("msg.data[0]:127 msg.data[1]:127", data1, data2)
        self._emit(kind, data1, data2)

    def write(self, buf, off=None, nbytes=None):
        """Send raw bytes as they are; return how many the port took: a MidiOut is a port.
        write(buf), write(buf, nbytes) or write(buf, off, nbytes), as MicroPython streams
        take. buf: bytes-like or a sequence of ints 0-255. Running status is forgotten:
        the next channel message restates its status."""
        if isinstance(buf, str):
            raise ValueError("data must be bytes or a sequence of ints, got a str")
        try:
            if nbytes is None:
                nbytes = len(buf) if off is None else off
                off = 0
            end = off + nbytes
            whole = type(buf) is bytes or type(buf) is bytearray
            i = -1 if whole else _first_bad(buf, off, end, 8)
        except TypeError:
            raise ValueError("data must be bytes or a sequence of ints, got %r" % (buf,))
        if i >= 0:
            raise ValueError("data[%d] must be 0-255, got %r" % (i, buf[i]))
        self._last = 0
        dropped = self.dropped
        self._send(buf, -1 if whole and not off and end == len(buf) else off, end)
        return nbytes - (self.dropped - dropped)

    # -- internals ----------------------------------------------------------------------

    def _emit(self, status, data1, data2):
        # one message, values checked; system common and reset cancel running status
        length = DATA_LEN[status >> 4] if status < 0xF0 else DATA_LEN[16 + (status & 15)]
        buf = self._bufs[length + 1]
        buf[0] = status
        if length:
            buf[1] = data1
            if length > 1:
                buf[2] = data2
        if status >= 0xF0 and (status < 0xF8 or status == 0xFF):
            self._last = 0
        self._send(buf)

    def _via(self, buf, n):
        # port.write's stand-in whenever something goes between: learning the port,
        # running status, a stalled port. Returns the count of buf[0:n] taken.
        if self._stalled:
            # one try per message while the port takes nothing; the owed F7 first
            if self._eox_owed:
                if self._raw(_F7, 1) != 1:
                    return 0
                self._eox_owed = False
            n = self._raw(buf, n)
            if n:
                self._stalled = False
                self._route()
            return n
        if self._rs and (buf is self._b3 or buf is self._b2):
            status = buf[0]
            if status == self._last:  # the receiver has it: the data bytes alone
                return (self._raw(self._tails[n - 2], n - 1) or 0) + 1
            self._last = 0  # not recorded before the write, in case it raises
            n = self._raw(buf, n)
            self._last = status  # if this was short, _rest forgets it unless all goes out
            return n
        return self._raw(buf, n)

    def _raw(self, buf, n):
        # The one place that knows what port.write takes and returns, learned on the
        # first write (self._shape 0):
        # - usb_midi.PortOut, busio.UART, machine.UART are streams (py/stream.c):
        #   write(buf, nbytes) takes a length too and returns the count taken; PortOut's
        #   is short when its FIFO is full, 0 with no USB host; a UART's is None on a
        #   timeout (nothing sent). Our own ports (MidiOut) take the same.
        # - adafruit_ble_midi MIDIService.write(buf, length): sends all, returns None.
        # - pyserial Serial.write(data), io streams: no length; the count.
        # Shapes: 1 write(buf, n) -> count (None: nothing); 2 write(buf, n) -> None for
        # all; 3 write(buf) -> count; 4 write(buf) -> None for all.
        shape = self._shape
        if not shape:
            return self._learn(buf, n)
        if shape < 3:
            got = self._port_write(buf, n)
        else:
            got = self._port_write(buf)  # callers give whole buffers to these shapes
        if got is None:
            return 0 if shape & 1 else n
        return got

    def _learn(self, buf, n):
        # the first write: which of the shapes above (apart, as its try needs a big frame)
        try:
            got = self._port_write(buf, n)
            shape = 1
        except TypeError:
            got = self._port_write(buf) if n == len(buf) else None
            shape = 3
        if got is None:
            got = n
            shape += 1
        self._shape = shape
        self._route()
        return got

    def _send(self, data, done=-1, end=-1):
        # data[0:end] (end -1: all of it) when nothing of it was tried yet (done -1),
        # else data[done:end] (done None: 0); False if some was given up
        if end < 0:
            end = len(data)
        if done is not None and done < 0:
            done = self._write(data, end)
            if done == end:
                return True
        return self._rest(data, done or 0, end)

    def _rest(self, data, done, end):
        # data[done:end] through the staging buffer (a slice would allocate), retried.
        # Running status is forgotten until all is out: a write that raises or gives up
        # leaves the receiver's status unknown.
        last = self._last
        self._last = 0
        stage = self._stage
        while done < end:
            n = end - done
            if n > _STAGE:
                n = _STAGE
            for i in range(n):
                stage[i] = data[done + i]
            done += n
            if not self._flush(n):
                self.dropped += end - done
                return False
        self._last = last
        return True

    def _flush(self, count):
        # stage[0:count] through views 1, 2, 4 ... 64 long; unsent bytes move to the front
        stage = self._stage
        fails = 0
        while count:
            i = 0
            while 2 << i <= count:
                i += 1
            n = self._write(self._views[i], 1 << i) or 0
            if n:
                count -= n
                for i in range(count):
                    stage[i] = stage[n + i]
                fails = 0
            else:
                fails += 1
                if self._stalled or fails >= self.retries:
                    self.dropped += count
                    self._last = 0  # the receiver may hold a broken message
                    self._stalled = True
                    self._route()
                    return False
        return True
