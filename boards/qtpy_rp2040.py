# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""DIN-MIDI on the Adafruit QT Py RP2040, CircuitPython.

UART1 on board.TX (GPIO20) and board.RX (GPIO5): not UART0, and not adjacent GPIOs.
Wiring (resistors, optocoupler, DIN-5 and TRS pins): boards/README.md.

Copy this file into the board's lib/ folder, then in code.py:

    import qtpy_rp2040
    uart = qtpy_rp2040.uart()     # give it to smolmidi.MidiIn and smolmidi_out.MidiOut
"""

import board
import busio

TX = board.TX  # GPIO20: MIDI OUT
RX = board.RX  # GPIO5: MIDI IN
RX_BUFFER = 256  # bytes: 82 ms of back-to-back MIDI at 320 us per byte (default 64 = 20 ms)


def uart(tx=TX, rx=RX, rx_buffer=RX_BUFFER):
    """Return a busio.UART set up for MIDI: 31250 baud, 8-N-1, timeout 0, rx_buffer bytes.

    timeout=0 makes reads return at once (the default of 1 s would stall the main loop).
    Pass tx=None for an input-only port or rx=None for an output-only one.
    """
    return busio.UART(tx, rx, baudrate=31250, timeout=0, receiver_buffer_size=rx_buffer)
