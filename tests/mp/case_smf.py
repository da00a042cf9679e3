# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite.MidiFile reads Standard MIDI Files as the spec (and real files) say, on every runtime."""

import io

from mptest import eq, ok, raises, no_alloc, TMP, NullPort

import smf_lite
import smf_extras
from smf_lite import MidiFile, SMFError
from smf_writer import (
    smf,
    track,
    header,
    chunk,
    vlq,
    note_on,
    note_off,
    cc,
    program,
    meta,
    tempo,
    text,
    sysex,
    escape,
    smpte_division,
    track_body,
)


def events(data, cls=MidiFile, **kw):
    """(track, tick, time_us, status, data bytes, meta_type) for every event of a file."""
    song = cls(io.BytesIO(data), **kw)
    return [(e.track, e.tick, e.time_ms * 1000 + e.time_frac_us, e.status, bytes(e.data), e.meta_type) for e in song]


def extras(data, **kw):
    """events() read by smf_extras.MidiFile (format 2, SMPTE, long SysEx)."""
    return events(data, smf_extras.MidiFile, **kw)


def notes(data, read=events):
    """(track, tick, time_us, raw bytes) for the channel messages only."""
    return [(t, tick, us, bytes([s]) + d) for t, tick, us, s, d, m in read(data) if s < 0xF0]


def test_format0_delta_times_and_running_status():
    # running status: the second note on has no status byte
    data = smf(0, 96, [[(0, note_on(0, 60, 100)), (96, b"\x3e\x64"), (48, note_off(0, 60))]])
    eq(notes(data), [(0, 0, 0, b"\x90\x3c\x64"), (0, 96, 500000, b"\x90\x3e\x64"), (0, 144, 750000, b"\x80\x3c\x00")])
    eq(events(data)[-1], (0, 144, 750000, 0xFF, b"", 0x2F), "end of track delivered")


def test_header_fields():
    song = MidiFile(io.BytesIO(smf(1, 480, [[], [(0, note_on(1, 1, 1))]])))
    eq((song.format, song.ntracks, song.division, song.ppq), (1, 2, 480, 480))
    eq(song.track_offsets, [22, 34])
    eq(song.event, song, "the MidiFile is its own reused event")
    song = smf_extras.MidiFile(io.BytesIO(smf(1, 480, [[], [(0, note_on(1, 1, 1))]])))
    eq((song.ppq, song.smpte_fps, song.track_offsets, song.track_lengths), (480, None, [22, 34], [4, 8]))


def test_format1_merge_orders_by_tick_then_track_then_file_order():
    t0 = [(10, note_on(0, 1, 1)), (0, note_on(0, 2, 1)), (5, note_on(0, 3, 1))]
    t1 = [(0, note_on(1, 4, 1)), (10, note_on(1, 5, 1)), (5, note_on(1, 6, 1))]
    t2 = [(10, note_on(2, 7, 1))]
    got = [(t, tick, d[1]) for t, tick, us, d in notes(smf(1, 480, [t0, t1, t2]))]
    eq(got, [(1, 0, 4), (0, 10, 1), (0, 10, 2), (1, 10, 5), (2, 10, 7), (0, 15, 3), (1, 15, 6)])


def test_running_status_survives_meta_and_sysex_events():
    body = [
        (0, note_on(3, 60, 1)),
        (1, text(0x01, "hi")),
        (1, b"\x3d\x02"),
        (1, sysex(b"\x7e\x7f\x09\x01\xf7")),
        (1, b"\x3e\x03"),
        (1, escape(b"\xf8")),
        (1, b"\x3f\x04"),
    ]
    eq(
        [d for t, tick, us, d in notes(smf(0, 480, [body]))],
        [b"\x93\x3c\x01", b"\x93\x3d\x02", b"\x93\x3e\x03", b"\x93\x3f\x04"],
    )


def test_one_data_byte_messages_and_running_status():
    body = [(0, program(5, 7)), (0, b"\x08"), (0, b"\xd5\x40"), (0, b"\x41"), (0, b"\xe5\x00\x40"), (0, b"\x7f\x7f")]
    eq(
        [d for t, tick, us, d in notes(smf(0, 480, [body]))],
        [b"\xc5\x07", b"\xc5\x08", b"\xd5\x40", b"\xd5\x41", b"\xe5\x00\x40", b"\xe5\x7f\x7f"],
    )


def test_event_fields():
    song = smf_extras.MidiFile(
        io.BytesIO(smf(0, 480, [[(0, b"\xe2\x00\x40"), (0, cc(9, 7, 100)), (0, tempo(400000))]]))
    )
    e = song.next_event()
    eq((e.type, e.channel, e.data1, e.data2, e.pitch_bend), (smf_extras.PITCH_BEND, 2, 0, 64, 0))
    e = song.next_event()
    eq((e.type, e.channel, e.control, e.value, e.meta_type), (smf_extras.CC, 9, 7, 100, None))
    e = song.next_event()
    eq((e.type, e.channel, e.meta_type, e.tempo, e.length), (smf_lite.META, None, 0x51, 400000, 3))


def test_tempo_map_from_any_track_applies_to_all():
    # track 2 changes tempo at tick 480 to 1 s a quarter; track 1's notes follow it
    conductor = [(0, tempo(250000)), (480, tempo(1000000))]
    music = [(480, note_on(0, 60, 1)), (480, note_on(0, 62, 1))]
    got = [(tick, us) for t, tick, us, d in notes(smf(1, 480, [music, conductor]))]
    eq(got, [(480, 250000), (960, 1250000)])


def test_tempo_change_at_same_tick_as_note_in_lower_track():
    # the note at tick 480 sounds at the same time whichever track holds the tempo event
    data = smf(1, 480, [[(480, note_on(0, 60, 1)), (480, note_on(0, 61, 1))], [(480, tempo(1000000))]])
    eq([us for t, tick, us, d in notes(data)], [500000, 1500000])


def test_time_is_rounded_down_to_the_microsecond():
    # 1/3 quarter at 100 us a quarter: 33.33 us -> 33; carried remainder keeps 3 steps at 100
    data = smf(0, 3, [[(0, tempo(100))] + [(1, note_on(0, 60, 1))] * 6])
    eq([us for t, tick, us, d in notes(data)], [33, 66, 100, 133, 166, 200])


def test_format2_plays_tracks_one_after_another():
    t0 = [(0, tempo(1000000)), (96, note_on(0, 1, 1))]
    t1 = [(0, note_on(0, 2, 1)), (96, note_on(0, 3, 1))]
    got = extras(smf(2, 96, [t0, t1]))
    eq(
        [(t, tick, us) for t, tick, us, s, d, m in got if s < 0xF0],
        [(0, 96, 1000000), (1, 96, 1000000), (1, 192, 2000000)],
    )
    eq([(t, tick) for t, tick, us, s, d, m in got if m == 0x2F], [(0, 96), (1, 192)])


def test_format2_with_empty_tracks_and_rewind_mid_song():
    t1 = [(5, note_on(0, 2, 1)), (0, note_on(0, 3, 1))]
    data = header(2, 3, 96) + chunk(b"MTrk", b"") + track(t1) + chunk(b"MTrk", b"")
    want = [(1, 5, 0x90), (1, 5, 0x90), (1, 5, 0xFF)]
    eq([(t, tick, s) for t, tick, us, s, d, m in extras(data)], want)
    song = MidiFile(io.BytesIO(smf(1, 96, [[(0, note_on(0, 1, 1)), (0, note_on(0, 2, 1))], [(0, note_on(1, 3, 1))]])))
    first = [(e.track, e.data1) for e in song]
    song.rewind()
    song.next_event()
    song.next_event()
    song.rewind()  # part way through: the next read starts from the top again
    eq([(e.track, e.data1) for e in song], first)
    eq(first, [(0, 1), (0, 2), (0, 0), (1, 3), (1, 0)])


def test_asking_the_time_after_rewind_changes_no_time():
    data = smf(0, 96, [[(0, tempo(400000)), (96, note_on(0, 60, 1)), (96, note_off(0, 60))]])
    want = events(data)
    song = MidiFile(io.BytesIO(data))
    for e in song:
        pass
    song.rewind()
    eq((song.event.time_ms, song.event.time_frac_us), (0, 0), "before the first event")
    got = []
    e = song.next_event()  # (not iterating: that would rewind again)
    while e is not None:
        got.append((e.track, e.tick, e.time_us, e.status, bytes(e.data), e.meta_type))
        e = song.next_event()
    eq(got, want)


def test_smpte_divisions():
    # (fps code, ticks per frame, tick, exact time in us rounded down)
    table = [
        (24, 4, 96, 1000000),
        (25, 40, 1000, 1000000),
        (30, 80, 2400, 1000000),
        (29, 100, 2997, 999999),
        (29, 100, 3000, 1001000),
        (29, 1, 1, 33366),
        (25, 40, 1, 1000),
    ]
    for fps, tpf, tick, want in table:
        body = [(0, tempo(123456)), (tick, note_on(0, 60, 1))]  # tempo ignored for SMPTE
        data = smf(1, smpte_division(fps, tpf), [body])
        song = smf_extras.MidiFile(io.BytesIO(data))
        eq((song.smpte_fps, song.ticks_per_frame, song.ppq), (fps, tpf, None))
        eq(notes(data, extras)[0][2], want, "fps %d tpf %d tick %d" % (fps, tpf, tick))
        eq(song.next_event().time_us, 0)
        e = raises(SMFError, MidiFile, io.BytesIO(data))
        ok("smf_extras" in str(e) and e.offset == 8, str(e))


def test_long_header_unknown_chunks_and_unknown_metas_are_skipped():
    data = (
        header(1, 2, 96, extra=b"\x01\x02\x03")
        + chunk(b"XFIH", b"junk" * 5)
        + track([(0, meta(0x60, b"\x01\x02")), (0, note_on(0, 1, 1))])
        + chunk(b"MTrx", b"")
        + track([(1, note_on(1, 2, 2))])
    )
    got = events(data)
    eq(
        [(t, s, m) for t, tick, us, s, d, m in got],
        [(0, 0xFF, 0x60), (0, 0x90, None), (0, 0xFF, 0x2F), (1, 0x91, None), (1, 0xFF, 0x2F)],
    )
    eq(got[0][4], b"\x01\x02", "unknown meta data kept")


def test_a_file_with_no_tracks_has_no_events():
    for fmt in (0, 1, 2):
        read = extras if fmt == 2 else events
        eq(read(header(fmt, 0, 96)), [], "format %d" % fmt)
        eq(read(header(fmt, 0, 96) + chunk(b"XFIH", b"abcd")), [], "format %d, a chunk" % fmt)


def test_missing_end_of_track_is_tolerated():
    data = header(1, 2, 96) + track([(0, note_on(0, 1, 1))], eot=False) + track([(5, note_on(1, 2, 2))])
    eq([(t, tick) for t, tick, us, d in notes(data)], [(0, 0), (1, 5)])


def test_bytes_after_end_of_track_are_ignored():
    body = track_body([(0, note_on(0, 1, 1))]) + b"\x00\x90\x02\x02garbage"
    eq(len(notes(header(0, 1, 96) + chunk(b"MTrk", body))), 1)


def test_meta_data_is_bounded_with_truncation_flag():
    song = smf_extras.MidiFile(
        io.BytesIO(smf(0, 96, [[(0, text(0x03, "Piano")), (0, text(0x01, "x" * 40))]])), payload_size=8
    )
    e = song.next_event()
    eq((e.meta_type, e.text, e.length, e.payload_length, e.truncated), (3, "Piano", 5, 5, False))
    e = song.next_event()
    eq((e.text, e.length, e.payload_length, e.truncated), ("x" * 8, 40, 8, True))
    e = song.next_event()
    eq(e.meta_type, 0x2F, "reading goes on after a truncated event")


def test_write_to_sends_full_messages_and_never_metas():
    from host_shim import usb_midi

    port = usb_midi.PortOut()
    big = bytes([0x7D] + [i & 0x7F for i in range(300)] + [0xF7])
    body = [
        (0, note_on(0, 60, 100)),
        (0, b"\x3e\x64"),
        (0, program(1, 5)),
        (0, text(1, "x")),
        (0, sysex(b"\x7e\x7f\x09\x01\xf7")),
        (0, escape(b"\xf8\xfa")),
        (0, sysex(big)),
    ]
    song = smf_extras.MidiFile(io.BytesIO(smf(0, 96, [body])), payload_size=16)
    sent = [e.write_to(port) for e in song]
    eq(sent, [3, 3, 2, 0, 6, 2, 303, 0])
    eq(port.take(), (b"\x90\x3c\x64\x90\x3e\x64\xc1\x05\xf0\x7e\x7f\x09\x01\xf7\xf8\xfa\xf0" + big))
    # smf_lite sends a SysEx whole or not at all: one longer than the payload is not sent
    song = MidiFile(io.BytesIO(smf(0, 96, [body])), payload_size=16)
    sent = [e.write_to(port) for e in song]
    eq(sent, [3, 3, 2, 0, 6, 2, 0, 0])
    eq(port.take(), b"\x90\x3c\x64\x90\x3e\x64\xc1\x05\xf0\x7e\x7f\x09\x01\xf7\xf8\xfa")


def test_write_to_retries_partial_writes():
    from host_shim import usb_midi

    port = usb_midi.PortOut()
    port.accept = 1
    song = MidiFile(io.BytesIO(smf(0, 96, [[(0, note_on(0, 60, 100))]])))
    eq(song.next_event().write_to(port), 3)
    eq(port.take(), b"\x90\x3c\x64")
    port.connected = False
    song.rewind()
    eq(song.next_event().write_to(port), 0, "no host: nothing accepted, no hang")


def test_long_sysex_streamed_then_reading_continues():
    big = bytes([0x43] + [i & 0x7F for i in range(1000)] + [0xF7])
    data = smf(1, 96, [[(0, sysex(big)), (1, note_on(0, 1, 1))], [(0, note_on(1, 2, 2)), (1, b"\x03\x03")]])
    from host_shim import usb_midi

    port = usb_midi.PortOut()
    song = smf_extras.MidiFile(io.BytesIO(data), buffer_size=16, payload_size=8)
    kinds = []
    for e in song:
        e.write_to(port)
        kinds.append((e.track, e.status))
    eq(kinds, [(0, 0xF0), (1, 0x91), (0, 0x90), (0, 0xFF), (1, 0x91), (1, 0xFF)])
    eq(port.take(), b"\xf0" + big + b"\x91\x02\x02\x90\x01\x01\x91\x03\x03")


def test_small_buffers_give_the_same_events():
    body = [(i * 7, note_on(i % 16, i % 128, 1)) for i in range(50)]
    body += [(3, text(1, "lyric %d" % i)) for i in range(10)]
    data = smf(1, 96, [body, body[5:], body[9:]])
    want = events(data)
    for size in (16, 17, 31, 64, 500):
        eq(events(data, buffer_size=size), want, "buffer_size %d" % size)


def test_path_source_is_opened_and_closed():
    path = TMP + "/smf_case_path.mid"
    f = open(path, "wb")
    f.write(smf(0, 96, [[(0, note_on(0, 1, 1))]]))
    f.close()
    song = MidiFile(path)
    eq([e.status for e in song], [0x90, 0xFF])
    eq([e.status for e in song], [0x90, 0xFF], "iterating again rewinds")
    song.close()
    eq(song._file, None, "closed")
    with smf_extras.MidiFile(path) as song:
        eq([e.status for e in song], [0x90, 0xFF])
    eq(song._file, None, "closed by with")


def broken(data, want_text, want_offset=None, want_track=None, cls=MidiFile):
    def read():
        for e in cls(io.BytesIO(data)):
            e.time_ms  # times are worked out when asked for: ask, so their limit is checked

    e = raises(SMFError, read)
    ok(isinstance(e, ValueError), "SMFError is a ValueError")
    msg = str(e)
    ok(want_text in msg, "%r not in %r" % (want_text, msg))
    if want_offset is not None:
        eq(e.offset, want_offset, msg)
        ok(("at byte %d" % want_offset) in msg, msg)
    if want_track is not None:
        eq(e.track, want_track, msg)
        ok(msg.startswith("track %d: " % want_track), msg)
    return msg


def test_broken_files_raise_smferror_naming_offset_and_track():
    one = header(0, 1, 96)  # 14 bytes: the first track chunk starts at 14, its data at 22
    mtrk = lambda body: one + chunk(b"MTrk", body)  # noqa: E731
    table = [
        (b"", "no MThd", 0, None),
        (b"RIFF" + bytes(20), "no MThd", 0, None),
        (chunk(b"MThd", b"\x00\x00\x00\x01\x00") + track([]), "no MThd", 0, None),
        (header(3, 1, 96) + track([]), "format 3", 8, None),
        (header(0, 1, 0) + track([]), "division 0", 8, None),
        (header(0, 1, smpte_division(25, 4)) + track([]), "smf_extras reads format 2 and SMPTE", 8, None),
        (header(2, 1, 96) + track([]), "smf_extras reads format 2 and SMPTE", 8, None),
        (one, "bad chunk", 14, None),
        (header(1, 2, 96) + track([]), "bad chunk", 26, None),
        (one + b"MTrk\x00\x00\x01\x00\x00\x90", "bad chunk", 14, None),
        (one + b"MTrk\x40\x00\x00\x00", "bad chunk", 14, None),
        (one + b"\x00\x01\x02\x03" + b"\x00\x00\x00\x00", "bad chunk", 14, None),
        (mtrk(b"\x81\x81\x81\x81\x01\x90\x3c\x64"), "bad VLQ", 22, 0),
        (mtrk(b"\x00\x90\x3c\x64\x81\x81\x81\x81\x01\x90\x3c\x64"), "bad VLQ", 26, 0),
        (mtrk(b"\x00\x3c\x64"), "no status", 23, 0),
        (mtrk(b"\x00\x90\x3c"), "cut short", 23, 0),
        (mtrk(b"\x00\x90\x3c\x64\x00"), "no event", 27, 0),
        (mtrk(b"\x00\x90\x3c\x64\x81"), "bad VLQ", 26, 0),
        (mtrk(b"\x00\x90\x3c\x80"), "cut short", 23, 0),
        (mtrk(b"\x00\xc0\x90"), "cut short", 23, 0),
        (mtrk(b"\x00\xf8"), "bad status", 23, 0),
        (mtrk(b"\x00\xf1\x00"), "bad status", 23, 0),
        (mtrk(b"\x00\xff\x01\x10abc"), "bad length", 26, 0),
        (mtrk(b"\x00\xff\x01\x80\x80\x80\x80\x01"), "bad VLQ", 25, 0),
        (mtrk(b"\x00\xff"), "cut short", 23, 0),
        (mtrk(b"\x00\xf0\x05\x01\xf7"), "bad length", 25, 0),
        (mtrk(b"\x00\xff\x51\x02\x07\xa1"), "bad length", 26, 0),  # a tempo needs 3 bytes
        # a track chunk's length stops short of the next chunk: its bytes are not read
        (one + b"MTrk\x00\x00\x00\x03\x00\x90\x3c\x64\x00\xff\x2f\x00", "cut short", 23, 0),
    ]
    for data, want_text, want_offset, want_track in table:
        broken(data, want_text, want_offset, want_track)
    # errors in later tracks name that track
    data = header(1, 2, 96) + track([(0, note_on(0, 1, 1))]) + chunk(b"MTrk", b"\x00\x3c\x64")
    broken(data, "no status", 14 + 8 + 8 + 8 + 1, 1)

    # a subclass of smf_lite's MidiFile (not smf_extras') refuses them too
    class Mine(MidiFile):
        pass

    broken(header(2, 1, 96) + track([]), "smf_extras reads format 2 and SMPTE", 8, None, Mine)
    # smf_extras reads formats 2 and SMPTE, and says what is wrong with a header it cannot read
    table = [
        (header(3, 1, 96) + track([]), "format 3 is not 0, 1 or 2", 8),
        (header(0, 1, 0) + track([]), "division is 0", 12),
        (header(0, 1, smpte_division(23, 4)) + track([]), "-23", 12),
        (header(0, 1, smpte_division(25, 0)) + track([]), "0 ticks per frame", 13),
        (one, "bad chunk", 14),
    ]
    for data, want_text, want_offset in table:
        broken(data, want_text, want_offset, None, smf_extras.MidiFile)


def test_absolute_tick_and_song_time_stay_small_ints():
    # ticks past 805 million and song times past 6 days are refused, not turned into long ints
    huge = [(0, tempo(1))] + [(0x0FFFFFFF, note_on(0, 1, 1))] * 5
    broken(smf(0, 96, [huge]), "tick limit", None, 0)
    slow = [(0, tempo(0xFFFFFF))] + [(0x0FFFFFFF, note_on(0, 1, 1))] * 3
    broken(smf(0, 1, [slow]), "time limit")


def test_reading_events_allocates_nothing():
    block = (
        vlq(1)
        + note_on(1, 60, 100)
        + vlq(0)
        + b"\x3e\x00"
        + vlq(2)
        + cc(1, 7, 3)
        + vlq(1)
        + text(1, "abc")
        + vlq(0)
        + tempo(400001)
        + vlq(1)
        + sysex(b"\x01\x02\xf7")
    )
    body = block * 800  # 4800 events a track
    skip = len(vlq(1) + note_on(1, 60, 100) + vlq(0) + b"\x3e\x00")  # start others at the CC
    data = smf(1, 7, [chunk(b"MTrk", body), chunk(b"MTrk", body[skip:]), chunk(b"MTrk", body[skip:])])
    song = MidiFile(io.BytesIO(data), buffer_size=32)
    count = [0]
    next_event = song.next_event  # bound method made once: creating it allocates

    def step():
        if next_event() is None:
            song.rewind()

    no_alloc(step, 10000, "MidiFile.next_event")

    from host_shim import usb_midi

    port = usb_midi.PortOut()
    song.rewind()
    event = song.event
    sink = NullPort()
    write_to = event.write_to

    def step_and_send():
        e = next_event()
        if e is None:
            song.rewind()
        elif e.status < 0xF0:
            write_to(sink)

    no_alloc(step_and_send, 10000, "next_event + write_to")
    ok(sink.count > 1000, "messages were sent")
    del count, port
