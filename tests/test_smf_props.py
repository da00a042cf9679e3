# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Property tests: smf_lite and smf_extras read random files exactly as the plain reference decoder does.

tests/smf_reference.py is an independent whole-file model (stable sort, exact fractions).
Random valid files must give the same events, ticks, microseconds, data and bytes to
send; random corruptions of them must give either the same events or SMFError exactly
when the model refuses the file, and nothing else (no other exception, no hang).
"""

import io

import pytest

from hypothesis import HealthCheck, given, settings, strategies as st

import smf_extras
import smf_lite
import smf_reference
from smf_writer import chunk, header, u16, vlq

SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

data7 = st.integers(0, 127)
deltas = st.one_of(st.integers(0, 30), st.integers(0, 2000), st.integers(0, 0x1FFFFF))


@st.composite
def channel_event(draw):
    status = draw(st.integers(0x80, 0xEF))
    count = 1 if status >> 4 in (0xC, 0xD) else 2
    return ("channel", status, bytes(draw(st.lists(data7, min_size=count, max_size=count))))


@st.composite
def meta_event(draw):
    kind = draw(st.sampled_from([0x00, 0x01, 0x03, 0x05, 0x20, 0x51, 0x54, 0x58, 0x59, 0x60, 0x7F]))
    if kind == 0x51:
        body = draw(st.integers(1, 0xFFFFFF)).to_bytes(3, "big") + draw(st.binary(max_size=2))
    else:
        body = draw(st.binary(max_size=90))
    return ("meta", kind, body)


@st.composite
def sysex_event(draw):
    status = draw(st.sampled_from([0xF0, 0xF7]))
    return ("sysex", status, draw(st.binary(max_size=150)))


events = st.lists(
    st.tuples(deltas, st.one_of(channel_event(), channel_event(), channel_event(), meta_event(), sysex_event())),
    max_size=40,
)


@st.composite
def track_chunk(draw):
    """An MTrk chunk, using running status wherever the writer may."""
    body = bytearray()
    running = None
    for delta, (kind, status, data) in draw(events):
        body += vlq(delta)
        if kind == "channel":
            if status != running or not draw(st.booleans()):
                body.append(status)
            running = status  # meta and SysEx events do not cancel it (real files rely on this)
            body += data
        elif kind == "meta":
            body += bytes([0xFF, status]) + vlq(len(data)) + data
        else:
            body += bytes([status]) + vlq(len(data)) + data
    if draw(st.booleans()):
        body += b"\x00\xff\x2f\x00" + draw(st.binary(max_size=5))  # bytes after EOT ignored
    return chunk(b"MTrk", bytes(body))


@st.composite
def midi_file(draw):
    tracks = draw(st.lists(track_chunk(), min_size=1, max_size=5))
    fmt = 0 if len(tracks) == 1 and draw(st.booleans()) else draw(st.sampled_from([1, 2]))
    if draw(st.booleans()):
        division = draw(st.integers(1, 0x7FFF))
    else:
        fps = draw(st.sampled_from([24, 25, 29, 30]))
        division = ((256 - fps) << 8) | draw(st.integers(1, 255))
    out = header(fmt, len(tracks), division, extra=draw(st.binary(max_size=4)))
    for t in tracks:
        if draw(st.integers(0, 4)) == 0:
            out += chunk(draw(st.sampled_from([b"XFIH", b"MTrx", b"junk"])), draw(st.binary(max_size=20)))
        out += t
    return out


class Capture:
    def __init__(self):
        self.data = bytearray()

    def write(self, buf):
        self.data += bytes(buf)
        return len(buf)


READERS = [smf_lite.MidiFile, smf_extras.MidiFile]


def ours(data, payload_size, buffer_size, cls=smf_lite.MidiFile):
    song = cls(io.BytesIO(data), payload_size=payload_size, buffer_size=buffer_size)
    got = []
    for e in song:
        port = Capture()
        sent = e.write_to(port)
        assert sent == len(port.data)
        got.append(
            (
                e.track,
                e.tick,
                e.time_us,
                e.status,
                bytes(e.data),
                e.meta_type,
                e.length if e.status >= 0xF0 else 0,
                e.length > e.payload_length if e.status >= 0xF0 else False,
                bytes(port.data),
            )
        )
    return got


def model(data, payload_size, cls=smf_lite.MidiFile):
    _, merged = smf_reference.decode(data, payload_size, lite=cls is smf_lite.MidiFile)
    return [
        (
            e["track"],
            e["tick"],
            e["time_us"],
            e["status"],
            e["data"],
            e["meta_type"],
            e["length"],
            e["truncated"],
            e["send"],
        )
        for e in merged
    ]


@pytest.mark.parametrize("cls", READERS)
@SETTINGS
@given(midi_file(), st.integers(3, 80), st.integers(16, 100))
def test_random_valid_files_read_as_the_reference_decoder_reads_them(cls, data, payload_size, buffer_size):
    try:
        want = model(data, payload_size, cls)
    except smf_reference.ReferenceError as e:
        # valid, but past what a board can count (805 million ticks, 6 days): both refuse;
        # format 2 and SMPTE: smf_lite refuses, naming smf_extras
        assert "too long" in str(e) or "smf_lite reads" in str(e)
        with pytest.raises(smf_lite.SMFError, match="limit" if "too long" in str(e) else "smf_extras"):
            ours(data, payload_size, buffer_size, cls)
        return
    assert ours(data, payload_size, buffer_size, cls) == want


@pytest.mark.parametrize("cls", READERS)
@SETTINGS
@given(midi_file(), st.data())
def test_corrupt_files_raise_smferror_exactly_when_the_reference_refuses_them(cls, data, draw):
    data = bytearray(data)
    for _ in range(draw.draw(st.integers(1, 4))):
        how = draw.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = draw.draw(st.integers(0, max(0, len(data) - 1)))
        if how == "flip" and data:
            data[pos] = draw.draw(st.integers(0, 255))
        elif how == "cut":
            del data[pos : pos + draw.draw(st.integers(1, 8))]
        else:
            data[pos:pos] = draw.draw(st.binary(min_size=1, max_size=4))
    data = bytes(data)
    try:
        want = model(data, 64, cls)
    except smf_reference.ReferenceError:
        want = None
    try:
        got = ours(data, 64, 32, cls)
    except smf_lite.SMFError:
        got = None
    assert got == want


def test_reference_model_agrees_on_a_known_file():
    # the model itself must be right: a hand-checked file (96 PPQ, tempo 600000 at tick 96)
    body = (
        vlq(0)
        + b"\x90\x3c\x64"
        + vlq(96)
        + b"\xff\x51\x03\x09\x27\xc0"
        + vlq(48)
        + b"\x3e\x64"
        + vlq(0)
        + b"\xff\x2f\x00"
    )
    data = header(0, 1, 96) + chunk(b"MTrk", body)
    _, merged = smf_reference.decode(data)
    assert [(e["tick"], e["time_us"]) for e in merged] == [(0, 0), (96, 500000), (144, 800000), (144, 800000)]
    assert u16(96) == b"\x00\x60"
