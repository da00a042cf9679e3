# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""host_shim's analogio and digitalio stand-ins, on every runtime."""

from mptest import eq, ok, raises

import host_shim
from host_shim import analogio, board, digitalio


def test_analog_in_reads_what_the_test_set_and_zero_otherwise():
    host_shim.reset()
    knob = analogio.AnalogIn(board.A0)
    other = analogio.AnalogIn(board.A1)
    eq(knob.value, 0, "unset pin")
    analogio.set_value(board.A0, 40000)
    eq(knob.value, 40000, "set value")
    eq(other.value, 0, "other pin untouched")
    raises(ValueError, analogio.set_value, board.A0, 65536)
    knob.deinit()
    raises(ValueError, lambda: knob.value)
    host_shim.reset()
    eq(other.value, 0, "reset clears")


def test_digital_input_reads_pull_up_at_rest_and_what_the_test_set():
    host_shim.reset()
    button = digitalio.DigitalInOut(board.D5)
    button.switch_to_input(pull=digitalio.Pull.UP)
    eq(button.value, True, "pull-up at rest")
    digitalio.set_input(board.D5, False)
    eq(button.value, False, "pressed")
    raises(AttributeError, setattr, button, "value", True)


def test_digital_output_records_every_value_written():
    host_shim.reset()
    led = digitalio.DigitalInOut(board.LED)
    led.direction = digitalio.Direction.OUTPUT
    led.value = True
    led.value = False
    led.switch_to_output(True)
    eq(digitalio.outputs(board.LED), [True, False, True], "record")
    ok(led.value, "reads back")


def test_install_registers_analogio_and_digitalio():
    import sys

    names = host_shim.install()
    ok("analogio" in names and "digitalio" in names, names)
    ok(sys.modules["analogio"] is analogio, "analogio installed")
