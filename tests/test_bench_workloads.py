# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The benchmark's workloads and expected answers are right (bench/workloads.py, smf_gen.py, refdecode.py).

The benchmark scores every library against these lists, so a wrong list would make a
correct library look broken: the generators are checked against an independent decoder
(bench/refdecode.py), the decoder against hand-written cases, the files against mido.
"""

import io
import os
import sys

import mido
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))

import refdecode  # noqa: E402
import smf_gen  # noqa: E402
import workloads  # noqa: E402

DECODE_CASES = [
    # (stream, messages a MIDI 1.0 receiver delivers)
    (b"\x90\x3c\x64", [b"\x90\x3c\x64"]),
    (b"\x90\x3c\x64\x3e\x00", [b"\x90\x3c\x64", b"\x90\x3e\x00"]),  # running status
    (b"\x90\x3c\xf8\x64", [b"\xf8", b"\x90\x3c\x64"]),  # clock between data bytes
    (b"\x90\xf8\x3c\x64", [b"\xf8", b"\x90\x3c\x64"]),  # clock after the status byte
    (b"\x3c\x64\xc1\x05", [b"\xc1\x05"]),  # stray data dropped
    (b"\xc1\x05\x06", [b"\xc1\x05", b"\xc1\x06"]),
    (b"\xf0\x7d\x01\xf8\x02\xf7", [b"\xf8", b"\xf0\x7d\x01\x02\xf7"]),  # clock inside SysEx
    (b"\xb0\x07\x64\xf2\x10\x20\x08\x09", [b"\xb0\x07\x64", b"\xf2\x10\x20"]),  # F2 cancels running status
    (b"\xf6\xf6", [b"\xf6", b"\xf6"]),
    (b"\x90\x3c\x80\x3c\x00", [b"\x80\x3c\x00"]),  # unfinished message abandoned
    (b"\xf7\x01", []),  # F7 with no SysEx open
    (b"\xe5\x00\x40\xfa\xff", [b"\xe5\x00\x40", b"\xfa", b"\xff"]),
]


@pytest.mark.parametrize("stream,want", DECODE_CASES)
def test_reference_decoder_follows_the_wire_rules(stream, want):
    assert refdecode.decode(stream) == want


@pytest.fixture(scope="module")
def inputs():
    return workloads.input_workloads()


def test_every_workload_decodes_to_its_expected_list(inputs):
    for name, (stream, expected, _schedule) in inputs.items():
        assert refdecode.decode(stream) == expected, name


def test_workload_sizes_and_message_counts(inputs):
    counts = {name: len(expected) for name, (_s, expected, _r) in inputs.items()}
    assert counts["notes_full"] == counts["notes_running"] == 100000 + 2
    assert counts["sysex"] == 1000 + 2
    assert inputs["notes_full"][1] == inputs["notes_running"][1]
    assert len(inputs["notes_full"][0]) == 3 * 100000 + 2
    assert len(inputs["notes_running"][0]) < len(inputs["notes_full"][0]) * 0.8
    kinds = {m[0] & 0xF0 if m[0] < 0xF0 else m[0] for m in inputs["mixed"][1]}
    assert kinds >= {0x80, 0x90, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0, 0xF2, 0xF8}
    sysex_lengths = [len(m) - 2 for m in inputs["sysex"][1] if m[0] == 0xF0]
    assert min(sysex_lengths) >= 16 and max(sysex_lengths) <= 200


def test_mixed_stream_has_clocks_between_data_bytes_and_inside_sysex(inputs):
    stream = inputs["mixed"][0]
    between_data = inside_sysex = 0
    in_sysex = False
    for prev, b, nxt in zip(stream, stream[1:], stream[2:]):
        if prev == 0xF0:
            in_sysex = True
        elif prev & 0x80 and prev < 0xF8:
            in_sysex = False
        if b == 0xF8 and not nxt & 0x80:
            if in_sysex:
                inside_sysex += 1
            elif not prev & 0x80:
                between_data += 1
    assert between_data > 100 and inside_sysex > 100


def test_generated_messages_are_deterministic():
    assert workloads.mixed(500) == workloads.mixed(500)
    # pinned: a change here changes every published figure
    assert workloads.notes(50)[1][:3] == [b"\x94\x41\x40", b"\x94\x1e\x62", b"\x84\x41\x73"]


def test_every_note_on_is_followed_by_its_note_off():
    sounding = []
    for m in workloads.notes(2000)[1][:-2]:
        if m[0] & 0xF0 == 0x90:
            sounding.append((m[0] & 15, m[1]))
        else:
            sounding.remove((m[0] & 15, m[1]))
    assert sounding == []


def test_read_schedule_covers_the_stream_in_1_to_64_byte_packets(inputs):
    stream, _expected, schedule = inputs["mixed_split"]
    packets = [k for k in schedule if k]
    assert sum(packets) == len(stream)
    assert min(packets) == 1 and max(packets) == 64
    assert schedule.count(0) > len(packets)  # empty reads between packets (0-3 each)


def test_pack_round_trips():
    msgs = [b"\xf8", b"\x90\x3c\x64", b"\xf0" + bytes(200) + b"\xf7"]
    assert workloads.unpack(workloads.pack(msgs)) == msgs


def _mido_events(data):
    """(tick, canonical bytes) for channel events and tempo, as mido merges the tracks."""
    f = mido.MidiFile(file=io.BytesIO(data))
    assert f.type == 1 and len(f.tracks) == 16
    out = []
    tick = 0
    for msg in mido.merge_tracks(f.tracks):
        tick += msg.time
        if msg.type == "set_tempo":
            out.append((tick, b"\xff\x51" + msg.tempo.to_bytes(3, "big")))
        elif not msg.is_meta and msg.type != "sysex":
            raw = bytes(msg.bytes())
            if raw[0] & 0xF0 == 0x90 and raw[2] == 0:
                raw = bytes((0x80 | (raw[0] & 15), raw[1], 0))
            out.append((tick, raw))
    return out


@pytest.mark.parametrize("target", [10 * 1024, 200 * 1024])
def test_smf_files_read_by_mido_give_the_expected_events(target):
    data, events = smf_gen.make_smf(target)
    assert abs(len(data) - target) < target * 0.15
    assert _mido_events(data) == events
    tempos = [ev for _tick, ev in events if ev[0] == 0xFF]
    assert len(tempos) > 20


def test_vlq_encodes_the_spec_examples():
    assert smf_gen.vlq(0) == b"\x00"
    assert smf_gen.vlq(0x7F) == b"\x7f"
    assert smf_gen.vlq(0x80) == b"\x81\x00"
    assert smf_gen.vlq(0x0FFFFFFF) == b"\xff\xff\xff\x7f"
