# cc_controller_i2c: four knobs on an ADS1115 I2C ADC become MIDI control changes
# (CC 20-23 on channel 1) over USB. The ADC works on its own while the loop runs:
# the program starts a conversion, goes on with its loop, and collects the result
# when the chip says it is done, so the loop never waits for the ADC.
#
# Needs:  a board with native USB running CircuitPython 9 or 10 (adafruit_bus_device
#         is built in on most; otherwise copy it from the Adafruit bundle into lib/).
#         An ADS1115 breakout (Adafruit 1085 or a clone) and four 10 kOhm potentiometers.
# Wiring: ADS1115 VDD to 3V3, GND to GND, SCL to SCL, SDA to SDA, ADDR to GND
#         (address 0x48). Each potentiometer: ends to 3V3 and GND, wiper to A0..A3.
#         On a Pico (no board.SCL/SDA) use busio.I2C(board.GP5, board.GP4).
# Desktop: python -m host_shim run examples/cc_controller_i2c.py --i2c ads1115 --virtual-clock
#          (the stand-in ADS1115's knobs turn slowly by themselves)
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import board
import busio
import usb_midi
from adafruit_bus_device.i2c_device import I2CDevice

ADDRESS = 0x48
CHANNEL = 0  # MIDI channel 1
FIRST_CC = 20  # knob n sends CC FIRST_CC + n (20-31 are undefined in MIDI 1.0: free to use)
KNOBS = 4
# ADS1115 config: OS=1 (start), MUX=1nn (input nn against GND), PGA=001 (+-4.096 V, room
# for 3.3 V), MODE=1 (single conversion), DR=111 (860 per second), comparator off
CONFIG = 0x8000 | (1 << 9) | 0x0100 | (7 << 5) | 0x0003
TOP = 26400  # the reading at 3.3 V: 3.3 / 4.096 * 32768
HYSTERESIS = TOP // 512  # a quarter step of the 7-bit value: no flicker between two values

i2c = busio.I2C(board.SCL, board.SDA, frequency=400000)
adc = I2CDevice(i2c, ADDRESS)  # raises ValueError if nothing answers at 0x48
port_out = usb_midi.ports[1]

start = bytearray(3)
start[0] = 1  # pointer: config register
point_config = bytes([1])
point_conversion = bytes([0])
register = bytearray(2)
cc = bytearray([0xB0 | CHANNEL, 0, 0])
sent_value = [-1] * KNOBS  # last CC value sent per knob
sent_reading = [-TOP] * KNOBS  # the reading it was sent for


def start_conversion(knob):
    config = CONFIG | ((4 + knob) << 12)
    start[1] = config >> 8
    start[2] = config & 0xFF
    with adc:
        adc.write(start)


def conversion_done():
    with adc:
        adc.write_then_readinto(point_config, register)
    return register[0] & 0x80  # OS bit: 1 = idle, the result is in


def read_conversion():
    with adc:
        adc.write_then_readinto(point_conversion, register)
    reading = (register[0] << 8) | register[1]
    if reading & 0x8000:  # two's complement: a little below GND reads negative
        reading -= 0x10000
    return reading


knob = 0
start_conversion(knob)
while True:
    if conversion_done():
        reading = min(max(read_conversion(), 0), TOP)
        value = reading * 127 // TOP
        moved = reading - sent_reading[knob]
        if value != sent_value[knob] and (moved > HYSTERESIS or moved < -HYSTERESIS or value in (0, 127)):
            cc[1] = FIRST_CC + knob
            cc[2] = value
            port_out.write(cc)
            sent_value[knob] = value
            sent_reading[knob] = reading
        knob = (knob + 1) % KNOBS
        start_conversion(knob)
    # the rest of a controller's loop (buttons, MIDI input, LEDs) goes here
