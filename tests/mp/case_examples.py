# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The examples run under host_shim with scripted input, on every runtime.

Each test runs one examples/*.py program (tests/mp/exrun.py ends it once its input is
used up, or at a set virtual time) and checks what it printed and sent.
"""

from mptest import eq, ok, TMP

import exrun

CLOCK = b"\xf8"
START = b"\xfa"
CONTINUE = b"\xfb"
STOP = b"\xfc"


def pulses(start_ms, bpm, count):
    """count MIDI clock bytes at bpm, the first at start_ms."""
    return exrun.every(start_ms, 60000000 / bpm / 24, count, CLOCK)


def bpm_of(line):
    """The BPM figure in a printed line."""
    words = line.split()
    return float(words[words.index("BPM") - 1])


# --- usb_monitor ---------------------------------------------------------------------


def test_usb_monitor_prints_each_message_readably():
    stream = (
        b"\x90\x3c\x64"
        b"\x3e\x50"  # note on C4, then D4 by running status
        b"\xb1\x07\xf8\x5a"  # CC 7 on channel 2, a clock inside it
        b"\xe0\x00\x30"  # pitch bend -2048
        b"\xc2\x05"
        b"\xd3\x40"
        b"\xa0\x3c\x11"
        b"\xf0\x7e\x7f\x06\x01\xf7"  # identity request
        b"\xf2\x10\x00"
        b"\xf3\x02"
        b"\xf1\x35"
        b"\xf6"
        b"\xfa"
        b"\xfc"
    )
    r = exrun.run("usb_monitor", usb=[(1, stream)])
    eq(
        r.lines,
        [
            "usb_monitor: waiting for MIDI on USB",
            "note_on          ch 1   C4 (60)  velocity 100",
            "note_on          ch 1   D4 (62)  velocity 80",
            "control_change   ch 2   control 7  value 90",
            "pitch_bend       ch 1   value -2048",
            "program_change   ch 3   program 5",
            "channel_pressure ch 4   pressure 64",
            "aftertouch       ch 1   C4 (60)  pressure 17",
            "sysex 4 bytes: 7E 7F 06 01",
            "song_position    beat 16 (sixteenths)",
            "song_select      song 2",
            "mtc_quarter_frame piece 3  value 5",
            "tune_request",
            "start",
            "stop",
        ],
        "monitor lines",
    )
    eq(r.usb, b"", "the monitor sends nothing")


def test_usb_monitor_reports_a_cut_short_and_a_long_sysex():
    long_payload = bytes(range(20))
    r = exrun.run("usb_monitor", usb=[(0, b"\xf0\x01\x02\x90\x3c\x64"), (5, b"\xf0" + long_payload + b"\xf7")])
    eq(
        r.lines[1:],
        [
            "sysex 2 bytes (cut short: no F7): 01 02",
            "note_on          ch 1   C4 (60)  velocity 100",
            "sysex 20 bytes: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F ... (4 more)",
        ],
        "sysex lines",
    )


def test_usb_monitor_stays_quiet_about_clock_by_default():
    r = exrun.run("usb_monitor", usb=pulses(0, 120, 48) + [(1000, b"\xfe\x90\x40\x01")])
    eq(r.lines[1:], ["note_on          ch 1   E4 (64)  velocity 1"], "clock not shown")


# --- clock_follower ------------------------------------------------------------------


def test_clock_follower_reports_tempo_beats_stop_and_continue():
    script = (
        pulses(0, 120, 48)  # two beats while stopped
        + [(1000, START)]
        + pulses(1010, 120, 96)  # one bar
        + [(3100, STOP)]
        + [(3200, b"\xf2\x0a\x00")]  # song position: sixteenth 10
        + [(3300, CONTINUE)]
        + pulses(3310, 90, 48)
    )
    r = exrun.run("clock_follower", usb=script)
    lines = r.lines
    eq(lines[0], "clock_follower: waiting for MIDI clock")
    ok(lines[1].startswith("tempo "), lines[1])
    ok(abs(bpm_of(lines[1]) - 120) <= 0.3, lines[1])
    eq(lines[2], "start")
    beats = [line.split("  ")[0].strip() for line in lines[3:7]]
    eq(beats, ["bar 1 beat 1", "bar 1 beat 2", "bar 1 beat 3", "bar 1 beat 4"], "beats")
    for line in lines[3:7]:
        ok(abs(bpm_of(line) - 120) <= 0.3, line)
    eq(lines[7], "stop at bar 2 beat 1")
    eq(lines[8], "song position bar 1 beat 3 sixteenth 3")
    eq(lines[9], "continue at bar 1 beat 3")
    # 10 sixteenths in: the next beat starts after 2 more sixteenths (12 pulses)
    eq([line.split("  ")[0].strip() for line in lines[10:]], ["bar 1 beat 4", "bar 2 beat 1"])
    ok(abs(bpm_of(lines[-1]) - 90) <= 0.3, lines[-1])


def test_clock_follower_blinks_the_led_once_per_beat():
    r = exrun.run("clock_follower", usb=[(0, START)] + pulses(10, 100, 24 * 3) + [(2000, STOP)])
    eq(r.lines[-1], "stop at bar 1 beat 4")
    # off at start, then on at each beat and off a sixteenth later; off again at stop
    eq(r.pins["LED"], [False, True, False, True, False, True, False, False], "LED")


# --- sysex_dump ----------------------------------------------------------------------


def fresh_dir(name):
    """An empty folder under TMP (made if missing, emptied if not)."""
    import os

    path = TMP + "/" + name
    try:
        os.mkdir(path)
    except OSError:
        for entry in os.listdir(path):
            os.remove(path + "/" + entry)
    return path


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def test_sysex_dump_saves_a_large_sysex_exactly_with_realtime_removed():
    payload = bytes([(i * 7) & 0x7F for i in range(5000)])
    sent = bytearray(b"\xf0")
    for i in range(0, len(payload), 100):  # a clock byte every 100 bytes, inside the SysEx
        sent.extend(payload[i : i + 100])
        sent.extend(CLOCK)
    sent.extend(b"\xf7")
    pieces = [(i // 64, bytes(sent[i : i + 64])) for i in range(0, len(sent), 64)]
    folder = fresh_dir("sysex_dump_test")
    r = exrun.run("sysex_dump", usb=pieces + [(200, b"\xf0\x41\x10\x42\xf7")], cwd=folder)
    eq(
        r.lines,
        [
            "sysex_dump: waiting for SysEx",
            "sysex from manufacturer 00: receiving",
            "saved dump_001.syx: 5002 bytes",
            "sysex from manufacturer 41: receiving",
            "saved dump_002.syx: 5 bytes",
        ],
        "lines",
    )
    got = read_file(folder + "/dump_001.syx")
    eq(len(got), 5002, "file size")
    ok(got == b"\xf0" + payload + b"\xf7", "file holds the SysEx byte for byte")
    eq(read_file(folder + "/dump_002.syx"), b"\xf0\x41\x10\x42\xf7", "second dump")


def test_sysex_dump_keeps_a_cut_short_sysex_without_f7_and_numbers_files_on():
    folder = fresh_dir("sysex_dump_test2")
    with open(folder + "/dump_001.syx", "wb") as f:
        f.write(b"\xf0\x01\xf7")  # already there: left alone
    r = exrun.run("sysex_dump", usb=[(0, b"\xf0\x7d\x01\x02\x90\x3c\x64")], cwd=folder)
    eq(r.lines[2:], ["saved dump_002.syx: 4 bytes", "that SysEx was cut short (no F7) after 3 bytes"], "lines")
    eq(read_file(folder + "/dump_001.syx"), b"\xf0\x01\xf7", "old file untouched")
    eq(read_file(folder + "/dump_002.syx"), b"\xf0\x7d\x01\x02", "no F7 added")


# --- arpeggiator ---------------------------------------------------------------------


def on(note):
    return bytes([0x90, note, 100])


def off(note):
    return bytes([0x80, note, 0])


def sent(r):
    """[(ms, 'on'|'off', note)] for each note message the program wrote to USB."""
    events = []
    for ms, data in r.usb_log:
        for i in range(0, len(data), 3):
            kind = "on" if data[i] & 0xF0 == 0x90 and data[i + 2] else "off"
            events.append((ms, kind, data[i + 1]))
    return events


def notes_on(r):
    return [note for ms, kind, note in sent(r) if kind == "on"]


def test_arpeggiator_plays_held_notes_up_at_its_own_tempo_and_stops_on_release():
    r = exrun.run("arpeggiator", usb=[(0, on(60) + on(64) + on(67)), (600, off(64) + off(60) + off(67))], until_ms=900)
    events = sent(r)
    eq(
        [(kind, note) for ms, kind, note in events],
        [
            ("on", 60),
            ("off", 60),
            ("on", 64),
            ("off", 64),
            ("on", 67),
            ("off", 67),
            ("on", 60),
            ("off", 60),
            ("on", 64),
            ("off", 64),
        ],
        "C E G C E, then silence",
    )
    starts = [ms for ms, kind, note in events if kind == "on"]
    for i in range(len(starts)):  # 120 BPM sixteenths: 125 ms apart
        ok(0 <= starts[i] - 125 * i < 2, "step %d at %r ms" % (i, starts[i]))
    ok(600 <= events[-1][0] < 602, "last note ends at the release")


def test_arpeggiator_updown_over_two_octaves_and_down():
    chord = [(0, on(60) + on(64) + on(67))]
    r = exrun.run(
        "arpeggiator",
        usb=chord,
        until_ms=1400,
        settings=[('MODE = "up"', 'MODE = "updown"'), ("OCTAVES = 1", "OCTAVES = 2")],
    )
    eq(notes_on(r)[:12], [60, 64, 67, 72, 76, 79, 76, 72, 67, 64, 60, 64], "up and down")
    r = exrun.run("arpeggiator", usb=chord, until_ms=500, settings=[('MODE = "up"', 'MODE = "down"')])
    eq(notes_on(r), [67, 64, 60, 67], "down")


def test_arpeggiator_internal_tempo_does_not_drift():
    # 110 BPM: a sixteenth is 136.36... ms; 220 steps must end on 30 000 ms exactly
    r = exrun.run("arpeggiator", usb=[(0, on(60))], until_ms=30010, poll_us=1000, settings=[("BPM = 120", "BPM = 110")])
    starts = [ms for ms, kind, note in sent(r) if kind == "on"]
    eq(len(starts), 221, "steps in 30 s")
    t0 = starts[0]
    for i in range(len(starts)):  # each step within 2 ms of its exact time: no error builds up
        exact = t0 + i * 60000 / 440
        ok(abs(starts[i] - exact) <= 2, "step %d at %r ms, due %r" % (i, starts[i], exact))


def test_arpeggiator_follows_clock_stop_and_falls_back_to_its_own_tempo():
    pulse_us = 25000  # 100 BPM
    script = (
        [(0, START)]
        + exrun.every(0, pulse_us, 80, CLOCK)  # pulses 0-79, to 1975 ms
        + [(100, on(60) + on(64))]  # held from 100 ms
        + [(1010, STOP)]
    )  # after pulse 40
    r = exrun.run("arpeggiator", usb=script, until_ms=2700)
    events = sent(r)
    starts = [ms for ms, kind, note in events if kind == "on"]
    clocked = [ms for ms in starts if ms < 1010]
    # a step every 6 pulses (150 ms), on the pulse: pulses 6, 12, ..., 36
    eq(len(clocked), 6, "steps while running: %r" % clocked)
    for i in range(len(clocked)):
        ok(0 <= clocked[i] - 150 * (i + 1) < 2, "step on pulse %d at %r" % (6 * (i + 1), clocked[i]))
    eq(notes_on(r)[:6], [60, 64, 60, 64, 60, 64], "alternating")
    stopped = [ms for ms in starts if 1010 <= ms < 1975 + 500]
    eq(stopped, [], "no steps after STOP while the clock runs")
    ok(events[len(clocked) * 2 - 1][1] == "off", "STOP ends the sounding note")
    # the clock ends at 1975 ms; 500 ms later the internal 120 BPM tempo takes over
    free = [ms for ms in starts if ms >= 1975 + 500]
    ok(len(free) >= 1 and free[0] < 1975 + 503, "own tempo after the clock stops: %r" % free)
    for i in range(1, len(free)):
        ok(abs(free[i] - free[i - 1] - 125) < 2, "125 ms steps: %r" % free)


# --- cc_controller -------------------------------------------------------------------


def ccs(r):
    """[(control, value)] for each control change the program wrote to USB."""
    out = []
    data = r.usb
    for i in range(0, len(data), 3):
        eq(data[i], 0xB0, "a control change on channel 1")
        out.append((data[i + 1], data[i + 2]))
    return out


def set_knob(pin_name, value):
    def fn():
        import board
        from host_shim import analogio

        analogio.set_value(getattr(board, pin_name), value)

    return fn


def test_cc_controller_sends_where_the_knobs_are_at_start():
    r = exrun.run("cc_controller", events=[(0, set_knob("A1", 32768)), (0, set_knob("A2", 65535))], until_ms=100)
    eq(r.lines, ["cc_controller: 3 knobs on channel 1"], "banner")
    eq(ccs(r), [(7, 0), (10, 64), (74, 127)], "initial positions, then nothing: no knob moved")


def test_cc_controller_follows_a_turned_knob_smoothly_to_its_value():
    # 40192 is the middle of step 78 (78 * 512 + 256)
    r = exrun.run("cc_controller", events=[(50, set_knob("A0", 40192))], until_ms=400)
    moves = [value for control, value in ccs(r)[3:] if control == 7]
    eq(moves[-1], 78, "ends at the knob's value")
    ok(moves == sorted(moves) and len(set(moves)) == len(moves), "rises without repeats: %r" % moves)
    ok(2 <= len(moves) <= 40, "a ramp, not one message per reading: %r" % moves)
    eq([control for control, value in ccs(r)[3:]], [7] * len(moves), "only knob 1 moved")


def test_cc_controller_reaches_both_ends_of_the_range():
    r = exrun.run("cc_controller", events=[(10, set_knob("A0", 65535)), (300, set_knob("A0", 0))], until_ms=600)
    moves = [value for control, value in ccs(r)[3:]]
    ok(127 in moves, "full scale is 127: %r" % moves)
    eq(moves[-1], 0, "back to 0")


def test_cc_controller_ignores_noise_on_a_step_edge():
    # A1 jitters +-300 around 32768, exactly where CC value 63 becomes 64, for 1 s
    noise = [(0, set_knob("A1", 32768))]
    for i in range(500):
        noise.append((1 + 2 * i, set_knob("A1", 32768 + (300 if i % 2 else -300))))
    r = exrun.run("cc_controller", events=noise, until_ms=1100)
    eq(ccs(r), [(7, 0), (10, 64), (74, 0)], "no CC flood from a noisy pot")


def test_cc_controller_without_smoothing_or_hysteresis_would_flood():
    # the same noise with both switched off: shows the test above can fail
    noise = [(0, set_knob("A1", 32768))]
    for i in range(100):
        noise.append((1 + 2 * i, set_knob("A1", 32768 + (300 if i % 2 else -300))))
    r = exrun.run(
        "cc_controller",
        events=noise,
        until_ms=300,
        settings=[("SMOOTHING = 3", "SMOOTHING = 0"), ("HYSTERESIS = 96", "HYSTERESIS = -256")],
    )
    ok(len(ccs(r)) > 50, "many CCs: %d" % len(ccs(r)))


# --- din_usb_bridge ------------------------------------------------------------------


def test_din_usb_bridge_passes_notes_sysex_and_realtime_both_ways():
    payload = bytes([i & 0x7F for i in range(1000)])
    sysex_with_clock = b"\xf0" + payload[:500] + CLOCK + payload[500:] + b"\xf7"
    din_stream = (
        b"\x90\x3c\x64\x3e\x50"  # running status on DIN
        + sysex_with_clock
        + START
        + b"\xb0\x07\x7f"
    )
    usb_stream = b"\x91\x40\x40" + b"\xf0\x7d\x01\xf7" + CLOCK + b"\xe1\x00\x40"
    din_pieces = [(i // 32, din_stream[i : i + 32]) for i in range(0, len(din_stream), 32)]
    r = exrun.run("din_usb_bridge", din=din_pieces, usb=[(3, usb_stream)])
    eq(r.lines, ["din_usb_bridge: DIN <-> USB"], "banner")
    # to USB: full status bytes; the clock from inside the SysEx right after its F7
    eq(r.usb, b"\x90\x3c\x64\x90\x3e\x50" + b"\xf0" + payload + b"\xf7" + CLOCK + START + b"\xb0\x07\x7f", "DIN -> USB")
    eq(r.uarts[0].take(), usb_stream, "USB -> DIN, byte for byte")
