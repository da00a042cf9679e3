# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_write.SMFWriter and Recorder: files read back equal by smf_lite, a full drive
leaving a valid file up to the last complete event, on every runtime."""

import io

from mptest import eq, ok, raises, no_alloc, no_transient, TMP

import smf_write
from smf_write import SMFWriter, Recorder
from smf_lite import MidiFile


def events_of(data):
    """(tick, track, status, data1, data2, extra) of every event smf_lite reads."""
    out = []
    for e in MidiFile(io.BytesIO(data)):
        extra = None
        if e.status == 0xFF and e.meta_type == 0x2F:
            continue  # the end of track
        if e.status == 0xFF:
            extra = (e.meta_type, bytes(e.payload[: e.payload_length]))
        elif e.status >= 0xF0:
            extra = bytes(e.payload[: e.payload_length])
        out.append((e.tick, e.track, e.status, e.data1, e.data2, extra))
    return out


SONG = [  # (tick, status, data1, data2), written in order
    (0, 0xC0, 5, 0),
    (0, 0x90, 60, 100),
    (0, 0x90, 64, 90),
    (96, 0x80, 60, 0),
    (96, 0x80, 64, 0),
    (100, 0xB1, 7, 127),
    (100, 0xB1, 10, 0),
    (200, 0xE2, 0, 64),
    (200, 0xD3, 33, 0),
    (20000, 0xA0, 60, 1),
    (20000 + 0x4000 * 130, 0x90, 1, 1),
    (20000 + 0x4000 * 130, 0x80, 1, 0),
]


def write_song(target, running_status):
    w = SMFWriter(target, 0, 480, running_status)
    w.tempo(0, 600000)
    w.time_signature(0, 6, 8)
    w.text(0, "smol \u00e9", smf_write.META_TRACK_NAME)
    for tick, status, d1, d2 in SONG:
        w.message(tick, status, d1, d2)
        if tick == 100 and status == 0xB1 and d1 == 10:
            w.sysex(150, b"\x7e\x7f\x09\x01")
    return w


def test_format_0_reads_back_equal_with_and_without_running_status():
    sizes = []
    for rs in (False, True):
        f = io.BytesIO()
        w = write_song(f, rs)
        w.close()
        data = f.getvalue()
        sizes.append(len(data))
        got = events_of(data)
        eq(
            got[:3],
            [
                (0, 0, 0xFF, 0, 0, (0x51, b"\x09\x27\xc0")),
                (0, 0, 0xFF, 0, 0, (0x58, b"\x06\x03\x18\x08")),
                (0, 0, 0xFF, 0, 0, (0x03, bytes("smol \u00e9", "utf-8"))),
            ],
        )
        chan = [(t, s, a, b) for t, tr, s, a, b, x in got if s < 0xF0]
        eq(chan, SONG, "channel messages (running status %s)" % rs)
        eq([x for t, tr, s, a, b, x in got if s == 0xF0], [b"\x7e\x7f\x09\x01\xf7"])
        eq(got[-1][0], SONG[-1][0])
        mf = MidiFile(io.BytesIO(data))
        eq((mf.format, mf.ntracks, mf.ppq), (0, 1, 480))
        eq(w.events, len(SONG) + 4)
    eq(sizes[1], sizes[0] - 3, "running status: 3 status bytes fewer (none after the SysEx)")


def test_format_1_three_tracks_merge_by_tick():
    f = io.BytesIO()
    w = SMFWriter(f, 1, 96)
    w.tempo(0, 500000)
    w.tempo(192, 250000)
    for k in range(2):
        w.new_track()
        for i in range(10):
            w.message(i * 48 + k, 0x90 | k, 60 + i, 100)
            w.message(i * 48 + k + 24, 0x80 | k, 60 + i, 0)
    w.close()
    mf = MidiFile(io.BytesIO(f.getvalue()))
    eq((mf.format, mf.ntracks), (1, 3))
    got = events_of(f.getvalue())
    eq(
        [(t, tr, s) for t, tr, s, a, b, x in got if s < 0xF0][:4],
        [(0, 1, 0x90), (1, 2, 0x91), (24, 1, 0x80), (25, 2, 0x81)],
    )
    eq(len(got), 2 + 40)
    times = [e.time_ms for e in mf if e.status < 0xF0 and e.tick == 240]
    eq(times, [1000 + 125], "tick 240: 2 beats at 120 BPM + half a beat at 240")
    raises(ValueError, SMFWriter(io.BytesIO()).new_track)


def test_to_a_path_and_errors():
    path = TMP + "/w.mid"
    with SMFWriter(path, 0, 96) as w:
        w.message(10, 0x90, 1, 2)
    with open(path, "rb") as f:
        eq(events_of(f.read())[-1], (10, 0, 0x90, 1, 2, None))
    w = SMFWriter(io.BytesIO())
    w.message(5, 0x90, 1, 1)
    raises(ValueError, w.message, 4, 0x90, 1, 1)  # before the last event
    raises(ValueError, w.message, 6, 0xF8)
    raises(ValueError, w.message, 6, 0x90, 128, 0)
    raises(ValueError, w.message, 6, 0x90, -1, 0)
    raises(ValueError, w.sysex, 6, b"\x01\x80")
    raises(ValueError, w.time_signature, 6, 4, 3)
    raises(ValueError, w.tempo, 6, 0)
    raises(ValueError, w.meta, 6, 0x2F, b"")
    raises(ValueError, SMFWriter, io.BytesIO(), 2)
    raises(ValueError, SMFWriter, io.BytesIO(), 0, 0)


class FullDrive:
    """A file on a drive with room for `room` bytes: writing past it writes what fits
    and raises OSError 28, as a full FAT drive does; overwriting costs no room."""

    def __init__(self, room):
        self.data = bytearray()
        self.pos = 0
        self.room = room

    def write(self, buf):
        buf = bytes(buf)
        fits = self.room - self.pos
        take = buf if len(buf) <= fits else buf[: max(fits, 0)]
        end = self.pos + len(take)
        if end > len(self.data):
            self.data.extend(bytes(end - len(self.data)))
        self.data[self.pos : end] = take
        self.pos = end
        if len(take) < len(buf):
            raise OSError(28, "No space left on device")
        return len(take)

    def seek(self, pos, whence=0):
        self.pos = pos
        return pos

    def tell(self):
        return self.pos


def test_a_full_drive_leaves_a_valid_file_up_to_the_last_complete_event():
    full = io.BytesIO()
    write_song(full, True).close()
    whole = len(full.getvalue())
    all_events = events_of(full.getvalue())
    for room in range(26, whole + 1):  # from just after the first track header
        drive = FullDrive(room)
        w = None
        err = None
        try:
            w = write_song(drive, True)
            w.close()
        except OSError as e:
            err = e
        got = events_of(bytes(drive.data))
        if err is None:
            eq(got, all_events, "room %d: it all fitted" % room)
            continue
        ok("valid up to event" in str(err), "a clear message: %s" % err)
        eq(got, all_events[: len(got)], "room %d: a prefix of the song" % room)
        ok(len(drive.data) <= room)
        n = int(str(err).split("valid up to event ")[1].split()[0])
        eq(len(got), n, "room %d: every event before the full drive is there" % room)
    raises(OSError, SMFWriter, FullDrive(10))


def test_read_only_drive_is_explained():
    def read_only(path, mode="r"):
        raise OSError(30, "Read-only filesystem")

    smf_write.open = read_only  # module globals come before builtins
    try:
        e = raises(OSError, SMFWriter, TMP + "/x.mid")
        ok("storage.remount" in str(e), str(e))
    finally:
        del smf_write.open


class Msg:
    def __init__(self, kind, channel=None, data=None):
        self.type = kind
        self.channel = channel
        self.data = data


def test_recorder_writes_messages_at_their_times_across_the_ms_wrap():
    f = io.BytesIO()
    rec = Recorder(f, ppq=96, tempo=500000)  # a tick is 500000 / 96 us = 5.2083 ms
    t0 = (1 << 29) - 1000
    script = [
        (0, Msg(0x90, 0, b"\x3c\x64")),
        (1000, Msg(0xF8)),
        (1000, Msg(0x80, 0, b"\x3c\x00")),
        (1002, Msg(0xB0, 3, b"\x07\x50")),
        (1010, Msg(0xC0, 1, b"\x05")),
        (601010, Msg(0x90, 15, b"\x01\x01")),
    ]  # ten minutes later
    written = [rec.record(msg, (t0 + ms) & ((1 << 29) - 1)) for ms, msg in script]
    eq(written, [True, False, True, True, True, True], "clock not written")
    rec.close()
    got = [(t, s, a, b) for t, tr, s, a, b, x in events_of(f.getvalue()) if s < 0xF0]
    eq(
        got,
        [
            (0, 0x90, 60, 100),
            (192, 0x80, 60, 0),
            (192, 0xB3, 7, 80),
            (193, 0xC1, 5, 0),
            (601010 * 96 // 500, 0x9F, 1, 1),
        ],
    )


def test_recorder_with_a_us_clock_and_sysex():
    f = io.BytesIO()
    rec = Recorder(f, ppq=960, tempo=400000, unit_us=1, mask=0x3FFFFFFF)
    rec.start(0x3FFFFFFF - 10)

    class Sx:
        type = 0xF0
        channel = None
        data = None
        truncated = False
        sysex_end = 0

        def __iter__(self):
            return iter(b"\xf0\x7d\x01\x02\xf7")

    rec.record(Sx(), 400000 - 11)  # a quarter note after the start
    cut = Sx()
    cut.truncated = True
    eq(rec.record(cut, 400000), False, "an incomplete SysEx is not written")
    rec.close()
    got = events_of(f.getvalue())
    eq((got[-1][0], got[-1][5]), (960, b"\x7d\x01\x02\xf7"))


class NullFile:
    def __init__(self):
        self.pos = 0

    def write(self, buf):
        self.pos += len(buf)
        return len(buf)

    def seek(self, pos, whence=0):
        self.pos = pos

    def tell(self):
        return self.pos


def test_writing_channel_messages_allocates_nothing():
    w = SMFWriter(NullFile(), 0, 96, True)
    rec = Recorder(NullFile())
    msg = Msg(0x90, 2, b"\x3c\x40")
    state = [0]
    message = w.message  # bound methods made once: creating them allocates
    record = rec.record

    def step():
        state[0] += 3
        message(state[0], 0x92, 60, 64)
        record(msg, state[0])

    no_alloc(step, 10000, "SMFWriter.message + Recorder.record")
    no_transient(step, 10000, "SMFWriter.message + Recorder.record")
    eq(w.events, 20002, "every message written (two runs of 10001)")
