# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for CircuitPython's `analogio`: AnalogIn with a value the test sets.

`AnalogIn(pin).value` is 0-65535 as on every CircuitPython board (the ADC's 12 bits
scaled up to 16). The test side sets what a pin reads with `set_value(pin, value)`;
a pin nobody set reads 0. Imports on MicroPython unix as well as CPython.
"""

_values = {}


def _key(pin):
    return getattr(pin, "name", pin)


def set_value(pin, value):
    """Set what AnalogIn(pin).value reads from now on (test side), 0-65535."""
    if not 0 <= value <= 65535:
        raise ValueError("value must be 0-65535, got %r" % (value,))
    _values[_key(pin)] = value


def reset():
    """Every pin back to 0."""
    _values.clear()


class AnalogIn:
    """An analog input pin: `value` is 0-65535, `reference_voltage` 3.3."""

    reference_voltage = 3.3

    def __init__(self, pin):
        self._key = _key(pin)
        self._deinited = False

    @property
    def value(self):
        """The pin's reading, 0-65535."""
        if self._deinited:
            raise ValueError("Object has been deinitialized and can no longer be used.")
        return _values.get(self._key, 0)

    def deinit(self):
        """Release the pin; further reads raise."""
        self._deinited = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.deinit()
