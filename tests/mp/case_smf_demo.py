# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""examples/smf_player.py plays examples/tune.mid on time and ends by itself, on every runtime."""

from mptest import eq, ok

import exrun
from host_shim import board, digitalio
from smf_lite import MidiFile

MS_PERIOD = 1 << 29


def examples_dir():
    path = exrun.example_path("smf_player")
    return path[: path.rindex("/")]


def song_events():
    """(due ms after the start, bytes) of every channel message in tune.mid."""
    out = []
    for e in MidiFile(examples_dir() + "/tune.mid"):
        if e.status < 0xF0:
            out.append((-(-e.time_us // 1000), bytes([e.status]) + bytes(e.data)))
        elif e.status == 0xF0:
            out.append((-(-e.time_us // 1000), b"\xf0" + bytes(e.data)))
    return out


def test_the_tune_plays_every_event_at_its_time_across_the_ticks_wrap():
    start = MS_PERIOD - 8000  # supervisor.ticks_ms() wraps 8 s into the tune
    r = exrun.run("smf_player", start_ms=start, cwd=examples_dir(), until_ms=start + 60000)
    ok(not r.timed_out, "the program ends by itself after the tune")
    eq(r.lines[0], "playing tune.mid: format 1, 5 tracks, 480 ticks per quarter note")
    want = song_events()
    got = [(int(ms) - start, raw) for ms, raw in r.usb_log]
    eq(len(got), len(want), "every event sent once")
    eq(got, want, "each at the first millisecond at or after its time")
    ok(15000 <= want[-1][0] <= 30000, "15-30 s long")
    eq(r.lines[-1], "done: %d events sent" % len(want))


def test_the_button_stops_the_tune_and_silences_it():
    def press():
        digitalio.set_input(board.BUTTON, False)

    r = exrun.run("smf_player", events=[(5000, press)], cwd=examples_dir(), until_ms=60000)
    ok(not r.timed_out)
    eq(r.lines[-2:], ["stopped by the button", "done: %d events sent" % len([t for t, raw in r.usb_log if t < 5000])])
    sounding = set()
    for t, raw in r.usb_log:
        if t < 5000 and raw[0] & 0xF0 == 0x90 and raw[2]:
            sounding.add((raw[0] & 15, raw[1]))
        elif t < 5000 and raw[0] & 0xF0 in (0x80, 0x90):
            sounding.discard((raw[0] & 15, raw[1]))
    offs = set((raw[0] & 15, raw[1]) for t, raw in r.usb_log if t >= 5000)
    ok(sounding, "notes were sounding at 5 s")
    eq(offs, sounding, "a note-off for each, and nothing else")
    ok(all(raw[0] & 0xF0 == 0x80 for t, raw in r.usb_log if t >= 5000))
