# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_filter: smolmidi.MidiIn with filters, named message fields and every port
shape (optional module).

For example::

    from smolmidi_filter import MidiIn
    midi_in = MidiIn(usb_midi.ports[0], channel=0, zero_velocity_note_off=True)
    msg = midi_in.receive()  # msg.note, msg.velocity ... as well as type, channel, data
    midi_in = MidiIn(busio.UART(board.TX, board.RX, baudrate=31250))  # its default timeout
"""

import smolmidi

_receive = smolmidi.MidiIn.receive


class Message(smolmidi.Message):
    """smolmidi.Message with named fields, decoded when read: note, velocity, control,
    value, program, pressure, pitch_bend (signed), song, song_position, mtc_piece,
    mtc_value, status; copy() and repr()."""

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

    def copy(self):
        """A Message of your own, which receive() leaves alone."""
        other = Message(self.type, self.channel, self.data and bytes(self.data))
        if self.type == smolmidi.SYSEX:
            other.length = self.length
            other.sysex_end = self.sysex_end
            other._sysex = bytes(self._sysex[: self.length])
        return other

    def __repr__(self):
        return "Message(%r)" % bytes(self)


class MidiIn(smolmidi.MidiIn):
    """smolmidi.MidiIn whose messages have named fields (this module's Message), passing
    on only what its filters let through: channel (0-15; None: all; system messages always
    pass), zero_velocity_note_off (note on with velocity 0 becomes NOTE_OFF), ignore_clock,
    ignore_active_sensing. Other arguments as smolmidi's. The port may also be one whose
    readinto waits (busio.UART with a timeout, pyserial: only what waits is asked for),
    machine.UART with a timeout (any() first) or one that needs a length (BLE MIDIService)."""

    def __init__(
        self,
        port,
        enable_running_status=False,
        *,
        channel=None,
        zero_velocity_note_off=False,
        ignore_clock=False,
        ignore_active_sensing=False,
        **options,
    ):
        if channel not in range(16) and channel is not None:
            raise ValueError("channel must be 0-15 or None, got %r" % (channel,))
        smolmidi.MidiIn.__init__(self, port, enable_running_status, **options)
        # the reused messages, remade as Messages with fields (the SysEx one keeps its payload)
        sx = self._sx
        self._one = Message(data=self._one.data)
        self._two = Message(data=self._two.data)
        self._rt = Message()
        self._sx = Message(smolmidi.SYSEX)
        self._sx._sysex = sx._sysex
        self._sx.length = self._sx.sysex_end = 0
        self._channel = channel
        self._zero_off = zero_velocity_note_off
        self._ignore = smolmidi.CLOCK if ignore_clock else -1
        self._ignore2 = smolmidi.ACTIVE_SENSING if ignore_active_sensing else -1

    def receive(self):
        """The next Message that passes the filters, or None. Never blocks."""
        while True:
            msg = _receive(self)
            if msg is None:
                return None
            t = msg.type
            if t == self._ignore or t == self._ignore2:
                continue
            if self._channel is not None and msg.channel is not None and msg.channel != self._channel:
                continue
            if t == 0x90 and self._zero_off and msg.data[1] == 0:
                msg.type = 0x80
            return msg

    def _reader(self, port):
        # receive() reads through _read_port, which learns the port's shape
        self._shape = 2 if hasattr(port, "any") else 3 if hasattr(port, "in_waiting") else 0
        self._views = []  # 1, 2, 4, ... bytes of the buffer, for ports with in_waiting
        while self._shape == 3 and 1 << len(self._views) <= self.read_size:
            self._views.append(self._view[: 1 << len(self._views)])
        return self._read_port

    def _read_port(self, buf):
        # Ports other than a plain readinto(buf), and learning which one this is
        shape = self._shape
        if not shape:
            try:
                n = self.port.readinto(buf)
                self._fill = self.port.readinto  # plain: called straight from now on
                return n
            except TypeError:
                self._shape = shape = 1  # BLE MIDIService: readinto(buf, length)
        n = self.read_size
        if shape == 2:  # machine.UART: readinto on an empty UART busy-waits
            n = min(self.port.any(), n)
        elif shape == 3:  # pyserial, busio.UART: readinto waits for a full buffer
            n = min(self.port.in_waiting, n)
            shape = 0
            while 2 << shape <= n:
                shape += 1
            return n and self.port.readinto(self._views[shape])  # 1, 2, 4 ... bytes: never more than waits
        return n and self.port.readinto(buf, n)
