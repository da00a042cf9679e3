# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite's memory does not grow with the file, and its times stay exact small ints.

On MicroPython: a 10 KB and a 1 MB file with 16 tracks peak within 512 bytes of each
other (the heap is measured after opening and while every event is read, with the
collector off so nothing allocated can hide), and an hour-long song with a tempo
change on every beat is read without allocating (on the 32-bit WebAssembly build an int
of 2**30 or more would be a heap object), landing on the exact microsecond. The files
are written in pieces under mptest.TMP, so the test itself holds nothing file-sized.
"""

import gc

from mptest import eq, ok, IS_MICROPYTHON, IS_32BIT, TMP

import smf_lite
from smf_writer import write_big, vlq, note_on, text, sysex, tempo, header, u32, END_OF_TRACK

BLOCK = (
    vlq(1)
    + note_on(1, 60, 100)
    + vlq(2)
    + b"\x3e\x00"
    + vlq(1)
    + b"\x3c\x00"
    + vlq(3)
    + text(1, "la la")
    + vlq(0)
    + sysex(b"\x7e\x01\x02\xf7")
)  # 5 events


def heap_peak(path):
    """(heap after open, peak while reading every event, events) in bytes above the start."""
    gc.collect()
    base = gc.mem_alloc() if IS_MICROPYTHON else 0
    song = smf_lite.MidiFile(path)
    opened = (gc.mem_alloc() - base) if IS_MICROPYTHON else 0
    peak = opened
    count = 0
    gc.disable()
    try:
        event = song.next_event()
        while event is not None:
            count += 1
            if IS_MICROPYTHON and not count & 255:
                used = gc.mem_alloc() - base
                if used > peak:
                    peak = used
            event = song.next_event()
        if IS_MICROPYTHON:
            used = gc.mem_alloc() - base
            if used > peak:
                peak = used
    finally:
        gc.enable()
    song.close()
    return opened, peak, count


def test_heap_is_the_same_for_10_kb_and_1_mb_with_16_tracks():
    small = TMP + "/smf_mem_small.mid"
    large = TMP + "/smf_mem_large.mid"
    small_size = write_big(small, 16, BLOCK, 10000 // 16 // len(BLOCK))
    large_size = write_big(large, 16, BLOCK, 1000000 // 16 // len(BLOCK))
    ok(9000 < small_size < 11000 and 950000 < large_size < 1050000, "file sizes")
    opened_s, peak_s, count_s = heap_peak(small)
    opened_l, peak_l, count_l = heap_peak(large)
    eq(count_s, 16 * (10000 // 16 // len(BLOCK)) * 5 + 16, "every event of the small file")
    eq(count_l, 16 * (1000000 // 16 // len(BLOCK)) * 5 + 16, "every event of the large file")
    print(
        "heap after open / peak: 10 KB file %d / %d bytes, 1 MB file %d / %d bytes"
        % (opened_s, peak_s, opened_l, peak_l)
    )
    ok(abs(peak_l - peak_s) <= 512, "peaks within 512 bytes: %d vs %d" % (peak_s, peak_l))
    ok(peak_l == opened_l, "reading allocates nothing after open")
    if IS_MICROPYTHON:
        ok(peak_l < 8000, "16 tracks fit in 8 KB (got %d)" % peak_l)


# an hour of music: 7300 beats at 96 PPQ, a new tempo on every beat, notes in 3 tracks
PPQ = 96
BEATS = 7300


def beat_tempo(k):
    return 300001 + (k * 7919) % 400000  # 0.3-0.7 s a beat, never a round number


def write_hour(path):
    f = open(path, "wb")
    f.write(header(1, 4, PPQ))
    body = bytearray()
    for k in range(BEATS):
        body += vlq(0 if k == 0 else PPQ) + tempo(beat_tempo(k))
    body += b"\x00" + END_OF_TRACK
    f.write(b"MTrk" + u32(len(body)) + body)
    for t in range(3):
        step = 37 + 12 * t  # ticks between notes: not a divisor of PPQ
        count = BEATS * PPQ // step
        body = bytearray()
        for k in range(count):
            body += vlq(step) + note_on(t, 40 + k % 40, 90 if k % 2 else 0)
        body += b"\x00" + END_OF_TRACK
        f.write(b"MTrk" + u32(len(body)) + body)
    f.close()


def exact_us_floor(tick):
    """Exact time of tick in whole microseconds (rounded down), with plain big integers."""
    beats = tick // PPQ
    total = 0  # in 1/PPQ microseconds
    for k in range(beats):
        total += PPQ * beat_tempo(k)
    total += (tick - beats * PPQ) * beat_tempo(beats)
    return total // PPQ


def test_hour_long_song_is_exact_to_the_microsecond_without_allocating():
    path = TMP + "/smf_hour.mid"
    write_hour(path)
    song = smf_lite.MidiFile(path)
    # the first reads warm up; then nothing may be allocated to the end of the song
    for _ in range(10):
        song.next_event()
    last_tick = last_ms = last_frac = 0
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc() if IS_MICROPYTHON else 0
        event = song.next_event()
        while event is not None:
            last_tick = event.tick
            last_ms = event.time_ms
            last_frac = event.time_frac_us
            event = song.next_event()
        grew = (gc.mem_alloc() - before) if IS_MICROPYTHON else 0
    finally:
        gc.enable()
    eq(grew, 0, "reading an hour-long song allocated %d bytes" % grew)
    want = exact_us_floor(last_tick)
    ok(want > 3600 * 1000000, "the song lasts over an hour (%d us)" % want)
    eq(last_ms * 1000 + last_frac, want, "last event on the exact microsecond")
    ok(last_ms < (1 << 30), "time_ms stays a small int")
    if IS_32BIT:
        print("32-bit: an hour-long song read with no long ints")


def test_events_through_the_hour_are_exact():
    path = TMP + "/smf_hour.mid"
    write_hour(path)
    song = smf_lite.MidiFile(path)
    n = 0
    for event in song:
        n += 1
        if n % 3001 == 0:
            eq(event.time_us, exact_us_floor(event.tick), "tick %d" % event.tick)
    ok(n > 20000, "%d events" % n)
