# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for micropython-lib's usb-device-midi: `usb.device` and `usb.device.midi`.

    from host_shim import usb_device
    usb_device.install()               # sys.modules: usb, usb.device, usb.device.midi
    host = usb_device.host             # the computer on the other end (test side)
    host.send(packets)                 # USB-MIDI packets the computer sends the board
    host.received                      # packets the board sent

MIDIInterface keeps the library's shape (micropython/usb/usb-device-midi/usb/device/
midi.py): on_midi_event(cin, midi0, midi1, midi2) is called for each packet received,
with the cable number masked off as the library does; send_event(cin, midi0, midi1,
midi2) queues one packet in a transmit buffer of txlen bytes and returns False when it
is full; is_open() says whether the host has configured the device. Here the host
drains the transmit buffer and delivers what it sends each time is_open() is called
(the loop of the library's example), and hangs up once it has nothing left to send
and is_open() has been called `idle_polls` more times.
"""

import sys

from . import restore_modules, swap_modules


class Host:
    """The computer: what it sends to the board, what it has received."""

    def __init__(self, idle_polls=200):
        self.pending = bytearray()
        self.received = bytearray()
        self.idle_polls = idle_polls
        self.idle = 0
        self.interfaces = []

    def send(self, packets):
        """Queue USB-MIDI event packets for the board (4 bytes each)."""
        self.pending.extend(packets)

    def poll(self):
        # one USB frame: the IN transfer drains the board's buffer, an OUT transfer delivers
        for iface in self.interfaces:
            self.received.extend(iface._tx)
            iface._tx = bytearray()
        if not self.pending:
            self.idle += 1
            return self.idle <= self.idle_polls
        self.idle = 0
        packets = self.pending[:16]  # rxlen=16: four packets a transfer
        self.pending = self.pending[16:]
        for iface in self.interfaces:
            for i in range(0, len(packets) - 3, 4):
                iface.on_midi_event(packets[i] & 0x0F, packets[i + 1], packets[i + 2], packets[i + 3])
        return True


host = Host()


class MIDIInterface:
    """usb.device.midi.MIDIInterface."""

    def __init__(self, rxlen=16, txlen=16):
        self.rxlen = rxlen
        self.txlen = txlen
        self._tx = bytearray()
        self._open = False

    def on_midi_event(self, cin, midi0, midi1, midi2):
        ch = midi0 & 0x0F
        if cin == 0x9:
            self.on_note_on(ch, midi1, midi2)
        elif cin == 0x8:
            self.on_note_off(ch, midi1, midi2)
        elif cin == 0xB:
            self.on_control_change(ch, midi1, midi2)

    def on_note_on(self, channel, pitch, vel):
        pass

    def on_note_off(self, channel, pitch, vel):
        pass

    def on_control_change(self, channel, controller, value):
        pass

    def send_event(self, cin, midi0, midi1=0, midi2=0):
        """Queue one packet; False when the transmit buffer is full."""
        if len(self._tx) + 4 > self.txlen:
            return False
        self._tx.extend(bytes([cin, midi0, midi1, midi2]))
        return True

    def on_open(self):
        self._open = True

    def is_open(self):
        """True while the host is there; each call is a USB frame (see the module)."""
        if self._open and not host.poll():
            self._open = False
        return self._open


class _Device:
    def init(self, *interfaces, builtin_driver=False):
        """Enumerate with these interfaces: the host opens them at once."""
        for iface in interfaces:
            host.interfaces.append(iface)
            iface.on_open()


_device = _Device()


def get():
    """usb.device.get(): the USB device singleton."""
    return _device


class _Module:
    pass


_saved = {}


def uninstall():
    """Put back what sys.modules held before install() (CPython's pyusb, say)."""
    restore_modules(_saved)


def install():
    """usb, usb.device and usb.device.midi in sys.modules."""
    midi = _Module()
    midi.MIDIInterface = MIDIInterface
    device = _Module()
    device.get = get
    device.midi = midi
    usb = _Module()
    usb.device = device
    swap_modules(_saved, {"usb": usb, "usb.device": device, "usb.device.midi": midi})


def reset(idle_polls=200):
    """A fresh host."""
    global host
    host = Host(idle_polls)


DEMO = bytes.fromhex("09903C64 08803C40 09904550 08804500".replace(" ", ""))


def main(argv):
    """python -m host_shim.usb_device PROGRAM: run a MicroPython program with a stand-in
    computer that plays DEMO, printing the packets the program sends it (CPython)."""
    if len(argv) != 2:
        print("usage: python -m host_shim.usb_device PROGRAM")
        return 2
    install()
    reset(idle_polls=50)
    host.send(DEMO)
    with open(argv[1]) as f:
        source = f.read()
    exec(compile(source, argv[1], "exec"), {"__name__": "__main__", "__file__": argv[1]})
    got = host.received
    for i in range(0, len(got), 4):
        print("usb to computer  cable %d  CIN %X  %s" % (got[i] >> 4, got[i] & 15, bytes(got[i + 1 : i + 4]).hex(" ")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
