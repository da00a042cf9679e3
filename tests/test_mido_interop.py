# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""host_shim.mido_interop against mido itself: smolmidi Message <-> mido.Message both ways
(SysEx included), MidiOut sending a converted mido message, mido's text form, and
`python -m host_shim run --format mido`."""

import io
import os
import subprocess
import sys

import mido
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smolmidi
import smolmidi_filter
import smolmidi_out
from host_shim import mido_interop
from host_shim.mido_interop import from_mido, to_mido, to_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# every kind of message mido has, as wire bytes
WIRE = [
    bytes([0x80, 60, 0]),
    bytes([0x9F, 127, 127]),
    bytes([0x91, 60, 0]),  # velocity 0 stays note_on
    bytes([0xA2, 61, 5]),
    bytes([0xB3, 7, 100]),
    bytes([0xC4, 5]),
    bytes([0xD5, 90]),
    bytes([0xE6, 0, 0]),
    bytes([0xE7, 0, 64]),
    bytes([0xE8, 127, 127]),
    bytes([0xF0, 0x7D, 0xF7]),
    bytes([0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]),
    bytes([0xF0]) + bytes(range(128)) * 8 + b"\xf7",
    bytes([0xF1, 0x35]),
    bytes([0xF2, 104, 7]),
    bytes([0xF3, 3]),
    bytes([0xF6]),
    bytes([0xF8]),
    bytes([0xFA]),
    bytes([0xFB]),
    bytes([0xFC]),
    bytes([0xFE]),
    bytes([0xFF]),
]


class Port:
    def __init__(self, data):
        self.data = data

    def readinto(self, buf, nbytes=None):
        n = min(len(buf), len(self.data))
        buf[:n] = self.data[:n]
        self.data = self.data[n:]
        return n


class Sink:
    def __init__(self):
        self.got = bytearray()

    def write(self, buf):
        self.got.extend(buf)
        return len(buf)


def received(raw, **options):
    """What smolmidi's MidiIn gives for raw: a copy of the first message (smolmidi_filter's
    MidiIn: the same decoding, and its messages have copy() and the named fields)."""
    midi_in = smolmidi_filter.MidiIn(Port(raw), sysex_size=2048, **options)
    for _ in range(len(raw) + 2):
        msg = midi_in.receive()
        if msg is not None:
            return msg.copy()
    raise AssertionError("no message from %r" % raw)


@pytest.mark.parametrize("raw", WIRE, ids=lambda raw: raw[:3].hex())
def test_smolmidi_to_mido_is_what_mido_reads_from_the_same_bytes(raw):
    got = to_mido(received(raw))
    assert got == mido.Message.from_bytes(list(raw))
    assert to_mido(received(raw), time=0.25).time == 0.25


@pytest.mark.parametrize("raw", WIRE, ids=lambda raw: raw[:3].hex())
def test_mido_to_smolmidi_has_smolmidi_s_fields_and_bytes(raw):
    mido_msg = mido.Message.from_bytes(list(raw))
    msg = from_mido(mido_msg)
    want = received(raw)
    assert bytes(msg) == raw
    assert (msg.type, msg.channel) == (want.type, want.channel)
    assert (msg.data and bytes(msg.data)) == (want.data and bytes(want.data))
    if raw[0] == 0xF0:
        assert (msg.length, msg.sysex_end) == (len(raw) - 2, smolmidi.SYSEX_COMPLETE)
    assert to_mido(msg) == mido_msg


def test_named_fields_agree():
    msg = from_mido(mido.Message("pitchwheel", channel=2, pitch=-8192))
    assert (msg.type, msg.channel, msg.pitch_bend) == (smolmidi.PITCH_BEND, 2, -8192)
    msg = from_mido(mido.Message("note_on", channel=15, note=60, velocity=64))
    assert (msg.type, msg.channel, msg.note, msg.velocity) == (smolmidi.NOTE_ON, 15, 60, 64)
    msg = from_mido(mido.Message("songpos", pos=16383))
    assert (msg.type, msg.channel, msg.song_position) == (smolmidi.SONG_POSITION, None, 16383)
    msg = from_mido(mido.Message("sysex", data=[0x7D, 1, 2]))
    assert (msg.type, msg.data, msg.length) == (smolmidi.SYSEX, None, 3)


def test_a_chunk_or_an_aborted_sysex_is_refused():
    midi_in = smolmidi_filter.MidiIn(Port(bytes([0xF0, 0x7D]) + bytes(100) + b"\xf7"), sysex_size=16)
    msg = None
    while msg is None:
        msg = midi_in.receive()
    chunk = msg.copy()
    assert chunk.sysex_end == smolmidi.SYSEX_CHUNK
    aborted = received(bytes([0xF0, 0x7D, 1, 2, 0x90, 60, 1]))
    assert aborted.type == smolmidi.SYSEX and aborted.sysex_end == smolmidi.SYSEX_ABORTED
    for bad in (chunk, aborted):
        with pytest.raises(ValueError, match="a chunk or an aborted SysEx"):
            to_mido(bad)
        with pytest.raises(ValueError):
            to_text(bad)


@pytest.mark.parametrize("status", [0xF4, 0xF5, 0xF9, 0xFD])
def test_undefined_status_bytes_have_no_mido_message(status):
    with pytest.raises(ValueError, match="0x%02X" % status):
        to_mido(bytes([status]))
    with pytest.raises(ValueError):
        mido.Message.from_bytes([status])  # mido agrees


@pytest.mark.parametrize("raw", WIRE, ids=lambda raw: raw[:3].hex())
def test_midiout_sends_a_converted_mido_message_as_mido_s_bytes(raw):
    mido_msg = mido.Message.from_bytes(list(raw))
    sink = Sink()
    out = smolmidi_out.MidiOut(sink)
    out.send(from_mido(mido_msg))
    assert bytes(sink.got) == bytes(mido_msg.bytes())
    sink.got.clear()
    assert out.write(mido_msg.bin()) == len(raw)  # or its raw bytes
    assert bytes(sink.got) == raw
    sink.got.clear()
    assert mido_interop.send_mido(out, mido_msg) == len(raw)  # or the desktop helper
    assert bytes(sink.got) == raw


def test_midiout_send_refuses_what_is_neither_a_message_nor_mido_s():
    class Typed:
        type = "note_on"  # a string type without mido's bin()

    with pytest.raises(ValueError, match="msg must be valid MIDI"):
        smolmidi_out.MidiOut(Sink()).send(Typed())


@pytest.mark.parametrize("raw", WIRE, ids=lambda raw: raw[:3].hex())
def test_to_text_is_mido_s_text_form(raw):
    mido_msg = mido.Message.from_bytes(list(raw))
    text = to_text(received(raw))
    assert text == mido.format_as_string(mido_msg, include_time=False)
    assert mido.parse_string(text) == mido_msg


def test_to_text_of_the_brief_s_example():
    assert (
        to_text(from_mido(mido.parse_string("note_on channel=0 note=60 velocity=64")))
        == "note_on channel=0 note=60 velocity=64"
    )


messages = st.one_of(
    st.builds(
        lambda s, c, a, b: bytes([s | c, a, b]),
        st.sampled_from([0x80, 0x90, 0xA0, 0xB0, 0xE0]),
        st.integers(0, 15),
        st.integers(0, 127),
        st.integers(0, 127),
    ),
    st.builds(
        lambda s, c, a: bytes([s | c, a]), st.sampled_from([0xC0, 0xD0]), st.integers(0, 15), st.integers(0, 127)
    ),
    st.builds(lambda d: b"\xf0" + bytes(d) + b"\xf7", st.lists(st.integers(0, 127), max_size=300)),
    st.builds(lambda s, a: bytes([s, a]), st.sampled_from([0xF1, 0xF3]), st.integers(0, 127)),
    st.builds(lambda a, b: bytes([0xF2, a, b]), st.integers(0, 127), st.integers(0, 127)),
    st.sampled_from([bytes([s]) for s in (0xF6, 0xF8, 0xFA, 0xFB, 0xFC, 0xFE, 0xFF)]),
)


@settings(max_examples=300, deadline=None)
@given(messages)
def test_property_both_ways_agree_with_mido(raw):
    if raw == b"\xf0\xf7":
        return  # an empty SysEx: smolmidi reads it, MidiOut refuses it (no manufacturer ID)
    mido_msg = mido.Message.from_bytes(list(raw))
    assert to_mido(received(raw)) == mido_msg
    assert bytes(from_mido(mido_msg)) == raw
    assert to_text(raw) == mido.format_as_string(mido_msg, include_time=False)


def test_the_mido_describer_comments_what_is_not_a_message():
    lines = mido_interop.MidoText().feed(bytes([0x05, 0x90, 60, 1, 61, 2, 0xF4, 0xF0, 1, 2, 0x80, 60, 0]))
    assert lines == [
        "# stray data byte 05",
        "note_on channel=0 note=60 velocity=1",
        "note_on channel=0 note=61 velocity=2",
        "# status F4: no mido message (undefined in MIDI 1.0)",
        "# sysex of 2 data bytes, no F7 (ended by status)",
        "note_off channel=0 note=60 velocity=0",
    ]
    parsed = list(mido.parse_string_stream(io.StringIO("\n".join(lines))))
    assert [m for m, error in parsed if error is None] == [
        mido.Message.from_bytes(b) for b in ([0x90, 60, 1], [0x90, 61, 2], [0x80, 60, 0])
    ]
    assert all(error is None for m, error in parsed)


PROGRAM = """import usb_midi
out = usb_midi.ports[1]
for raw in %r:
    out.write(raw)
"""


def run_shim(program, *args):
    return subprocess.run(
        [sys.executable, "-m", "host_shim", "run", str(program), "--virtual-clock", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def message_lines(stdout):
    # '    0.000 s  usb out  note_on channel=0 ...': the text after the port label
    return [line.split("usb out", 1)[1].strip() for line in stdout.splitlines() if "usb out" in line]


def test_runner_prints_mido_s_text_form_for_every_message(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(PROGRAM % (WIRE,))
    proc = run_shim(program, "--format", "mido")
    assert proc.returncode == 0, proc.stderr
    lines = message_lines(proc.stdout)
    assert [mido.parse_string(line) for line in lines] == [mido.Message.from_bytes(list(raw)) for raw in WIRE]
    readable = run_shim(program)
    assert message_lines(readable.stdout) != lines and len(message_lines(readable.stdout)) == len(WIRE)


def test_runner_refuses_an_unknown_format(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("print('x')\n")
    proc = run_shim(program, "--format", "json")
    assert proc.returncode == 2 and "--format" in proc.stderr


@pytest.mark.parametrize("raw", [b"\x90\x3c", b"\xc0\x01\x02", b"\xf2\x01", b"\xf8\x01", b"\xf0\x01", b"\x3c"])
def test_bytes_that_are_not_one_complete_message_are_refused(raw):
    with pytest.raises(ValueError):
        to_text(raw)
    with pytest.raises(ValueError):
        to_mido(raw)
