# din_usb_bridge: a USB MIDI interface for 5-pin DIN gear. What arrives on MIDI IN goes
# to the computer over USB; what the computer sends goes out of MIDI OUT. SysEx of any
# length and realtime (clock, start, stop) pass both ways intact.
#
# Needs:  a board with native USB and a UART running CircuitPython 9 or 10;
#         smolmidi_out.py and smolmidi_thru.py in CIRCUITPY/lib/.
# Wiring: MIDI IN and MIDI OUT jacks on the board's UART pins with the resistors and the
#         optocoupler shown in boards/README.md (or an Adafruit MIDI FeatherWing).
#         TX and RX below suit Feathers, ItsyBitsys, Metros, QT Pys, Trinket M0, KB2040;
#         on a Raspberry Pi Pico use board.GP0 and board.GP1 (boards/ lists every board).
# Desktop: python -m host_shim run examples/din_usb_bridge.py --input FILE --virtual-clock
#          (the input arrives on both USB and DIN; each comes out on the other side)
#
# Over USB, realtime bytes that arrive in the middle of a SysEx wait until it ends (the
# USB stack would otherwise pack them into the SysEx); on DIN they go out at once, as
# MIDI 1.0 allows. Nothing is buffered whole, so a 100 KB sample dump needs no memory.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import board
import busio
import usb_midi

import smolmidi_out
import smolmidi_thru

TX = board.TX  # to MIDI OUT
RX = board.RX  # from MIDI IN

# timeout=0: reads never wait; 256 bytes hold 82 ms of dense MIDI (the default 64: 20 ms)
uart = busio.UART(TX, RX, baudrate=31250, timeout=0, receiver_buffer_size=256)
usb_in, usb_out = usb_midi.ports

din_to_usb = smolmidi_thru.Thru(uart, smolmidi_out.MidiOut(usb_out), usb=True)
usb_to_din = smolmidi_thru.Thru(usb_in, smolmidi_out.MidiOut(uart), usb=False)

print("din_usb_bridge: DIN <-> USB")
while True:
    din_to_usb.update()
    usb_to_din.update()
