# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""examples/cc_controller_i2c.py on the desktop: adafruit_bus_device's I2CDevice over
host_shim's busio.I2C and the ADS1115 model; knobs turned, control changes checked."""

import os
import runpy
import sys

import pytest

import host_shim
from host_shim import busio, clock, usb_midi
from host_shim.i2c_devices import ADS1115

pytest.importorskip("adafruit_bus_device", reason="adafruit-circuitpython-busdevice comes with the test extra")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "cc_controller_i2c.py")


class EndOfRun(Exception):
    pass


def run_example(monkeypatch, source, until_us):
    """Run the example with the ADS1115's inputs given by source(channel, us), until until_us."""
    for name in ("usb_midi", "busio", "board", "supervisor", "micropython"):
        monkeypatch.setitem(sys.modules, name, sys.modules.get(name))
    host_shim.install()
    clock.use_virtual(0, autostep_us=20)

    def knobs(channel, us):
        if us > until_us:
            raise EndOfRun()
        return source(channel, us)

    adc = busio.wire_i2c(ADS1115(source=knobs))
    with pytest.raises(EndOfRun):
        runpy.run_path(EXAMPLE, run_name="__main__")
    return adc, usb_midi.ports[1].take()


def control_changes(data):
    assert len(data) % 3 == 0
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def test_knob_turned_end_to_end_sends_every_value_once_in_order(monkeypatch):
    # knob 1 turned from 0 to 3.3 V over two seconds; knobs 2-4 rest at 0, 1.65 and 3.3 V
    def source(channel, us):
        if channel == 0:
            return 3.3 * min(us, 2000000) / 2000000
        return (0.0, 0.0, 1.65, 3.3)[channel]

    adc, out = run_example(monkeypatch, source, 2200000)
    messages = control_changes(out)
    assert all(status == 0xB0 for status, _, _ in messages)  # CC on channel 1
    knob1 = [value for _, control, value in messages if control == 20]
    assert knob1 == list(range(128))  # every value, once, in order: no jitter, no gaps
    assert [value for _, control, value in messages if control == 21] == [0]
    assert [value for _, control, value in messages if control == 22] in ([63], [64])
    assert [value for _, control, value in messages if control == 23] == [127]
    # conversions run at the chip's own pace, not the loop's: about 860 per second
    assert 1500 < adc.conversions < 2200000 // 1163 + 2


def test_noise_on_a_resting_knob_sends_nothing_more(monkeypatch):
    # 1.0 V with +-2 mV of noise (a cheap potentiometer): one message, then silence
    def source(channel, us):
        return 1.0 + (0.002 if (us // 1000) % 2 else -0.002) if channel == 0 else 0.0

    adc, out = run_example(monkeypatch, source, 500000)
    assert [m for m in control_changes(out) if m[1] == 20] == [(0xB0, 20, 38)]


def test_no_adc_on_the_bus_is_a_clear_error(monkeypatch):
    for name in ("usb_midi", "busio", "board", "supervisor", "micropython"):
        monkeypatch.setitem(sys.modules, name, sys.modules.get(name))
    host_shim.install()
    with pytest.raises(ValueError, match="No I2C device at address: 0x48"):
        runpy.run_path(EXAMPLE, run_name="__main__")


def test_runner_i2c_option_rejects_an_unknown_device_in_one_line():
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "host_shim", "run", EXAMPLE, "--i2c", "bme280"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "host_shim: unknown I2C device 'bme280' (known: ads1115)"
