# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""host_shim: stand-ins for a CircuitPython board, for CPython and MicroPython unix.

`install()` puts the fakes into `sys.modules` under the names a `code.py` imports
(`usb_midi`, `busio`, `board`, `supervisor`, `analogio`, `digitalio`, and
`micropython` where it is missing),
so the same program runs on a desktop. Tests build ports directly instead:

    from host_shim import usb_midi, clock
    port = usb_midi.PortIn(split="byte")
    port.feed(b"\\x90\\x3c\\x64")

Ports of other shapes (machine.UART, BLE MIDIService, pyserial) are in host_shim.ports.
Everything in this package except `__main__`, `runner` and the bridges imports on
the MicroPython unix port as well as on CPython.
"""

import sys

from . import clock, feed, usb_midi, busio, board, supervisor, analogio, digitalio

Feed = feed.Feed

STANDIN_NAMES = ("usb_midi", "busio", "board", "supervisor", "analogio", "digitalio")


def install():
    """Put the stand-ins into sys.modules; return the names installed."""
    installed = []
    for name in STANDIN_NAMES:
        sys.modules[name] = globals()[name]
        installed.append(name)
    from . import micropython as fake_micropython

    # On CPython ours, even where Blinka installs its own (whose native/viper a board lacks)
    if sys.implementation.name not in ("micropython", "circuitpython"):
        sys.modules["micropython"] = fake_micropython
        installed.append("micropython")
    return installed


def swap_modules(saved, modules):
    """Put modules ({name: module}) into sys.modules, first keeping in saved (a dict) what
    was there, so restore_modules(saved) can put it back."""
    if not saved:
        for name in modules:
            saved[name] = sys.modules.get(name)
    sys.modules.update(modules)


def restore_modules(saved):
    """Put back what swap_modules() found in sys.modules."""
    for name, module in saved.items():
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module
    saved.clear()


def reset():
    """Fresh usb_midi ports and a fresh clock: call between tests that share the module."""
    usb_midi.reset()
    busio.reset_i2c()
    clock.reset()
    analogio.reset()
    digitalio.reset()


def cable(port_out, port_in):
    """Join an out port (usb_midi.PortOut or busio.UART) to an in port: a virtual cable.

    Every byte the out port accepts is fed to the in port, as through a MIDI lead.
    """
    port_out.connect(port_in)
    return port_in
