# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for CircuitPython's `board`: pin names for the boards smolmidi targets.

Pins are plain named objects; busio.UART only checks that it was given one. The set
is the union of Raspberry Pi Pico (GP0-GP28), Feather/ItsyBitsy/Metro (D0-D13, A0-A5)
and QT Py names, so examples written for any of them import here.
"""


class Pin:
    """A named pin, as `board.GP0` is on a board."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "board." + self.name


def _define(names):
    g = globals()
    for name in names:
        g[name] = Pin(name)


_define(["GP%d" % i for i in range(29)])
_define(["D%d" % i for i in range(14)])
_define(["A%d" % i for i in range(6)])
_define(
    ["TX", "RX", "SDA", "SCL", "SCK", "MOSI", "MISO", "LED", "NEOPIXEL", "BUTTON", "STEMMA_I2C_SDA", "STEMMA_I2C_SCL"]
)
board_id = "host_shim"
