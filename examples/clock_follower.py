# clock_follower: follow MIDI clock. Prints the tempo in BPM, start / stop / continue,
# song position, and each beat as "bar 2 beat 3"; blinks the board's LED on every beat.
#
# Needs:  a board with native USB running CircuitPython 9 or 10; smolmidi.py in
#         CIRCUITPY/lib/. Something that sends MIDI clock: a DAW with "send MIDI clock"
#         switched on for the board's port, a drum machine, a sequencer.
# Wiring: none for USB. For clock from a DIN device, copy your board's file from boards/
#         into lib/, wire MIDI IN as boards/README.md shows, and replace the port below
#         with, say, `import feather_rp2040` and `feather_rp2040.uart(tx=None)`.
#         The LED is board.LED where the board has one.
# Desktop: python -m host_shim run examples/clock_follower.py --input FILE --virtual-clock
#
# MIDI clock is 24 pulses per quarter note; song position counts sixteenths (6 pulses).
# Bars assume 4/4.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import board
import digitalio
import usb_midi
from supervisor import ticks_ms

import smolmidi
import smolmidi_filter

PULSES_PER_BEAT = 24
PULSES_PER_SIXTEENTH = 6
BEATS_PER_BAR = 4
TICKS_MASK = (1 << 29) - 1  # supervisor.ticks_ms() wraps at 2**29

midi_in = smolmidi_filter.MidiIn(usb_midi.ports[0], ignore_active_sensing=True)

led = None
if hasattr(board, "LED"):
    led = digitalio.DigitalInOut(board.LED)
    led.switch_to_output(False)

running = False
position = 0  # pulses since the song start (song position pointer x 6)
pulses = 0  # every pulse seen, running or not, for the tempo
beat_start_ms = None  # ticks_ms() at the pulse that began the last measured beat
bpm_tenths = 0  # tempo x 10, so 120.5 BPM is 1205: whole numbers only
shown_bpm_tenths = 0


def bar_beat(pulse):
    """'bar 2 beat 3' for a position in pulses (both counted from 1)."""
    beat = pulse // PULSES_PER_BEAT
    return "bar %d beat %d" % (beat // BEATS_PER_BAR + 1, beat % BEATS_PER_BAR + 1)


def bpm_text():
    if not bpm_tenths:
        return "tempo not known yet"
    return "%d.%d BPM" % (bpm_tenths // 10, bpm_tenths % 10)


def on_clock():
    """One clock pulse: measure the tempo, move the song position, blink on beats."""
    global pulses, beat_start_ms, bpm_tenths, shown_bpm_tenths, position
    if pulses % PULSES_PER_BEAT == 0:
        now = ticks_ms()
        if beat_start_ms is not None:
            beat_ms = (now - beat_start_ms) & TICKS_MASK
            if beat_ms:
                # 60 000 ms per minute, in tenths of a BPM, rounded to nearest
                bpm_tenths = (1200000 // beat_ms + 1) // 2
        beat_start_ms = now
        if not running and abs(bpm_tenths - shown_bpm_tenths) >= 5:
            print("tempo", bpm_text())
            shown_bpm_tenths = bpm_tenths
    pulses += 1
    if not running:
        return
    if position % PULSES_PER_BEAT == 0:
        print("%-18s %s" % (bar_beat(position), bpm_text()))
        shown_bpm_tenths = bpm_tenths
        if led is not None:
            led.value = True
    elif position % PULSES_PER_BEAT == PULSES_PER_SIXTEENTH and led is not None:
        led.value = False
    position += 1


print("clock_follower: waiting for MIDI clock")
while True:
    msg = midi_in.receive()
    if msg is None:
        continue
    kind = msg.type
    if kind == smolmidi.CLOCK:
        on_clock()
    elif kind == smolmidi.START:
        running = True
        position = 0
        pulses = 0  # measure the tempo afresh: the clock may have paused
        beat_start_ms = None
        print("start")
    elif kind == smolmidi.CONTINUE:
        running = True
        pulses = 0
        beat_start_ms = None
        print("continue at", bar_beat(position))
    elif kind == smolmidi.STOP:
        running = False
        if led is not None:
            led.value = False
        print("stop at", bar_beat(position))
    elif kind == smolmidi.SONG_POSITION:
        position = msg.song_position * PULSES_PER_SIXTEENTH
        sixteenth = msg.song_position % 4 + 1
        print("song position", bar_beat(position), "sixteenth %d" % sixteenth)
