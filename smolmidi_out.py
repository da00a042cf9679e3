"""smolmidi_out: MIDI 1.0 output for CircuitPython, MicroPython and CPython.

`MidiOut(port)` sends every MIDI 1.0 message to any object with a `write(buf)`
method that returns the number of bytes it accepted: `usb_midi.ports[1]`
(CircuitPython), `busio.UART` / `machine.UART` at 31250 baud (DIN-MIDI), a pyserial
port, or host_shim's fakes. `Thru(port_in, out)` forwards a raw input port to a
MidiOut (MIDI thru, USB <-> DIN bridges) with correct realtime, running status and
SysEx handling.

    import usb_midi, smolmidi_out
    out = smolmidi_out.MidiOut(usb_midi.ports[1])
    out.note_on(60, 100)             # channels are 0-15 everywhere
    out.control_change(7, 90, channel=9)

Promises:
- Validation: every argument is checked before a byte is written. An out-of-range or
  wrongly typed value raises ValueError naming the argument and the value
  ("velocity must be 0-127, got 130"); nothing is masked into range. The MidiOut is
  unchanged by a rejected call and stays usable.
- Allocation: buffers are made in `__init__`. Channel, system common and realtime
  messages, `send()` of such a message, `sysex()`/`write()` of bytes-like data and
  `Thru.update()` allocate nothing on MicroPython, including when the port accepts
  only part of a write. (Raising an error allocates; only bad calls do that.)
- Blocking: MidiOut never sleeps. A port that takes fewer bytes than given
  (usb_midi.PortOut does when its 128-byte FIFO is full, and takes 0 with no USB host)
  gets the rest again, up to `retries` calls in a row that take nothing. Then the rest
  of that message is given up and counted in `dropped` (bytes), no exception: a board
  whose USB cable is unplugged keeps running. From then on, while the port takes
  nothing, a message costs at most two write calls; the first byte taken ends that.
  A SysEx cut short this way is closed with F7 as soon as the port takes bytes again.
- Running status (`running_status=True`, for DIN only): a channel message with the
  same status as the previous one goes out without its status byte. System common
  messages, SysEx and `write()` cancel it; realtime messages do not. Off by default:
  over USB a status-less byte becomes a packet of its own.

This module never imports smolmidi; each module stands alone.
"""

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

__version__ = "0.1.0"

# Message types, as smolmidi names them: channel messages by their high nibble (the
# channel, 0-15, is separate), system messages by their full status byte.
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

_STAGE = const(64)  # staging buffer for retries and streamed bytes: a power of two
_RETRIES = const(1000)

# Data bytes each status takes: channel statuses by high nibble (index 8-14),
# system statuses by low nibble (index 16 + n). F0 and F7 are handled apart.
_DATA_LEN = b"\x00\x00\x00\x00\x00\x00\x00\x00\x02\x02\x02\x02\x01\x01\x02\x00" \
            b"\x00\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

# _FLOOR_LOG2[k] = largest j with 2**j <= k, to write k staged bytes in few calls
_FLOOR_LOG2 = bytearray(_STAGE + 1)
for _k in range(2, _STAGE + 1):
    _FLOOR_LOG2[_k] = _FLOOR_LOG2[_k >> 1] + 1
del _k

# one-byte messages as compile-time constants: writing them needs no buffer fill
_F0 = b"\xf0"
_F7 = b"\xf7"
_CLOCK = b"\xf8"
_START = b"\xfa"
_CONTINUE = b"\xfb"
_STOP = b"\xfc"
_ACTIVE_SENSING = b"\xfe"
_SYSTEM_RESET = b"\xff"
_TUNE_REQUEST = b"\xf6"

_BUFFERS = (bytes, bytearray, memoryview)  # module-level: a tuple built per call allocates


def _reject(name, value, low, high, name2=None, value2=0, high2=0, name3=None, value3=0,
            high3=0):
    """Raise ValueError for the first of up to three (name, value, range) that is bad."""
    for n, v, lo, hi in ((name, value, low, high), (name2, value2, 0, high2),
                         (name3, value3, 0, high3)):
        if n is not None and (type(v) not in (int, bool) or not lo <= v <= hi):
            break
    else:
        n, v, lo, hi = name, value, low, high
    if lo < 0:
        raise ValueError("%s must be %d to %d, got %r" % (n, lo, hi, v))
    raise ValueError("%s must be %d-%d, got %r" % (n, lo, hi, v))


def _is_data(v, top):
    """True if v is an int 0..top."""
    try:
        return 0 <= (v | 0) <= top  # v | 0 raises TypeError unless v is an int
    except TypeError:
        return False


class MidiOut:
    """Sends MIDI 1.0 messages to `port` (anything with write(buf) -> bytes accepted).

    running_status: leave out repeated channel status bytes (DIN only; off by default).
    retries: write calls in a row, after the first try, that may accept nothing before
    the rest of a message is given up and counted in `dropped` (bytes).
    `dropped` (read it any time) counts the bytes given up so far.
    """

    def __init__(self, port, running_status=False, *, retries=_RETRIES):
        if not _is_data(retries, 1 << 24) or not retries:
            _reject("retries", retries, 1, 1 << 24)
        self.port = port
        self.running_status = bool(running_status)
        self.retries = retries
        self.dropped = 0
        # bound methods cached: creating one per call allocates on MicroPython
        self._port_write = port.write
        self._probe_write = self._probe
        self._write = self._port_write
        self._stalled = False
        self._eox_owed = False
        # last channel status sent; stays 0 unless running status is on (0 never matches)
        self._last = 0
        self._keep = 0xFF if running_status else 0
        self._b1 = bytearray(1)
        self._b2 = bytearray(2)
        self._b3 = bytearray(3)
        self._stage = bytearray(_STAGE)
        # views of the staging buffer, 1, 2, 4 ... 64 bytes long, made once: a slice
        # per write would allocate
        stage_view = memoryview(self._stage)
        views = []
        size = 1
        while size <= _STAGE:
            views.append(stage_view[:size])
            size <<= 1
        self._views = tuple(views)

    # -- channel voice messages ---------------------------------------------------

    def note_on(self, note, velocity=127, channel=0):
        """Note On: note 0-127, velocity 0-127 (0 means note off to receivers), channel 0-15."""
        try:
            # one test for all three: a negative or too large int leaves bits above the
            # top; a float or None raises TypeError
            bad = (note | velocity) >> 7 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("note", note, 0, 127, "velocity", velocity, 127, "channel", channel, 15)
        self._channel3(0x90 | channel, note, velocity)

    def note_off(self, note, velocity=0, channel=0):
        """Note Off: note 0-127, release velocity 0-127, channel 0-15."""
        try:
            bad = (note | velocity) >> 7 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("note", note, 0, 127, "velocity", velocity, 127, "channel", channel, 15)
        self._channel3(0x80 | channel, note, velocity)

    def aftertouch(self, note, pressure, channel=0):
        """Polyphonic Key Pressure (poly aftertouch): note, pressure 0-127, channel 0-15."""
        try:
            bad = (note | pressure) >> 7 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("note", note, 0, 127, "pressure", pressure, 127, "channel", channel, 15)
        self._channel3(0xA0 | channel, note, pressure)

    def control_change(self, control, value, channel=0):
        """Control Change: control 0-127, value 0-127, channel 0-15.

        Controls 120-127 are the channel mode messages (see all_sound_off and friends).
        """
        try:
            bad = (control | value) >> 7 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("control", control, 0, 127, "value", value, 127, "channel", channel, 15)
        self._channel3(0xB0 | channel, control, value)

    def program_change(self, program, channel=0):
        """Program Change: program 0-127 (patch 1 is 0), channel 0-15."""
        try:
            bad = program >> 7 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("program", program, 0, 127, "channel", channel, 15)
        self._channel2(0xC0 | channel, program)

    def channel_pressure(self, pressure, channel=0):
        """Channel Pressure (channel aftertouch): pressure 0-127, channel 0-15."""
        try:
            bad = pressure >> 7 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("pressure", pressure, 0, 127, "channel", channel, 15)
        self._channel2(0xD0 | channel, pressure)

    def pitch_bend(self, value, channel=0):
        """Pitch Bend, signed: value -8192..8191 (0 = centre), channel 0-15."""
        try:
            bad = (value + 8192) >> 14 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("value", value, -8192, 8191, "channel", channel, 15)
        value += 8192
        self._channel3(0xE0 | channel, value & 0x7F, value >> 7)

    def pitch_bend_raw(self, value, channel=0):
        """Pitch Bend as on the wire: value 0-16383 (8192 = centre), channel 0-15."""
        try:
            bad = value >> 14 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("value", value, 0, 16383, "channel", channel, 15)
        self._channel3(0xE0 | channel, value & 0x7F, value >> 7)

    # -- controller helpers -------------------------------------------------------

    def control_change_14bit(self, control, value, channel=0):
        """A 14-bit controller: control 0-31 gets value >> 7, control + 32 gets value & 127.

        value 0-16383, channel 0-15. Two Control Change messages, MSB first.
        """
        try:
            bad = control >> 5 or value >> 14 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("control", control, 0, 31, "value", value, 16383, "channel", channel, 15)
        status = 0xB0 | channel
        self._channel3(status, control, value >> 7)
        self._channel3(status, control + 32, value & 0x7F)

    def rpn(self, parameter, value, channel=0):
        """Set a Registered Parameter: parameter 0-16383, value 0-16383, channel 0-15.

        Sends CC 101/100 (parameter MSB/LSB), CC 6/38 (data entry MSB/LSB), then the
        null function (CC 101 and 100 = 127) so later data entry changes nothing.
        Example: pitch bend range of 2 semitones = rpn(0, 2 << 7).
        """
        self._parameter(101, parameter, value, channel)

    def nrpn(self, parameter, value, channel=0):
        """Set a Non-Registered Parameter: parameter 0-16383, value 0-16383, channel 0-15.

        Sends CC 99/98 (parameter MSB/LSB), CC 6/38 (data entry MSB/LSB), then the RPN
        null function (CC 101 and 100 = 127).
        """
        self._parameter(99, parameter, value, channel)

    def _parameter(self, select_msb, parameter, value, channel):
        try:
            bad = parameter >> 14 or value >> 14 or channel >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("parameter", parameter, 0, 16383, "value", value, 16383,
                    "channel", channel, 15)
        status = 0xB0 | channel
        self._channel3(status, select_msb, parameter >> 7)
        self._channel3(status, select_msb - 1, parameter & 0x7F)
        self._channel3(status, 6, value >> 7)
        self._channel3(status, 38, value & 0x7F)
        self._channel3(status, 101, 127)
        self._channel3(status, 100, 127)

    # -- channel mode messages (Control Change 120-127) ---------------------------

    def all_sound_off(self, channel=0):
        """All Sound Off (CC 120 = 0): silence at once, channel 0-15."""
        self.control_change(120, 0, channel)

    def reset_all_controllers(self, channel=0):
        """Reset All Controllers (CC 121 = 0), channel 0-15."""
        self.control_change(121, 0, channel)

    def local_control(self, on, channel=0):
        """Local Control on (CC 122 = 127) or off (CC 122 = 0); on is True/False, channel 0-15."""
        if on not in (True, False):
            raise ValueError("on must be True or False, got %r" % (on,))
        self.control_change(122, 127 if on else 0, channel)

    def all_notes_off(self, channel=0):
        """All Notes Off (CC 123 = 0), channel 0-15."""
        self.control_change(123, 0, channel)

    def omni_off(self, channel=0):
        """Omni Mode Off (CC 124 = 0; also all notes off), channel 0-15."""
        self.control_change(124, 0, channel)

    def omni_on(self, channel=0):
        """Omni Mode On (CC 125 = 0; also all notes off), channel 0-15."""
        self.control_change(125, 0, channel)

    def mono_on(self, channels=0, channel=0):
        """Mono Mode On (CC 126 = channels, 0-16; 0 = as many as voices), channel 0-15."""
        if not _is_data(channels, 16):
            _reject("channels", channels, 0, 16)
        self.control_change(126, channels, channel)

    def poly_on(self, channel=0):
        """Poly Mode On (CC 127 = 0), channel 0-15."""
        self.control_change(127, 0, channel)

    def panic(self):
        """All Sound Off and All Notes Off on every channel (0-15): 32 messages."""
        for channel in range(16):
            self._channel3(0xB0 | channel, 120, 0)
            self._channel3(0xB0 | channel, 123, 0)

    # -- system common ------------------------------------------------------------

    def mtc_quarter_frame(self, piece, value):
        """MTC Quarter Frame: piece 0-7 (frame LS/MS, seconds, minutes, hours), value 0-15."""
        try:
            bad = piece >> 3 or value >> 4
        except TypeError:
            bad = True
        if bad:
            _reject("piece", piece, 0, 7, "value", value, 15)
        self._common(0xF1, piece << 4 | value, 0, 2)

    def song_position(self, beats):
        """Song Position Pointer: beats 0-16383 since the start (1 beat = 6 clocks)."""
        try:
            bad = beats >> 14
        except TypeError:
            bad = True
        if bad:
            _reject("beats", beats, 0, 16383)
        self._common(0xF2, beats & 0x7F, beats >> 7, 3)

    def song_select(self, song):
        """Song Select: song 0-127."""
        try:
            bad = song >> 7
        except TypeError:
            bad = True
        if bad:
            _reject("song", song, 0, 127)
        self._common(0xF3, song, 0, 2)

    def tune_request(self):
        """Tune Request (F6)."""
        self._last = 0
        if self._write(_TUNE_REQUEST) != 1:
            self._stream(_TUNE_REQUEST, 0, 1)

    # -- system realtime: one constant byte each, running status untouched ---------

    def clock(self):
        """Timing Clock (F8), 24 per quarter note."""
        if self._write(_CLOCK) != 1:
            self._stream(_CLOCK, 0, 1)

    def start(self):
        """Start (FA): play from the beginning."""
        if self._write(_START) != 1:
            self._stream(_START, 0, 1)

    def continue_(self):
        """Continue (FB): play from the current position (`continue` is a Python keyword)."""
        if self._write(_CONTINUE) != 1:
            self._stream(_CONTINUE, 0, 1)

    cont = continue_

    def stop(self):
        """Stop (FC)."""
        if self._write(_STOP) != 1:
            self._stream(_STOP, 0, 1)

    def active_sensing(self):
        """Active Sensing (FE): send at least every 300 ms once started, if you use it."""
        if self._write(_ACTIVE_SENSING) != 1:
            self._stream(_ACTIVE_SENSING, 0, 1)

    def system_reset(self):
        """System Reset (FF)."""
        if self._write(_SYSTEM_RESET) != 1:
            self._stream(_SYSTEM_RESET, 0, 1)

    # -- SysEx, generic and raw ---------------------------------------------------

    def sysex(self, data):
        """System Exclusive: data is the payload, bytes-like or a sequence of ints 0-127.

        A leading F0 and a trailing F7 in data are optional: what is missing is added.
        Every payload byte is checked before anything is sent. The manufacturer ID is
        the first payload byte (0x7D non-commercial, 0x7E/0x7F universal).
        """
        if isinstance(data, str):
            raise ValueError("data must be bytes or a sequence of ints, got a str")
        try:
            n = len(data)
            start = 1 if n and data[0] == 0xF0 else 0
            end = n - 1 if n > start and data[n - 1] == 0xF7 else n
        except TypeError:
            raise ValueError("data must be bytes or a sequence of ints, got %r" % (data,))
        if isinstance(data, _BUFFERS):
            # bytes hold ints 0-255 already: only the top bit needs checking. max() runs
            # in C without allocating; with F0/F7 in data it would see them, so loop then.
            if start == 0 and end == n:
                bad = n and max(data) > 127
            else:
                bad = False
                for i in range(start, end):
                    if data[i] > 127:
                        bad = True
                        break
        else:
            bad = False
            for i in range(start, end):
                if not _is_data(data[i], 127):
                    bad = True
                    break
        if bad:
            for i in range(start, end):
                if not _is_data(data[i], 127):
                    raise ValueError("data[%d] must be 0-127, got %r" % (i, data[i]))
        self._last = 0
        if start == 0 and not self._put(_F0):
            return
        if isinstance(data, _BUFFERS):
            sent = self._put(data)
        else:
            sent = (start == 0 or self._put(_F0)) and self._stream(data, start, n)
        if sent and end == n:
            sent = self._put(_F7)
        if not sent:
            self._eox_owed = True

    def send_status(self, status, data1=0, data2=0):
        """Send one message given its status byte (channel in the low nibble, 0-15).

        status 0x80-0xFF except 0xF0 and 0xF7 (use sysex()); data1, data2 0-127. Only
        the data bytes the status takes are sent (Program Change: data1 only).
        The counterpart of pygame.midi's write_short(status, data1, data2).
        """
        try:
            bad = status >> 8 or not status >> 7 or status == 0xF0 or status == 0xF7 \
                or (data1 | data2) >> 7
        except TypeError:
            bad = True
        if bad:
            if _is_data(status, 255) and status >= 0x80 and status != 0xF0 \
                    and status != 0xF7:
                _reject("data1", data1, 0, 127, "data2", data2, 127)
            raise ValueError("status must be 0x80-0xFF, not 0xF0 or 0xF7, got %r"
                             % (status,))
        self._emit(status, data1, data2)

    def send(self, msg):
        """Send a message object: anything with .type, .channel and .data.

        Channel messages: type is the high nibble (NOTE_ON = 0x90 ...), channel 0-15,
        data holds the data bytes. System messages: type is the status byte
        (CLOCK = 0xF8 ...) and channel is not used. SysEx (type 0xF0) is sent from
        msg's own bytes (len(msg) and msg[i], else bytes(msg)), which for a smolmidi
        Message are F0 payload F7, so a smolmidi Message works as it is; an aborted
        SysEx is closed with F7. A SysEx chunk is not a whole message: forward those
        with Thru. Nothing allocates here.
        """
        kind = msg.type
        if kind == 0xF0:
            try:
                len(msg)  # smolmidi's Message has len() and indexing: nothing to copy
                self.sysex(msg)
            except TypeError:
                self.sysex(bytes(msg))
            return
        if not _is_data(kind, 255) or kind < 0x80 or kind == 0xF7 \
                or (kind < 0xF0 and kind & 0x0F):
            raise ValueError("msg.type must be a channel message type (0x80-0xE0) or a "
                             "system status (0xF0-0xFF but 0xF7), got %r" % (kind,))
        if kind < 0xF0:
            channel = msg.channel
            if not _is_data(channel, 15):
                raise ValueError("msg.channel must be 0-15, got %r" % (channel,))
            kind |= channel
            need = _DATA_LEN[kind >> 4]
        else:
            need = _DATA_LEN[16 + (kind & 0x0F)]
        data = msg.data
        try:
            count = len(data)
        except TypeError:
            count = -1
        if count < need:
            raise ValueError("msg.data must hold %d bytes for type 0x%02X, got %r"
                             % (need, msg.type, data))
        data1 = data[0] if need else 0
        data2 = data[1] if need > 1 else 0
        if not _is_data(data1, 127):
            raise ValueError("msg.data[0] must be 0-127, got %r" % (data1,))
        if not _is_data(data2, 127):
            raise ValueError("msg.data[1] must be 0-127, got %r" % (data2,))
        self._emit(kind, data1, data2)

    def write(self, data):
        """Send raw bytes as they are (bytes-like, or a sequence of ints 0-255).

        Nothing is checked but the byte range; running status is cancelled, as what
        the bytes did to the receiver is unknown.
        """
        if isinstance(data, _BUFFERS):
            self._last = 0
            self._put(data)
            return
        if isinstance(data, str):
            raise ValueError("data must be bytes or a sequence of ints, got a str")
        try:
            n = len(data)
        except TypeError:
            raise ValueError("data must be bytes or a sequence of ints, got %r" % (data,))
        for i in range(n):
            if not _is_data(data[i], 255):
                raise ValueError("data[%d] must be 0-255, got %r" % (i, data[i]))
        self._last = 0
        self._stream(data, 0, n)

    # -- internals ----------------------------------------------------------------

    def _channel3(self, status, data1, data2):
        # running status: _last is 0 when it is off, so this never matches then
        if status == self._last:
            buf = self._b2
            buf[0] = data1
            buf[1] = data2
            n = self._write(buf)
            if n != 2:
                self._stream(buf, n or 0, 2)
            return
        self._last = status & self._keep
        buf = self._b3
        buf[0] = status
        buf[1] = data1
        buf[2] = data2
        n = self._write(buf)
        if n != 3:
            self._stream(buf, n or 0, 3)

    def _channel2(self, status, data1):
        if status == self._last:
            buf = self._b1
            buf[0] = data1
            if self._write(buf) != 1:
                self._stream(buf, 0, 1)
            return
        self._last = status & self._keep
        buf = self._b2
        buf[0] = status
        buf[1] = data1
        n = self._write(buf)
        if n != 2:
            self._stream(buf, n or 0, 2)

    def _common(self, status, data1, data2, length):
        # system common cancels running status
        self._last = 0
        buf = self._b3 if length == 3 else self._b2
        buf[0] = status
        buf[1] = data1
        if length == 3:
            buf[2] = data2
        n = self._write(buf)
        if n != length:
            self._stream(buf, n or 0, length)

    def _emit(self, status, data1, data2):
        """Send status with as many of data1, data2 as it takes; values already checked."""
        if status < 0xF0:
            if _DATA_LEN[status >> 4] == 2:
                self._channel3(status, data1, data2)
            else:
                self._channel2(status, data1)
            return
        length = 1 + _DATA_LEN[16 + (status & 0x0F)]
        if length > 1:
            self._common(status, data1, data2, length)
            return
        if status < 0xF8:
            self._last = 0  # F4, F5, F6: system common
        buf = self._b1
        buf[0] = status
        if self._write(buf) != 1:
            self._stream(buf, 0, 1)

    def _probe(self, buf):
        """Stands in for port.write while the port takes nothing: one try, then the owed F7."""
        write = self._port_write
        if self._eox_owed:
            if write(_F7) != 1:
                return 0
            self._eox_owed = False
        n = write(buf)
        if n:
            self._stalled = False
            self._write = self._port_write
        return n

    def _put(self, data):
        """Write all of a bytes-like data; return False if some was given up."""
        n = self._write(data)
        if n == len(data):
            return True
        return self._stream(data, n or 0, len(data))

    def _stream(self, data, start, end):
        """Write data[start:end] through the staging buffer; False if some was given up."""
        stage = self._stage
        while start < end:
            count = end - start
            if count > _STAGE:
                count = _STAGE
            for i in range(count):  # index loop: a slice would allocate
                stage[i] = data[start + i]
            start += count
            if not self._flush(count):
                self.dropped += end - start
                return False
        return True

    def _flush(self, count):
        """Write stage[0:count], retrying what the port does not take; False if given up."""
        # Retrying from an offset without a slice (which allocates): the unsent bytes
        # are kept at the front of the staging buffer and written through views of it
        # 1, 2, 4 ... 64 bytes long, made once in __init__. write(buf, offset, n) would
        # do it too, but only MicroPython-based ports take those arguments.
        stage = self._stage
        views = self._views
        fails = 0
        while count:
            n = self._write(views[_FLOOR_LOG2[count]])
            if n:
                if self._stalled:
                    self._stalled = False
                    self._write = self._port_write
                count -= n
                for i in range(count):  # keep the unsent bytes at the front
                    stage[i] = stage[n + i]
                fails = 0
            else:
                fails += 1
                if self._stalled or fails >= self.retries:
                    self.dropped += count
                    self._last = 0  # the receiver may hold a broken message
                    self._stalled = True
                    self._write = self._probe_write
                    return False
        return True


class Thru:
    """Forwards what arrives on a raw input port to a MidiOut: MIDI thru, USB <-> DIN.

    port_in: anything with readinto(buf) (usb_midi.ports[0], busio.UART with
    timeout=0, machine.UART: read only when any() says bytes wait). Call update()
    from the main loop; it forwards what has arrived and never waits.

    - Realtime bytes (F8-FF) go out at once, even from the middle of a message (so a
      realtime byte can overtake the one message it arrived inside).
    - Channel messages go out whole, with their status (the input may use running
      status; the output uses it only if the MidiOut was made with it).
    - SysEx streams through as it arrives: any length, nothing buffered whole.
    - channel_map: None (channels unchanged), an int 0-15 (every channel message onto
      that channel), or 16 entries, one per input channel: 0-15, or None to drop it.
    - drop_types: message types not forwarded (NOTE_ON, CC ... for channel messages,
      whatever the channel; CLOCK, SYSEX ... for system messages).
    - usb=True (default, right for usb_midi and safe for DIN): realtime bytes that
      arrive inside a SysEx are held and sent just after it (the USB stack packs every
      byte after F0 into the SysEx until F7), and a SysEx cut short by another status
      is closed with F7. usb=False (DIN out): realtime goes out at once, inside a
      SysEx, as MIDI 1.0 allows, and a cut-short SysEx goes out as it came.

    While a SysEx is passing through (in_sysex is True), send nothing else to the same
    MidiOut but realtime: it would land inside the SysEx. Counters: `stray` (data
    bytes with no status, ignored), `dropped` (realtime bytes lost because more than
    64 waited for one SysEx to end).
    """

    def __init__(self, port_in, out, *, channel_map=None, drop_types=(), usb=True,
                 buffer_size=64):
        if not _is_data(buffer_size, 1 << 16) or buffer_size < 1:
            _reject("buffer_size", buffer_size, 1, 1 << 16)
        self.port_in = port_in
        self.out = out
        self.usb = bool(usb)
        self.stray = 0
        self.dropped = 0
        self._buf = bytearray(buffer_size)
        # bound methods cached: creating one per call allocates on MicroPython
        self._readinto = port_in.readinto
        any_ = getattr(port_in, "any", None)  # machine.UART: an empty read busy-waits
        self._any = any_ if callable(any_) else None
        self._map = self._build_map(channel_map, drop_types)
        self._running = 0  # running status of the input, 0 = none
        self._status = 0   # status of the message being collected, 0 = none
        self._need = 0
        self._got = 0
        self._data1 = 0
        self._sysex = 0    # 0 none, 1 passing through, 2 being skipped
        self._held = bytearray(64)
        self._held_count = 0

    @staticmethod
    def _build_map(channel_map, drop_types):
        """Output status for each input status byte; 0 = do not forward."""
        table = bytearray(256)
        for status in range(0x80, 0x100):
            table[status] = status
        if channel_map is not None:
            if _is_data(channel_map, 15):
                channel_map = [channel_map] * 16
            try:
                ok = len(channel_map) == 16
            except TypeError:
                ok = False
            if not ok:
                raise ValueError("channel_map must be None, 0-15 or 16 entries, got %r"
                                 % (channel_map,))
            for channel in range(16):
                target = channel_map[channel]
                if target is not None and not _is_data(target, 15):
                    raise ValueError("channel_map[%d] must be 0-15 or None, got %r"
                                     % (channel, target))
                for kind in range(0x80, 0xF0, 0x10):
                    table[kind | channel] = 0 if target is None else kind | target
        for kind in drop_types:
            if not _is_data(kind, 255) or kind < 0x80 or (kind < 0xF0 and kind & 0x0F):
                raise ValueError("drop_types entries must be message types, got %r"
                                 % (kind,))
            if kind < 0xF0:
                for channel in range(16):
                    table[kind | channel] = 0
            else:
                table[kind] = 0
        return table

    @property
    def in_sysex(self):
        """True while a SysEx is open on the output (started, not yet ended)."""
        return self._sysex == 1

    def update(self):
        """Forward what the input port holds now; return the number of bytes read."""
        buf = self._buf
        if self._any is not None:
            waiting = self._any()
            if not waiting:
                return 0
            n = self._readinto(buf, min(waiting, len(buf)))
        else:
            n = self._readinto(buf)
        if not n:
            return 0
        out = self.out
        table = self._map
        i = 0
        while i < n:
            byte = buf[i]
            i += 1
            if byte >= 0xF8:
                # realtime: at once, leaving every other state alone
                if table[byte]:
                    if self._sysex == 1 and self.usb:
                        if self._held_count < 64:
                            self._held[self._held_count] = byte
                            self._held_count += 1
                        else:
                            self.dropped += 1
                    else:
                        out._emit(byte, 0, 0)
            elif byte < 0x80:
                if self._sysex:
                    # a run of SysEx data: pass it on in one go
                    j = i
                    while j < n and buf[j] < 0x80:
                        j += 1
                    if self._sysex == 1 and not out._stream(buf, i - 1, j):
                        out._eox_owed = True
                        self._sysex = 2
                    i = j
                    continue
                status = self._status
                if not status:
                    status = self._running
                    if not status:
                        self.stray += 1
                        continue
                    self._status = status
                    self._need = _DATA_LEN[status >> 4]
                    self._got = 0
                if self._need == 2 and not self._got:
                    self._data1 = byte
                    self._got = 1
                    continue
                self._status = 0
                status = table[status]
                if status:
                    if self._need == 2:
                        out._emit(status, self._data1, byte)
                    else:
                        out._emit(status, byte, 0)
            else:
                self._begin(byte, out, table)
        return n

    def _begin(self, status, out, table):
        """A status byte 80-F7 arrived: it ends any SysEx and unfinished message."""
        if self._sysex:
            if self._sysex == 1 and (status == 0xF7 or self.usb):
                out._put(_F7)
            self._sysex = 0
            if self._held_count:
                out._stream(self._held, 0, self._held_count)
                self._held_count = 0
            if status == 0xF7:
                self._running = 0
                self._status = 0
                return
        if status < 0xF0:
            self._running = status
            self._status = status
            self._need = _DATA_LEN[status >> 4]
            self._got = 0
            return
        # system common and SysEx cancel running status
        self._running = 0
        self._status = 0
        if status == 0xF0:
            self._sysex = 2
            if table[0xF0]:
                out._last = 0
                if out._put(_F0):
                    self._sysex = 1
        elif status != 0xF7:
            need = _DATA_LEN[16 + (status & 0x0F)]
            if need:
                self._status = status
                self._need = need
                self._got = 0
            elif table[status]:
                out._emit(status, 0, 0)
