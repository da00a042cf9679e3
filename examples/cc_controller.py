# cc_controller: knobs and faders to MIDI. Each analog input becomes a control change
# message, smoothed so a noisy pot does not flood the wire, and sent only when it moves.
#
# Needs:  a board with native USB and analog inputs running CircuitPython 9 or 10;
#         smolmidi_out.py in CIRCUITPY/lib/. Potentiometers (10 kOhm linear) or faders.
# Wiring: each pot's outer legs to 3V3 and GND, its wiper to an analog pin: A0, A1, A2
#         below (on a Pico: board.A0 = GP26, A1 = GP27, A2 = GP28). Change KNOBS to match
#         your pins and the controller numbers your synth listens to.
#         For DIN out, copy your board's file from boards/ into lib/, wire MIDI OUT as
#         boards/README.md shows, and use `feather_rp2040.uart(rx=None)` (say) as the port.
# Desktop: python -m host_shim run examples/cc_controller.py --virtual-clock
#          (host_shim's analogio pins read 0 unless a test sets them)
#
# A knob is anything with a `value` of 0-65535 (analogio.AnalogIn, or an external ADC's
# channel): smoothing and sending do not care where the reading comes from.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import time

import analogio
import board
import usb_midi

import smolmidi_out

CHANNEL = 0  # 0-15 (MIDI channel 1-16)
KNOBS = (  # (analog pin, controller number)
    (board.A0, 7),  # volume
    (board.A1, 10),  # pan
    (board.A2, 74),  # brightness (filter cutoff on most synths)
)
SCAN_SECONDS = 0.002  # read every input 500 times a second
SMOOTHING = 3  # 0 = none; each step doubles the averaging time (3: about 8 readings)
HYSTERESIS = 96  # in 1/65536 of the range: how far past a step's edge before it counts


class Knob:
    """One input sent as one controller: reads, smooths, and reports a changed 0-127 value."""

    def __init__(self, source, control):
        self.source = source  # anything with .value 0-65535
        self.control = control
        self.level = source.value  # smoothed reading, 0-65535
        self.sent = self.level >> 9  # the 0-127 value last reported

    def update(self):
        """Read once; return the new 0-127 value if it changed enough, else None."""
        # exponential moving average in whole numbers: no floats, nothing allocated
        self.level += (self.source.value - self.level) >> SMOOTHING
        # middle of the last reported step, in the same 0-65535 units (each step is 512)
        centre = (self.sent << 9) + 256
        if abs(self.level - centre) <= 256 + HYSTERESIS:
            return None
        value = self.level >> 9
        if value > 127:
            value = 127
        if value == self.sent:
            return None
        self.sent = value
        return value


midi_out = smolmidi_out.MidiOut(usb_midi.ports[1])
port_in = usb_midi.ports[0]
drain = bytearray(64)  # incoming USB MIDI is read and ignored: a full input can stall the host
knobs = [Knob(analogio.AnalogIn(pin), control) for pin, control in KNOBS]

print("cc_controller: %d knobs on channel %d" % (len(knobs), CHANNEL + 1))
for knob in knobs:  # tell the synth where the knobs are now
    midi_out.control_change(knob.control, knob.sent, CHANNEL)
while True:
    port_in.readinto(drain)
    for knob in knobs:
        value = knob.update()
        if value is not None:
            midi_out.control_change(knob.control, value, CHANNEL)
    time.sleep(SCAN_SECONDS)
