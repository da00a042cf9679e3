# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_out.MidiOut: wire bytes, validation, partial writes, allocation (every runtime)."""

from mptest import eq, ok, raises, no_alloc, IS_MICROPYTHON, NullPort

import mptest
import smolmidi
import smolmidi_out
import smolmidi_control
from smolmidi_control import MidiOut  # the core MidiOut plus the extras the tables use


class Sink:
    """A port that allocates nothing: write copies with an index loop into a fixed buffer.

    accept: at most this many bytes taken per call (None = all). zeros: after each
    call that takes bytes, this many calls take nothing. refuse: every call takes 0.
    """

    def __init__(self, size=4096, accept=None, zeros=0, result_none=False):
        self.buf = bytearray(size)
        self.n = 0
        self.calls = 0
        self.accept = accept
        self.zeros = zeros
        self.zero_left = zeros
        self.refuse = False
        self.result_none = result_none

    def write(self, data):
        self.calls += 1
        if self.refuse or self.zero_left:
            if self.zero_left:
                self.zero_left -= 1
            return None if self.result_none else 0
        self.zero_left = self.zeros
        k = len(data)
        if self.accept is not None and k > self.accept:
            k = self.accept
        pos = self.n
        buf = self.buf
        if pos + k > len(buf):  # wrap: allocation tests write far more than size
            pos = 0
        for i in range(k):
            buf[pos + i] = data[i]
        self.n = pos + k
        return k

    def take(self):
        out = bytes(self.buf[: self.n])
        self.n = 0
        return out


# (method, args, wire bytes) for the default MidiOut (no running status)
WIRE = [
    ("note_on", (60,), b"\x90\x3c\x7f"),
    ("note_on", (60, 100), b"\x90\x3c\x64"),
    ("note_on", (0, 0, 15), b"\x9f\x00\x00"),
    ("note_on", (127, 127, 9), b"\x99\x7f\x7f"),
    ("note_off", (60,), b"\x80\x3c\x00"),
    ("note_off", (60, 64, 1), b"\x81\x3c\x40"),
    ("aftertouch", (60, 33, 2), b"\xa2\x3c\x21"),
    ("control_change", (7, 100), b"\xb0\x07\x64"),
    ("control_change", (127, 0, 15), b"\xbf\x7f\x00"),
    ("program_change", (0,), b"\xc0\x00"),
    ("program_change", (127, 4), b"\xc4\x7f"),
    ("channel_pressure", (90, 5), b"\xd5\x5a"),
    ("pitch_bend", (0,), b"\xe0\x00\x40"),
    ("pitch_bend", (-8192,), b"\xe0\x00\x00"),
    ("pitch_bend", (8191, 15), b"\xef\x7f\x7f"),
    ("pitch_bend", (1,), b"\xe0\x01\x40"),
    ("pitch_bend", (-1,), b"\xe0\x7f\x3f"),
    ("pitch_bend", (200,), b"\xe0\x48\x41"),
    ("pitch_bend_raw", (0,), b"\xe0\x00\x00"),
    ("pitch_bend_raw", (8192, 3), b"\xe3\x00\x40"),
    ("pitch_bend_raw", (16383,), b"\xe0\x7f\x7f"),
    ("control_change_14bit", (1, 0x3FFF), b"\xb0\x01\x7f\xb0\x21\x7f"),
    ("control_change_14bit", (7, 0x2081, 2), b"\xb2\x07\x41\xb2\x27\x01"),
    ("control_change_14bit", (31, 0), b"\xb0\x1f\x00\xb0\x3f\x00"),
    ("rpn", (0, 2 << 7), b"\xb0\x65\x00\xb0\x64\x00\xb0\x06\x02\xb0\x26\x00\xb0\x65\x7f\xb0\x64\x7f"),
    ("rpn", (0x3FFF, 0x81, 9), b"\xb9\x65\x7f\xb9\x64\x7f\xb9\x06\x01\xb9\x26\x01\xb9\x65\x7f\xb9\x64\x7f"),
    ("nrpn", (0x0102, 0x0304, 1), b"\xb1\x63\x02\xb1\x62\x02\xb1\x06\x06\xb1\x26\x04\xb1\x65\x7f\xb1\x64\x7f"),
    ("all_sound_off", (), b"\xb0\x78\x00"),
    ("reset_all_controllers", (3,), b"\xb3\x79\x00"),
    ("local_control", (False,), b"\xb0\x7a\x00"),
    ("local_control", (True, 1), b"\xb1\x7a\x7f"),
    ("all_notes_off", (15,), b"\xbf\x7b\x00"),
    ("omni_off", (), b"\xb0\x7c\x00"),
    ("omni_on", (), b"\xb0\x7d\x00"),
    ("mono_on", (), b"\xb0\x7e\x00"),
    ("mono_on", (16, 2), b"\xb2\x7e\x10"),
    ("poly_on", (), b"\xb0\x7f\x00"),
    ("mtc_quarter_frame", (0, 0), b"\xf1\x00"),
    ("mtc_quarter_frame", (7, 15), b"\xf1\x7f"),
    ("mtc_quarter_frame", (3, 5), b"\xf1\x35"),
    ("song_position", (0,), b"\xf2\x00\x00"),
    ("song_position", (16383,), b"\xf2\x7f\x7f"),
    ("song_position", (300,), b"\xf2\x2c\x02"),
    ("song_select", (5,), b"\xf3\x05"),
    ("tune_request", (), b"\xf6"),
    ("clock", (), b"\xf8"),
    ("start", (), b"\xfa"),
    ("continue_", (), b"\xfb"),
    ("cont", (), b"\xfb"),
    ("stop", (), b"\xfc"),
    ("active_sensing", (), b"\xfe"),
    ("system_reset", (), b"\xff"),
    ("sysex", (b"\x7d\x01\x02",), b"\xf0\x7d\x01\x02\xf7"),
    ("sysex", (b"\xf0\x7d\x01\x02\xf7",), b"\xf0\x7d\x01\x02\xf7"),
    ("sysex", (b"\xf0\x7d\x01",), b"\xf0\x7d\x01\xf7"),
    ("sysex", (b"\x7d\x01\xf7",), b"\xf0\x7d\x01\xf7"),
    ("sysex", (bytearray(b"\x7e\x7f\x06\x01"),), b"\xf0\x7e\x7f\x06\x01\xf7"),
    ("sysex", (memoryview(b"\x00\x7f"),), b"\xf0\x00\x7f\xf7"),
    ("sysex", ([0x7D, 0, 127],), b"\xf0\x7d\x00\x7f\xf7"),
    ("sysex", ((0xF0, 0x7D, 0xF7),), b"\xf0\x7d\xf7"),
    ("sysex", (bytes(range(128)),), b"\xf0" + bytes(range(128)) + b"\xf7"),
    ("send_status", (0x93, 60, 1), b"\x93\x3c\x01"),
    ("send_status", (0xC2, 5), b"\xc2\x05"),
    ("send_status", (0xC2, 5, 9), b"\xc2\x05"),
    ("send_status", (0xD0, 1), b"\xd0\x01"),
    ("send_status", (0xEF, 1, 2), b"\xef\x01\x02"),
    ("send_status", (0xF1, 0x12), b"\xf1\x12"),
    ("send_status", (0xF2, 1, 2), b"\xf2\x01\x02"),
    ("send_status", (0xF3, 3), b"\xf3\x03"),
    ("send_status", (0xF4,), b"\xf4"),
    ("send_status", (0xF5,), b"\xf5"),
    ("send_status", (0xF6,), b"\xf6"),
    ("send_status", (0xF8,), b"\xf8"),
    ("send_status", (0xF9,), b"\xf9"),
    ("send_status", (0xFD,), b"\xfd"),
    ("send_status", (0xFF,), b"\xff"),
    ("write", (b"\x90\x3c",), b"\x90\x3c"),
    ("write", ([0x80, 0xFF, 0],), b"\x80\xff\x00"),
    ("write", (b"",), b""),
]


def test_wire_bytes_for_every_message():
    for name, args, want in WIRE:
        port = Sink()
        out = MidiOut(port)
        getattr(out, name)(*args)
        eq(port.take(), want, "%s%r" % (name, args))
        eq(out.dropped, 0, name)


def test_keyword_arguments_and_defaults():
    port = Sink()
    out = MidiOut(port)
    out.note_on(60, velocity=10, channel=2)
    out.note_off(note=61, channel=3)
    out.control_change(control=1, value=2, channel=4)
    out.program_change(program=3, channel=5)
    out.pitch_bend(value=-2, channel=6)
    out.pitch_bend_raw(value=5, channel=7)
    out.channel_pressure(pressure=7, channel=8)
    out.aftertouch(note=1, pressure=2, channel=9)
    eq(port.take(), b"\x92\x3c\x0a\x83\x3d\x00\xb4\x01\x02\xc5\x03\xe6\x7e\x3f\xe7\x05\x00\xd8\x07\xa9\x01\x02")


def test_panic_silences_every_channel():
    port = Sink()
    MidiOut(port).panic()
    want = b""
    for channel in range(16):
        want += bytes([0xB0 | channel, 120, 0, 0xB0 | channel, 123, 0])
    eq(port.take(), want)


class Msg:
    """A message object as smolmidi makes one: type, channel, data (no smolmidi import)."""

    def __init__(self, kind, channel, data, raw=None):
        self.type = kind
        self.channel = channel
        self.data = data
        self.raw = raw

    def __len__(self):
        return len(self.raw)

    def __getitem__(self, index):
        return self.raw[index]


SEND = [
    (Msg(0x90, 0, b"\x3c\x64"), b"\x90\x3c\x64"),
    (Msg(0x80, 15, bytearray(b"\x3c\x00")), b"\x8f\x3c\x00"),
    (Msg(0xA0, 1, b"\x01\x02"), b"\xa1\x01\x02"),
    (Msg(0xB0, 2, memoryview(b"\x07\x7f")), b"\xb2\x07\x7f"),
    (Msg(0xC0, 3, b"\x05"), b"\xc3\x05"),
    (Msg(0xD0, 4, b"\x06"), b"\xd4\x06"),
    (Msg(0xE0, 5, b"\x00\x40"), b"\xe5\x00\x40"),
    (Msg(0xF1, None, b"\x23"), b"\xf1\x23"),
    (Msg(0xF2, None, b"\x01\x02"), b"\xf2\x01\x02"),
    (Msg(0xF3, None, b"\x09"), b"\xf3\x09"),
    (Msg(0xF6, None, b""), b"\xf6"),
    (Msg(0xF8, None, b""), b"\xf8"),
    (Msg(0xF9, None, b""), b"\xf9"),
    (Msg(0xFA, None, b""), b"\xfa"),
    (Msg(0xFB, None, b""), b"\xfb"),
    (Msg(0xFC, None, b""), b"\xfc"),
    (Msg(0xFE, None, b""), b"\xfe"),
    (Msg(0xFF, None, b""), b"\xff"),
    (Msg(0xF0, None, b"", b"\xf0\x7d\x01\x02\xf7"), b"\xf0\x7d\x01\x02\xf7"),
]


def test_send_any_message_object():
    for msg, want in SEND:
        port = Sink()
        MidiOut(port).send(msg)
        eq(port.take(), want, "send type 0x%02X" % msg.type)


# (calls made in order, wire bytes) with running_status=True
RUNNING = [
    ([("note_on", (60, 1)), ("note_on", (61, 2))], b"\x90\x3c\x01\x3d\x02"),
    ([("note_on", (60, 1)), ("note_on", (61, 2, 1))], b"\x90\x3c\x01\x91\x3d\x02"),
    ([("note_on", (60, 1)), ("note_off", (60,)), ("note_off", (61,))], b"\x90\x3c\x01\x80\x3c\x00\x3d\x00"),
    ([("program_change", (1,)), ("program_change", (2,))], b"\xc0\x01\x02"),
    ([("channel_pressure", (1,)), ("channel_pressure", (2,))], b"\xd0\x01\x02"),
    ([("pitch_bend", (0,)), ("pitch_bend", (1,))], b"\xe0\x00\x40\x01\x40"),
    # realtime does not cancel running status
    (
        [("note_on", (60, 1)), ("clock", ()), ("note_on", (61, 2)), ("active_sensing", ()), ("note_on", (62, 3))],
        b"\x90\x3c\x01\xf8\x3d\x02\xfe\x3e\x03",
    ),
    ([("note_on", (60, 1)), ("send_status", (0xF9,)), ("note_on", (61, 2))], b"\x90\x3c\x01\xf9\x3d\x02"),
    # system common, SysEx and raw writes cancel it
    ([("note_on", (60, 1)), ("tune_request", ()), ("note_on", (61, 2))], b"\x90\x3c\x01\xf6\x90\x3d\x02"),
    ([("note_on", (60, 1)), ("song_select", (1,)), ("note_on", (61, 2))], b"\x90\x3c\x01\xf3\x01\x90\x3d\x02"),
    ([("note_on", (60, 1)), ("song_position", (1,)), ("note_on", (61, 2))], b"\x90\x3c\x01\xf2\x01\x00\x90\x3d\x02"),
    ([("note_on", (60, 1)), ("mtc_quarter_frame", (1, 1)), ("note_on", (61, 2))], b"\x90\x3c\x01\xf1\x11\x90\x3d\x02"),
    ([("note_on", (60, 1)), ("sysex", (b"\x7d",)), ("note_on", (61, 2))], b"\x90\x3c\x01\xf0\x7d\xf7\x90\x3d\x02"),
    ([("note_on", (60, 1)), ("write", (b"\xf8",)), ("note_on", (61, 2))], b"\x90\x3c\x01\xf8\x90\x3d\x02"),
    ([("note_on", (60, 1)), ("send_status", (0xF4,)), ("note_on", (61, 2))], b"\x90\x3c\x01\xf4\x90\x3d\x02"),
    ([("control_change_14bit", (1, 0x81))], b"\xb0\x01\x01\x21\x01"),
    ([("rpn", (0, 0x100, 2))], b"\xb2\x65\x00\x64\x00\x06\x02\x26\x00\x65\x7f\x64\x7f"),
    ([("panic", ())], b"".join(bytes([0xB0 | c, 120, 0, 123, 0]) for c in range(16))),
]


def test_running_status_table():
    for calls, want in RUNNING:
        port = Sink()
        out = MidiOut(port, running_status=True)
        for name, args in calls:
            getattr(out, name)(*args)
        eq(port.take(), want, "running status: %r" % (calls,))


def test_running_status_is_off_by_default():
    port = Sink()
    out = MidiOut(port)
    out.note_on(60, 1)
    out.note_on(61, 2)
    out.program_change(1)
    out.program_change(2)
    eq(port.take(), b"\x90\x3c\x01\x90\x3d\x02\xc0\x01\xc0\x02")


# (method, args, the error message)
BAD = [
    ("note_on", (128,), "note must be 0-127, got 128"),
    ("note_on", (-1,), "note must be 0-127, got -1"),
    ("note_on", (60, 130), "velocity must be 0-127, got 130"),
    ("note_on", (60, -5), "velocity must be 0-127, got -5"),
    ("note_on", (60, 100, 16), "channel must be 0-15, got 16"),
    ("note_on", (60, 100, -1), "channel must be 0-15, got -1"),
    ("note_on", (60.0,), "note must be 0-127, got 60.0"),
    ("note_on", (60, 1.5), "velocity must be 0-127, got 1.5"),
    ("note_on", (60, 100, None), "channel must be 0-15, got None"),
    ("note_on", ("60",), "note must be 0-127, got '60'"),
    ("note_on", (1 << 40,), "note must be 0-127, got %d" % (1 << 40)),
    ("note_off", (200,), "note must be 0-127, got 200"),
    ("note_off", (1, 128), "velocity must be 0-127, got 128"),
    ("note_off", (1, 0, 99), "channel must be 0-15, got 99"),
    ("aftertouch", (1, 128), "pressure must be 0-127, got 128"),
    ("aftertouch", (128, 1), "note must be 0-127, got 128"),
    ("aftertouch", (1, 1, 16), "channel must be 0-15, got 16"),
    ("control_change", (128, 0), "control must be 0-127, got 128"),
    ("control_change", (1, 128), "value must be 0-127, got 128"),
    ("control_change", (1, None), "value must be 0-127, got None"),
    ("control_change", (1, 1, 16), "channel must be 0-15, got 16"),
    ("program_change", (128,), "program must be 0-127, got 128"),
    ("program_change", (-1,), "program must be 0-127, got -1"),
    ("program_change", (1, 16), "channel must be 0-15, got 16"),
    ("channel_pressure", (128,), "pressure must be 0-127, got 128"),
    ("channel_pressure", (1, 16), "channel must be 0-15, got 16"),
    ("pitch_bend", (8192,), "value must be -8192 to 8191, got 8192"),
    ("pitch_bend", (-8193,), "value must be -8192 to 8191, got -8193"),
    ("pitch_bend", (0.5,), "value must be -8192 to 8191, got 0.5"),
    ("pitch_bend", (0, 16), "channel must be 0-15, got 16"),
    ("pitch_bend_raw", (16384,), "value must be 0-16383, got 16384"),
    ("pitch_bend_raw", (-1,), "value must be 0-16383, got -1"),
    ("pitch_bend_raw", (0, 16), "channel must be 0-15, got 16"),
    ("control_change_14bit", (32, 0), "control must be 0-31, got 32"),
    ("control_change_14bit", (1, 16384), "value must be 0-16383, got 16384"),
    ("control_change_14bit", (1, 0, 16), "channel must be 0-15, got 16"),
    ("rpn", (16384, 0), "parameter must be 0-16383, got 16384"),
    ("rpn", (0, -1), "value must be 0-16383, got -1"),
    ("rpn", (0, 0, 16), "channel must be 0-15, got 16"),
    ("nrpn", (-1, 0), "parameter must be 0-16383, got -1"),
    ("nrpn", (0, 16384), "value must be 0-16383, got 16384"),
    ("all_notes_off", (16,), "channel must be 0-15, got 16"),
    ("all_sound_off", (-1,), "channel must be 0-15, got -1"),
    ("reset_all_controllers", (16,), "channel must be 0-15, got 16"),
    ("local_control", (2,), "on must be True or False, got 2"),
    ("mono_on", (17,), "channels must be 0-16, got 17"),
    ("poly_on", (16,), "channel must be 0-15, got 16"),
    ("mtc_quarter_frame", (8, 0), "piece must be 0-7, got 8"),
    ("mtc_quarter_frame", (0, 16), "value must be 0-15, got 16"),
    ("song_position", (16384,), "beats must be 0-16383, got 16384"),
    ("song_position", (-1,), "beats must be 0-16383, got -1"),
    ("song_select", (128,), "song must be 0-127, got 128"),
    # issue 12: an empty SysEx (no manufacturer ID) is refused
    ("sysex", (b"",), "data must be complete, got b''"),
    ("sysex", (b"\xf0\xf7",), "data must be complete, got b'\\xf0\\xf7'"),
    ("sysex", ([0xF0, 0xF7],), "data must be complete"),
    ("send", (Msg(0xF0, None, b"", b"\xf0\xf7"),), "data must be complete"),
    ("sysex", (b"\x7d\x80",), "data[1] must be 0-127, got 128"),
    ("sysex", (b"\xf0\x7d\xf7\x01",), "data[2] must be 0-127, got 247"),
    ("sysex", (b"\xf0\xf0",), "data[1] must be 0-127, got 240"),
    ("sysex", ([1, 256],), "data[1] must be 0-127, got 256"),
    ("sysex", ([1, -1],), "data[1] must be 0-127, got -1"),
    ("sysex", ([1, 2.0],), "data[1] must be 0-127, got 2.0"),
    ("sysex", ("abc",), "data[0] must be 0-127, got 'a'"),
    ("sysex", (5,), "data must be bytes or a sequence of ints, got 5"),
    ("sysex", (None,), "data must be bytes or a sequence of ints, got None"),
    ("send_status", (0x7F,), "status must be 0x80-0xFF, not 0xF0 or 0xF7, got 127"),
    ("send_status", (0xF0,), "status must be 0x80-0xFF, not 0xF0 or 0xF7, got 240"),
    ("send_status", (0xF7,), "status must be 0x80-0xFF, not 0xF0 or 0xF7, got 247"),
    ("send_status", (0x100,), "status must be 0x80-0xFF, not 0xF0 or 0xF7, got 256"),
    ("send_status", (None,), "status must be 0x80-0xFF, not 0xF0 or 0xF7, got None"),
    ("send_status", (0x90, 128, 0), "data1 must be 0-127, got 128"),
    ("send_status", (0x90, 1, 128), "data2 must be 0-127, got 128"),
    ("send_status", (0xC0, 1, -1), "data2 must be 0-127, got -1"),
    ("write", ([1, 256],), "data[1] must be 0-255, got 256"),
    ("write", ("x",), "data[0] must be 0-255, got 'x'"),
    ("write", (None,), "data must be bytes or a sequence of ints, got None"),
    # send: one message naming msg and its (type, channel, data)
    ("send", (Msg(0x95, 0, b"\x01\x02"),), "msg must be valid MIDI, got (149, 0, b'\\x01\\x02')"),
    ("send", (Msg(0x70, 0, b"\x01\x02"),), "msg must be valid MIDI, got (112, 0, "),
    ("send", (Msg(0xF7, None, b""),), "msg must be valid MIDI, got (247, None, b'')"),
    ("send", (Msg(0x100, None, b""),), "msg must be valid MIDI, got (256, None, b'')"),
    ("send", (Msg(-1, None, b""),), "msg must be valid MIDI, got (-1, "),
    ("send", (Msg("note_on", 0, b"\x01\x02"),), "msg must be valid MIDI, got ('note_on', 0, "),
    ("send", (Msg(0x90, 16, b"\x01\x02"),), "msg must be valid MIDI, got (144, 16, "),
    ("send", (Msg(0x90, -1, b"\x01\x02"),), "msg must be valid MIDI, got (144, -1, "),
    ("send", (Msg(0x90, None, b"\x01\x02"),), "msg must be valid MIDI, got (144, None, "),
    ("send", (Msg(0x90, 0, b"\x01"),), "msg must be valid MIDI, got (144, 0, b'\\x01')"),
    ("send", (Msg(0xF2, None, b""),), "msg must be valid MIDI, got (242, None, b'')"),
    ("send", (Msg(0x90, 0, None),), "msg must be valid MIDI, got (144, 0, b'')"),
    ("send", (Msg(0x90, 0, [1, 200]),), "msg must be valid MIDI, got (144, 0, [1, 200])"),
    ("send", (Msg(0xC0, 0, [300]),), "msg must be valid MIDI, got (192, 0, [300])"),
    ("send", (Msg(0xF0, None, b"", b"\xf0\x80\xf7"),), "data[1] must be 0-127, got 128"),
]


def test_bad_values_raise_value_error_naming_argument_and_value():
    for name, args, message in BAD:
        port = Sink()
        out = MidiOut(port, running_status=True)
        out.note_on(1, 1)
        port.take()
        e = raises(ValueError, getattr(out, name), *args)
        ok(str(e).startswith(message), "%s%r: got %r, want %r" % (name, args, str(e), message))
        eq(port.take(), b"", "%s%r wrote nothing" % (name, args))
        # still usable, and the running status it had is unchanged
        out.note_on(2, 2)
        eq(port.take(), b"\x02\x02", "%s%r: usable after the error" % (name, args))


def test_constructor_rejects_bad_retries():
    e = raises(ValueError, MidiOut, Sink(), False, retries=-1)
    ok("retries" in str(e), str(e))


def test_short_writes_lose_nothing():
    """A port taking 1 byte per call, with empty calls between, still gets every byte."""
    for accept, zeros in ((1, 0), (2, 0), (1, 3), (5, 1), (64, 2)):
        for running in (False, True):
            want_port = Sink()
            port = Sink(accept=accept, zeros=zeros)
            for p in (want_port, port):
                out = MidiOut(p, running_status=running)
                out.note_on(60, 100)
                out.note_on(61, 100)
                out.program_change(5, 3)
                out.song_position(300)
                out.clock()
                out.sysex(bytes(range(100)))
                out.sysex([1, 2, 3])
                out.write(b"\xf8\xfa\xfc")
                out.rpn(0, 256)
                eq(out.dropped, 0, "dropped")
            eq(port.take(), want_port.take(), "accept=%d zeros=%d" % (accept, zeros))


def test_write_returning_none_counts_as_nothing_taken():
    # a counting port (machine.UART: None on a timeout). Its first write takes bytes:
    # a port whose first write returns None is one that takes all and says nothing (BLE)
    port = Sink(zeros=2, result_none=True)
    port.zero_left = 0
    out = MidiOut(port)
    out.note_on(60, 100)
    out.clock()
    eq(port.take(), b"\x90\x3c\x64\xf8")
    eq(out.dropped, 0)


def test_port_taking_nothing_is_given_up_and_counted():
    port = Sink()
    port.refuse = True
    out = MidiOut(port, retries=50)
    out.note_on(60, 100)
    eq(out.dropped, 3, "the whole message counted")
    eq(port.calls, 51, "1 try + 50 retries")
    calls = port.calls
    out.note_on(60, 100)
    out.clock()
    eq(port.calls - calls, 4, "while stalled: at most two calls per message")
    eq(out.dropped, 7)
    port.refuse = False
    out.note_on(61, 100)
    eq(port.take(), b"\x90\x3d\x64", "recovered")
    port.accept = 1
    port.zeros = 3
    out.note_on(62, 100)
    eq(port.take(), b"\x90\x3e\x64", "full retries again after recovery")
    eq(out.dropped, 7)


def test_cut_sysex_is_closed_when_the_port_recovers():
    port = Sink()
    out = MidiOut(port, retries=5)
    out.sysex(bytes(range(30)))
    eq(out.dropped, 0)
    port.take()
    # the port takes F0, then nothing
    port.zeros = 1000
    port.zero_left = 0
    out.sysex(bytes(range(30)))
    ok(out.dropped > 0, "some of the SysEx given up")
    eq(port.take(), b"\xf0", "what got through")
    eq(out.dropped, 30, "the payload counted")
    port.zeros = 0
    port.zero_left = 0
    port.accept = None
    out.clock()
    eq(port.take(), b"\xf7\xf8", "F7 first, then the next message")


def test_running_status_restarts_after_a_loss():
    port = Sink()
    out = MidiOut(port, running_status=True, retries=2)
    out.note_on(60, 1)
    port.refuse = True
    out.note_on(61, 1)
    port.refuse = False
    out.note_on(62, 1)
    eq(port.take(), b"\x90\x3c\x01\x90\x3e\x01", "full status after a given-up message")


def test_sink_port_alone_allocates_nothing():
    port = Sink(accept=2, zeros=1)
    data = b"\x90\x3c\x64"
    no_alloc(lambda: port.write(data), 10000, "Sink.write")


def test_no_allocation_per_message():
    port = Sink()
    out = MidiOut(port)
    run = MidiOut(Sink(), running_status=True)
    msg = Msg(0x90, 3, b"\x3c\x64")
    clock_msg = Msg(0xF8, None, b"")
    pos_msg = Msg(0xF2, None, b"\x01\x02")
    payload = bytes(range(100))
    cases = [
        ("note_on", lambda: out.note_on(60, 100, 3)),
        ("note_off", lambda: out.note_off(60)),
        ("aftertouch", lambda: out.aftertouch(60, 1, 2)),
        ("control_change", lambda: out.control_change(7, 100, 15)),
        ("program_change", lambda: out.program_change(5)),
        ("channel_pressure", lambda: out.channel_pressure(5)),
        ("pitch_bend", lambda: out.pitch_bend(-8000, 2)),
        ("pitch_bend_raw", lambda: out.pitch_bend_raw(9000)),
        ("control_change_14bit", lambda: out.control_change_14bit(1, 9000)),
        ("rpn", lambda: out.rpn(0, 256)),
        ("nrpn", lambda: out.nrpn(5, 256, 1)),
        ("all_notes_off", lambda: out.all_notes_off(1)),
        ("local_control", lambda: out.local_control(True)),
        ("mtc_quarter_frame", lambda: out.mtc_quarter_frame(3, 4)),
        ("song_position", lambda: out.song_position(1000)),
        ("song_select", lambda: out.song_select(3)),
        ("tune_request", lambda: out.tune_request()),
        ("clock", lambda: out.clock()),
        ("start", lambda: out.start()),
        ("continue_", lambda: out.continue_()),
        ("stop", lambda: out.stop()),
        ("active_sensing", lambda: out.active_sensing()),
        ("system_reset", lambda: out.system_reset()),
        ("send_status", lambda: out.send_status(0x91, 1, 2)),
        ("send channel", lambda: out.send(msg)),
        ("send realtime", lambda: out.send(clock_msg)),
        ("send common", lambda: out.send(pos_msg)),
        ("sysex bytes", lambda: out.sysex(payload)),
        ("write bytes", lambda: out.write(b"\xf8\xf8")),
        ("running status note_on", lambda: run.note_on(60, 100)),
        ("running status program_change", lambda: run.program_change(1)),
    ]
    for name, fn in cases:
        no_alloc(fn, 2000, name)
    no_alloc(lambda: out.panic(), 200, "panic")


def test_no_allocation_on_short_writes():
    port = Sink(accept=1, zeros=2)
    out = MidiOut(port)
    payload = bytes(range(100))
    no_alloc(lambda: out.note_on(60, 100), 2000, "note_on, short writes")
    no_alloc(lambda: out.song_position(1000), 2000, "song_position, short writes")
    no_alloc(lambda: out.clock(), 2000, "clock, short writes")
    no_alloc(lambda: out.sysex(payload), 200, "sysex, short writes")
    eq(out.dropped, 0)


def test_no_allocation_while_the_port_takes_nothing():
    port = Sink()
    port.refuse = True
    out = MidiOut(port, retries=3)
    no_alloc(lambda: out.note_on(60, 100), 2000, "note_on, stalled")
    no_alloc(lambda: out.clock(), 2000, "clock, stalled")
    ok(out.dropped > 0)


def test_the_type_names_are_smolmidis_alone():
    # one copy of the wire constants, in smolmidi; MidiOut needs none of them
    for name in ("NOTE_ON", "CC", "SYSEX", "CLOCK", "SYSTEM_RESET"):
        ok(not hasattr(smolmidi_out, name), name)
    eq(
        (
            smolmidi.NOTE_OFF,
            smolmidi.NOTE_ON,
            smolmidi.CC,
            smolmidi.PITCH_BEND,
            smolmidi.SYSEX,
            smolmidi.CLOCK,
            smolmidi.SYSTEM_RESET,
        ),
        (0x80, 0x90, 0xB0, 0xE0, 0xF0, 0xF8, 0xFF),
    )


# ---- issue 12 (output seams) and issue 11 (no heap frames) ---------------------------

import gc
from host_shim.ports import MIDIService, MachineUART


class Recorder:
    """A port that keeps everything: write(buf) -> count (allocates; not for alloc tests)."""

    def __init__(self):
        self.data = bytearray()

    def write(self, buf, nbytes=None):
        n = len(buf) if nbytes is None else nbytes
        for i in range(n):
            self.data.append(buf[i])
        return n


def test_midiout_is_a_port_and_stacks():
    # write returns the count taken, so a MidiOut works on top of a MidiOut
    sink = Recorder()
    inner = MidiOut(sink, running_status=True)
    outer = smolmidi_out.MidiOut(inner)
    eq(outer.write(b"\x90\x3c\x64"), 3, "count taken")
    outer.note_on(61, 1)
    outer.clock()
    eq(bytes(sink.data), b"\x90\x3c\x64\x90\x3d\x01\xf8", "raw write, then a full status")
    eq((outer.dropped, inner.dropped), (0, 0))


def test_player_like_raw_writer_with_running_status():
    # a Player writes whole raw messages; running status must stay right around them
    sink = Recorder()
    out = smolmidi_out.MidiOut(sink, running_status=True)
    out.note_on(60, 1)
    for msg in (b"\x80\x3c\x00", b"\x90\x3e\x05"):
        eq(out.write(msg), 3, "each write says all taken")
    out.note_on(61, 2)  # the receiver's status is 0x90 from the raw bytes: restated anyway
    out.note_on(62, 3)
    eq(bytes(sink.data), b"\x90\x3c\x01\x80\x3c\x00\x90\x3e\x05\x90\x3d\x02\x3e\x03")


def test_running_status_is_live():
    sink = Recorder()
    out = smolmidi_out.MidiOut(sink)
    out.note_on(60, 1)
    out.running_status = True
    ok(out.running_status is True)
    out.note_on(61, 1)
    out.note_on(62, 1)
    out.running_status = False
    out.note_on(63, 1)
    eq(bytes(sink.data), b"\x90\x3c\x01\x90\x3d\x01\x3e\x01\x90\x3f\x01")


class Raising:
    """A port whose write raises OSError while `fail` is set."""

    def __init__(self):
        self.data = bytearray()
        self.fail = False

    def write(self, buf, nbytes=None):
        if self.fail:
            raise OSError(5)
        for i in range(len(buf) if nbytes is None else nbytes):
            self.data.append(buf[i])
        return len(buf) if nbytes is None else nbytes


def test_status_recorded_only_once_out():
    port = Raising()
    out = smolmidi_out.MidiOut(port, running_status=True)
    out.note_on(60, 1)
    port.fail = True
    raises(OSError, out.note_off, 60)
    port.fail = False
    out.note_off(61)
    eq(bytes(port.data), b"\x90\x3c\x01\x80\x3d\x00", "the status after the raise is restated")


def test_status_restated_after_system_reset():
    sink = Recorder()
    out = smolmidi_out.MidiOut(sink, running_status=True)
    out.note_on(60, 1)
    out.system_reset()
    out.note_on(61, 1)
    eq(bytes(sink.data), b"\x90\x3c\x01\xff\x90\x3d\x01")


class TypeErrorLater:
    """Raises TypeError once, when it holds 6 bytes or more (a port failing part-way)."""

    def __init__(self):
        self.data = bytearray()
        self.raised = False

    def write(self, buf, nbytes=None):
        if len(self.data) >= 6 and not self.raised:
            self.raised = True
            raise TypeError("port broke")
        for i in range(len(buf) if nbytes is None else nbytes):
            self.data.append(buf[i])
        return len(buf) if nbytes is None else nbytes


def test_send_does_not_resend_a_sysex_when_the_port_raises_typeerror():
    port = TypeErrorLater()
    out = smolmidi_out.MidiOut(port)
    for _ in range(6):
        out.clock()  # six bytes in, so the port breaks at the SysEx
    raises(TypeError, out.send, Msg(0xF0, None, None, [0xF0, 0x7D, 1, 2, 3, 0xF7]))
    out.clock()
    eq(bytes(port.data), b"\xf8" * 7, "the SysEx not sent again")
    # a SysEx message whose bytes do not end in F7 is not complete: refused
    e = raises(ValueError, out.send, Msg(0xF0, None, None, [0xF0, 0x7D, 1]))
    ok(str(e).startswith("msg must be complete, got "), str(e))


def test_dropped_counts_a_whole_sysex_given_up():
    port = Sink()
    port.refuse = True
    out = MidiOut(port, retries=3)
    out.sysex(bytes(100))
    eq(out.dropped, 102, "F0 + 100 + F7")
    out.sysex(b"\xf0\x7d\x01\xf7")
    eq(out.dropped, 106)


def test_sysex_checks_everything_before_a_byte():
    import array

    # smolmidi_control takes any sequence of ints (an array's values, not its bytes)
    for data, message in (
        ([0x7D, 1, 2, 0x80], "data[3] must be 0-127, got 128"),
        ([0xF0, 0x7D, 247.0], "data[2] must be 0-127, got 247.0"),
        ([240.0, 0x7D], "data[0] must be 0-127, got 240.0"),
        (array.array("b", [0x7D, -1]), "data[1] must be 0-127, got -1"),
        (array.array("H", [0x7D, 300]), "data[1] must be 0-127, got 300"),
        (b"", "data must be complete"),
        (None, "data must be bytes or a sequence of ints, got None"),
    ):
        port = Recorder()
        out = smolmidi_control.MidiOut(port)
        e = raises(ValueError, out.sysex, data)
        ok(str(e).startswith(message), "%r: %s" % (data, e))
        eq(bytes(port.data), b"", "nothing on the wire for %r" % (data,))
    port = Recorder()
    smolmidi_control.MidiOut(port).sysex(array.array("H", [0x7D, 1, 2]))
    eq(bytes(port.data), b"\xf0\x7d\x01\x02\xf7", "an array's values, not its bytes")
    # the core takes bytes, bytearray and memoryview; anything else is a TypeError naming data
    for data, message in (
        ([0x7D, 1], "data must be bytes, got [125, 1]"),
        (None, "data must be bytes, got None"),
        ("ab", "data must be bytes, got 'ab'"),
        (b"\x7d\x80", "data[1] must be 0-127, got 128"),
        (b"\xf0\x7d\xf7\x01", "data[2] must be 0-127, got 247"),
        (b"\xf0", "data must be complete, got b'\\xf0'"),
    ):
        port = Recorder()
        out = smolmidi_out.MidiOut(port)
        e = raises(TypeError if message.startswith("data must be bytes") else ValueError, out.sysex, data)
        ok(str(e).startswith(message), "core %r: %s" % (data, e))
        eq(bytes(port.data), b"", "core: nothing on the wire for %r" % (data,))
    out = smolmidi_out.MidiOut(port)
    for buf in ([0x90, 1, 2], None, 5):
        e = raises(TypeError, out.write, buf)
        ok(str(e).startswith("buf must be bytes, got "), "core write %r: %s" % (buf, e))
    eq(bytes(port.data), b"", "core write: nothing on the wire")
    out.sysex(memoryview(b"\x7d\x01"))
    out.write(memoryview(b"\xf8\xfa"))
    eq(bytes(port.data), b"\xf0\x7d\x01\xf7\xf8\xfa", "memoryviews taken")


def test_one_byte_methods_are_made_once_and_others_are_missing():
    # clock, start ... come from MidiOut.__getattr__: one callable each per MidiOut, kept
    port = Recorder()
    out = smolmidi_out.MidiOut(port)
    clock = out.clock
    ok(out.clock is clock, "kept on the instance")
    ok(out.start is not clock, "one each")
    clock()
    out.start()
    clock()  # a cached clock still sends a clock
    eq(bytes(port.data), b"\xf8\xfa\xf8")
    for name in ("cont", "nope", "-", "_state_x", "clocks"):
        ok(not hasattr(out, name), "%s is not an attribute" % name)
        e = raises(AttributeError, getattr, out, name)
    ok(hasattr(smolmidi_control.MidiOut(port), "cont"), "cont: smolmidi_control's alias")


def test_bad_objects_raise_value_or_type_error():
    out = smolmidi_out.MidiOut(Recorder())
    for bad in (42, None, "x"):
        e = raises(ValueError, out.send, bad)
        ok(str(e).startswith("msg must be valid MIDI, got (-1, -1, "), str(e))
    e = raises(TypeError, smolmidi_out.MidiOut, None)
    ok("port" in str(e), str(e))
    from smolmidi_thru import Thru

    e = raises(TypeError, Thru, None, out)
    ok("port_in" in str(e), str(e))


class SysexMsg:
    """A smolmidi SYSEX message as the Message contract has it."""

    def __init__(self, truncated, end):
        self.type = 0xF0
        self.channel = None
        self.data = None
        self.length = 2
        self.truncated = truncated
        self.sysex_end = end

    def __iter__(self):
        return iter(b"\xf0\x7d\x01" + (b"\xf7" if not self.truncated and not self.sysex_end else b""))


def test_send_refuses_a_truncated_or_aborted_sysex():
    port = Recorder()
    out = smolmidi_out.MidiOut(port)
    out.send(SysexMsg(False, 0))
    eq(bytes(port.data), b"\xf0\x7d\x01\xf7")
    for truncated, end in ((True, 0), (False, 1), (False, 2)):
        e = raises(ValueError, out.send, SysexMsg(truncated, end))
        ok(str(e).startswith("msg must be complete, got "), str(e))
    eq(bytes(port.data), b"\xf0\x7d\x01\xf7", "nothing more")


class NoneForAll:
    """A port that takes everything and returns None (as adafruit_ble_midi does)."""

    def __init__(self):
        self.data = bytearray()
        self.calls = 0

    def write(self, buf):
        self.calls += 1
        for b in buf:
            self.data.append(b)


def test_ble_and_none_returning_ports():
    ble = MIDIService()
    out = smolmidi_out.MidiOut(ble)
    out.note_on(60, 100)
    out.sysex(b"\x7d\x01")
    out.clock()
    eq(ble.take(), b"\x90\x3c\x64\xf0\x7d\x01\xf7\xf8", "write(buf, length) -> None")
    eq(out.dropped, 0)
    port = NoneForAll()
    out = smolmidi_out.MidiOut(port)
    out.note_on(60, 100)
    out.note_on(61, 100)
    eq(bytes(port.data), b"\x90\x3c\x64\x90\x3d\x64", "no repeats")
    eq(port.calls, 2)
    # the core takes None as all taken; smolmidi_control learns from the first write
    uart = MachineUART(tx=1)
    out = smolmidi_control.MidiOut(uart)
    out.note_on(60, 100)
    uart.accept = 0  # a timeout: None, nothing sent
    out.clock()
    eq(out.dropped, 1, "None from a counting port is nothing taken")
    uart.accept = None
    out.clock()
    eq(uart.take(), b"\x90\x3c\x64\xf8")


def test_core_short_writes_retry_then_count():
    """smolmidi_out alone: a short write is tried again until the port takes nothing;
    the rest is counted in dropped and the next message restates its status. None is
    taken as all (BLE MIDIService says nothing). write(buf) and write(buf, n) ports."""
    for accept in (1, 2, 5):
        port = Sink(accept=accept)  # write(buf) only: learned on the first write
        out = smolmidi_out.MidiOut(port, running_status=True)
        out.note_on(60, 100)
        out.note_on(61, 100)
        out.sysex(bytes(range(40)))
        out.song_position(300)
        # a status that went out in pieces is not relied on: the next one restates it
        status = b"\x3d\x64" if accept > 2 else b"\x90\x3d\x64"
        eq(
            port.take(),
            b"\x90\x3c\x64" + status + b"\xf0" + bytes(range(40)) + b"\xf7\xf2\x2c\x02",
            "accept=%d" % accept,
        )
        eq(out.dropped, 0)
    uart = MachineUART(tx=1)  # write(buf, nbytes)
    uart.accept = 2
    out = smolmidi_out.MidiOut(uart, running_status=True)
    out.note_on(60, 1)
    eq(out.write(b"\xf8\xfa\xfc", 2), 2, "write(buf, nbytes) sends nbytes")
    eq(uart.take(), b"\x90\x3c\x01\xf8\xfa")
    port = Sink(zeros=1000)
    port.zero_left = 0
    out = smolmidi_out.MidiOut(port, running_status=True)
    out.note_on(60, 1)  # taken
    port.zero_left = 0
    port.accept = 1
    out.note_on(61, 1)  # 1 byte (a data byte: running status), then nothing
    eq(out.dropped, 1, "the rest counted")
    eq(out.write(b"\xf8\xf8"), 0, "write returns the count taken")
    eq(out.dropped, 3)
    port.zero_left = 0
    port.zeros = 0
    port.accept = None
    out.note_on(62, 1)
    eq(port.take(), b"\x90\x3c\x01\x3d\x90\x3e\x01", "full status after a loss")
    ble = MIDIService()  # write(buf, length) -> None
    out = smolmidi_out.MidiOut(ble)
    out.pitch_bend(0)
    out.sysex(b"\x7d\x01")
    eq(ble.take(), b"\xe0\x00\x40\xf0\x7d\x01\xf7")
    eq(out.dropped, 0, "None is all taken")


def _frame_cases(out):
    return [
        ("note_on", lambda: out.note_on(60, 100, 3)),
        ("note_off", lambda: out.note_off(60)),
        ("aftertouch", lambda: out.aftertouch(60, 1, 2)),
        ("control_change", lambda: out.control_change(7, 100, 15)),
        ("program_change", lambda: out.program_change(5)),
        ("channel_pressure", lambda: out.channel_pressure(5)),
        ("pitch_bend", lambda: out.pitch_bend(-8000, 2)),
        ("mtc_quarter_frame", lambda: out.mtc_quarter_frame(3, 4)),
        ("song_position", lambda: out.song_position(1000)),
        ("song_select", lambda: out.song_select(3)),
        ("tune_request", lambda: out.tune_request()),
        ("clock", lambda: out.clock()),
        ("start", lambda: out.start()),
        ("continue_", lambda: out.continue_()),
        ("stop", lambda: out.stop()),
        ("active_sensing", lambda: out.active_sensing()),
        ("system_reset", lambda: out.system_reset()),
    ]


def test_no_heap_frames_mem_total():
    """micropython.mem_total() counts heap frames that gc.mem_alloc() misses (unix port)."""
    try:
        from micropython import mem_total
    except ImportError:
        mptest.skip("no micropython.mem_total here (CPython, WebAssembly): see the next test")
    port = NullPort()  # a port whose own frame fits (Sink's would not)
    before = mem_total()
    for _ in range(10000):
        port.write(b"\x90\x3c\x64")
    eq(mem_total() - before, 0, "the port alone")
    for running in (False, True):
        out = smolmidi_out.MidiOut(port, running_status=running)
        for name, fn in _frame_cases(out):
            fn()
            before = mem_total()
            for _ in range(10000):
                fn()
            eq(mem_total() - before, 0, "%s (running status %r): heap frames" % (name, running))


class Sampling:
    """A port that records how far the heap grew since `mark` from inside write."""

    def __init__(self):
        self.mark = 0
        self.grown = 0

    def write(self, buf, nbytes=None):
        grown = gc.mem_alloc() - self.mark
        if grown > self.grown:
            self.grown = grown
        return len(buf) if nbytes is None else nbytes


def test_no_heap_frames_seen_from_inside_the_port():
    """A caller's frame on the heap shows inside write (works on both VMs, gc disabled)."""
    if not IS_MICROPYTHON:
        mptest.skip("heap frames are MicroPython's")
    for running in (False, True):
        port = Sampling()
        out = smolmidi_out.MidiOut(port, running_status=running)
        for name, fn in _frame_cases(out):
            fn()
            gc.collect()
            gc.disable()
            try:
                port.grown = 0
                # a heap frame shows on every call: a few calls each are enough, and
                # gc.mem_alloc() walks the whole heap (slow on the WebAssembly VM)
                for _ in range(20):
                    port.mark = gc.mem_alloc()
                    fn()
            finally:
                gc.enable()
            eq(port.grown, 0, "%s (running status %r): heap during the call" % (name, running))
