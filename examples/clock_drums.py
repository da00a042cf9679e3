# clock_drums: a 16-step drum pattern that plays in time with incoming MIDI clock. START
# plays from the top of the bar, STOP stops, CONTINUE and SONG_POSITION pick up where the
# DAW is; the tempo it hears is printed once a bar.
#
# Needs:  a board with native USB running CircuitPython 9 or 10; smolmidi.py,
#         smolmidi_out.py and smolmidi_clock.py in CIRCUITPY/lib/. A DAW (or drum
#         machine) sending MIDI clock to the board, and a drum sound listening to what the
#         board sends on channel 10 (in a DAW: route the board's output to a drum track).
# Wiring: none for USB. For DIN, copy your board's file from boards/ into lib/, wire MIDI
#         IN and OUT as boards/README.md shows, and use `uart = feather_rp2040.uart()`
#         (say) for both ports below.
# Desktop: python -m host_shim run examples/clock_drums.py --input FILE --virtual-clock
#
# A step is a sixteenth note: 6 clocks (MIDI clock is 24 a quarter note). Each drum's
# line below is 16 steps, "x" loud, "o" soft, "." rest.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import usb_midi
from supervisor import ticks_ms

import smolmidi
import smolmidi_clock
import smolmidi_out

PATTERN = (  # (General MIDI drum note, steps)
    (36, "x...x...x...x..o"),  # bass drum
    (38, "....x.......x..."),  # snare
    (42, "x.o.x.o.x.o.x.ox"),  # closed hi-hat
)
CHANNEL = 9  # 0-15: channel 10 is drums in General MIDI
LOUD, SOFT = 110, 60

midi_in = smolmidi.MidiIn(usb_midi.ports[0])
midi_out = smolmidi_out.MidiOut(usb_midi.ports[1])
clock = smolmidi_clock.ClockFollower()  # 4/4; receive times from supervisor.ticks_ms()

sounding = []  # drum notes sent a note-on at the last step


def silence():
    """Note-offs for the drums of the last step."""
    for note in sounding:
        midi_out.note_off(note, 0, CHANNEL)
    sounding.clear()


def play_step(step):
    """Note-offs for the last step's drums, note-ons for this step's."""
    silence()
    for note, steps in PATTERN:
        hit = steps[step]
        if hit != ".":
            midi_out.note_on(note, LOUD if hit == "x" else SOFT, CHANNEL)
            sounding.append(note)


def bpm_text():
    bpm100 = clock.bpm100
    return "%d.%02d BPM" % (bpm100 // 100, bpm100 % 100) if bpm100 else "tempo not known yet"


print("clock_drums: waiting for MIDI clock")
while True:
    msg = midi_in.receive()
    if msg is None:
        continue
    was_running = clock.running
    if clock.feed(msg, ticks_ms()):  # a clock that plays a tick of the song
        if clock.tick % 6 == 0:
            step = clock.tick // 6 % 16
            if step == 0:
                print("bar %d  %s" % (clock.bar + 1, bpm_text()))
            play_step(step)
    elif was_running and not clock.running:  # STOP
        silence()
        print("stop at bar %d beat %d" % (clock.bar + 1, clock.beat + 1))
    elif msg.type == smolmidi.START:
        print("start")
    elif msg.type == smolmidi.CONTINUE:
        print("continue at sixteenth %d" % clock.song_position)
