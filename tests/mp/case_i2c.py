# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""host_shim's busio.I2C and its ADS1115 model behave like the board and the chip."""

from mptest import eq, ok, raises

from host_shim import board, busio, clock
from host_shim.i2c_devices import ADS1115


def bus():
    busio.reset_i2c()
    return busio.I2C(board.SCL, board.SDA)


def test_transfers_need_the_lock():
    i2c = bus()
    raises(RuntimeError, lambda: i2c.scan())
    ok(i2c.try_lock(), "first lock")
    ok(not i2c.try_lock(), "already locked")
    eq(i2c.scan(), [])
    i2c.unlock()
    raises(RuntimeError, lambda: i2c.writeto(0x48, b"\x00"))


def test_missing_device_is_oserror_19_and_scan_lists_the_wired():
    i2c = bus()
    busio.wire_i2c(ADS1115(0x49))
    busio.wire_i2c(ADS1115(0x48))
    i2c.try_lock()
    eq(i2c.scan(), [0x48, 0x49])
    ok(i2c.probe(0x48) and not i2c.probe(0x4A))
    try:
        i2c.writeto(0x4A, b"")
    except OSError as e:
        eq(e.args[0], 19, "errno")
    else:
        raise AssertionError("no OSError for an absent address")
    raises(ValueError, lambda: ADS1115(0x50))


def read_register(i2c, pointer):
    buf = bytearray(2)
    i2c.writeto_then_readfrom(0x48, bytes([pointer]), buf)
    return (buf[0] << 8) | buf[1]


def test_ads1115_power_on_registers():
    i2c = bus()
    busio.wire_i2c(ADS1115())
    i2c.try_lock()
    eq(read_register(i2c, 1), 0x8583, "config default")
    eq(read_register(i2c, 2), 0x8000, "lo_thresh")
    eq(read_register(i2c, 3), 0x7FFF, "hi_thresh")
    eq(read_register(i2c, 0), 0, "conversion")


# (volts on AIN0..3, MUX, PGA, expected signed reading): data sheet table 3 scaling
CONVERSIONS = [
    ((1.0, 0, 0, 0), 4, 2, 16000),  # AIN0 vs GND, +-2.048 V: 1 V = 16000
    ((0, 0, 3.3, 0), 6, 1, 26400),  # AIN2 vs GND, +-4.096 V: 3.3 V
    ((0, 0, 0, 5.0), 7, 1, 32767),  # beyond full scale: clipped
    ((0.5, 1.5, 0, 0), 0, 2, -16000),  # AIN0 - AIN1 = -1 V
    ((0, 0, 0, 0.1), 7, 5, 12800),  # +-0.256 V
]


def test_ads1115_single_shot_conversion_takes_one_sample_period():
    for volts, mux, pga, want in CONVERSIONS:
        clock.use_virtual(0)
        i2c = bus()
        adc = busio.wire_i2c(ADS1115(volts=volts))
        i2c.try_lock()
        config = 0x8000 | (mux << 12) | (pga << 9) | 0x0100 | (4 << 5) | 3  # 128 SPS
        i2c.writeto(0x48, bytes([1, config >> 8, config & 0xFF]))
        eq(read_register(i2c, 1) & 0x8000, 0, "OS reads 0 while converting")
        clock.advance_us(7812)
        eq(read_register(i2c, 1) & 0x8000, 0, "still converting just before 1/128 s")
        clock.advance_us(1)
        eq(read_register(i2c, 1), config | 0x8000, "done; config kept")
        got = read_register(i2c, 0)
        if got & 0x8000:
            got -= 0x10000
        eq(got, want, "reading for %r mux %d pga %d" % (volts, mux, pga))
        eq(adc.conversions, 1)
    clock.reset()


def test_ads1115_continuous_mode_follows_the_input():
    clock.use_virtual(0)
    i2c = bus()
    adc = busio.wire_i2c(ADS1115(volts=(2.048, 0, 0, 0)))
    i2c.try_lock()
    config = (4 << 12) | (2 << 9) | (7 << 5) | 3  # MODE 0: continuous, 860 SPS (1163 us)
    i2c.writeto(0x48, bytes([1, config >> 8, config & 0xFF]))
    eq(read_register(i2c, 0), 0, "nothing converted yet")
    clock.advance_us(1163)
    eq(read_register(i2c, 0), 32767, "2.048 V is full scale")
    adc.volts[0] = 1.024
    eq(read_register(i2c, 0), 32767, "the next conversion is still under way")
    clock.advance_us(1163 * 10)
    eq(read_register(i2c, 0), 16384, "follows the input")
    eq(adc.conversions, 11, "one per sample period, read or not")
    clock.reset()
