"""smolmidi: MIDI input for CircuitPython, MicroPython and CPython.

`MidiIn(port)` reads MIDI 1.0 bytes from any port with `readinto` (usb_midi.PortIn,
busio.UART, machine.UART, a BLE MIDI service, pyserial) and returns whole messages:

    import usb_midi, smolmidi
    midi_in = smolmidi.MidiIn(usb_midi.ports[0])
    while True:
        msg = midi_in.receive()
        if msg and msg.type == smolmidi.NOTE_ON:
            print(msg.channel, msg.note, msg.velocity)

Promises:
- `receive()` never blocks and never waits for the rest of a message: it makes one
  `readinto` call on the port, decodes what is buffered, and returns the next complete
  message or None. Bytes of an unfinished message wait inside MidiIn for the next call.
- After construction nothing allocates: `receive()` and `readinto_sysex()` use buffers
  made once in `__init__`, and the returned Message is the same object every time. It is
  valid until the next `receive()`; `msg.copy()` keeps one.
- The MIDI 1.0 wire rules are followed exactly: running status on receive (always on),
  realtime bytes (F8-FF) delivered the moment they arrive even inside a message or a
  SysEx, the interrupted message resumed untouched; any other status byte abandons an
  unfinished message and ends an open SysEx; system common messages cancel running
  status; data bytes with no status in force are dropped. Every loss is counted.

Channels are numbered 0-15, as on the wire (a synth's "channel 1" is 0 here).

Source compatible with Winterbloom SmolMIDI: the same constants, `receive()`,
`receive_sysex(max_length)`, `msg.type`, `msg.channel`, `msg.data`, `bytes(msg)`.
"""

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

import math

__version__ = "0.1.0"

# Message types. Channel messages carry the status high nibble; system messages the whole status.
NOTE_OFF = const(0x80)
NOTE_ON = const(0x90)
AFTERTOUCH = const(0xA0)  # polyphonic key pressure
CONTROLLER_CHANGE = CC = const(0xB0)
PROGRAM_CHANGE = const(0xC0)
CHANNEL_PRESSURE = const(0xD0)
PITCH_BEND = const(0xE0)
SYSTEM_EXCLUSIVE = SYSEX = const(0xF0)
MTC_QUARTER_FRAME = const(0xF1)
SONG_POSITION = const(0xF2)
SONG_SELECT = const(0xF3)
BUS_SELECT = const(0xF5)  # undefined in MIDI 1.0; the name SmolMIDI gave it
TUNE_REQUEST = const(0xF6)
SYSEX_END = const(0xF7)
CLOCK = const(0xF8)
TICK = const(0xF9)  # undefined in MIDI 1.0; passed up like any realtime byte
START = const(0xFA)
CONTINUE = const(0xFB)
STOP = const(0xFC)
ACTIVE_SENSING = const(0xFE)
SYSTEM_RESET = const(0xFF)

# How a SysEx message ended (Message.sysex_end).
SYSEX_COMPLETE = const(0)  # closed by F7
SYSEX_ABORTED = const(1)  # ended by another status byte before F7
SYSEX_CHUNK = const(2)  # the buffer filled (sysex_chunks=True): more of the same SysEx follows

# Data bytes each status takes, indexed by status - 0x80: a bytes table, made once at
# import, beats an if ladder in the decoder. F0 and F7 are handled apart; F8-FF take none.
_DATA_LENGTH = (b"\x02" * 64 + b"\x01" * 32 + b"\x02" * 16     # 8n 9n An Bn, Cn Dn, En
                + b"\x00\x01\x02\x01\x00\x00\x00\x00" + b"\x00" * 8)  # F0-F7, F8-FF

_EMPTY = b""

# Where MidiIn is with SysEx. The last two mean "a SysEx was just delivered": its payload
# can be read until the next receive().
_SYSEX_CLOSED = const(0)
_SYSEX_OPEN = const(1)
_SYSEX_DELIVERED = const(2)  # complete or aborted, now closed
_SYSEX_CHUNK_DELIVERED = const(3)  # a chunk, still open


def _nothing_waiting():
    # stands in for any() on ports that have none
    return 0


class Message:
    """One MIDI message. The object MidiIn returns is reused: valid until the next receive().

    `type` is the status without the channel for channel messages (NOTE_ON, ...) and
    the whole status byte for system messages; `channel` is 0-15, or None for system
    messages; `data` holds the data bytes (0, 1 or 2 of them; empty for SysEx, whose
    payload MidiIn.receive_sysex or readinto_sysex returns).
    """

    def __init__(self, type=None, channel=None, data=_EMPTY):
        self.type = type
        self.channel = channel
        self.data = data
        self.length = 0  # SysEx: payload bytes in this message (or chunk)
        self.truncated = False  # SysEx: payload bytes were dropped (buffer too small)
        self.sysex_end = SYSEX_COMPLETE  # SysEx: SYSEX_COMPLETE, SYSEX_ABORTED or SYSEX_CHUNK
        self._sysex = _EMPTY  # SysEx payload buffer (MidiIn's, or a copy's own)

    @property
    def status(self):
        """The status byte as sent: type plus channel."""
        if self.channel is None:
            return self.type
        return self.type | self.channel

    # Named fields, decoded only when asked (MIDI 1.0 names).
    @property
    def note(self):
        """Note number 0-127 (NOTE_ON, NOTE_OFF, AFTERTOUCH)."""
        return self.data[0]

    @property
    def velocity(self):
        """Velocity 0-127 (NOTE_ON, NOTE_OFF)."""
        return self.data[1]

    @property
    def control(self):
        """Controller number 0-127 (CONTROLLER_CHANGE)."""
        return self.data[0]

    @property
    def value(self):
        """Controller value 0-127 (CONTROLLER_CHANGE)."""
        return self.data[1]

    @property
    def program(self):
        """Program number 0-127 (PROGRAM_CHANGE)."""
        return self.data[0]

    @property
    def pressure(self):
        """Pressure 0-127: CHANNEL_PRESSURE, or AFTERTOUCH's second data byte."""
        if self.type == AFTERTOUCH:
            return self.data[1]
        return self.data[0]

    @property
    def pitch_bend(self):
        """PITCH_BEND as a signed value, -8192 (down) .. 0 (centre) .. 8191 (up)."""
        return (self.data[0] | (self.data[1] << 7)) - 8192

    @property
    def song_position(self):
        """SONG_POSITION in MIDI beats (sixteenth notes) since the song start, 0-16383."""
        return self.data[0] | (self.data[1] << 7)

    @property
    def song(self):
        """SONG_SELECT song number 0-127."""
        return self.data[0]

    @property
    def mtc_piece(self):
        """MTC_QUARTER_FRAME piece 0-7 (frames low/high, seconds, minutes, hours+rate)."""
        return self.data[0] >> 4

    @property
    def mtc_value(self):
        """MTC_QUARTER_FRAME value nibble 0-15."""
        return self.data[0] & 15

    def __len__(self):
        # len() and indexing make bytes(msg) work on MicroPython, which ignores __bytes__
        if self.type == SYSEX:
            return self.length + (2 if self.sysex_end == SYSEX_COMPLETE else 1)
        return 1 + len(self.data)

    def __getitem__(self, index):
        if index < 0:
            index += len(self)
        if index == 0:
            return self.status
        if self.type == SYSEX:
            if index <= self.length:
                return self._sysex[index - 1]
            if index == self.length + 1 and self.sysex_end == SYSEX_COMPLETE:
                return SYSEX_END
            raise IndexError("message index out of range")
        if index <= len(self.data):
            return self.data[index - 1]
        raise IndexError("message index out of range")

    def __bytes__(self):
        return bytes([self[i] for i in range(len(self))])

    def copy(self):
        """A new Message with its own data that later receive() calls leave alone."""
        other = Message(self.type, self.channel, bytes(self.data))
        other.length = self.length
        other.truncated = self.truncated
        other.sysex_end = self.sysex_end
        other._sysex = bytes(self._sysex[:self.length]) if self.type == SYSEX else _EMPTY
        return other

    def __eq__(self, other):
        return (isinstance(other, Message) and bytes(self) == bytes(other)
                and self.truncated == other.truncated)

    def __repr__(self):
        if self.type == SYSEX:
            return "Message(SYSEX, %d bytes%s)" % (self.length, ", truncated" if self.truncated else "")
        return "Message(type=0x%02X, channel=%r, data=%r)" % (self.type, self.channel, bytes(self.data))


class MidiIn:
    """Decodes MIDI from a port with `readinto`; `receive()` returns one message or None.

    port: anything with readinto(buf) returning a count, 0 or None. A port with any()
        (machine.UART) is asked first and read only for what it holds, so an empty
        UART costs no busy-wait.
    enable_running_status: accepted for SmolMIDI compatibility; receiving running status
        is always on, as MIDI 1.0 requires.
    channel: 0-15 to drop channel messages on other channels; None keeps all.
    zero_velocity_note_off: deliver NOTE_ON with velocity 0 as NOTE_OFF (velocity 0).
    ignore_clock, ignore_active_sensing: drop CLOCK / ACTIVE_SENSING bytes silently.
    sysex_size: the SysEx payload buffer, in bytes.
    sysex_chunks: deliver a SysEx longer than sysex_size in sysex_size pieces (each a
        SYSEX message with sysex_end == SYSEX_CHUNK, the last SYSEX_COMPLETE) instead of
        dropping what does not fit.
    ring_size, read_size: input buffering: ring_size bytes in pieces of read_size, each
        filled by one readinto. Bytes wait in the ring until decoded.
    ports_need_length: True to always call readinto(buf, len(buf)) (BLE MIDIService
        requires the length), False never to; None (default) finds out on the first
        read: a port that refuses readinto(buf) with TypeError gets the length from then on.

    Loss counters (read them any time): stray_data (data bytes with no status in force),
    abandoned (unfinished messages cut off by a status byte), sysex_truncated,
    sysex_aborted. ring_overflows counts receive() calls that found the ring full and so
    left the port undrained: not a loss by itself (the bytes wait in the port), but a
    warning that the port's own buffer may overflow if receive() is not called more often.

    Undefined status bytes F4 and F5 are delivered as data-less messages (they cancel
    running status, as system common must); F9 and FD pass up like any realtime byte; a
    lone F7 outside SysEx is dropped without a message.
    """

    def __init__(self, port, enable_running_status=False, *, channel=None,
                 zero_velocity_note_off=False, ignore_clock=False, ignore_active_sensing=False,
                 sysex_size=128, sysex_chunks=False, ring_size=256, read_size=64,
                 ports_need_length=None):
        if channel is not None and not (isinstance(channel, int) and 0 <= channel <= 15):
            raise ValueError("channel must be 0-15 or None, got %r" % (channel,))
        if sysex_size < 1:
            raise ValueError("sysex_size must be at least 1, got %r" % (sysex_size,))
        if read_size < 1 or ring_size < read_size:
            raise ValueError("read_size must be 1..ring_size, got read_size=%r ring_size=%r"
                             % (read_size, ring_size))
        self._port = port
        # Settings are fixed at construction (the decoder folds them into _options).
        self._channel = channel
        self._zero_velocity_note_off = zero_velocity_note_off
        self._ignore_clock = ignore_clock
        self._ignore_active_sensing = ignore_active_sensing
        self._sysex_chunks = sysex_chunks
        # one flag to test per message instead of two when neither option is in use
        self._options = channel is not None or zero_velocity_note_off

        # The ring is a few fixed pieces, each filled whole by one readinto: reading into
        # a piece needs no memoryview slice (which would allocate on every call).
        pieces = ring_size // read_size
        self._pieces = [bytearray(read_size) for _ in range(pieces)]
        self._filled = [0] * pieces  # bytes each piece holds; 0 = free
        self._fill = 0  # next piece to read into
        self._parse = 0  # piece being decoded
        self._pos = 0  # next byte to decode in that piece
        # How to read the port: 0 readinto(buf); 1 readinto(buf, len(buf)); 2 not known yet;
        # 3 ask any() first (machine.UART: readinto on an empty UART busy-waits ~1 ms)
        self._any = getattr(port, "any", _nothing_waiting)
        if ports_need_length is None:
            self._need_length = 2 if self._any is _nothing_waiting else 3
        else:
            self._need_length = 1 if ports_need_length else 0
        # bound methods cached: creating them allocates on MicroPython
        self._readinto = port.readinto

        # Decoder state: the status in force, data bytes it needs, data collected so far.
        self._status = 0  # running status (channel voice) or pending system common; 0 = none
        self._need = 0
        self._have = 0  # -1: status just received, no data yet; 0: idle; 1: first data byte held
        self._data1 = 0
        self._sysex_state = _SYSEX_CLOSED
        self._sysex_dropped = False
        self._sysex = bytearray(sysex_size)
        self._sysex_len = 0

        self.stray_data = 0
        self.abandoned = 0
        self.sysex_truncated = 0
        self.sysex_aborted = 0
        self.ring_overflows = 0

        msg = self._msg = Message()
        msg._sysex = self._sysex
        self._data2 = bytearray(2)
        self._data1buf = bytearray(1)

    def receive(self):
        """Return the next complete Message, or None if none is complete yet. Never blocks."""
        filled = self._filled
        pieces = self._pieces
        parse = self._parse
        pos = self._pos
        if pos and pos == filled[parse]:
            # the piece decoded last time is used up: free it before reading more
            filled[parse] = 0
            parse += 1
            self._parse = parse = 0 if parse == len(filled) else parse
            self._pos = pos = 0
        # One bulk read into the next free piece of the ring (inlined: a call costs time).
        fill = self._fill
        if filled[fill]:
            self.ring_overflows += 1
        else:
            piece = pieces[fill]
            need_length = self._need_length
            if need_length == 0:
                n = self._readinto(piece)
            elif need_length == 3:
                n = self._any()
                if n:
                    n = self._readinto(piece, n if n < len(piece) else len(piece))
            elif need_length == 1:
                n = self._readinto(piece, len(piece))
            else:
                n = self._first_read(piece)
            if n:
                filled[fill] = n
                fill += 1
                self._fill = 0 if fill == len(filled) else fill
        sysex_state = self._sysex_state
        if sysex_state >= _SYSEX_DELIVERED:
            # the SysEx delivered last time is no longer readable; after a chunk the
            # buffer starts over for the next one
            if sysex_state == _SYSEX_CHUNK_DELIVERED:
                self._sysex_len = 0
                sysex_state = _SYSEX_OPEN
            else:
                sysex_state = _SYSEX_CLOSED
            self._sysex_state = sysex_state
        count = filled[parse]
        if not count:
            return None
        piece = pieces[parse]
        # Decoder state in locals for the loop; written back before a return when changed.
        status = status_in = self._status
        need = self._need
        have = have_in = self._have
        data1 = 0
        if have == 1:
            data1 = self._data1
        while True:
            if pos == count:
                # piece used up: free it and go on to the next one, if it holds bytes
                filled[parse] = 0
                parse += 1
                if parse == len(filled):
                    parse = 0
                self._parse = parse
                pos = 0
                count = filled[parse]
                if not count:
                    self._pos = 0
                    self._status = status
                    self._need = need
                    self._have = have
                    self._data1 = data1
                    return None
                piece = pieces[parse]
            b = piece[pos]
            pos += 1
            if b < 0x80:
                if sysex_state:
                    # copy the whole run of payload bytes in this piece in one tight loop
                    sysex = self._sysex
                    n = self._sysex_len
                    if pos == 1 and count == len(piece) and n + count <= len(sysex) and max(piece) < 0x80:
                        # a whole piece of payload (long dumps): one copy in C, no allocation
                        sysex[n:n + count] = piece
                        self._sysex_len = n + count
                        pos = count
                        continue
                    pos -= 1  # the run starts at b
                    end = pos + len(sysex) - n  # no further than the buffer's end
                    if end > count:
                        end = count
                    shift = n - pos  # buffer index = piece index + shift: one counter, not two
                    while pos < end:
                        b = piece[pos]
                        if b >= 0x80:
                            break  # left for the main loop
                        sysex[pos + shift] = b
                        pos += 1
                    self._sysex_len = pos + shift
                    if pos < count and piece[pos] < 0x80:
                        # the buffer is full and the payload goes on
                        if self._sysex_chunks:
                            self._pos = pos  # this byte starts the next chunk
                            return self._deliver_sysex(SYSEX_CHUNK)
                        self._sysex_dropped = True
                        while pos < count and piece[pos] < 0x80:
                            pos += 1
                    continue
                if not status:
                    self.stray_data += 1
                    continue
                if need == 2 and have != 1:
                    if pos < count and piece[pos] < 0x80:
                        # the second data byte is already here: finish in this pass
                        data1 = b
                        b = piece[pos]
                        pos += 1
                    else:
                        data1 = b
                        have = 1
                        continue
            elif b >= 0xF8:
                # realtime: delivered at once; the interrupted message stays as it was
                if (b == CLOCK and self._ignore_clock) or (b == ACTIVE_SENSING and self._ignore_active_sensing):
                    continue
                self._pos = pos
                self._status = status
                self._need = need
                self._have = have
                self._data1 = data1
                msg = self._msg
                msg.type = b
                msg.channel = None
                msg.data = _EMPTY
                return msg
            elif sysex_state:
                # any other status byte ends an open SysEx
                self._status = 0
                self._need = 0
                self._have = 0
                if b == SYSEX_END:
                    self._pos = pos
                    return self._deliver_sysex(SYSEX_COMPLETE)
                self.sysex_aborted += 1
                self._pos = pos - 1  # decode this status byte on the next call
                return self._deliver_sysex(SYSEX_ABORTED)
            elif b < 0xF0:
                # channel voice status: an unfinished message is abandoned
                if have:
                    self.abandoned += 1
                status = b
                need = _DATA_LENGTH[b - 0x80]
                if pos + need <= count and (piece[pos] | piece[pos + need - 1]) < 0x80:
                    # the whole message is already here: finish in this pass
                    if need == 2:
                        data1 = piece[pos]
                        pos += 1
                    b = piece[pos]
                    pos += 1
                else:
                    have = -1
                    continue
            else:
                # system common F0-F7: an unfinished message is abandoned, running status ends
                if have:
                    self.abandoned += 1
                have = 0
                if b == SYSEX:
                    self._sysex_state = sysex_state = _SYSEX_OPEN
                    self._sysex_len = 0
                    self._sysex_dropped = False
                    status = 0
                    need = 0
                    continue
                need = _DATA_LENGTH[b - 0x80]
                if need:
                    status = b
                    have = -1
                    continue
                # F6 tune request and undefined F4, F5 have no data; F7 outside a SysEx
                # is ignored.
                status = 0
                if b == SYSEX_END:
                    continue
                self._pos = pos
                self._status = 0
                self._need = 0
                self._have = 0
                msg = self._msg
                msg.type = b
                msg.channel = None
                msg.data = _EMPTY
                return msg
            # a message is complete: status, data1 (if two data bytes) and b
            self._pos = pos
            if have_in:
                self._have = 0
                have_in = 0
            have = 0
            msg = self._msg
            if need == 2:
                data = self._data2
                data[0] = data1
                data[1] = b
            else:
                data = self._data1buf
                data[0] = b
            if status >= 0xF0:
                # system common: delivered, then no status is in force
                self._status = 0
                self._need = 0
                msg.type = status
                msg.channel = None
                msg.data = data
                return msg
            if status != status_in:
                self._status = status_in = status
                self._need = need
            kind = status & 0xF0
            if self._options:
                if self._channel is not None and (status & 15) != self._channel:
                    continue
                if kind == NOTE_ON and self._zero_velocity_note_off and b == 0:
                    kind = NOTE_OFF
            msg.type = kind
            msg.channel = status & 15
            msg.data = data
            return msg

    def _first_read(self, piece):
        # Learn the port's readinto shape once: BLE's MIDIService needs the length.
        try:
            n = self._readinto(piece)
            self._need_length = 0
        except TypeError:
            n = self._readinto(piece, len(piece))
            self._need_length = 1
        return n

    def _deliver_sysex(self, end):
        msg = self._msg
        msg.type = SYSEX
        msg.channel = None
        msg.data = _EMPTY
        msg.length = self._sysex_len
        msg.sysex_end = end
        msg.truncated = self._sysex_dropped
        if end == SYSEX_CHUNK:
            self._sysex_state = _SYSEX_CHUNK_DELIVERED
        else:
            self._sysex_state = _SYSEX_DELIVERED
            if self._sysex_dropped:
                self.sysex_truncated += 1
        return msg

    def readinto_sysex(self, buf):
        """Copy the payload of the SysEx just received (no F0/F7) into buf; return the count.

        Valid until the next receive(). Copies at most len(buf) bytes; allocates nothing.
        Returns 0 if the last message was not a SysEx.
        """
        if self._sysex_state < _SYSEX_DELIVERED:
            return 0
        n = self._msg.length
        if n > len(buf):
            n = len(buf)
        sysex = self._sysex
        if n == len(sysex):
            buf[0:n] = sysex  # a full buffer (every chunk but the last): one copy in C
        else:
            for i in range(n):  # index loop: a slice of sysex would allocate
                buf[i] = sysex[i]
        return n

    def receive_sysex(self, max_length):
        """SmolMIDI's call: (payload bytes without F0/F7, truncated) for the SysEx just received.

        Call it after receive() returned a SYSEX message. truncated is True if the payload
        was longer than max_length or than the sysex_size buffer. Allocates the result.
        Returns (b"", False) if the last message was not a SysEx.
        """
        if self._sysex_state < _SYSEX_DELIVERED:
            return b"", False
        msg = self._msg
        n = msg.length
        truncated = msg.truncated
        if n > max_length:
            n = max_length
            truncated = True
        return bytes(self._sysex[:n]), truncated


# Helpers in the spirit of pygame.midi: note names and frequencies.

_NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_NOTE_OFFSETS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def note_name(note):
    """MIDI note number to a name with octave: 60 -> 'C4', 69 -> 'A4', 70 -> 'A#4'."""
    if not (isinstance(note, int) and 0 <= note <= 127):
        raise ValueError("note must be 0-127, got %r" % (note,))
    return _NOTE_NAMES[note % 12] + str(note // 12 - 1)


def note_number(name):
    """A note name to its number: 'C4' -> 60, 'A#3' -> 58, 'Bb3' -> 58, 'C-1' -> 0."""
    text = name.strip()
    if not text or text[0].upper() not in _NOTE_OFFSETS:
        raise ValueError("note name must look like 'C4', 'A#3' or 'Bb2', got %r" % (name,))
    number = _NOTE_OFFSETS[text[0].upper()]
    rest = text[1:]
    while rest and rest[0] in "#b":
        number += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    try:
        octave = int(rest)
    except ValueError:
        raise ValueError("note name must end in an octave number, got %r" % (name,))
    number += (octave + 1) * 12
    if not 0 <= number <= 127:
        raise ValueError("note %r is outside MIDI's 0-127" % (name,))
    return number


def note_to_frequency(note, a4=440.0):
    """Equal-tempered frequency in Hz of a note number (69 -> 440.0). Uses floats."""
    return a4 * 2.0 ** ((note - 69) / 12.0)


def frequency_to_note(frequency, a4=440.0):
    """The nearest note number to a frequency in Hz (440.0 -> 69), clamped to 0-127."""
    if frequency <= 0:
        raise ValueError("frequency must be above 0 Hz, got %r" % (frequency,))
    note = int(round(69 + 12 * math.log(frequency / a4) / math.log(2)))
    return 0 if note < 0 else 127 if note > 127 else note
