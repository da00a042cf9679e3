# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite at the edges of its promises (issue 12, Files), on every runtime.

Long rests on wrapping clocks, many tracks, fields that do not apply, error messages
that name track and offset, hostile lengths, and ports that take part of a write.
"""

import gc
import io

from mptest import eq, ok, raises, IS_MICROPYTHON, not_applicable, FakeClock

import smf_extras
from smf_lite import MidiFile, Player, SMFError
from smf_writer import smf, header, track, meta, note_on, note_off, program, text, tempo, sysex, u32


class Recorder:
    def __init__(self, clock):
        self.clock = clock
        self.log = []

    def write(self, buf):
        self.log.append((self.clock.now, bytes(buf)))
        return len(buf)


def long_rest_song():
    # 1 PPQ at 16.777215 s a quarter: 36 quarters of rest are 603.98 s (> 2**29 us)
    return smf(0, 1, [[(0, tempo(0xFFFFFF)), (0, note_on(0, 60, 1)), (36, note_off(0, 60))]])


def test_us_clock_waits_out_a_rest_longer_than_half_its_period():
    period = 1 << 30
    due = 36 * 0xFFFFFF  # 603,979,740 us after the note-on
    for start in (0, period - 1000, period // 2):
        clock = FakeClock(start, period)
        port = Recorder(clock)
        player = Player(MidiFile(io.BytesIO(long_rest_song())), port, ticks_us=clock.ticks)
        player.start()
        step = 1000000 - 7
        while player.update():
            clock.step(step)
        got = [((t - start) % period, raw) for t, raw in port.log]
        eq(got[0], (0, b"\x90\x3c\x01"))
        first = -(-due // step) * step  # the first update at or after the due time
        eq(got[1], (first % period, b"\x80\x3c\x00"), "start %d" % start)


def test_ms_clock_waits_out_a_rest_longer_than_half_its_period():
    period = 1 << 29
    # 4 days of rest: 20,600 quarters of 16.777215 s (more than 2**28 ms)
    data = smf(0, 1, [[(0, tempo(0xFFFFFF)), (0, note_on(0, 60, 1)), (20600, note_off(0, 60))]])
    due = -(-20600 * 0xFFFFFF // 1000)
    ok(due > (1 << 28), "the rest is longer than half the period")
    clock = FakeClock(period - 5000, period)
    port = Recorder(clock)
    player = Player(MidiFile(io.BytesIO(data)), port, ticks_ms=clock.ticks)
    player.start()
    step = 3600 * 1000 + 11
    while player.update():
        clock.step(step)
    got = [((t - (period - 5000)) % period, raw) for t, raw in port.log]
    eq(got[1], ((-(-due // step) * step) % period, b"\x80\x3c\x00"))


def many_tracks(n):
    out = bytearray(header(1, n, 96))
    for k in range(n):
        out += track([(k % 7, note_on(k % 16, k % 128, 1)), (1, note_off(k % 16, k % 128))])
    return bytes(out)


def read_all(data, cls=smf_extras.MidiFile):
    song = cls(io.BytesIO(data))
    count = 0
    last = (-1, -1)
    for e in song:
        ok((e.tick, e.track) >= last or e.status == 0xFF and e.tick == last[0], "merge order")
        if e.status != 0xFF:
            last = (e.tick, e.track)
        count += 1
    return count


from mptest import clock_us  # a real clock on every runtime (time.ticks_us is not on CircuitPython)


def test_reading_time_grows_about_linearly_with_the_track_count():
    small = many_tracks(1000)
    large = many_tracks(4000)
    times = []
    for data, n in ((small, 1000), (large, 4000)):
        best = None
        for _ in range(2):
            t0 = clock_us()
            eq(read_all(data), 3 * n)
            took = clock_us() - t0
            best = took if best is None or took < best else best
        times.append(best)
    # linear is 4x, n log n a little more; every event scanning every track is 16x
    ok(times[1] < 8 * times[0], "1000 tracks %d us, 4000 tracks %d us" % (times[0], times[1]))


def test_many_tracks_merge_in_order_with_ties_to_the_lower_track():
    # more than smf_lite keeps buffers for: tracks share buffers (and smf_extras' tree picks)
    tracks = [[(k % 5, note_on(0, k % 128, 1)), (3, note_on(0, 1, 1))] for k in range(200)]
    want = sorted([(k % 5, k) for k in range(200)] + [(k % 5 + 3, k) for k in range(200)])
    for cls in (MidiFile, smf_extras.MidiFile):
        song = cls(io.BytesIO(smf(1, 96, tracks)), buffer_size=16)
        got = [(e.tick, e.track) for e in song if e.status < 0xF0]
        eq(got, want)


def test_a_file_with_4000_tracks_opens_in_a_small_heap():
    data = many_tracks(4000)
    source = io.BytesIO(data)
    gc.collect()
    before = gc.mem_alloc() if IS_MICROPYTHON else 0
    song = MidiFile(source)
    gc.collect()  # (reading the chunk headers leaves a little garbage)
    used = (gc.mem_alloc() - before) if IS_MICROPYTHON else 0
    eq(read_all(data, MidiFile), 12000)
    if not IS_MICROPYTHON:
        not_applicable("heap per track")
        return
    per_track = used // 4000
    print("4000 tracks: %d bytes after open, %d per track" % (used, per_track))
    ok(per_track <= 80, "%d bytes per track" % per_track)  # 74 on 64-bit unix, 70 on wasm
    del song


def fields(data):
    song = smf_extras.MidiFile(io.BytesIO(data))
    return song, song.next_event


def test_a_field_that_does_not_apply_names_the_event_type():
    data = smf(
        0,
        96,
        [
            [
                (0, note_on(0, 60, 100)),
                (0, sysex(b"\x7e\x7f\x09\x01\xf7")),
                (0, text(1, "hi")),
                (0, program(3, 9)),
                (0, note_off(1, 2, 3)),
            ]
        ],
    )
    song, step = fields(data)
    e = step()
    eq((e.note, e.velocity), (60, 100))
    eq(e.tempo, None, "tempo, time_signature, key_signature: None unless that meta event")
    for name in ("program", "text", "pitch_bend"):
        err = raises(AttributeError, getattr, e, name)
        ok("note on" in str(err), str(err))
    e = step()
    eq(e.status, 0xF0)
    for name in ("note", "velocity", "control", "pitch_bend", "text"):
        err = raises(AttributeError, getattr, e, name)
        ok("SysEx" in str(err) and name in str(err), str(err))
    eq((e.data1, e.data2, e.length), (0, 0, 5), "not the previous event's values")
    e = step()
    err = raises(AttributeError, getattr, e, "velocity")
    ok("meta" in str(err), str(err))
    eq((e.tempo, e.key_signature), (None, None))
    eq(e.text, "hi")
    e = step()
    eq(e.program, 9)
    err = raises(AttributeError, getattr, e, "velocity")
    ok("program change" in str(err), str(err))
    e = step()
    eq((e.note, e.velocity, e.type, e.channel), (2, 3, 0x80, 1))
    ok(not hasattr(e, "value"), "hasattr works")


def broken(data, want_text, want_offset, want_track=None, times=False):
    def read():
        for e in MidiFile(io.BytesIO(data)):
            if times:
                e.time_ms

    e = raises(SMFError, read)
    msg = str(e)
    ok(want_text in msg, "%r not in %r" % (want_text, msg))
    eq(e.offset, want_offset, msg)
    eq(e.track, want_track, msg)
    return msg


def test_error_messages_say_what_is_wrong_where():
    whole = smf(0, 96, [[(0, note_on(0, 1, 1))]])
    for cut in (1, 4, 6, 13):
        broken(whole[:cut], "no MThd", 0)  # a header cut short
    one = header(0, 1, 96)
    broken(one + b"\x00\x01\x02\x03" + u32(0) + track([]), "bad chunk", 14)
    broken(one + b"MT\xffk" + u32(4) + b"\x00\xff\x2f\x00", "bad chunk", 14)
    # a chunk length near 2**30: SMFError, never a sum past 2**30 (OverflowError on SAMD21)
    broken(one + b"MTrk\x3f\xff\xff\xf0", "bad chunk", 14)
    broken(header(1, 2, 96) + track([]) + b"MTrk\x3f\xff\xff\xff", "bad chunk", 26)


def test_song_time_limit_names_track_and_offset_from_time_ms_and_update():
    slow = [(0, tempo(0xFFFFFF))] + [(0x0FFFFFFF, note_on(0, 1, 1))] * 3
    data = smf(0, 1, [slow])
    msg = broken(data, "time limit", None, 0, times=True)  # at the first note
    ok(msg.startswith("track 0: "), msg)
    clock = FakeClock(0, 1 << 29)
    player = Player(MidiFile(io.BytesIO(data)), Recorder(clock), ticks_ms=clock.ticks)
    player.start()

    def play():
        while player.update():
            clock.step(1 << 27)

    e = raises(SMFError, play)
    ok("time limit" in str(e) and e.track == 0, str(e))


def test_time_signature_denominator_byte_of_30_or_more_is_an_smferror():
    data = smf(0, 96, [[(0, meta(0x58, bytes([4, 30, 24, 8]))), (0, meta(0x58, bytes([6, 3, 24, 8])))]])
    song, step = fields(data)
    e = raises(SMFError, getattr, step(), "time_signature")
    ok("denominator" in str(e) and e.track == 0 and e.offset == 27, str(e))  # its second byte
    eq(step().time_signature, (6, 8, 24, 8))


class ShortPort:
    """Takes at most `take` bytes a call (0: none), or returns None for all taken."""

    def __init__(self, take):
        self.take = take
        self.data = bytearray()

    def write(self, buf):
        if self.take is None:
            self.data += bytes(buf)
            return None
        n = min(self.take, len(buf))
        self.data += bytes(buf[:n])
        return n


def song_bytes():
    return smf(
        0,
        96,
        [[(0, note_on(0, 60, 100)), (0, sysex(b"\x7e\x7f\x09\x01\xf7")), (1, program(1, 5)), (1, note_off(0, 60))]],
    )


WIRE = b"\x90\x3c\x64\xf0\x7e\x7f\x09\x01\xf7\xc1\x05\x80\x3c\x00"


def play(port):
    clock = FakeClock(0, 1 << 29)
    player = Player(MidiFile(io.BytesIO(song_bytes())), port, ticks_ms=clock.ticks)
    player.start()
    while player.update():
        clock.step(1)
    return player


def test_player_counts_short_writes_and_never_sends_twice():
    for take in (1, 2, None):
        port = ShortPort(take)
        player = play(port)
        eq(bytes(port.data), WIRE, "take %r: every byte once" % take)
        eq((player.sent, player.lost_bytes), (4, 0))
    port = ShortPort(0)
    player = play(port)
    eq((player.sent, player.lost_bytes), (4, len(WIRE)), "a port that takes nothing")


def test_player_through_midiout_with_running_status():
    from smolmidi_out import MidiOut

    port = ShortPort(3)
    out = MidiOut(port, running_status=True)
    player = play(out)
    eq(bytes(port.data), WIRE, "each message once")
    eq(player.lost_bytes, 0)


def test_smf_extras_reads_as_smf_lite_does_with_many_tracks_in_every_format():
    # smf_extras.MidiFile's tree (over 64 tracks) picks the same track smf_lite's min does
    # (format 2, which smf_lite does not read: the same as smf_extras' own scan, tree off)
    for fmt in (1, 2):
        tracks = [
            [(k % 3, note_on(k % 16, k % 128, 1)), (k % 2, program(0, k % 128)), (1, text(1, "t%d" % k))]
            for k in range(70)
        ]
        data = smf(fmt, 96, tracks)
        if fmt == 2:
            song = smf_extras.MidiFile(io.BytesIO(data), buffer_size=16)
            song._tree = []  # the scan, as with 64 tracks or fewer
        else:
            song = MidiFile(io.BytesIO(data), buffer_size=16)
        want = [(e.tick, e.track, e.status, e.data1) for e in song]
        got = [(e.tick, e.track, e.status, e.data1) for e in smf_extras.MidiFile(io.BytesIO(data), buffer_size=16)]
        eq(len(want), 70 * 4, "format %d: every event" % fmt)
        eq(got, want, "format %d" % fmt)
