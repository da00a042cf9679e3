# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Exact time over an hour: smf_lite's times against fractions, and the Player's deadlines.

The truth is computed here with fractions.Fraction from the tempo changes the test put
in the file. smf_lite reports each event's exact time rounded down (floor) to the
microsecond; the Player sends each event at the first clock tick at or after that
time (divided by the tempo scale), also exactly, across every clock wrap of the hour.
"""

import io
import random
from fractions import Fraction
from math import ceil, floor

import pytest

import smf_extras
import smf_lite
from mptest import FakeClock
from smf_writer import chunk, header, note_on, tempo, track_body, vlq


def hour_long_file(seed, ppq):
    """Format 1: tempo changes scattered over three tracks, notes in two, ~65 minutes."""
    rng = random.Random(seed)
    tracks = [[] for _ in range(4)]  # (abs tick, raw)
    tick = 0
    changes = []
    while True:
        tick += rng.choice([1, 7, ppq // 3 or 1, ppq, 3 * ppq + 1])
        t = rng.randrange(3)
        us = rng.randrange(250000, 1200001)
        tracks[t].append((tick, tempo(us)))
        changes.append((tick, t, us))
        if tick > 2 * 3600 * ppq:  # at least an hour at 0.25 s a beat... plenty
            break
    end = tick
    for t in (2, 3):
        n = 0
        while n < end:
            n += rng.choice([1, 5, ppq // 4 or 1, ppq + 3])
            tracks[t].append((n, note_on(t, 60, 64)))
    data = header(1, 4, ppq)
    for events in tracks:
        body = bytearray()
        last = 0
        for at, raw in sorted(events, key=lambda e: e[0]):
            body += vlq(at - last) + raw
            last = at
        data += chunk(b"MTrk", bytes(body) + b"\x00\xff\x2f\x00")
    return data, changes


def exact_times(ticks, changes, ppq):
    """Exact microseconds (Fractions) at each tick in ticks (ascending)."""
    order = sorted(changes, key=lambda c: (c[0], c[1]))  # merge order: tick, then track
    out = []
    k = 0
    total = Fraction(0)
    at = 0
    current = smf_lite.DEFAULT_TEMPO
    for tick in ticks:
        while k < len(order) and order[k][0] < tick:
            total += Fraction((order[k][0] - at) * current, ppq)
            at = order[k][0]
            current = order[k][2]
            k += 1
        out.append(total + Fraction((tick - at) * current, ppq))
    return out


@pytest.mark.parametrize("seed,ppq", [(1, 96), (2, 383), (3, 960), (4, 32767), (5, 1)])
def test_every_event_of_an_hour_is_on_the_exact_microsecond(seed, ppq):
    data, changes = hour_long_file(seed, ppq)
    song = smf_lite.MidiFile(io.BytesIO(data))
    got = [(e.tick, e.time_us, e.time_ms, e.time_frac_us) for e in song]
    truth = exact_times([g[0] for g in got], changes, ppq)
    assert truth[-1] > 3600 * 10**6, "over an hour"
    assert len(changes) > 1000, "many tempo changes"
    for (tick, us, ms, frac), exact in zip(got, truth):
        assert us == floor(exact), (tick, us, exact)
        assert (ms, frac) == divmod(floor(exact), 1000)
    assert got[-1][1] == floor(truth[-1])


def test_times_are_rounded_down_not_to_nearest():
    # 2 ticks at 1 us a quarter, 3 PPQ: 0.667 us -> 0; 5 ticks: 1.667 -> 1
    body = track_body([(0, tempo(1)), (2, note_on(0, 1, 1)), (3, note_on(0, 2, 1))])
    song = smf_lite.MidiFile(io.BytesIO(header(0, 1, 3) + chunk(b"MTrk", body)))
    assert [e.time_us for e in song if e.status == 0x90] == [0, 1]


class Recorder:
    def __init__(self):
        self.count = 0

    def write(self, buf):
        if buf[0] & 0xF0 == 0x90:  # the song's notes; not the note-offs sent at its end
            self.count += 1
        return len(buf)


@pytest.mark.parametrize("unit,scale", [("us", 1.0), ("us", 1.5), ("ms", 1.0), ("ms", 0.7)])
def test_player_deadlines_stay_exact_over_an_hour_of_clock_wraps(unit, scale):
    # the clock is set to one tick before each event's due time (nothing may be sent),
    # then to the due time (exactly that event, and any others due then, must go out)
    data, changes = hour_long_file(7, 383)
    due_song = [e.time_us for e in smf_lite.MidiFile(io.BytesIO(data)) if e.status < 0xF0]
    unit_us = 1 if unit == "us" else 1000
    period = 1 << (30 if unit == "us" else 29)
    speed = int(scale * 1000 + 0.5)
    dues = [ceil(Fraction(us * 1000, speed * unit_us)) for us in due_song]
    fake = FakeClock(period - 12345, period)
    start = fake.now
    port = Recorder()
    kwargs = {"ticks_us" if unit == "us" else "ticks_ms": fake.ticks}
    player = smf_extras.Player(smf_lite.MidiFile(io.BytesIO(data)), port, tempo_scale=scale, **kwargs)
    player.start()
    wraps = 0
    k = 0
    while k < len(dues):
        due = dues[k]
        same = k
        while same < len(dues) and dues[same] == due:
            same += 1
        previous = fake.now
        if due > 0:
            fake.now = (start + due - 1) % period
            player.update()
            assert port.count == k, "event %d sent early" % k
        now = (start + due) % period
        wraps += now < previous
        fake.now = now
        player.update()
        assert port.count == same, "events %d..%d not sent at %d" % (k, same, due)
        k = same
    assert wraps >= (2 if unit == "us" else 1), "the clock wrapped during the song"
    assert not player.update(), "the song has ended"
