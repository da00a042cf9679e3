# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_song.SongInfo and SyncPlayer on virtual clocks, on every runtime.

Files are built with smf_write; expected times come from smf_lite's own event times
(exact integers), so the tempo map here must agree with the reader's.
"""

import io

from mptest import eq, ok, raises, no_alloc, no_transient, FakeClock

from smf_lite import MidiFile
from smf_write import SMFWriter
from smf_song import SongInfo, SyncPlayer

MS_PERIOD = 1 << 29


def build(notes, ppq=96, tempos=((0, 500000),), fmt=1):
    """A file: tempo track (format 1) and a track of (tick, status, d1, d2) events, in
    order (no sort: MicroPython's is not stable)."""
    f = io.BytesIO()
    w = SMFWriter(f, fmt, ppq)
    for tick, t in tempos:
        w.tempo(tick, t)
    if fmt:
        w.new_track()
    for ev in notes:
        w.message(ev[0], ev[1], ev[2], ev[3])
    w.close()
    return f.getvalue()


def song_notes(n=40, step=25):
    out = []
    for k in range(n):
        out.append((k * step, 0x90, 60 + k % 12, 100))
        out.append((k * step + step - 3, 0x80, 60 + k % 12, 0))
    return out


TEMPOS = ((0, 500000), (100, 333333), (333, 712345), (700, 250001))


def test_song_info_length_and_tick_to_us_agree_with_the_reader():
    data = build(song_notes(), tempos=TEMPOS)
    info = SongInfo(MidiFile(io.BytesIO(data)))
    last = None
    times = {}
    for e in MidiFile(io.BytesIO(data)):
        times[e.tick] = e.time_ms * 1000 + e.time_frac_us
        last = e.tick
    eq(info.length_ticks, last)
    eq(info.length_us, times[last])
    eq(info.length_ms, times[last] // 1000)
    for tick, us in sorted(times.items()):
        eq(info.tick_to_us(tick), us, "tick %d" % tick)
        eq(info.us_to_tick(us), tick, "back from %d us" % us)
        if tick:
            eq(info.us_to_tick(us - 1), tick - 1, "just before tick %d" % tick)
    eq(info.ms_to_tick(0), 0)
    eq(info.tick_to_ms(100), 520, "100 ticks at 120 BPM, 96 PPQ: 520.83 ms")
    raises(ValueError, info.tick_to_us, -1)
    raises(ValueError, info.us_to_tick, -1)


def test_song_info_of_a_long_song_stays_in_small_ints():
    # 2 hours at 96 PPQ: 1.4 million ticks, 7.2e9 us (the us figure is a long int)
    data = build([(0, 0x90, 1, 1), (96 * 2 * 60 * 120, 0x80, 1, 0)], fmt=0)
    info = SongInfo(MidiFile(io.BytesIO(data)))
    eq(info.length_ms, 2 * 3600 * 1000)
    eq(info.ms_to_tick(3600 * 1000), 96 * 2 * 60 * 60)
    eq(info.tick_to_ms(96 * 2 * 60 * 60 + 1), 3600 * 1000 + 5)


class Log:
    """A port that notes `when` (set by the test) with each write."""

    def __init__(self):
        self.when = 0
        self.log = []

    def write(self, buf):
        self.log.append((self.when, bytes(buf)))
        return len(buf)


class Msg:
    def __init__(self, kind, data=None):
        self.type = kind
        self.data = data


CLOCK, START, CONTINUE, STOP = Msg(0xF8), Msg(0xFA), Msg(0xFB), Msg(0xFC)


def spp(beats):
    return Msg(0xF2, bytes([beats & 0x7F, beats >> 7]))


def test_external_clock_plays_each_event_at_the_first_clock_at_or_after_it():
    notes = song_notes(30, 7)  # ticks that fall between clocks (96 PPQ: 4 ticks a clock)
    data = build(notes, tempos=TEMPOS)
    port = Log()
    p = SyncPlayer(MidiFile(io.BytesIO(data)), port, ticks_ms=lambda: 0)
    p.feed(CLOCK)
    eq(port.log, [], "not started: clocks play nothing")
    p.feed(START)
    k = 0
    while p.playing:
        port.when = k
        p.feed(CLOCK)
        k += 1
    want = [(-(-t * 24 // 96), bytes([s, a, b])) for t, s, a, b in notes]
    eq(port.log, want, "each at clock ceil(tick / 4); the tempo map does not matter")


def test_stop_continue_and_song_position_with_the_state_in_force():
    notes = [
        (0, 0xC0, 5, 0),
        (0, 0xB0, 7, 100),
        (0, 0xB0, 0, 2),
        (0, 0x90, 60, 90),
        (48, 0xE0, 0, 80),
        (48, 0xB0, 7, 50),
        (96, 0x80, 60, 0),
        (100, 0x90, 62, 90),
        (200, 0xB0, 64, 127),
        (300, 0x80, 62, 0),
        (384, 0x90, 64, 1),
    ]
    data = build(notes, fmt=0)
    port = Log()
    p = SyncPlayer(MidiFile(io.BytesIO(data)), port, ticks_ms=lambda: 0)
    p.feed(START)
    for k in range(26):  # clocks 0-25: ticks 0-100
        p.feed(CLOCK)
    eq(port.log[-1][1], b"\x90\x3e\x5a", "note 62 sounding at tick 100")
    port.log = []
    p.feed(STOP)
    eq([b for w, b in port.log], [b"\x80\x3e\x00"], "STOP: note-off for what sounds")
    port.log = []
    p.feed(CLOCK)
    eq(port.log, [], "stopped")
    p.feed(CONTINUE)
    for k in range(25):  # ticks 104-200
        p.feed(CLOCK)
    eq([b for w, b in port.log], [b"\xb0\x40\x7f"], "CONTINUE goes on from tick 104")
    port.log = []
    p.feed(STOP)
    p.feed(spp(17))  # 17 sixteenths = tick 408: past everything but the last note-on
    eq(p.tick, 408)
    # the state in force there: bank, program, then controllers, then bend
    eq([b for w, b in port.log], [b"\xb0\x00\x02", b"\xc0\x05", b"\xb0\x07\x32", b"\xb0\x40\x7f", b"\xe0\x00\x50"])
    port.log = []
    p.feed(spp(4))  # tick 96: note 60 has ended, 62 not begun
    eq([b for w, b in port.log][:2], [b"\xb0\x00\x02", b"\xc0\x05"])
    p.feed(CONTINUE)
    port.log = []
    p.feed(CLOCK)
    eq([b for w, b in port.log], [b"\x80\x3c\x00"], "the note-off at tick 96 (harmless)")
    p.feed(START)
    port.log = []
    p.feed(CLOCK)
    eq([b for w, b in port.log][:2], [b"\xc0\x05", b"\xb0\x07\x64"], "START: from the top")


def test_seek_silences_sounding_notes():
    data = build([(0, 0x90, 60, 90), (0, 0x91, 70, 90), (500, 0x80, 60, 0), (500, 0x81, 70, 0)], fmt=0)
    port = Log()
    p = SyncPlayer(MidiFile(io.BytesIO(data)), port, ticks_ms=lambda: 0)
    p.feed(START)
    p.feed(CLOCK)
    port.log = []
    p.seek(200)
    eq(sorted(b for w, b in port.log), [b"\x80\x3c\x00", b"\x81\x46\x00"])
    raises(ValueError, p.seek, -1)


def own_clock_run(data, start_tick, clock, per_ms, step):
    port = Log()
    kw = {"ticks_ms": clock.ticks} if per_ms == 1 else {"ticks_us": clock.ticks, "mask": clock.period - 1}
    p = SyncPlayer(MidiFile(io.BytesIO(data)), port, **kw)
    p.start(start_tick)
    start = clock.now
    while p.update():
        clock.step(step)
        port.when = (clock.now - start) % clock.period
    return port.log


def test_own_clock_from_a_tick_sends_each_event_at_its_time():
    notes = song_notes(40, 13)
    data = build(notes, tempos=TEMPOS)
    times = [(e.tick, e.time_ms * 1000 + e.time_frac_us) for e in MidiFile(io.BytesIO(data)) if e.status < 0xF0]
    for start_tick in (0, 100, 333, 334):
        t0 = SongInfo(MidiFile(io.BytesIO(data))).tick_to_us(start_tick)
        for per_ms, period, step in ((1, MS_PERIOD, 1), (1000, MS_PERIOD, 250)):
            clock = FakeClock(period - 700 * per_ms, period)
            log = own_clock_run(data, start_tick, clock, per_ms, step)
            unit = 1000 // per_ms * step  # us per clock step
            # due: the first step at or after the event's time from the start tick's
            # (a ms clock counts from the start tick's whole ms)
            base = t0 - t0 % 1000 if per_ms == 1 else t0
            want = [(-(-(us - base) // unit) * step, t) for t, us in times if t >= start_tick]
            got = [(w, t) for (w, b), t in zip(log, [t for t, us in times if t >= start_tick])]
            eq(got, want, "from tick %d, clock unit %d us" % (start_tick, unit))


def test_start_ms_begins_at_the_first_tick_at_or_after_it():
    data = build(song_notes(10, 96), fmt=0)  # a note every 500 ms
    port = Log()
    p = SyncPlayer(MidiFile(io.BytesIO(data)), port, ticks_ms=lambda: 0)
    p.start_ms(1000)
    eq(p.tick, 192)
    p.start_ms(1001)
    eq(p.tick, 193)


def test_feed_and_update_allocate_nothing():
    notes = []
    for k in range(6000):
        notes.append((k * 4, 0x90 | k % 16, 40 + k % 50, 100))
        notes.append((k * 4 + 2, 0x80 | k % 16, 40 + k % 50, 0))
    data = build(notes, fmt=0)

    class Null:
        def write(self, buf):
            return len(buf)

    p = SyncPlayer(MidiFile(io.BytesIO(data)), Null(), ticks_ms=lambda: 0)
    p.feed(START)
    feed = p.feed  # bound method made once: creating it allocates
    clk = CLOCK

    def one():
        feed(clk)

    no_transient(one, 2000, "SyncPlayer.feed")
    no_alloc(one, 3000, "SyncPlayer.feed")  # (6000 clocks in the song: still playing)
    ok(p.playing)
    ok(p.sent > 10000, "%d sent" % p.sent)
    clock = FakeClock(MS_PERIOD - 50, MS_PERIOD)
    q = SyncPlayer(MidiFile(io.BytesIO(data)), Null(), ticks_ms=clock.ticks)
    q.start(0)
    update = q.update

    def two():
        clock.step(1)
        update()

    no_alloc(two, 5000, "SyncPlayer.update")
    no_transient(two, 5000, "SyncPlayer.update")
    ok(q.sent > 500, "%d sent" % q.sent)


def test_external_clock_with_times_plays_ticks_between_clocks_at_its_pace():
    # 96 PPQ: 4 ticks a clock; a clock every 20 ms (125 BPM): a tick every 5 ms
    notes = [
        (0, 0x90, 60, 90),
        (1, 0x80, 60, 0),
        (2, 0x90, 62, 90),
        (7, 0x80, 62, 0),
        (8, 0x90, 64, 90),
        (11, 0x80, 64, 0),
    ]
    data = build(notes, fmt=0)
    fake = FakeClock(MS_PERIOD - 25, MS_PERIOD)
    port = Log()
    p = SyncPlayer(MidiFile(io.BytesIO(data)), port, ticks_ms=fake.ticks)
    start = fake.now
    p.feed(CLOCK, fake.now)  # two clocks before START: the pace is known
    fake.step(20)
    p.feed(CLOCK, fake.now)
    fake.step(20)
    p.feed(START)
    for k in range(3):
        port.when = (fake.now - start) % MS_PERIOD
        p.feed(CLOCK, fake.now)
        for ms in range(20):
            port.when = (fake.now - start) % MS_PERIOD
            p.update()
            fake.step(1)
    eq(
        [(w - 40, b) for w, b in port.log],
        [
            (0, b"\x90\x3c\x5a"),
            (5, b"\x80\x3c\x00"),
            (10, b"\x90\x3e\x5a"),
            (35, b"\x80\x3e\x00"),
            (40, b"\x90\x40\x5a"),
            (55, b"\x80\x40\x00"),
        ],
        "each tick 5 ms after the last",
    )
    q = SyncPlayer(MidiFile(io.BytesIO(data)), Log(), ticks_ms=fake.ticks)
    q.feed(START)
    q.feed(CLOCK)
    q.update()
    eq(q.tick, 4, "no times given: ticks wait for the next clock")


def test_update_between_clocks_allocates_nothing():
    notes = []
    for k in range(3000):
        notes.append((k * 4 + 1, 0x90, 40 + k % 50, 100))
        notes.append((k * 4 + 3, 0x80, 40 + k % 50, 0))
    fake = FakeClock(MS_PERIOD - 50, MS_PERIOD)

    class Null:
        def write(self, buf):
            return len(buf)

    p = SyncPlayer(MidiFile(io.BytesIO(build(notes, fmt=0))), Null(), ticks_ms=fake.ticks)
    p.feed(START)
    feed = p.feed
    update = p.update
    clk = CLOCK
    n = [0]

    def step():
        n[0] += 1
        if n[0] % 20 == 0:
            feed(clk, fake.now)
        fake.step(1)
        update()

    no_alloc(step, 10000, "SyncPlayer.feed(msg, now) + update")
    no_transient(step, 10000, "SyncPlayer.feed(msg, now) + update")
    ok(p.sent > 1500, "%d sent" % p.sent)


def test_bar_to_tick_follows_the_time_signatures():
    f = io.BytesIO()
    w = SMFWriter(f, 0, 96)
    w.time_signature(0, 3, 4)  # bars 0-1: 288 ticks each
    w.time_signature(576, 6, 8)  # bars 2-3: 6/8, 288 ticks
    w.time_signature(1152, 7, 16)  # bar 4 on: 7/16, 168 ticks
    w.time_signature(1152 + 100, 4, 4)  # mid-bar: a new bar (5) starts there
    w.message(3000, 0x90, 1, 1)
    w.close()
    info = SongInfo(MidiFile(io.BytesIO(f.getvalue())))
    eq([info.bar_to_tick(b) for b in range(8)], [0, 288, 576, 864, 1152, 1252, 1636, 2020])
    plain = SongInfo(MidiFile(io.BytesIO(build([(0, 0x90, 1, 1)], fmt=0))))
    eq(plain.bar_to_tick(3), 3 * 384, "4/4 when the file says nothing")
