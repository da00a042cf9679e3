# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_clock.ClockFollower on virtual clock streams, on every runtime.

Clock times are made here: exact times at a tempo, moved by a seeded jitter of up to
+-2 ms (the same numbers on every runtime), read as a ms clock (supervisor.ticks_ms,
wrapping at 2**29) or a us clock (wrapping at 2**30), started just before the wrap.
"""

from mptest import eq, ok, raises, no_alloc, no_transient, ON_BOARD

from smolmidi_clock import ClockFollower

MS_MASK = (1 << 29) - 1
US_MASK = 0x3FFFFFFF


class Msg:
    """A message as smolmidi gives it: type and data."""

    def __init__(self, kind, data=None):
        self.type = kind
        self.data = data


CLOCK = Msg(0xF8)
START = Msg(0xFA)
CONTINUE = Msg(0xFB)
STOP = Msg(0xFC)


def spp(beats):
    return Msg(0xF2, bytes([beats & 0x7F, beats >> 7]))


class Jitter:
    """Seeded uniform jitter in -j..+j us (a small LCG: the same on every runtime)."""

    def __init__(self, seed, j_us=2000):
        self.x = seed * 7919 + 1
        self.j = j_us

    def next(self):
        self.x = (self.x * 1103515 + 12345) % 2147483647
        return self.x % (2 * self.j + 1) - self.j


def clock_times(segments, seed, unit_us, start, mask, j_us=2000):
    """Arrival times (clock units, wrapped) of the clocks of [(bpm x 100, beats)]."""
    jit = Jitter(seed, j_us)
    out = []
    base_us = 0  # exact time of the segment's first clock, in us x bpm100 units
    for bpm100, beats in segments:
        for i in range(24 * beats):
            # exact: i clocks at 2.5e8 / bpm100 us each
            exact = base_us + i * 250000000 // bpm100
            t = exact + jit.next()
            t = (t + unit_us // 2) // unit_us if unit_us > 1 else t
            out.append((start + t) & mask)
        base_us += 24 * beats * 250000000 // bpm100
    return out


def follow(times, f=None, unit_us=1000, mask=MS_MASK):
    f = f or ClockFollower(unit_us=unit_us, mask=mask)
    est = []
    for t in times:
        f.feed(CLOCK, t)
        est.append(f.bpm100)
    return f, est


# (bpm, beats heard, tolerance in BPM x 100): a least-squares line through clocks
# jittered +-2 ms. After 2 beats the error grows as the square of the tempo (a 240 BPM
# beat is 250 ms: +-2 ms on each clock leaves ~0.2 BPM typical, ~0.7 worst); 0.1 BPM
# at 240 takes 8 beats.
ACCURACY = (
    (60, 2, 10),
    (90, 2, 10),
    (120, 2, 20),
    (120, 3, 10),
    (180, 2, 40),
    (180, 6, 10),
    (240, 2, 80),
    (240, 4, 30),
    (240, 8, 10),
)


def test_tempo_within_tolerance_of_the_truth_across_60_to_240_bpm():
    for unit_us, mask in ((1000, MS_MASK), (1, US_MASK)):
        for bpm, beats, tol in ACCURACY:
            worst = 0
            for seed in range(3 if ON_BOARD else 12):
                times = clock_times([(bpm * 100, beats)], seed, unit_us, mask - 700 * 1000 // unit_us, mask)
                f, est = follow(times, unit_us=unit_us, mask=mask)
                err = abs(est[-1] - bpm * 100)
                worst = err if err > worst else worst
            ok(
                worst <= tol,
                "%d BPM after %d beats (unit %d us): worst error %d/100 BPM, want <= %d"
                % (bpm, beats, unit_us, worst, tol),
            )


def test_fractional_tempo_without_jitter_is_exact():
    for bpm100 in (6000, 12025, 13333, 24000, 9999):
        times = clock_times([(bpm100, 4)], 0, 1, US_MASK - 50000, US_MASK, j_us=0)
        f, est = follow(times, unit_us=1, mask=US_MASK)
        ok(abs(est[-1] - bpm100) <= 1, "%d: got %d" % (bpm100, est[-1]))


def test_tempo_change_followed_within_a_beat():
    # a beat after the change: within 2% of the new tempo; two beats after: as ACCURACY
    for a, b in ((120, 140), (120, 100), (240, 60), (60, 240), (200, 180), (90, 130)):
        tol = 2 * b
        for seed in range(4):
            times = clock_times([(a * 100, 8), (b * 100, 2)], seed, 1000, MS_MASK - 3000, MS_MASK)
            f, est = follow(times)
            got = est[8 * 24 + 24]
            ok(abs(got - b * 100) <= tol, "%d -> %d BPM seed %d: %d/100 a beat later" % (a, b, seed, got))
            tol2 = 80 if b > 180 else 40 if b > 120 else 30  # as after any 2 beats (ACCURACY)
            ok(abs(est[-1] - b * 100) <= tol2, "%d -> %d: %d/100 two beats later" % (a, b, est[-1]))


def test_a_small_tempo_change_is_followed_within_three_beats():
    # 120 -> 121 BPM moves each clock 0.17 ms: seen under +-2 ms jitter once it adds up
    for seed in range(8):
        times = clock_times([(12000, 8), (12100, 4)], seed, 1000, 0, MS_MASK)
        f, est = follow(times)
        ok(abs(est[8 * 24 + 72] - 12100) <= 40, "three beats after 120 -> 121: %d" % est[8 * 24 + 72])


def test_steady_clock_never_starts_a_new_line_by_mistake():
    times = clock_times([(12000, 200)], 3, 1000, MS_MASK - 10000, MS_MASK)
    f, est = follow(times)
    worst = max(abs(e - 12000) for e in est[16 * 24 :])
    ok(worst <= 3, "after 16 beats: worst %d/100 BPM over 200 beats" % worst)


def test_transport_position_beat_and_bar():
    f = ClockFollower()
    eq(f.running, False)
    eq(f.feed(CLOCK, 0), False, "stopped: a clock plays nothing")
    f.feed(START, 1)
    eq((f.running, f.tick, f.position), (True, -1, 0))
    for i in range(24 * 5 + 7):
        ok(f.feed(CLOCK, 10 + i * 20))
    eq(f.tick, 126)
    eq((f.bar, f.beat, f.song_position), (1, 1, 21))
    f.feed(STOP, 3000)
    ok(not f.feed(CLOCK, 3020))
    eq(f.position, 127, "stopped clocks do not move the song")
    f.feed(spp(32), 3030)  # 32 sixteenths = bar 3 (from 0: bar 2)
    eq((f.position, f.song_position), (192, 32))
    f.feed(CONTINUE, 3040)
    ok(f.feed(CLOCK, 3060))
    eq((f.tick, f.bar, f.beat), (192, 2, 0))
    f.set_time_signature(6, 8)  # eighths: 12 ticks a beat, 72 a bar
    eq((f.bar, f.beat), (2, 4))
    f.set_time_signature(3)
    eq((f.bar, f.beat), (2, 2))
    ok(not f.feed(Msg(0x90, b"\x3c\x40"), 3070), "other messages: ignored")
    raises(ValueError, f.set_time_signature, 0)
    raises(ValueError, f.set_time_signature, 4, 3)
    raises(ValueError, ClockFollower, 4, 4, 10)


def test_alive_says_when_clock_stops_arriving():
    f = ClockFollower(unit_us=1, mask=US_MASK)
    start = US_MASK - 100000
    ok(not f.alive(start), "no clock yet")
    t = start
    for i in range(48):
        t = (start + i * 20833) & US_MASK  # 120 BPM
        f.feed(CLOCK, t)
    ok(f.alive((t + 20833) & US_MASK))
    ok(f.alive((t + 99000) & US_MASK), "under 100 ms: still alive")
    ok(not f.alive((t + 101000) & US_MASK), "over 100 ms (3 periods is less): stopped")
    bpm = f.bpm100
    f.feed(CLOCK, (t + 2000000) & US_MASK)  # 2 s later: a new line, tempo kept meanwhile
    eq(f.bpm100, 0, "one clock after a gap: tempo not known yet")
    f.feed(CLOCK, (t + 2020833) & US_MASK)
    ok(abs(f.bpm100 - bpm) < 5, "picked up again: %d" % f.bpm100)


def test_feed_allocates_nothing_and_keeps_off_the_heap():
    f = ClockFollower()
    f.feed(START, 0)
    clk = CLOCK
    feed = f.feed  # bound method made once: creating it allocates
    state = [0, 0]

    def step():
        state[0] = (state[0] + 21 + (state[1] & 3)) & MS_MASK
        state[1] += 1
        feed(clk, state[0])

    no_alloc(step, 10000, "ClockFollower.feed")
    no_transient(step, 10000, "ClockFollower.feed")
    ok(f.bpm100 > 0)
    read = [0]

    def fields():
        read[0] = f.bpm100 + f.beat + f.bar + f.song_position

    no_alloc(fields, 2000, "computed fields")


def test_late_and_early_outliers_do_not_throw_the_tempo():
    # +-1 ms jitter, and about one clock in 30 late by 8 or 15 ms or early by 6 ms
    for bpm in (90, 120, 180):
        jit = Jitter(bpm, 1000)
        f = ClockFollower()
        worst = 0
        for i in range(24 * 24):
            j = jit.next()
            if jit.next() % 30 == 0:
                j += (8000, -6000, 15000)[jit.next() % 3]
            f.feed(CLOCK, (i * 250000000 // (bpm * 100) + j + 500) // 1000 + MS_MASK - 2000 & MS_MASK)
            if i > 24 * 8:
                err = abs(f.bpm100 - bpm * 100)
                worst = err if err > worst else worst
        ok(worst <= 10, "%d BPM: worst %d/100 after 8 beats" % (bpm, worst))
