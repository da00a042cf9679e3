# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The transport examples under host_shim's stand-ins, on every runtime:
usb_host_to_din (CircuitPython usb.core host) and usb_device_chords (MicroPython
usb-device-midi)."""

from mptest import eq, ok

import host_shim
from host_shim import usb_device, usb_host
from exrun import example_path


class Stop(BaseException):
    """Ends a program's loop (not an Exception: the examples' own except clauses pass it)."""


def run_example(name):
    printed = []

    def fake_print(*args, **kwargs):
        printed.append(" ".join([str(a) for a in args]))

    path = example_path(name)
    with open(path) as f:
        source = f.read()
    namespace = {"__name__": "__main__", "print": fake_print}
    try:
        exec(source, namespace)
    except Stop:
        pass
    return printed, namespace


def test_usb_host_to_din_forwards_the_keyboard_to_midi_out():
    host_shim.reset()
    host_shim.install()
    usb_host.install()
    usb_host.reset()
    usb_host.stop = Stop
    keyboard = usb_host.plug(idle_reads=50)
    sysex = bytes(range(1, 40))
    packets = bytearray(bytes.fromhex("09903C640FF800000B B0 07 64".replace(" ", "")))
    pieces = b"\xf0" + sysex + b"\xf7"
    for i in range(0, len(pieces) - 3, 3):
        packets.extend(b"\x04" + pieces[i : i + 3])
    rest = pieces[len(pieces) - (len(pieces) % 3 or 3) :]
    packets.extend(bytes([4 + len(rest)]) + rest + bytes(3 - len(rest)))
    packets.extend(bytes.fromhex("08803C00"))
    keyboard.play(bytes(packets))
    try:
        printed, namespace = run_example("usb_host_to_din")
    finally:
        usb_host.reset()
        usb_host.uninstall()
    eq(
        printed,
        [
            "usb_host_to_din: plug in a USB MIDI keyboard",
            "usb_host_to_din: playing MIDI keyboard",
            "usb_host_to_din: keyboard unplugged",
        ],
    )
    ok(keyboard.configured and keyboard.detached == [1], "set up as adafruit_usb_host_midi does")
    eq(namespace["uart"].take(), b"\x90\x3c\x64\xf8\xb0\x07\x64" + pieces + b"\x80\x3c\x00", "DIN gets every message")


def test_usb_device_chords_answers_with_chords():
    usb_device.install()
    usb_device.reset(idle_polls=50)
    usb_device.host.send(bytes.fromhex("09903C640FF8000008803C4009907E10"))
    try:
        printed, namespace = run_example("usb_device_chords")
    finally:
        usb_device.uninstall()
    eq(printed, ["usb_device_chords: ready", "usb_device_chords: the computer went away"])
    eq(
        bytes(usb_device.host.received),
        bytes.fromhex("09903C64 09904064 09904364 08803C40 08804040 08804340 09907E10".replace(" ", "")),
        "a chord for each note, as packets; the top of the range left out",
    )
