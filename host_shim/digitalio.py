# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for CircuitPython's `digitalio`: DigitalInOut, Direction, Pull.

An input reads what the test set with `set_input(pin, value)` (a pin nobody set reads
True with Pull.UP, else False, as a button wired to ground does at rest); an output
remembers its value, and `outputs(pin)` gives every value written to it, so a test
can count LED blinks. Imports on MicroPython unix as well as CPython.
"""

_inputs = {}
_outputs = {}


def _key(pin):
    return getattr(pin, "name", pin)


class Direction:
    """Pin direction constants."""

    INPUT = "INPUT"
    OUTPUT = "OUTPUT"


class Pull:
    """Pull resistor constants."""

    UP = "UP"
    DOWN = "DOWN"


class DriveMode:
    """Output drive constants."""

    PUSH_PULL = "PUSH_PULL"
    OPEN_DRAIN = "OPEN_DRAIN"


def set_input(pin, value):
    """Set what an input pin reads from now on (test side): True or False."""
    _inputs[_key(pin)] = bool(value)


def outputs(pin):
    """Every value written to pin as an output, oldest first (test side)."""
    return _outputs.setdefault(_key(pin), [])


def reset():
    """Forget every input and output."""
    _inputs.clear()
    _outputs.clear()


class DigitalInOut:
    """A digital pin, input by default, as on CircuitPython."""

    def __init__(self, pin):
        self._key = _key(pin)
        self.direction = Direction.INPUT
        self.pull = None
        self.drive_mode = DriveMode.PUSH_PULL
        self._value = False

    def switch_to_output(self, value=False, drive_mode=DriveMode.PUSH_PULL):
        """Make the pin an output with the given starting value."""
        self.direction = Direction.OUTPUT
        self.drive_mode = drive_mode
        self.value = value

    def switch_to_input(self, pull=None):
        """Make the pin an input with an optional pull resistor."""
        self.direction = Direction.INPUT
        self.pull = pull

    @property
    def value(self):
        """An input's level as the test set it; an output's last written value."""
        if self.direction == Direction.OUTPUT:
            return self._value
        if self._key in _inputs:
            return _inputs[self._key]
        return self.pull == Pull.UP

    @value.setter
    def value(self, value):
        if self.direction != Direction.OUTPUT:
            raise AttributeError("Cannot set value when direction is input.")
        self._value = bool(value)
        outputs(self._key).append(self._value)

    def deinit(self):
        """Release the pin."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.deinit()
