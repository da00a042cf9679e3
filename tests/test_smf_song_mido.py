# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_song.SongInfo against mido (an independent reader): the song's length and the
time of every event through a tempo map with many changes."""

import io
import random

import mido

from smf_lite import MidiFile
from smf_song import SongInfo
from smf_write import SMFWriter


def test_length_and_event_times_match_mido():
    rng = random.Random(7)
    for ppq in (96, 480, 1000):
        f = io.BytesIO()
        w = SMFWriter(f, 1, ppq)
        tick = 0
        for _ in range(30):
            w.tempo(tick, rng.randrange(200000, 1500000))
            tick += rng.randrange(1, 5000)
        w.new_track()
        ticks = sorted(rng.randrange(0, tick + 2000) for _ in range(200))
        for t in ticks:
            w.message(t, 0x90, 60, 1)
        w.close()
        data = f.getvalue()
        info = SongInfo(MidiFile(io.BytesIO(data)))
        mf = mido.MidiFile(file=io.BytesIO(data))
        assert abs(info.length_us / 1e6 - mf.length) < 2e-6, ppq
        elapsed, got = 0.0, []
        for msg in mf:  # merged, in seconds
            elapsed += msg.time
            if msg.type == "note_on":
                got.append(elapsed)
        for t, seconds in zip(ticks, got):
            assert abs(info.tick_to_us(t) / 1e6 - seconds) < 2e-6
            assert info.us_to_tick(round(seconds * 1e6) + 1) >= t
