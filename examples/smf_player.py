# smf_player: play a Standard MIDI File from the board's drive to USB MIDI, on time.
# The file is streamed from flash (a 1 MB song needs no more RAM than a small one) and
# every event goes out at its exact time, tempo changes included; the program ends
# after the last note.
#
# Needs:  a board with native USB running CircuitPython 9 or 10; smf_lite.py in
#         CIRCUITPY/lib/ (and smf_extras.py for LOOP or TEMPO_SCALE); tune.mid (from examples/, or any .mid: set FILE) next to
#         code.py. A synth listening to the board (in a DAW: route the board's MIDI
#         output to an instrument track; General MIDI sounds suit tune.mid).
# Wiring: none. Optional: a push button from STOP_PIN (board.BUTTON where the board
#         has one) to GND stops the song early; boards without the pin just play.
# Desktop: python -m host_shim run examples/smf_player.py --virtual-clock
#
# The main loop calls player.update(), which sends what is due and returns at once, so
# there is room for more work in the loop (read buttons, knobs, MIDI in).
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import time

import usb_midi

import smf_lite

FILE = "tune.mid"
LOOP = False  # True: start again at the end, until the button is pressed
TEMPO_SCALE = 1.0  # 2.0 plays twice as fast
STOP_PIN = "BUTTON"  # name of a board pin with a button to GND, or None

button = None
if STOP_PIN:
    try:
        import board
        import digitalio
    except ImportError:  # no digitalio on this port: play without a button
        board = None
    pin = getattr(board, STOP_PIN, None) if board else None
    if pin is not None:
        button = digitalio.DigitalInOut(pin)
        button.switch_to_input(pull=digitalio.Pull.UP)  # pressed reads False

song = smf_lite.MidiFile(FILE)
if song.ppq:
    timing = "%d ticks per quarter note" % song.ppq
else:
    timing = "SMPTE %s fps, %s ticks per frame" % (song.smpte_fps, song.ticks_per_frame)
print("playing %s: format %d, %d tracks, %s" % (FILE, song.format, song.ntracks, timing))

if LOOP or TEMPO_SCALE != 1.0:
    import smf_extras  # copy smf_extras.py to lib/ too for these

    player = smf_extras.Player(song, usb_midi.ports[1], loop=LOOP, tempo_scale=TEMPO_SCALE)
else:
    player = smf_lite.Player(song, usb_midi.ports[1])
player.start()
while player.update():
    if button is not None and not button.value:
        player.stop()  # sends a note-off for every note still sounding
        print("stopped by the button")
        break
    time.sleep(0.001)  # rest a millisecond: lateness never adds up
song.close()
print("done: %d events sent" % player.sent)
