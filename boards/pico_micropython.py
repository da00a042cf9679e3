# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""DIN-MIDI on the Raspberry Pi Pico and Pico W, MicroPython (machine.UART).

UART0 on GP0 (TX, pin 1) and GP1 (RX, pin 2); UART1 on GP4/GP5 works the same way.
Wiring (resistors, optocoupler, DIN-5 and TRS pins): boards/README.md.

Copy this file to the board (mpremote cp boards/pico_micropython.py :), then:

    import pico_micropython
    uart = pico_micropython.uart()   # give it to smolmidi.MidiIn and smolmidi_out.MidiOut

MicroPython times are milliseconds (CircuitPython's are seconds). Even with timeout=0 a
read on an empty machine.UART can spin for about 1 ms; a tight loop can check
uart.any() first and skip the read when it is 0.
"""

from machine import Pin, UART

UART_ID = 0
TX_PIN = 0  # GP0: MIDI OUT
RX_PIN = 1  # GP1: MIDI IN
RX_BUFFER = 256  # bytes: 82 ms of back-to-back MIDI at 320 us per byte


def uart(uart_id=UART_ID, tx=TX_PIN, rx=RX_PIN, rx_buffer=RX_BUFFER):
    """Return a machine.UART set up for MIDI: 31250 baud, 8-N-1, timeout 0, rx_buffer bytes.

    tx and rx are GPIO numbers; a legal pair for uart_id 1 is tx=4, rx=5.
    """
    return UART(
        uart_id, baudrate=31250, bits=8, parity=None, stop=1, tx=Pin(tx), rx=Pin(rx), rxbuf=rx_buffer, timeout=0
    )
