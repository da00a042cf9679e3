# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""DIN-MIDI on the Raspberry Pi Pico and Pico W, CircuitPython.

UART0 on GP0 (TX, pin 1) and GP1 (RX, pin 2). These boards have no board.TX or
board.RX: the pins go by their GP names. UART1 on GP4/GP5 works the same way.
Wiring (resistors, optocoupler, DIN-5 and TRS pins): boards/README.md.

Copy this file into the board's lib/ folder, then in code.py:

    import pico
    uart = pico.uart()     # give it to smolmidi.MidiIn and smolmidi_out.MidiOut
"""

import board
import busio

TX = board.GP0  # GP0, pin 1: MIDI OUT
RX = board.GP1  # GP1, pin 2: MIDI IN
RX_BUFFER = 256  # bytes: 82 ms of back-to-back MIDI at 320 us per byte (default 64 = 20 ms)


def uart(tx=TX, rx=RX, rx_buffer=RX_BUFFER):
    """Return a busio.UART set up for MIDI: 31250 baud, 8-N-1, timeout 0, rx_buffer bytes.

    timeout=0 makes reads return at once (the default of 1 s would stall the main loop).
    Pass tx=None for an input-only port or rx=None for an output-only one.
    """
    return busio.UART(tx, rx, baudrate=31250, timeout=0, receiver_buffer_size=rx_buffer)
