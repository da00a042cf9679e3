# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Files smf_write writes, read by mido (an independent reader): the same messages at
the same ticks, format 0 and 1, with and without running status."""

import io
import random

import mido
import pytest

from smf_write import SMFWriter, Recorder

STATUS_KIND = {
    0x80: "note_off",
    0x90: "note_on",
    0xA0: "polytouch",
    0xB0: "control_change",
    0xC0: "program_change",
    0xD0: "aftertouch",
    0xE0: "pitchwheel",
}


def random_track(rng, n):
    tick, out = 0, []
    for _ in range(n):
        tick += rng.choice((0, 0, 1, 5, 100, 200, 20000, 3000000))
        status = rng.choice(list(STATUS_KIND)) | rng.randrange(16)
        out.append((tick, status, rng.randrange(128), rng.randrange(128)))
    return out


def mido_events(data):
    """[(track, abs tick, bytes)] of every non-meta message, and the metas by track."""
    mf = mido.MidiFile(file=io.BytesIO(data))
    out, metas = [], []
    for i, track in enumerate(mf.tracks):
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.is_meta:
                metas.append((i, tick, msg.type, msg.dict()))
            else:
                out.append((i, tick, bytes(msg.bytes())))
    return mf, out, metas


@pytest.mark.parametrize("running_status", [False, True])
@pytest.mark.parametrize("fmt", [0, 1])
def test_random_songs_read_back_equal_by_mido(fmt, running_status):
    rng = random.Random(fmt * 2 + running_status)
    f = io.BytesIO()
    w = SMFWriter(f, fmt, 480, running_status)
    w.tempo(0, 123456)
    w.time_signature(0, 7, 8)
    w.text(0, "hello")
    tracks = [random_track(rng, 300) for _ in range(3 if fmt else 1)]
    want = []
    for i, track in enumerate(tracks):
        if fmt and i:
            w.new_track()
        for tick, status, d1, d2 in track:
            w.message(tick, status, d1, d2)
            n = 3 if status >> 4 not in (0xC, 0xD) else 2
            want.append((i, tick, bytes([status, d1, d2][:n])))
        w.sysex(track[-1][0], b"\x01\x02")
        want.append((i, track[-1][0], b"\xf0\x01\x02\xf7"))
    w.close()
    mf, got, metas = mido_events(f.getvalue())
    assert mf.type == fmt and mf.ticks_per_beat == 480
    assert len(mf.tracks) == len(tracks)
    assert [(t, b) for i, t, b in got] == [(t, b) for i, t, b in want]
    assert [m[2] for m in metas][:3] == ["set_tempo", "time_signature", "text"]
    assert metas[0][3]["tempo"] == 123456
    assert (metas[1][3]["numerator"], metas[1][3]["denominator"]) == (7, 8)
    assert metas[2][1:3] == (0, "text") and metas[2][3]["text"] == "hello"
    assert all(m[2] == "end_of_track" for m in metas[3:])


class Msg:
    def __init__(self, kind, channel, data):
        self.type, self.channel, self.data = kind, channel, data


def test_recorder_file_has_the_receive_times_by_mido():
    f = io.BytesIO()
    rec = Recorder(f, ppq=96, tempo=500000)
    for ms, note in ((5000, 60), (5500, 62), (6000, 64), (6125, 65)):
        rec.record(Msg(0x90, 0, bytes([note, 100])), ms)
    rec.close()
    mf = mido.MidiFile(file=io.BytesIO(f.getvalue()))
    notes = [(round(t * 1000), m.note) for t, m in zip(_times(mf), [m for m in mf if m.type == "note_on"])]
    assert notes == [(0, 60), (500, 62), (1000, 64), (1125, 65)]


def _times(mf):
    t = 0.0
    out = []
    for msg in mf:
        t += msg.time
        if msg.type == "note_on":
            out.append(t)
    return out


def test_a_file_cut_short_by_a_full_drive_reads_in_mido():
    import sys
    import os

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "mp"))
    from case_smf_write import FullDrive

    for room in (60, 97, 150, 1001):
        drive = FullDrive(room)
        w = SMFWriter(drive, 0, 96, True)
        n = 0
        with pytest.raises(OSError, match="drive full"):
            for n in range(1000):
                w.message(n * 10, 0x90, n % 128, 100)
        mf, got, metas = mido_events(bytes(drive.data))
        assert [b for i, t, b in got] == [bytes([0x90, k % 128, 100]) for k in range(n)]
