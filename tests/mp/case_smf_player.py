# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite.Player sends every event at its due time, across clock wraps, on every runtime.

The due time of an event is the song start plus its exact time (smf_lite's whole
microseconds, divided by the tempo scale), rounded up to the next clock tick: an event
at 5208.3 us is sent when a ms clock reads 6. Tests move a virtual clock in whole steps
and check each write happened at the first step at or after its due time: none early,
none late, none lost.
"""

import io

from mptest import eq, ok, raises, no_alloc, NullPort, FakeClock

from smf_lite import MidiFile, Player
from smf_extras import Player as ExtrasPlayer  # loop, tempo_scale, muting, time_to_next_ms
from smf_writer import smf, note_on, note_off, cc, tempo, text, sysex, program
from host_shim import clock, supervisor

MS_PERIOD = 1 << 29


class Recorder:
    """A port that notes the clock reading of every write."""

    def __init__(self, ticks):
        self.ticks = ticks
        self.log = []

    def write(self, buf):
        self.log.append((self.ticks(), bytes(buf)))
        return len(buf)


def song_bytes():
    """About 3.5 s, 3 tracks, tempo changes in two tracks, fractional-ms event times."""
    melody = [(0, program(0, 5))]
    for k in range(40):
        melody.append((24 + k % 5, note_on(0, 60 + k % 12, 90)))
        melody.append((13, note_off(0, 60 + k % 12)))
    bass = [(0, cc(1, 7, 100))]
    for k in range(30):
        bass.append((20, note_on(1, 36 + k % 7, 80)))
        bass.append((17, note_off(1, 36 + k % 7)))
    conductor = [
        (0, tempo(500000)),
        (200, tempo(333333)),
        (300, tempo(712345)),
        (1, text(1, "x")),
        (400, tempo(250001)),
    ]
    return smf(1, 96, [melody, bass, conductor])


def ceil_div(a, b):
    return -(-a // b)


def due_list(data, unit_us, scale=1):
    """(due clock ticks after start, bytes) of every channel message, from the reader."""
    out = []
    for e in MidiFile(io.BytesIO(data)):
        if e.status < 0xF0:
            raw = bytes([e.status]) + bytes(e.data)
            out.append((ceil_div(e.time_us, unit_us * scale), raw))
    return out


def sent_list(log, start, period):
    """(ticks after start, bytes) of channel messages written (note-offs of silence too)."""
    return [((t - start) % period, raw) for t, raw in log if raw[0] < 0xF0]


def test_ms_clock_started_just_before_the_wrap():
    start = MS_PERIOD - 1500  # supervisor.ticks_ms() wraps 1.5 s into the song
    clock.use_virtual(start_ms=start)
    data = song_bytes()
    port = Recorder(supervisor.ticks_ms)
    player = Player(MidiFile(io.BytesIO(data)), port, ticks_ms=supervisor.ticks_ms)
    player.start()
    steps = 0
    while player.update():
        clock.advance_ms(1)
        steps += 1
    want = due_list(data, 1000)
    got = sent_list(port.log, start, MS_PERIOD)
    eq(len(got), len(want), "every event sent once")
    eq(got, want, "each at the first ms at or after its due time")
    ok(want[-1][0] > 1500, "the song runs past the wrap")
    ok(any(t < start for t, raw in port.log), "ticks wrapped during the song")
    eq(player.sent, len(want))
    clock.reset()


def test_us_clock_wrapping_at_2_pow_30_with_tempo_scale():
    period = 1 << 30
    for scale in (1, 2):
        fake = FakeClock(period - 700000, period)
        start = fake.now
        data = song_bytes()
        port = Recorder(fake.ticks)
        player = ExtrasPlayer(MidiFile(io.BytesIO(data)), port, ticks_us=fake.ticks, tempo_scale=scale)
        player.start()
        while player.update():
            fake.step(100)
        want = [(ceil_div(t, 100) * 100, raw) for t, raw in due_list(data, 1, scale)]
        eq(sent_list(port.log, start, period), want, "scale %d" % scale)


def test_late_updates_catch_up_without_drift():
    # update() called only every 47 ms: each event goes out at the first call after it is
    # due, and the schedule does not slip
    fake = FakeClock(MS_PERIOD - 100, MS_PERIOD)
    start = fake.now
    data = song_bytes()
    port = Recorder(fake.ticks)
    player = Player(MidiFile(io.BytesIO(data)), port, ticks_ms=fake.ticks)
    player.start()
    while player.update():
        fake.step(47)
    want = [(ceil_div(t, 47) * 47, raw) for t, raw in due_list(data, 1000)]
    eq(sent_list(port.log, start, MS_PERIOD), want)


def test_update_never_sends_early_and_returns_at_once():
    # due at 5208 us (5208.33 rounded down): a ms clock sends it when it reads 6, not 5
    data = smf(0, 96, [[(1, note_on(0, 60, 1)), (100, note_off(0, 60))]])
    fake = FakeClock(0, MS_PERIOD)
    port = Recorder(fake.ticks)
    player = ExtrasPlayer(MidiFile(io.BytesIO(data)), port, ticks_ms=fake.ticks)
    player.start()
    eq(player.time_to_next_ms(), 6, "sent when the clock reads 6")
    fake.step(5)
    ok(player.update(), "still playing")
    eq(port.log, [], "5 ms: not yet")
    eq(player.time_to_next_ms(), 1)
    fake.step(1)
    ok(player.update())
    eq(port.log, [(6, b"\x90\x3c\x01")])
    eq(player.time_to_next_ms(), 521, "note-off due at 526.04 ms: sent at 527")


def test_stop_sends_note_off_for_every_sounding_note():
    chord = [
        (0, note_on(0, 60, 90)),
        (0, note_on(0, 64, 90)),
        (0, note_on(9, 36, 100)),
        (0, note_on(0, 67, 0)),  # velocity 0 = note off: not sounding
        (10, note_off(0, 64)),
        (960, note_off(0, 60)),
    ]
    fake = FakeClock(5, MS_PERIOD)
    port = Recorder(fake.ticks)
    player = Player(MidiFile(io.BytesIO(smf(0, 96, [chord]))), port, ticks_ms=fake.ticks)
    player.start()
    fake.step(100)
    player.update()
    port.log = []
    player.stop()
    eq(sorted(raw for t, raw in port.log), [b"\x80\x3c\x00", b"\x89\x24\x00"])
    ok(not player.update(), "stopped")
    ok(not player.playing)
    port.log = []
    player.stop()
    eq(port.log, [], "nothing sounding: nothing sent")


def test_pause_and_resume_shift_what_follows():
    body = [(0, note_on(0, 60, 90)), (96, note_off(0, 60)), (96, note_on(0, 62, 90))]
    fake = FakeClock(MS_PERIOD - 200, MS_PERIOD)
    start = fake.now
    port = Recorder(fake.ticks)
    player = ExtrasPlayer(MidiFile(io.BytesIO(smf(0, 96, [body]))), port, ticks_ms=fake.ticks)
    player.start()
    player.update()
    fake.step(100)
    player.pause()
    eq(port.log[-1][1], b"\x80\x3c\x00", "pause silences the sounding note")
    ok(player.paused and player.playing)
    for _ in range(30):
        fake.step(100)
        ok(player.update(), "paused is still playing")
    eq(len(port.log), 2, "nothing sent while paused")
    player.resume()
    while player.update():
        fake.step(1)
    # the song's own note-off (500 ms) and note-on 62 (1000 ms) come 3000 ms late
    eq(
        sent_list(port.log, start, MS_PERIOD)[2:],
        [(3500, b"\x80\x3c\x00"), (4000, b"\x90\x3e\x5a"), (4000, b"\x80\x3e\x00")],
    )


def test_mute_track_and_channel_keep_note_offs_of_sounding_notes():
    t0 = [
        (0, note_on(0, 60, 90)),
        (10, note_on(2, 50, 90)),
        (10, note_off(0, 60)),
        (0, note_off(2, 50)),
        (0, cc(0, 1, 2)),
    ]
    t1 = [(5, note_on(1, 70, 90)), (20, note_off(1, 70))]
    fake = FakeClock(0, MS_PERIOD)
    port = Recorder(fake.ticks)
    player = ExtrasPlayer(MidiFile(io.BytesIO(smf(1, 96, [t0, t1]))), port, ticks_ms=fake.ticks)
    player.mute_channel(2)
    player.start()
    player.update()
    player.mute_track(0)  # note 60 is sounding: its note-off still goes out
    while player.update():
        fake.step(1)
    eq([raw for t, raw in port.log], [b"\x90\x3c\x5a", b"\x91\x46\x5a", b"\x80\x3c\x00", b"\x81\x46\x00"])
    raises(ValueError, player.mute_channel, 16)


def test_loop_restarts_at_the_end_of_the_song():
    body = [(0, note_on(0, 60, 90)), (96, note_off(0, 60)), (96, text(1, "end"))]  # 1 s long
    fake = FakeClock(0, MS_PERIOD)
    port = Recorder(fake.ticks)
    player = ExtrasPlayer(MidiFile(io.BytesIO(smf(0, 96, [body]))), port, ticks_ms=fake.ticks, loop=True)
    player.start()
    for _ in range(3500):
        player.update()
        fake.step(1)
    eq(
        [(t, raw[0]) for t, raw in port.log],
        [(0, 0x90), (500, 0x80), (1000, 0x90), (1500, 0x80), (2000, 0x90), (2500, 0x80), (3000, 0x90)],
    )
    ok(player.playing)


def test_sysex_is_sent_and_metas_are_not():
    body = [(0, sysex(b"\x7e\x7f\x09\x01\xf7")), (0, text(1, "hello")), (1, note_on(0, 1, 1))]
    fake = FakeClock(0, MS_PERIOD)
    port = Recorder(fake.ticks)
    player = Player(MidiFile(io.BytesIO(smf(0, 96, [body]))), port, ticks_ms=fake.ticks)
    player.start()
    while player.update():
        fake.step(1)
    eq(b"".join(raw for t, raw in port.log), b"\xf0\x7e\x7f\x09\x01\xf7\x90\x01\x01\x80\x01\x00")


def test_bad_tempo_scale_is_refused():
    song = MidiFile(io.BytesIO(smf(0, 96, [[]])))
    raises(ValueError, ExtrasPlayer, song, Recorder(lambda: 0), tempo_scale=0)
    raises(ValueError, ExtrasPlayer, song, Recorder(lambda: 0), tempo_scale=20)


def test_update_allocates_nothing():
    body = []
    for k in range(200):
        body.append((3, note_on(k % 16, 40 + k % 50, 100)))
        body.append((2, note_off(k % 16, 40 + k % 50)))
        body.append((1, cc(k % 16, 7, k % 128)))
        if k % 20 == 0:
            body.append((0, tempo(400000 + k)))
    fake = FakeClock(MS_PERIOD - 5000, MS_PERIOD)
    port = NullPort()
    player = ExtrasPlayer(MidiFile(io.BytesIO(smf(0, 96, [body]))), port, ticks_ms=fake.ticks, loop=True)
    player.start()
    update = player.update  # bound method made once: creating it allocates

    def step():
        fake.step(1)
        update()

    no_alloc(step, 10000, "Player.update")
    ok(port.count > 3000, "messages were sent (%d bytes)" % port.count)
    eq(player.lost_bytes, 0)
