# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The musical-time examples (clock_drums, midi_recorder) under host_shim with scripted
input on a virtual clock, on every runtime."""

import io

from mptest import eq, ok, TMP, empty_tmp

import exrun
from smf_lite import MidiFile

CLOCK = b"\xf8"
START = b"\xfa"
STOP = b"\xfc"
CONTINUE = b"\xfb"


def pulses(start_ms, bpm, count):
    return exrun.every(start_ms, 60000000 / bpm / 24, count, CLOCK)


def test_clock_drums_plays_the_pattern_on_the_clock_and_hears_the_tempo():
    # 120 BPM: a clock every 20.83 ms, a sixteenth (6 clocks) every 125 ms
    script = [(0, START)] + pulses(10, 120, 24 * 8) + [(10 + 4000 + 5, STOP)]
    r = exrun.run("clock_drums", usb=script)
    eq(r.lines[0], "clock_drums: waiting for MIDI clock")
    eq(r.lines[1], "start")
    bars = [line for line in r.lines if line.startswith("bar ")]
    eq(len(bars), 2, "two bars of 4/4: %r" % bars)
    eq(bars[0], "bar 1  tempo not known yet")
    ok(bars[1].startswith("bar 2  12") and abs(float(bars[1].split()[2]) - 120) < 0.5, bars[1])
    eq(r.lines[-1], "stop at bar 2 beat 4")
    # bass drum on steps 0, 4, 8, 12 of each bar: every 500 ms from the first clock
    kicks = [ms for ms, raw in r.usb_log if raw[:2] == b"\x99\x24"]
    eq(len(kicks), 8 + 2, "4 loud + 1 soft a bar")
    loud = [ms for ms, raw in r.usb_log if raw == b"\x99\x24\x6e"]
    eq([round((ms - loud[0]) / 125) for ms in loud], [0, 4, 8, 12, 16, 20, 24, 28], "steps of 125 ms")
    ok(all(abs(ms - loud[0] - 500 * i) <= 2 for i, ms in enumerate(loud)), "on time: %r" % loud)
    on = sum(1 for ms, raw in r.usb_log if raw[0] == 0x99)
    off = sum(1 for ms, raw in r.usb_log if raw[0] == 0x89)
    eq(on, off, "every drum note ended, the last ones by STOP")


def test_midi_recorder_saves_a_take_at_the_times_played():
    empty_tmp()
    script = [
        (100, b"\x90\x3c\x64"),
        (600, b"\x80\x3c\x00"),
        (600, CLOCK),
        (1100, b"\xb0\x07\x50"),
        (1100, b"\x90\x40\x50"),
        (1350, b"\x80\x40\x00"),
        (6000, b"\x90\x24\x10"),
    ]  # 4.65 s later: a second take
    r = exrun.run("midi_recorder", usb=script, until_ms=9500, cwd=TMP)
    eq(
        r.lines,
        [
            "midi_recorder: play to record",
            "recording take_001.mid",
            "saved take_001.mid: 5 events",
            "recording take_002.mid",
            "saved take_002.mid: 1 events",
        ],
    )
    with open(TMP + "/take_001.mid", "rb") as f:
        data = f.read()
    got = [(e.tick, e.status, e.data1, e.data2) for e in MidiFile(io.BytesIO(data)) if e.status < 0xF0]
    # 96 PPQ at 120 BPM: 500 ms is 96 ticks
    eq(got, [(0, 0x90, 60, 100), (96, 0x80, 60, 0), (192, 0xB0, 7, 80), (192, 0x90, 64, 80), (240, 0x80, 64, 0)])
    empty_tmp()


def test_clock_master_sends_start_and_clock_at_its_tempo():
    r = exrun.run("clock_master", until_ms=5000, settings=(('BPM = "120"', 'BPM = "125"'), ("BARS = 0", "BARS = 2")))
    eq(r.lines, ["clock_master: 125 BPM", "bar 1", "bar 2", "stop"])
    sent = [(ms, raw) for ms, raw in r.usb_log]
    eq(sent[0][1], b"\xfa", "START first")
    clocks = [ms for ms, raw in sent if raw == b"\xf8"]
    eq(len(clocks), 2 * 96 + 1, "two bars, and the first clock of the third")
    eq([clocks[i] - clocks[0] for i in (1, 2, 96, 192)], [20, 40, 1920, 3840], "a clock every 20 ms")
    eq(sent[-1][1], b"\xfc", "STOP last")


def test_clock_master_stops_and_starts_on_a_note():
    r = exrun.run(
        "clock_master",
        usb=[(500, b"\x90\x3c\x40"), (1000, b"\x90\x3c\x40")],
        until_ms=1300,
        settings=(('BPM = "120"', 'BPM = "125"'),),
    )
    eq(r.lines, ["clock_master: 125 BPM", "bar 1", "stop", "start", "bar 1"])
    kinds = [raw for ms, raw in r.usb_log if raw != b"\xf8"]
    eq(kinds, [b"\xfa", b"\xfc", b"\xfa"])
    clocks = [ms for ms, raw in r.usb_log if raw == b"\xf8"]
    ok(all(clocks[i + 1] - clocks[i] == 20 for i in range(len(clocks) - 1)), "clock goes on while stopped")
