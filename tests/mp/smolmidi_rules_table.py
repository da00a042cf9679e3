# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""MIDI 1.0 receive rules as a table of cases, written by hand from the rules.

Used by case_smolmidi_rules.py (smolmidi.MidiIn, every delivery mode, every runtime)
and by tests/test_ref_model.py (the reference model must agree with it too).
Plain Python that runs on MicroPython.

Each case is (name, input bytes, MidiIn options, expected events, expected losses).
Events are plain tuples, as in tests/ref_model.py (whose docstring lists the rules):
("msg", status with channel, data tuple) and ("sysex", payload, outcome).
Losses are (stray data, abandoned messages, aborted SysEx): MidiIn.error_count is their sum.
"""

NO_LOSS = (0, 0, 0)
FILTERS = ("channel", "zero_velocity_note_off", "ignore_clock", "ignore_active_sensing")


def midi_in_for(port, **options):
    """smolmidi.MidiIn, or smolmidi_filter.MidiIn when a filter option is given."""
    import smolmidi
    import smolmidi_filter

    for name in FILTERS:
        if name in options:
            return smolmidi_filter.MidiIn(port, **options)
    return smolmidi.MidiIn(port, **options)


def B(*values):
    """Bytes from ints: B(0x90, 60, 100)."""
    return bytes(values)


def msg(status, *data):
    """An expected message event."""
    return ("msg", status, tuple(data))


def sysex(payload, outcome="complete"):
    """An expected SysEx event."""
    return ("sysex", bytes(payload), outcome)


REALTIME = (0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF)

CASES = [
    # channel voice, full status, every kind
    ("note off", B(0x80, 60, 64), {}, [msg(0x80, 60, 64)], NO_LOSS),
    ("note on, channel 3", B(0x93, 60, 100), {}, [msg(0x93, 60, 100)], NO_LOSS),
    ("poly aftertouch", B(0xA5, 60, 16), {}, [msg(0xA5, 60, 16)], NO_LOSS),
    ("control change", B(0xB0, 7, 127), {}, [msg(0xB0, 7, 127)], NO_LOSS),
    ("program change", B(0xC2, 5), {}, [msg(0xC2, 5)], NO_LOSS),
    ("channel pressure", B(0xDF, 64), {}, [msg(0xDF, 64)], NO_LOSS),
    ("pitch bend", B(0xE0, 0, 64), {}, [msg(0xE0, 0, 64)], NO_LOSS),
    ("pitch bend extremes", B(0xE1, 0, 0, 0xE1, 127, 127), {}, [msg(0xE1, 0, 0), msg(0xE1, 127, 127)], NO_LOSS),
    (
        "data values 0 and 127 are valid",
        B(0xB0, 0, 0, 0xB0, 127, 127, 0x90, 0, 127),
        {},
        [msg(0xB0, 0, 0), msg(0xB0, 127, 127), msg(0x90, 0, 127)],
        NO_LOSS,
    ),
    # running status, all seven kinds
    ("running status note off", B(0x80, 60, 64, 62, 0), {}, [msg(0x80, 60, 64), msg(0x80, 62, 0)], NO_LOSS),
    (
        "running status note on",
        B(0x9F, 60, 100, 62, 101, 64, 0),
        {},
        [msg(0x9F, 60, 100), msg(0x9F, 62, 101), msg(0x9F, 64, 0)],
        NO_LOSS,
    ),
    ("running status poly aftertouch", B(0xA1, 60, 1, 60, 2), {}, [msg(0xA1, 60, 1), msg(0xA1, 60, 2)], NO_LOSS),
    ("running status control change", B(0xB4, 1, 2, 3, 4), {}, [msg(0xB4, 1, 2), msg(0xB4, 3, 4)], NO_LOSS),
    ("running status program change", B(0xC0, 5, 6, 7), {}, [msg(0xC0, 5), msg(0xC0, 6), msg(0xC0, 7)], NO_LOSS),
    ("running status channel pressure", B(0xD7, 1, 2), {}, [msg(0xD7, 1), msg(0xD7, 2)], NO_LOSS),
    ("running status pitch bend", B(0xE0, 0, 64, 127, 127), {}, [msg(0xE0, 0, 64), msg(0xE0, 127, 127)], NO_LOSS),
    (
        "running status switches with a new channel status",
        B(0x90, 60, 100, 0xB1, 7, 100, 10, 64),
        {},
        [msg(0x90, 60, 100), msg(0xB1, 7, 100), msg(0xB1, 10, 64)],
        NO_LOSS,
    ),
    # system common
    ("MTC quarter frame", B(0xF1, 0x23, 0xF1, 0x70), {}, [msg(0xF1, 0x23), msg(0xF1, 0x70)], NO_LOSS),
    ("song position", B(0xF2, 16, 32), {}, [msg(0xF2, 16, 32)], NO_LOSS),
    ("song select", B(0xF3, 5), {}, [msg(0xF3, 5)], NO_LOSS),
    ("tune request", B(0xF6), {}, [msg(0xF6)], NO_LOSS),
    ("undefined F4 and F5 come through with no data", B(0xF4, 0xF5), {}, [msg(0xF4), msg(0xF5)], NO_LOSS),
    # realtime
    ("every realtime byte", bytes(REALTIME), {}, [msg(b) for b in REALTIME], NO_LOSS),
    ("realtime before a note", B(0xF8, 0x90, 60, 100), {}, [msg(0xF8), msg(0x90, 60, 100)], NO_LOSS),
    ("realtime between status and data1", B(0x90, 0xF8, 60, 100), {}, [msg(0xF8), msg(0x90, 60, 100)], NO_LOSS),
    ("realtime between data1 and data2", B(0x90, 60, 0xF8, 100), {}, [msg(0xF8), msg(0x90, 60, 100)], NO_LOSS),
    ("realtime after a note", B(0x90, 60, 100, 0xF8), {}, [msg(0x90, 60, 100), msg(0xF8)], NO_LOSS),
    (
        "every realtime byte between note data bytes",
        B(0x90, 60) + bytes(REALTIME) + B(100),
        {},
        [msg(b) for b in REALTIME] + [msg(0x90, 60, 100)],
        NO_LOSS,
    ),
    (
        "realtime inside a running-status message",
        B(0x90, 60, 100, 62, 0xFA, 101),
        {},
        [msg(0x90, 60, 100), msg(0xFA), msg(0x90, 62, 101)],
        NO_LOSS,
    ),
    (
        "realtime between running-status messages keeps running status",
        B(0x90, 60, 100, 0xF8, 62, 101),
        {},
        [msg(0x90, 60, 100), msg(0xF8), msg(0x90, 62, 101)],
        NO_LOSS,
    ),
    ("realtime inside a program change", B(0xC0, 0xF8, 5), {}, [msg(0xF8), msg(0xC0, 5)], NO_LOSS),
    (
        "realtime inside song position",
        B(0xF2, 0xF8, 16, 0xFC, 32),
        {},
        [msg(0xF8), msg(0xFC), msg(0xF2, 16, 32)],
        NO_LOSS,
    ),
    ("realtime inside MTC quarter frame", B(0xF1, 0xFB, 0x23), {}, [msg(0xFB), msg(0xF1, 0x23)], NO_LOSS),
    ("realtime inside song select", B(0xF3, 0xFE, 7), {}, [msg(0xFE), msg(0xF3, 7)], NO_LOSS),
    (
        "undefined F9 and FD inside a message disturb nothing",
        B(0x90, 0xF9, 60, 0xFD, 100, 62, 0xF9, 0),
        {},
        [msg(0xF9), msg(0xFD), msg(0x90, 60, 100), msg(0xF9), msg(0x90, 62, 0)],
        NO_LOSS,
    ),
    (
        "system reset is passed up and resets nothing",
        B(0x90, 60, 0xFF, 100, 62, 101),
        {},
        [msg(0xFF), msg(0x90, 60, 100), msg(0x90, 62, 101)],
        NO_LOSS,
    ),
    ("realtime does not rescue stray data", B(0xF8, 60, 0xF8), {}, [msg(0xF8), msg(0xF8)], (1, 0, 0)),
    # SysEx
    ("sysex complete", B(0xF0, 0x7E, 0, 9, 1, 0xF7), {}, [sysex(B(0x7E, 0, 9, 1))], NO_LOSS),
    ("empty sysex", B(0xF0, 0xF7), {}, [sysex(b"")], NO_LOSS),
    ("sysex with every data value", B(0xF0) + bytes(range(128)) + B(0xF7), {}, [sysex(bytes(range(128)))], NO_LOSS),
    (
        "realtime inside sysex comes out first",
        B(0xF0, 1, 0xF8, 2, 0xFE, 0xF7),
        {},
        [msg(0xF8), msg(0xFE), sysex(B(1, 2))],
        NO_LOSS,
    ),
    (
        "every realtime byte inside sysex",
        B(0xF0, 1) + bytes(REALTIME) + B(2, 0xF7),
        {},
        [msg(b) for b in REALTIME] + [sysex(B(1, 2))],
        NO_LOSS,
    ),
    (
        "sysex aborted by a channel status",
        B(0xF0, 1, 2, 0x90, 60, 100),
        {},
        [sysex(B(1, 2), "aborted"), msg(0x90, 60, 100)],
        (0, 0, 1),
    ),
    (
        "sysex aborted by F0 starts a new sysex",
        B(0xF0, 1, 0xF0, 2, 0xF7),
        {},
        [sysex(B(1), "aborted"), sysex(B(2))],
        (0, 0, 1),
    ),
    (
        "sysex aborted by MTC quarter frame",
        B(0xF0, 1, 0xF1, 5),
        {},
        [sysex(B(1), "aborted"), msg(0xF1, 5)],
        (0, 0, 1),
    ),
    ("sysex aborted by tune request", B(0xF0, 1, 0xF6, 3), {}, [sysex(B(1), "aborted"), msg(0xF6)], (1, 0, 1)),
    (
        "sysex longer than the buffer comes in chunks",
        B(0xF0, 1, 2, 3, 4, 5, 6, 0xF7),
        {"sysex_size": 4},
        [sysex(B(1, 2, 3, 4), "chunk"), sysex(B(5, 6))],
        NO_LOSS,
    ),
    (
        "sysex exactly the buffer size is one message",
        B(0xF0, 1, 2, 3, 4, 0xF7),
        {"sysex_size": 4},
        [sysex(B(1, 2, 3, 4))],
        NO_LOSS,
    ),
    (
        "sysex in chunks then aborted",
        B(0xF0, 1, 2, 3, 0xB0, 7, 100),
        {"sysex_size": 2},
        [sysex(B(1, 2), "chunk"), sysex(B(3), "aborted"), msg(0xB0, 7, 100)],
        (0, 0, 1),
    ),
    (
        "two sysex in chunks",
        B(0xF0, 1, 2, 3, 0xF7, 0xF0, 4, 5, 6, 0xF7),
        {"sysex_size": 2},
        [sysex(B(1, 2), "chunk"), sysex(B(3)), sysex(B(4, 5), "chunk"), sysex(B(6))],
        NO_LOSS,
    ),
    (
        "sysex in chunks",
        B(0xF0) + bytes(range(1, 11)) + B(0xF7),
        {"sysex_size": 4},
        [sysex(B(1, 2, 3, 4), "chunk"), sysex(B(5, 6, 7, 8), "chunk"), sysex(B(9, 10))],
        NO_LOSS,
    ),
    (
        "sysex in chunks, a whole number of buffers",
        B(0xF0) + bytes(range(1, 9)) + B(0xF7),
        {"sysex_size": 4},
        [sysex(B(1, 2, 3, 4), "chunk"), sysex(B(5, 6, 7, 8))],
        NO_LOSS,
    ),
    (
        "sysex in chunks, aborted",
        B(0xF0) + bytes(range(1, 7)) + B(0x90, 60, 100),
        {"sysex_size": 4},
        [sysex(B(1, 2, 3, 4), "chunk"), sysex(B(5, 6), "aborted"), msg(0x90, 60, 100)],
        (0, 0, 1),
    ),
    ("data after sysex end is stray", B(0xF0, 1, 0xF7, 2, 3), {}, [sysex(B(1))], (2, 0, 0)),
    # system common and SysEx cancel running status
    (
        "MTC quarter frame cancels running status",
        B(0x90, 60, 100, 0xF1, 0x23, 62, 101),
        {},
        [msg(0x90, 60, 100), msg(0xF1, 0x23)],
        (2, 0, 0),
    ),
    (
        "song position cancels running status",
        B(0xB0, 1, 2, 0xF2, 0, 0, 3, 4),
        {},
        [msg(0xB0, 1, 2), msg(0xF2, 0, 0)],
        (2, 0, 0),
    ),
    ("song select cancels running status", B(0xC0, 1, 0xF3, 2, 3), {}, [msg(0xC0, 1), msg(0xF3, 2)], (1, 0, 0)),
    (
        "tune request cancels running status",
        B(0x90, 60, 100, 0xF6, 62, 101),
        {},
        [msg(0x90, 60, 100), msg(0xF6)],
        (2, 0, 0),
    ),
    (
        "F4 and F5 cancel running status",
        B(0x90, 60, 100, 0xF4, 62, 101, 0x90, 1, 2, 0xF5, 3),
        {},
        [msg(0x90, 60, 100), msg(0xF4), msg(0x90, 1, 2), msg(0xF5)],
        (3, 0, 0),
    ),
    (
        "sysex cancels running status",
        B(0x90, 60, 100, 0xF0, 1, 0xF7, 62, 101),
        {},
        [msg(0x90, 60, 100), sysex(B(1))],
        (2, 0, 0),
    ),
    (
        "lone F7 is no message and cancels running status",
        B(0x90, 60, 100, 0xF7, 62, 101),
        {},
        [msg(0x90, 60, 100)],
        (2, 0, 0),
    ),
    (
        "system common repeats need their status",
        B(0xF1, 1, 2, 0xF2, 1, 2, 3),
        {},
        [msg(0xF1, 1), msg(0xF2, 1, 2)],
        (2, 0, 0),
    ),
    # stray data and abandoned messages
    ("stray data at the start is dropped", B(60, 100, 0x90, 60, 100), {}, [msg(0x90, 60, 100)], (2, 0, 0)),
    ("new status abandons a note after data1", B(0x90, 60, 0x80, 60, 64), {}, [msg(0x80, 60, 64)], (0, 1, 0)),
    ("new status abandons a bare status", B(0x90, 0xB0, 7, 127), {}, [msg(0xB0, 7, 127)], (0, 1, 0)),
    (
        "new status abandons a half running-status message",
        B(0x90, 60, 100, 62, 0xB0, 7, 127),
        {},
        [msg(0x90, 60, 100), msg(0xB0, 7, 127)],
        (0, 1, 0),
    ),
    (
        "new status after a complete message abandons nothing",
        B(0x90, 60, 100, 0xB0, 7, 127),
        {},
        [msg(0x90, 60, 100), msg(0xB0, 7, 127)],
        NO_LOSS,
    ),
    ("status abandons unfinished song position", B(0xF2, 16, 0x90, 60, 100), {}, [msg(0x90, 60, 100)], (0, 1, 0)),
    ("sysex start abandons an unfinished note", B(0x90, 60, 0xF0, 1, 0xF7), {}, [sysex(B(1))], (0, 1, 0)),
    ("lone F7 abandons an unfinished note", B(0x90, 60, 0xF7, 100), {}, [], (1, 1, 0)),
    ("tune request abandons an unfinished MTC", B(0xF1, 0xF6), {}, [msg(0xF6)], (0, 1, 0)),
    ("unfinished message at the end waits, uncounted", B(0x90, 60, 100, 62), {}, [msg(0x90, 60, 100)], NO_LOSS),
    ("unfinished sysex at the end waits, uncounted", B(0xF0, 1, 2), {}, [], NO_LOSS),
    # options
    ("note on velocity 0 stays note on", B(0x90, 60, 0), {}, [msg(0x90, 60, 0)], NO_LOSS),
    (
        "zero_velocity_note_off turns it into note off",
        B(0x95, 60, 0, 60, 100, 61, 0),
        {"zero_velocity_note_off": True},
        [msg(0x85, 60, 0), msg(0x95, 60, 100), msg(0x85, 61, 0)],
        NO_LOSS,
    ),
    (
        "zero_velocity_note_off leaves note off alone",
        B(0x80, 60, 0, 60, 5),
        {"zero_velocity_note_off": True},
        [msg(0x80, 60, 0), msg(0x80, 60, 5)],
        NO_LOSS,
    ),
    (
        "channel filter keeps its channel and system messages",
        B(0x90, 60, 100, 0x92, 61, 100, 62, 0xF8, 101, 0x91, 63, 100, 64, 100, 0xF2, 1, 2),
        {"channel": 2},
        [msg(0x92, 61, 100), msg(0xF8), msg(0x92, 62, 101), msg(0xF2, 1, 2)],
        NO_LOSS,
    ),
    (
        "channel filter: other channels still set running status",
        B(0x92, 60, 100, 0x93, 61, 100, 62, 100),
        {"channel": 2},
        [msg(0x92, 60, 100)],
        NO_LOSS,
    ),
    ("channel filter leaves sysex alone", B(0x91, 1, 2, 0xF0, 5, 0xF7), {"channel": 0}, [sysex(B(5))], NO_LOSS),
    (
        "ignore_clock drops clock only",
        B(0xF8, 0x90, 0xF8, 60, 100, 0xFA, 0xF8, 0xFE),
        {"ignore_clock": True},
        [msg(0x90, 60, 100), msg(0xFA), msg(0xFE)],
        NO_LOSS,
    ),
    (
        "ignore_active_sensing drops active sensing only",
        B(0xFE, 0x90, 60, 0xFE, 100, 0xF8),
        {"ignore_active_sensing": True},
        [msg(0x90, 60, 100), msg(0xF8)],
        NO_LOSS,
    ),
]
