# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""boards/*.py: each board module names the right pins and builds a MIDI-ready UART.

Runs under host_shim (busio, board) on every runtime; the MicroPython Pico module gets a
recording stand-in for `machine`.
"""

import sys

from mptest import eq, ok, raises

import host_shim

host_shim.install()

# module name, TX pin name, RX pin name, SAMD (receive buffer must be a power of two)
BOARDS = (
    ("pico", "GP0", "GP1", False),
    ("feather_rp2040", "TX", "RX", False),
    ("qtpy_rp2040", "TX", "RX", False),
    ("kb2040", "TX", "RX", False),
    ("feather_m4_express", "TX", "RX", True),
    ("itsybitsy_m4", "TX", "RX", True),
    ("metro_m4", "TX", "RX", True),
    ("trinket_m0", "TX", "RX", True),
    ("qtpy_m0", "TX", "RX", True),
)


def load(name):
    module = __import__("boards." + name)
    return getattr(module, name)


def test_every_board_uart_is_midi_ready():
    for name, tx, rx, samd in BOARDS:
        m = load(name)
        u = m.uart()
        eq(u.baudrate, 31250, name + " baudrate")
        eq(u.timeout, 0, name + " timeout")
        ok(u.receiver_buffer_size >= 256, name + " receive buffer >= 256")
        eq(u.receiver_buffer_size & (u.receiver_buffer_size - 1), 0, name + " power of two")
        eq((u.tx.name, u.rx.name), (tx, rx), name + " pins")
        eq((m.TX.name, m.RX.name), (tx, rx), name + " TX/RX names")
        u.deinit()


def test_input_only_and_output_only_ports():
    m = load("feather_rp2040")
    u = m.uart(tx=None)
    eq(u.tx, None, "no TX")
    raises(ValueError, u.write, b"\xf8")
    u = m.uart(rx=None, rx_buffer=512)
    eq(u.receiver_buffer_size, 512, "rx_buffer passed on")


def test_samd_boards_refuse_buffers_that_are_not_a_power_of_two():
    for name, tx, rx, samd in BOARDS:
        m = load(name)
        if samd:
            e = raises(ValueError, m.uart, rx_buffer=300)
            ok("300" in str(e) and "power of two" in str(e), name + ": " + str(e))
            eq(m.uart(rx_buffer=1024).receiver_buffer_size, 1024, name)
        else:
            eq(m.uart(rx_buffer=300).receiver_buffer_size, 300, name)


def test_uart_carries_midi_through_a_cable():
    # what the board's TX sends arrives at another board's RX, byte for byte
    a = load("pico").uart()
    b = load("qtpy_m0").uart()
    host_shim.cable(a, b)
    a.write(b"\x90\x3c\x64\xf8")
    buf = bytearray(8)
    eq(b.readinto(buf), 4, "bytes through the cable")
    eq(bytes(buf[:4]), b"\x90\x3c\x64\xf8", "same bytes")


class FakePin:
    def __init__(self, number):
        self.number = number


class FakeMachine:
    """Records the machine.UART arguments the Pico MicroPython module passes."""

    Pin = FakePin

    def UART(self, uart_id, **kwargs):
        kwargs["id"] = uart_id
        return kwargs


def test_pico_micropython_uart_arguments():
    saved = sys.modules.get("machine")
    sys.modules["machine"] = FakeMachine()
    try:
        m = load("pico_micropython")
        got = m.uart()
        eq(got["id"], 0, "UART0")
        eq((got["tx"].number, got["rx"].number), (0, 1), "GP0/GP1")
        eq(got["baudrate"], 31250, "baudrate")
        eq(got["timeout"], 0, "timeout in ms")
        ok(got["rxbuf"] >= 256, "rxbuf")
        eq((got["bits"], got["parity"], got["stop"]), (8, None, 1), "8-N-1")
        got = m.uart(1, tx=4, rx=5)
        eq((got["id"], got["tx"].number, got["rx"].number), (1, 4, 5), "UART1 GP4/GP5")
    finally:
        if saved is None:
            del sys.modules["machine"]
        else:
            sys.modules["machine"] = saved
