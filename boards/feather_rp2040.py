# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""DIN-MIDI on the Adafruit Feather RP2040, CircuitPython.

UART0 on board.TX (D1, GPIO0) and board.RX (D0, GPIO1), as the MIDI FeatherWing uses.
Wiring (resistors, optocoupler, DIN-5 and TRS pins): boards/README.md.

Copy this file into the board's lib/ folder, then in code.py:

    import feather_rp2040
    uart = feather_rp2040.uart()     # give it to smolmidi.MidiIn and smolmidi_out.MidiOut
"""

import board
import busio

TX = board.TX  # D1 = GPIO0: MIDI OUT
RX = board.RX  # D0 = GPIO1: MIDI IN
RX_BUFFER = 256  # bytes: 82 ms of back-to-back MIDI at 320 us per byte (default 64 = 20 ms)


def uart(tx=TX, rx=RX, rx_buffer=RX_BUFFER):
    """Return a busio.UART set up for MIDI: 31250 baud, 8-N-1, timeout 0, rx_buffer bytes.

    timeout=0 makes reads return at once (the default of 1 s would stall the main loop).
    Pass tx=None for an input-only port or rx=None for an output-only one.
    """
    return busio.UART(tx, rx, baudrate=31250, timeout=0, receiver_buffer_size=rx_buffer)
