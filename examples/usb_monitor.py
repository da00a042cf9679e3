# usb_monitor: print every MIDI message that arrives over USB, one readable line each.
#
# Needs:  a board with native USB (RP2040, SAMD21/SAMD51, ESP32-S2/S3, nRF52840) running
#         CircuitPython 9 or 10; smolmidi.py in CIRCUITPY/lib/.
# Wiring: none. Plug the board into a computer, copy this file to CIRCUITPY as code.py,
#         open the serial console, and send MIDI to the board's USB MIDI port from a DAW
#         or a keyboard app.
# Desktop: python -m host_shim run examples/usb_monitor.py --input examples/data/demo_input.bin
#
# Channels print as 1-16, as synths number them (on the wire and in smolmidi they are 0-15).
# Clock and active sensing arrive many times a second; set SHOW_CLOCK = True to see them.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import usb_midi

import smolmidi
import smolmidi_filter
import smolmidi_notes

SHOW_CLOCK = False

midi_in = smolmidi_filter.MidiIn(
    usb_midi.ports[0], sysex_size=256, ignore_clock=not SHOW_CLOCK, ignore_active_sensing=not SHOW_CLOCK
)

SYSTEM_NAMES = {
    smolmidi.TUNE_REQUEST: "tune_request",
    smolmidi.CLOCK: "clock",
    smolmidi.TICK: "tick",
    smolmidi.START: "start",
    smolmidi.CONTINUE: "continue",
    smolmidi.STOP: "stop",
    smolmidi.ACTIVE_SENSING: "active_sensing",
    smolmidi.SYSTEM_RESET: "system_reset",
}


def hex_bytes(data, limit=16):
    """'F0 7E 7F ...' for the first limit bytes of data."""
    text = " ".join(["%02X" % b for b in data[:limit]])
    if len(data) > limit:
        text += " ... (%d more)" % (len(data) - limit)
    return text


def describe(msg):
    """One readable line for a message."""
    kind = msg.type
    if msg.channel is not None:
        where = "ch %-2d " % (msg.channel + 1)
        if kind == smolmidi.NOTE_ON or kind == smolmidi.NOTE_OFF:
            name = "note_on" if kind == smolmidi.NOTE_ON else "note_off"
            return "%-16s %s %s (%d)  velocity %d" % (
                name,
                where,
                smolmidi_notes.note_name(msg.note),
                msg.note,
                msg.velocity,
            )
        if kind == smolmidi.AFTERTOUCH:
            return "%-16s %s %s (%d)  pressure %d" % (
                "aftertouch",
                where,
                smolmidi_notes.note_name(msg.note),
                msg.note,
                msg.pressure,
            )
        if kind == smolmidi.CONTROLLER_CHANGE:
            return "%-16s %s control %d  value %d" % ("control_change", where, msg.control, msg.value)
        if kind == smolmidi.PROGRAM_CHANGE:
            return "%-16s %s program %d" % ("program_change", where, msg.program)
        if kind == smolmidi.CHANNEL_PRESSURE:
            return "%-16s %s pressure %d" % ("channel_pressure", where, msg.pressure)
        return "%-16s %s value %d" % ("pitch_bend", where, msg.pitch_bend)
    if kind == smolmidi.SYSEX:
        payload, truncated = midi_in.receive_sysex(256)
        note = ""
        if msg.sysex_end == smolmidi.SYSEX_ABORTED:
            note = " (cut short: no F7)"
        elif truncated:
            note = " (truncated)"
        return "sysex %d bytes%s: %s" % (len(payload), note, hex_bytes(payload))
    if kind == smolmidi.SONG_POSITION:
        return "song_position    beat %d (sixteenths)" % msg.song_position
    if kind == smolmidi.SONG_SELECT:
        return "song_select      song %d" % msg.song
    if kind == smolmidi.MTC_QUARTER_FRAME:
        return "mtc_quarter_frame piece %d  value %d" % (msg.mtc_piece, msg.mtc_value)
    return SYSTEM_NAMES.get(kind, "system %02X" % kind)


print("usb_monitor: waiting for MIDI on USB")
while True:
    msg = midi_in.receive()
    if msg is not None:
        print(describe(msg))
