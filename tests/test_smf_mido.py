# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite against mido, event by event, where mido is right.

mido builds and saves the files; smf_lite must give the same merged events (same tick
order and tie rule), the same bytes, the same meta values and the same times (mido
sums float seconds, so within 1 us). Where mido is wrong (SMPTE divisions, unknown
chunks) exact arithmetic is the reference instead.
"""

import io
import random
from fractions import Fraction
from math import floor

import mido
import pytest

import smf_extras
import smf_lite
from smf_writer import chunk, header, note_on, smpte_division, smf, tempo, track, vlq


def random_song(seed, ntracks=4, count=120):
    rng = random.Random(seed)
    mid = mido.MidiFile(type=1, ticks_per_beat=rng.choice([24, 96, 384, 480, 960, 1000]))
    for t in range(ntracks):
        tr = mido.MidiTrack()
        tr.append(mido.MetaMessage("track_name", name="track %d" % t, time=0))
        for _ in range(count):
            delta = rng.choice([0, 0, 1, 10, 60, 240, 480, 3000])
            kind = rng.randrange(12)
            ch = rng.randrange(16)
            if kind < 4:
                msg = mido.Message(
                    rng.choice(["note_on", "note_off"]),
                    channel=ch,
                    note=rng.randrange(128),
                    velocity=rng.randrange(128),
                    time=delta,
                )
            elif kind == 4:
                msg = mido.Message(
                    "control_change", channel=ch, control=rng.randrange(128), value=rng.randrange(128), time=delta
                )
            elif kind == 5:
                msg = mido.Message("program_change", channel=ch, program=rng.randrange(128), time=delta)
            elif kind == 6:
                msg = mido.Message("pitchwheel", channel=ch, pitch=rng.randrange(-8192, 8192), time=delta)
            elif kind == 7:
                msg = mido.Message(rng.choice(["aftertouch"]), channel=ch, value=rng.randrange(128), time=delta)
            elif kind == 8:
                msg = mido.Message(
                    "polytouch", channel=ch, note=rng.randrange(128), value=rng.randrange(128), time=delta
                )
            elif kind == 9:
                msg = mido.MetaMessage("set_tempo", tempo=rng.randrange(200000, 1500000), time=delta)
            elif kind == 10:
                msg = mido.Message("sysex", data=[rng.randrange(128) for _ in range(rng.randrange(0, 100))], time=delta)
            else:
                msg = rng.choice(
                    [
                        mido.MetaMessage(
                            "time_signature",
                            numerator=rng.randrange(1, 13),
                            denominator=rng.choice([2, 4, 8, 16]),
                            time=delta,
                        ),
                        mido.MetaMessage(
                            "key_signature", key=rng.choice(["C", "Am", "F#", "Bb", "Ebm", "Cb"]), time=delta
                        ),
                        mido.MetaMessage("text", text="text %d" % delta, time=delta),
                        mido.MetaMessage("marker", text="mark", time=delta),
                        mido.MetaMessage("lyrics", text="la", time=delta),
                    ]
                )
            tr.append(msg)
        mid.tracks.append(tr)
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def mido_events(data):
    """(tick, time_us float, message) of mido's merged play order, end of track left out."""
    mid = mido.MidiFile(file=io.BytesIO(data))
    merged = []
    tick = 0
    for msg in mido.merge_tracks(mid.tracks):
        tick += msg.time
        if msg.type != "end_of_track":
            merged.append([tick, None, msg])
    seconds = 0.0
    timed = [m for m in mid if m.type != "end_of_track"]  # same order, times in seconds
    assert len(timed) == len(merged)
    for row, msg in zip(merged, timed):
        seconds += msg.time
        row[1] = seconds * 1e6
        assert msg.type == row[2].type
    return merged


def meta_bytes(e):
    return bytes([0xFF, e.meta_type]) + vlq(e.length) + bytes(e.payload[: e.payload_length])


class Capture:
    def __init__(self):
        self.data = bytearray()

    def write(self, buf):
        self.data += bytes(buf)
        return len(buf)


@pytest.mark.parametrize("seed", range(12))
def test_events_match_mido_event_by_event(seed):
    data = random_song(seed)
    want = mido_events(data)
    got = []
    for e in smf_extras.MidiFile(io.BytesIO(data), payload_size=128):
        if e.meta_type == smf_lite.META_END_OF_TRACK:
            continue
        port = Capture()
        e.write_to(port)
        got.append(
            (
                e.tick,
                e.time_us,
                e.status,
                bytes(port.data) if e.status != 0xFF else meta_bytes(e),
                e.tempo,
                e.time_signature,
                e.key_signature,
                e.text if e.meta_type in (1, 3, 5, 6) else None,
            )
        )
    assert len(got) == len(want)
    for (tick, us, status, raw, tmp, ts, ks, txt), (mtick, mus, msg) in zip(got, want):
        assert tick == mtick
        assert abs(us - mus) <= 1.0, (us, mus, msg)
        assert raw == bytes(msg.bytes()), msg
        if msg.type == "set_tempo":
            assert tmp == msg.tempo
        if msg.type == "time_signature":
            assert ts == (msg.numerator, msg.denominator, msg.clocks_per_click, msg.notated_32nd_notes_per_beat)
        if msg.type == "key_signature":
            sharps, minor = ks
            assert msg.key.endswith("m") == minor
            # same encoding as mido writes: re-encode ours through mido's table
            assert mido.MetaMessage("key_signature", key=msg.key).bytes()[3] == sharps & 0xFF
        if msg.type in ("text", "track_name", "lyrics", "marker"):
            assert txt == (msg.text if msg.type != "track_name" else msg.name)


def test_event_count_matches_mido_for_running_status_written_by_mido():
    data = random_song(99, ntracks=1, count=500)
    assert sum(1 for e in smf_lite.MidiFile(io.BytesIO(data))) == sum(
        len(t) for t in mido.MidiFile(file=io.BytesIO(data)).tracks
    )


def test_mido_is_wrong_on_smpte_so_exact_time_is_the_reference():
    # 25 fps, 40 ticks a frame: 1000 ticks is exactly one second; mido reads the division
    # as ticks per beat and gets a negative time
    data = smf(1, smpte_division(25, 40), [[(1000, note_on(0, 60, 1))]])
    assert mido.MidiFile(file=io.BytesIO(data)).ticks_per_beat < 0
    e = smf_extras.MidiFile(io.BytesIO(data)).next_event()
    assert e.time_us == 1000000
    for fps, rate in ((24, Fraction(24)), (25, Fraction(25)), (29, Fraction(30000, 1001)), (30, Fraction(30))):
        for tpf in (1, 4, 80, 255):
            ticks = [0, 1, 7, 999, 123457]
            body = [(ticks[k] - (ticks[k - 1] if k else 0), note_on(0, 60, 1)) for k in range(len(ticks))]
            got = [
                e.time_us
                for e in smf_extras.MidiFile(io.BytesIO(smf(1, smpte_division(fps, tpf), [body])))
                if e.status == 0x90
            ]
            assert got == [floor(Fraction(10**6) * t / (rate * tpf)) for t in ticks], (fps, tpf)


def test_mido_refuses_unknown_chunks_smf_lite_skips_them():
    data = (
        header(1, 2, 96)
        + chunk(b"XFIH", b"abcd")
        + track([(0, tempo(250000))])
        + chunk(b"XFKM", bytes(10))
        + track([(96, note_on(1, 2, 2))])
    )
    with pytest.raises(OSError):
        mido.MidiFile(file=io.BytesIO(data))
    e = [e for e in smf_lite.MidiFile(io.BytesIO(data)) if e.status == 0x91][0]
    assert (e.track, e.tick, e.time_us) == (1, 96, 250000)
