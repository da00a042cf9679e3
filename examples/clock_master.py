# clock_master: the board as the tempo master. Sends MIDI clock at BPM (hundredths
# allowed, as "120.25") with START, so drum machines, sequencers and DAWs set to follow
# external clock play in time with it; prints each bar. A note on START_STOP_NOTE from a
# keyboard stops the song, and the next one starts it again from the top.
#
# Needs:  a board with native USB running CircuitPython 9 or 10; smolmidi.py and
#         smolmidi_clockgen.py in CIRCUITPY/lib/. Gear or a DAW set to follow MIDI clock
#         from the board.
# Wiring: none for USB. For DIN, copy your board's file from boards/ into lib/, wire MIDI
#         OUT as boards/README.md shows, and send to `feather_rp2040.uart(rx=None)` (say).
# Desktop: python -m host_shim run examples/clock_master.py --virtual-clock (Ctrl-C ends it)
#
# Each clock's time counts from the start in whole milliseconds plus a carried
# remainder, so the tempo never drifts, however long it runs. The loop must come round
# more often than a clock is due (every 20.8 ms at 120 BPM): keep other work short.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import usb_midi

import smolmidi
import smolmidi_clockgen

BPM = "120"  # a string keeps hundredths exact: "97.33"
BARS = 0  # stop after this many bars of 4/4 (0: never)
START_STOP_NOTE = 60  # C4

midi_in = smolmidi.MidiIn(usb_midi.ports[0])
gen = smolmidi_clockgen.ClockGenerator(usb_midi.ports[1], BPM)
gen.start()  # START goes out with the first clock
print("clock_master: %s BPM" % BPM)
while True:
    msg = midi_in.receive()
    if msg is not None and msg.type == smolmidi.NOTE_ON and msg.data[0] == START_STOP_NOTE and msg.data[1]:
        if gen.running:
            gen.stop()
            print("stop")
        else:
            gen.start()
            print("start")
    if gen.update() and gen.running and gen.position % 96 == 1:  # a bar's first clock sent
        bar = gen.position // 96 + 1
        if BARS and bar > BARS:
            gen.stop()
            print("stop")
            break
        print("bar %d" % bar)
