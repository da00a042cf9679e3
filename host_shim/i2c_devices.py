# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Device models for host_shim's busio.I2C: what a breakout on the I2C pins answers.

ADS1115: the TI 16-bit ADC (Adafruit #1085 and clones), 4 inputs, address 0x48-0x4B.
Modelled from its data sheet: a register pointer, then registers 0 conversion (signed,
big-endian), 1 config, 2 and 3 comparator thresholds. Writing config with bit 15 (OS)
set starts a single conversion of the input MUX selects, at the gain PGA selects; it
takes 1/rate seconds on host_shim's clock, during which OS reads 0. In continuous mode
(MODE bit 8 clear) conversions repeat. The conversion register keeps the last result.
"""

from . import clock

# config register fields (data sheet table 8)
OS = 0x8000
MODE_SINGLE = 0x0100
CONFIG_DEFAULT = 0x8583  # AIN0-AIN1, +-2.048 V, single-shot, 128 SPS, comparator off
FULL_SCALE = (6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256)  # volts, by PGA
RATES = (8, 16, 32, 64, 128, 250, 475, 860)  # samples per second, by DR
# MUX -> (positive input, negative input or None for GND)
INPUTS = ((0, 1), (0, 3), (1, 3), (2, 3), (0, None), (1, None), (2, None), (3, None))


class ADS1115:
    """An ADS1115 whose four inputs sit at `volts` (set them, or give `source(channel, us)`)."""

    def __init__(self, address=0x48, volts=(0.0, 0.0, 0.0, 0.0), source=None):
        if not 0x48 <= address <= 0x4B:
            raise ValueError("ADS1115 address must be 0x48-0x4B, got 0x%02X" % address)
        self.address = address
        self.volts = list(volts)
        self.source = source
        self.pointer = 0
        self.registers = [0, CONFIG_DEFAULT, 0x8000, 0x7FFF]
        self.conversions = 0
        self._ready_us = 0
        self._pending = None  # result of the conversion under way

    def voltage(self, channel):
        """The voltage at input channel (0-3) now."""
        if self.source is not None:
            return self.source(channel, clock.now_us())
        return self.volts[channel]

    def _convert(self):
        config = self.registers[1]
        positive, negative = INPUTS[(config >> 12) & 7]
        volts = self.voltage(positive) - (self.voltage(negative) if negative is not None else 0.0)
        code = int(round(volts * 32768 / FULL_SCALE[(config >> 9) & 7]))
        return max(-32768, min(32767, code))

    def _start(self, at_us):
        rate = RATES[(self.registers[1] >> 5) & 7]
        self._ready_us = at_us + (1000000 + rate - 1) // rate
        self._pending = self._convert()  # the input is sampled when the conversion starts

    def _update(self):
        """Finish the conversions whose time has come; in continuous mode each starts the next."""
        now = clock.now_us()
        while self._pending is not None and now >= self._ready_us:
            self.registers[0] = self._pending & 0xFFFF
            self.conversions += 1
            self._pending = None
            if not self.registers[1] & MODE_SINGLE:
                self._start(self._ready_us)

    def write(self, data):
        """Bytes from the controller: a register pointer, optionally a 16-bit value for it."""
        if not data:
            return
        self._update()
        self.pointer = data[0] & 3
        if len(data) >= 3 and self.pointer:
            value = (data[1] << 8) | data[2]
            if self.pointer == 1:
                self.registers[1] = value & ~OS & 0xFFFF
                if value & OS or not value & MODE_SINGLE:
                    self._start(clock.now_us())
            else:
                self.registers[self.pointer] = value

    def read(self, n):
        """Bytes to the controller: the pointed register, high byte first (repeated)."""
        self._update()
        value = self.registers[self.pointer]
        if self.pointer == 1 and self._pending is None:
            value |= OS  # OS reads 1 when no conversion is under way
        pair = bytes(((value >> 8) & 0xFF, value & 0xFF))
        return bytes([pair[i % 2] for i in range(n)])


def turning_knobs(channel, us):
    """Four knobs turned slowly up and down (0-3.3 V, periods 4, 6, 8 and 10 s)."""
    period = 4000000 + 2000000 * channel
    phase = us % period
    half = period // 2
    return 3.3 * (phase if phase < half else period - phase) / half


MODELS = {"ads1115": ADS1115}


def from_spec(spec):
    """A device model from "NAME" or "NAME@ADDRESS" (e.g. "ads1115@0x49"), knobs turning."""
    name, _, address = spec.partition("@")
    model = MODELS.get(name.lower())
    if model is None:
        raise ValueError("unknown I2C device %r (known: %s)" % (name, ", ".join(sorted(MODELS))))
    if address:
        return model(int(address, 0), source=turning_knobs)
    return model(source=turning_knobs)
