# midi_recorder: record what you play to a MIDI file on the board's drive. Each take
# starts with the first note and ends after PAUSE_MS without any: take_001.mid,
# take_002.mid, ... at the times the notes arrived, ready to open in a DAW.
#
# Needs:  a board with native USB running CircuitPython 9 or 10; smolmidi.py and
#         smf_write.py in CIRCUITPY/lib/. A keyboard (or DAW) sending to the board.
#         Code can only write to CIRCUITPY once this boot.py is on it:
#
#             import storage
#             storage.remount("/", readonly=False)
#
#         (then the computer cannot write to the drive; delete boot.py from the REPL
#         with `import os; os.remove("/boot.py")` and reset to get it back).
# Wiring: none for USB. For DIN, copy your board's file from boards/ into lib/, wire MIDI
#         IN as boards/README.md shows, and read from `feather_rp2040.uart(tx=None,
#         rx_buffer=1024)` (say): a flash write can take a few milliseconds.
# Desktop: python -m host_shim run examples/midi_recorder.py --input FILE --virtual-clock
#
# When the drive fills up the take is closed, valid up to the last whole event, and
# recording stops. The file is made complete every FLUSH_MS too, so pulling the
# power loses at most that much.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import usb_midi
from supervisor import ticks_ms

import smolmidi
import smf_write

PAUSE_MS = 3000  # this long without a message ends the take
FLUSH_MS = 5000  # the file on the drive is made complete this often
FILE_NAME = "take_%03d.mid"
TICKS_MASK = (1 << 29) - 1  # supervisor.ticks_ms() wraps at 2**29

midi_in = smolmidi.MidiIn(usb_midi.ports[0])
recorder = None  # the take being recorded
takes = 0
last_ms = flushed_ms = 0


def since(ms):
    """Milliseconds since a ticks_ms() reading, correct across its wrap."""
    return (ticks_ms() - ms) & TICKS_MASK


print("midi_recorder: play to record")
while True:
    msg = midi_in.receive()
    if msg is None:
        if recorder is not None and since(last_ms) > PAUSE_MS:
            recorder.close()
            print("saved %s: %d events" % (FILE_NAME % takes, recorder.writer.events - 1))
            recorder = None
        elif recorder is not None and since(flushed_ms) > FLUSH_MS:
            recorder.flush()
            flushed_ms = ticks_ms()
        continue
    if msg.type >= smolmidi.SYSEX and msg.type != smolmidi.SYSEX:
        continue  # clock, active sensing, system common: not recorded
    now = ticks_ms()
    if recorder is None:
        takes += 1
        recorder = smf_write.Recorder(FILE_NAME % takes)  # 96 PPQ at 120 BPM
        flushed_ms = now
        print("recording %s" % (FILE_NAME % takes))
    last_ms = now
    try:
        recorder.record(msg, now)
    except OSError as e:  # the drive is full: the take is closed and valid
        print(e)
        recorder = None
        break
