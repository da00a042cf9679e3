# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""DIN-MIDI on the Adafruit Metro M4 Express (SAMD51), CircuitPython.

SERCOM3 on board.TX (D1, PA22) and board.RX (D0, PA23).
Wiring (resistors, optocoupler, DIN-5 and TRS pins): boards/README.md.

Copy this file into the board's lib/ folder, then in code.py:

    import metro_m4
    uart = metro_m4.uart()     # give it to smolmidi.MidiIn and smolmidi_out.MidiOut
"""

import board
import busio

TX = board.TX  # D1 = PA22: MIDI OUT
RX = board.RX  # D0 = PA23: MIDI IN
RX_BUFFER = 256  # bytes: 82 ms of back-to-back MIDI at 320 us per byte (default 64 = 20 ms)


def uart(tx=TX, rx=RX, rx_buffer=RX_BUFFER):
    """Return a busio.UART set up for MIDI: 31250 baud, 8-N-1, timeout 0, rx_buffer bytes.

    timeout=0 makes reads return at once (the default of 1 s would stall the main loop).
    Pass tx=None for an input-only port or rx=None for an output-only one.
    On SAMD rx_buffer must be a power of two (busio.UART refuses anything else).
    """
    if rx_buffer < 1 or rx_buffer & (rx_buffer - 1):
        raise ValueError("rx_buffer must be a power of two on SAMD, got %r" % (rx_buffer,))
    return busio.UART(tx, rx, baudrate=31250, timeout=0, receiver_buffer_size=rx_buffer)
