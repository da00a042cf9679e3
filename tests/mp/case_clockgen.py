# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_clockgen.ClockGenerator on a virtual clock, on every runtime.

Each clock must go out at the first clock reading at or after its exact time, worked
out here with exact (long-int) arithmetic from the start: a tick early or late
anywhere in a virtual hour fails.
"""

from mptest import eq, ok, raises, no_alloc, no_transient, FakeClock, ON_BOARD

from smolmidi_clockgen import ClockGenerator, bpm100_of
from smolmidi_clock import ClockFollower

US_PERIOD = 1 << 30
MS_PERIOD = 1 << 29


class Port:
    """Keeps every byte written, with the clock reading."""

    def __init__(self, clock):
        self.clock = clock
        self.log = []

    def write(self, buf):
        self.log.append((self.clock.now, bytes(buf)))
        return len(buf)


def exact_due(start, n, num, bpm100, period):
    """Clock reading at which tick n (from 0) is due: the first at or after its time."""
    return (start + -(-n * num // bpm100)) % period


class Count:
    def __init__(self):
        self.count = 0

    def write(self, buf):
        self.count += 1
        return 1


MINUTES = 3 if ON_BOARD else 60  # (a board takes minutes for each virtual one)


def run_hour(bpm, per_ms, period, start):
    fake = FakeClock(start, period)
    port = Count()
    gen = ClockGenerator(port, bpm, **{"ticks_us" if per_ms == 1000 else "ticks_ms": fake.ticks})
    num = 250000 * per_ms
    n = 0
    hour = MINUTES * 60000 * per_ms
    early = late = 0
    while True:
        if -(-n * num // gen.bpm100) > hour:  # (a us clock wraps 3 times in the hour)
            break
        due = exact_due(start, n, num, gen.bpm100, period)
        fake.now = (due - 1) % period
        if n and gen.update():
            early += 1
        fake.now = due
        if gen.update() != 1:
            late += 1
        n += 1
    eq(port.count, n, "a write per clock")
    return n, early, late, gen


def test_one_virtual_hour_at_120_25_bpm_on_a_us_clock_has_no_drift():
    n, early, late, gen = run_hour("120.25", 1000, US_PERIOD, US_PERIOD - 3000000)
    eq(n, 24 * 12025 * MINUTES // 100 + 1, "clocks in the hour (and the one at its start)")
    eq((early, late), (0, 0), "clocks sent early or late")
    eq(gen.clocks, n)


def test_one_virtual_hour_at_97_33_bpm_on_supervisor_ticks_ms_has_no_drift():
    n, early, late, gen = run_hour("97.33", 1, MS_PERIOD, MS_PERIOD - 1000)  # wraps a second in
    eq((early, late), (0, 0), "clocks sent early or late")
    ok(n > 24 * 97 * MINUTES, "%d clocks" % n)


def test_tempo_change_takes_effect_at_the_next_tick_without_gap_or_burst():
    fake = FakeClock(US_PERIOD - 30000, US_PERIOD)
    port = Port(fake)
    gen = ClockGenerator(port, 120, ticks_us=fake.ticks)
    times = []

    def run_to(t):
        while fake.now != t % US_PERIOD:
            fake.step(100)
            if gen.update():
                times.append(fake.now)

    gen.update()
    times.append(fake.now)
    start = fake.now
    run_to(start + 20900)
    eq(len(times), 2, "120 BPM: a clock every 20833.3 us")
    eq((times[1] - start) % US_PERIOD, 20900)
    run_to(start + 30000)  # halfway to the next clock: 240 BPM from the next one
    gen.set_tempo(240)
    run_to(start + 60000)
    gaps = [(times[i + 1] - times[i]) % US_PERIOD for i in range(len(times) - 1)]
    eq(gaps[0], 20900)
    eq(gaps[1], 10400, "the next clock one new period (10416.7 us) after the last (20833)")
    ok(all(g in (10400, 10500) for g in gaps[1:]), "then every 10416.7 us: %r" % gaps)
    # 240 -> 60 BPM late in an interval, then 60 -> 240 when the new period has passed
    gen.set_tempo(60)
    last = times[-1]
    run_to(last + 35000)
    eq(times[-1], last, "60 BPM: nothing for 41.7 ms")
    gen.set_tempo(240)
    run_to(last + 35100)
    eq((times[-1] - last) % US_PERIOD, 35100, "already past: the next clock now, one only")
    run_to(last + 60000)
    ok((times[-1] - times[-2]) % US_PERIOD in (10400, 10500), "then the new period")
    eq(len([1 for t, b in port.log if b == b"\xf8"]), len(times), "one clock per update that sent")


def test_transport_bytes_and_position():
    fake = FakeClock(MS_PERIOD - 10, MS_PERIOD)
    port = Port(fake)
    gen = ClockGenerator(port, 125, ticks_ms=fake.ticks)  # a clock every 20 ms
    gen.update()
    eq(port.log, [(MS_PERIOD - 10, b"\xf8")], "clock runs while stopped")
    gen.start()
    eq(len(port.log), 1, "START waits for the next clock")
    fake.step(20)
    eq(gen.update(), 1)
    eq([b for t, b in port.log[1:]], [b"\xfa", b"\xf8"], "START then the clock that is tick 0")
    ok(gen.running)
    for _ in range(24 * 4 - 1):
        fake.step(20)
        gen.update()
    eq(gen.position, 96, "a bar of 4/4 played")
    gen.stop()
    eq(port.log[-1][1], b"\xfc", "STOP at once")
    fake.step(20)
    gen.update()
    eq(gen.position, 96, "stopped: clocks go on, the song does not")
    gen.song_position(32)
    eq(port.log[-1][1], b"\xf2\x20\x00")
    eq(gen.position, 192)
    gen.continue_()
    fake.step(20)
    gen.update()
    eq([b for t, b in port.log[-2:]], [b"\xfb", b"\xf8"])
    eq(gen.position, 193)
    raises(ValueError, gen.song_position, 16384)


def test_followed_by_clock_follower_exactly():
    fake = FakeClock(US_PERIOD - 500000, US_PERIOD)
    follower = ClockFollower(unit_us=1, mask=US_PERIOD - 1)

    class Msg:
        type = 0xF8
        data = None

    msg = Msg()

    class Feed:
        def write(self, buf):
            if buf[0] == 0xF8:
                follower.feed(msg, fake.now)
            return len(buf)

    gen = ClockGenerator(Feed(), "133.33", ticks_us=fake.ticks)
    for _ in range(200000):
        fake.step(10)
        gen.update()
    ok(abs(follower.bpm100 - 13333) <= 1, "follower hears %d" % follower.bpm100)


def test_bpm_forms_and_errors():
    eq(bpm100_of(120), 12000)
    eq(bpm100_of("120.25"), 12025)
    eq(bpm100_of("90.5"), 9050)
    eq(bpm100_of("60"), 6000)
    eq(bpm100_of(133.33), 13333)
    for bad in ("120.255", "abc", "-5", "", "1e2", 0, 1000):
        raises(ValueError, bpm100_of, bad)
    raises(TypeError, bpm100_of, None)
    fake = FakeClock(0, MS_PERIOD)
    raises(ValueError, ClockGenerator, Port(fake), 0, fake.ticks)


def test_update_allocates_nothing_and_keeps_off_the_heap():
    # (a clock wrapping at 2**29: FakeClock's own `% 2**30` makes a long int on 32 bits)
    fake = FakeClock(MS_PERIOD - 100000, MS_PERIOD)
    gen = ClockGenerator(Count(), "240.5", ticks_us=fake.ticks, mask=MS_PERIOD - 1)
    gen.start()
    update = gen.update  # bound method made once: creating it allocates

    def step():
        fake.step(997)
        update()

    no_alloc(step, 10000, "ClockGenerator.update")
    no_transient(step, 10000, "ClockGenerator.update")
    ok(gen.clocks > 900, "%d clocks sent" % gen.clocks)
