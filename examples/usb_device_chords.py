# usb_device_chords: a MicroPython board as a USB MIDI device that answers each note the
# computer plays with a major chord on it (the note, a major third and a fifth above).
#
# Needs:  MicroPython 1.23+ on a board with native USB (RP2040, RP2350, ESP32-S2/S3,
#         SAMD) and micropython-lib's usb-device-midi (mpremote mip install
#         usb-device-midi); smolmidi.py, smolmidi_out.py and smolmidi_usb.py in /lib.
# Wiring: none: the board's USB port to the computer, which sees a MIDI device.
# Desktop: python -m host_shim.usb_device examples/usb_device_chords.py
#          (a stand-in computer plays two notes; what the board answers is printed)
#
# MicroPython has no usb_midi: usb-device-midi speaks 4-byte USB-MIDI packets.
# smolmidi_usb turns them into the byte stream MidiIn reads and packs MidiOut's bytes
# back into packets, so the MIDI code is the same as on CircuitPython.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import time

import usb.device  # type: ignore  # MicroPython's, not in CircuitPython
from usb.device.midi import MIDIInterface  # type: ignore

import smolmidi
import smolmidi_out
import smolmidi_usb

CHORD = (0, 4, 7)  # semitones above the note played

iface = MIDIInterface()
from_computer = smolmidi_usb.UsbIn()
iface.on_midi_event = from_computer.event  # each packet received is queued for MidiIn
to_computer = smolmidi_usb.UsbOut(iface)  # packets go out through iface.send_event
midi_in = smolmidi.MidiIn(from_computer)
midi_out = smolmidi_out.MidiOut(to_computer)
usb.device.get().init(iface, builtin_driver=True)  # the REPL stays on USB too

while not iface.is_open():
    time.sleep(0.1)  # until the computer has set the device up
print("usb_device_chords: ready")
while iface.is_open():
    msg = midi_in.receive()
    if msg is not None and msg.type in (smolmidi.NOTE_ON, smolmidi.NOTE_OFF):
        note, velocity = msg.data
        for step in CHORD:
            if note + step < 128:
                if msg.type == smolmidi.NOTE_ON:
                    midi_out.note_on(note + step, velocity, msg.channel)
                else:
                    midi_out.note_off(note + step, velocity, msg.channel)
    to_computer.flush()  # packets the USB buffer had no room for yet
print("usb_device_chords: the computer went away")
