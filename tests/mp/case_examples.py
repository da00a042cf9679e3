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
    stream = (b"\x90\x3c\x64" b"\x3e\x50"          # note on C4, then D4 by running status
              b"\xb1\x07\xf8\x5a"                  # CC 7 on channel 2, a clock inside it
              b"\xe0\x00\x30"                      # pitch bend -2048
              b"\xc2\x05" b"\xd3\x40" b"\xa0\x3c\x11"
              b"\xf0\x7e\x7f\x06\x01\xf7"          # identity request
              b"\xf2\x10\x00" b"\xf3\x02" b"\xf1\x35" b"\xf6" b"\xfa" b"\xfc")
    r = exrun.run("usb_monitor", usb=[(1, stream)])
    eq(r.lines, [
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
    ], "monitor lines")
    eq(r.usb, b"", "the monitor sends nothing")


def test_usb_monitor_reports_a_cut_short_and_a_long_sysex():
    long_payload = bytes(range(20))
    r = exrun.run("usb_monitor", usb=[(0, b"\xf0\x01\x02\x90\x3c\x64"),
                                      (5, b"\xf0" + long_payload + b"\xf7")])
    eq(r.lines[1:], [
        "sysex 2 bytes (cut short: no F7): 01 02",
        "note_on          ch 1   C4 (60)  velocity 100",
        "sysex 20 bytes: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F ... (4 more)",
    ], "sysex lines")


def test_usb_monitor_stays_quiet_about_clock_by_default():
    r = exrun.run("usb_monitor", usb=pulses(0, 120, 48) + [(1000, b"\xfe\x90\x40\x01")])
    eq(r.lines[1:], ["note_on          ch 1   E4 (64)  velocity 1"], "clock not shown")


# --- clock_follower ------------------------------------------------------------------

def test_clock_follower_reports_tempo_beats_stop_and_continue():
    script = (pulses(0, 120, 48)                       # two beats while stopped
              + [(1000, START)] + pulses(1010, 120, 96)  # one bar
              + [(3100, STOP)]
              + [(3200, b"\xf2\x0a\x00")]               # song position: sixteenth 10
              + [(3300, CONTINUE)] + pulses(3310, 90, 48))
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
        sent.extend(payload[i:i + 100])
        sent.extend(CLOCK)
    sent.extend(b"\xf7")
    pieces = [(i // 64, bytes(sent[i:i + 64])) for i in range(0, len(sent), 64)]
    folder = fresh_dir("sysex_dump_test")
    r = exrun.run("sysex_dump", usb=pieces + [(200, b"\xf0\x41\x10\x42\xf7")], cwd=folder)
    eq(r.lines, [
        "sysex_dump: waiting for SysEx",
        "sysex from manufacturer 00: receiving",
        "saved dump_001.syx: 5002 bytes",
        "sysex from manufacturer 41: receiving",
        "saved dump_002.syx: 5 bytes",
    ], "lines")
    got = read_file(folder + "/dump_001.syx")
    eq(len(got), 5002, "file size")
    ok(got == b"\xf0" + payload + b"\xf7", "file holds the SysEx byte for byte")
    eq(read_file(folder + "/dump_002.syx"), b"\xf0\x41\x10\x42\xf7", "second dump")


def test_sysex_dump_keeps_a_cut_short_sysex_without_f7_and_numbers_files_on():
    folder = fresh_dir("sysex_dump_test2")
    with open(folder + "/dump_001.syx", "wb") as f:
        f.write(b"\xf0\x01\xf7")  # already there: left alone
    r = exrun.run("sysex_dump", usb=[(0, b"\xf0\x7d\x01\x02\x90\x3c\x64")], cwd=folder)
    eq(r.lines[2:], ["saved dump_002.syx: 4 bytes",
                     "that SysEx was cut short (no F7) after 3 bytes"], "lines")
    eq(read_file(folder + "/dump_001.syx"), b"\xf0\x01\xf7", "old file untouched")
    eq(read_file(folder + "/dump_002.syx"), b"\xf0\x7d\x01\x02", "no F7 added")
