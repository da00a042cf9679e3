# arpeggiator: hold a chord, hear it as an arpeggio. Notes held on the keyboard play one
# after another, up, down or up and down, over one or more octaves: in time with
# incoming MIDI clock when there is one, at its own tempo (BPM below) when there is not.
#
# Needs:  a board with native USB running CircuitPython 9 or 10; smolmidi.py and
#         smolmidi_out.py in CIRCUITPY/lib/. A keyboard or DAW sending notes to the
#         board, and a synth listening to what the board sends (in a DAW: route the
#         board's MIDI output to an instrument track).
# Wiring: none for USB. For DIN, copy your board's file from boards/ into lib/, wire
#         MIDI IN and OUT as boards/README.md shows, and use `uart = feather_rp2040.uart()`
#         (say) for both ports below.
# Desktop: python -m host_shim run examples/arpeggiator.py --input FILE --virtual-clock
#
# With clock, a step is every STEP_PULSES pulses (24 pulses per quarter note: 6 is a
# sixteenth note) and START realigns the steps to the beat; without clock for
# CLOCK_TIMEOUT_MS, the arpeggiator runs on its own at BPM.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import usb_midi
from supervisor import ticks_ms

import smolmidi
import smolmidi_filter
import smolmidi_out

MODE = "up"  # "up", "down" or "updown"
OCTAVES = 1  # how many octaves the pattern climbs
BPM = 120  # tempo when no clock arrives
STEPS_PER_BEAT = 4  # sixteenth notes at the internal tempo
STEP_PULSES = 6  # sixteenth notes with MIDI clock
CLOCK_TIMEOUT_MS = 500  # no clock for this long: back to the internal tempo
OUT_CHANNEL = 0  # 0-15 (MIDI channel 1-16)
VELOCITY = 100

TICKS_MASK = (1 << 29) - 1  # supervisor.ticks_ms() wraps at 2**29
TICKS_HALF = 1 << 28

midi_in = smolmidi_filter.MidiIn(usb_midi.ports[0], zero_velocity_note_off=True, ignore_active_sensing=True)
midi_out = smolmidi_out.MidiOut(usb_midi.ports[1])

held = []  # notes held down, lowest first
pattern = []  # the notes of one pass of the arpeggio
step = 0  # index into pattern of the next note
sounding = None  # the note playing now, or None

# Internal tempo: one step every 60000 / (BPM * STEPS_PER_BEAT) ms. That is rarely a
# whole number, so the remainder is carried (as in Bresenham's line) and no drift builds up.
STEP_DIVISOR = BPM * STEPS_PER_BEAT
STEP_MS = 60000 // STEP_DIVISOR
STEP_REMAINDER = 60000 % STEP_DIVISOR
next_step_ms = 0
carried = 0

pulses = 0  # clock pulses since START (or since the first one)
last_clock_ms = None  # when the last clock pulse came, or None: no clock
stopped = False  # STOP came: with clock, wait for START or CONTINUE


def ticks_diff(a, b):
    """a - b in ms, correct across the 2**29 wrap of supervisor.ticks_ms()."""
    return ((a - b + TICKS_HALF) & TICKS_MASK) - TICKS_HALF


def build_pattern():
    """Rebuild the pattern from the held notes, MODE and OCTAVES."""
    global step
    notes = []
    for octave in range(OCTAVES):
        for note in held:
            if note + 12 * octave <= 127:
                notes.append(note + 12 * octave)
    if MODE == "down":
        notes.reverse()
    elif MODE == "updown" and len(notes) > 2:
        notes = notes + notes[-2:0:-1]  # up, then down without repeating the ends
    pattern[:] = notes
    if step >= len(pattern):
        step = 0


def silence():
    """End the note that is sounding, if any."""
    global sounding
    if sounding is not None:
        midi_out.note_off(sounding, 0, OUT_CHANNEL)
        sounding = None


def play_step():
    """End the last note and play the next one in the pattern."""
    global step, sounding
    silence()
    if not pattern:
        return
    sounding = pattern[step]
    midi_out.note_on(sounding, VELOCITY, OUT_CHANNEL)
    step = (step + 1) % len(pattern)


def schedule_from(now):
    """Start the internal tempo afresh: the next step is now."""
    global next_step_ms, carried
    next_step_ms = now
    carried = 0


print("arpeggiator: %s, %d octave(s), %d BPM until clock arrives" % (MODE, OCTAVES, BPM))
while True:
    msg = midi_in.receive()
    now = ticks_ms()
    if msg is not None:
        kind = msg.type
        if kind == smolmidi.NOTE_ON:
            if msg.note not in held:
                was_empty = not held
                held.append(msg.note)
                held.sort()
                build_pattern()
                if was_empty:
                    step = 0
                    if last_clock_ms is None:
                        schedule_from(now)  # the first note plays at once
        elif kind == smolmidi.NOTE_OFF:
            if msg.note in held:
                held.remove(msg.note)
                build_pattern()
                if not held:
                    silence()
        elif kind == smolmidi.CLOCK:
            last_clock_ms = now
            if pulses % STEP_PULSES == 0 and held and not stopped:
                play_step()
            pulses += 1
        elif kind == smolmidi.START:
            pulses = 0  # the next pulse is the first of the beat
            step = 0
            stopped = False
        elif kind == smolmidi.CONTINUE:
            stopped = False
        elif kind == smolmidi.STOP:
            stopped = True
            silence()
        continue  # take every waiting message first: a chord's notes arrive one by one
    if last_clock_ms is not None and ticks_diff(now, last_clock_ms) > CLOCK_TIMEOUT_MS:
        last_clock_ms = None  # the clock stopped: carry on at the internal tempo
        schedule_from(now)
    if last_clock_ms is None and held and ticks_diff(now, next_step_ms) >= 0:
        play_step()
        next_step_ms = (next_step_ms + STEP_MS) & TICKS_MASK
        carried += STEP_REMAINDER
        if carried >= STEP_DIVISOR:
            carried -= STEP_DIVISOR
            next_step_ms = (next_step_ms + 1) & TICKS_MASK
