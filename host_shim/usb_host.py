# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-ins for CircuitPython's USB host side, with a class-compliant MIDI keyboard.

    from host_shim import usb_host
    usb_host.install()              # sys.modules: usb, usb.core, usb_host
    kbd = usb_host.plug()           # the keyboard is plugged in
    kbd.play(packets)               # USB-MIDI event packets it sends (test side)

usb.core.find(find_all=False, idVendor=None, idProduct=None) gives the plugged device;
Device.ctrl_transfer answers GET_DESCRIPTOR (configuration: an Audio Control
interface, then a MIDI Streaming one with bulk endpoints 0x02 OUT and 0x81 IN), and
Device.read(endpoint, buf, timeout) returns the count read, raising USBTimeoutError
when nothing waits (0 with raise_on_timeout=False), as CircuitPython's does (usb.core). Device.write(endpoint,
buf, timeout) keeps what is sent in `written`. Once the keyboard has sent everything
and been read `idle_reads` more times it is unplugged (reads raise USBError) and
find() raises `stop` if set (a test's way to end a program's loop), else returns None.
Imports on CPython and both MicroPython VMs; reads allocate nothing but the timeout.
"""

import sys

from . import restore_modules, swap_modules


class USBError(OSError):
    """usb.core.USBError."""


class USBTimeoutError(USBError):
    """usb.core.USBTimeoutError: a transfer timed out."""


IN_EP = 0x81
OUT_EP = 0x02
# configuration, AC interface + header, MS interface + header, OUT endpoint + class
# endpoint, IN endpoint + class endpoint (USB-MIDI 1.0 appendix B, jacks left out)
CONFIG = bytes(
    [
        9,
        2,
        74,
        0,
        2,
        1,
        0,
        0x80,
        50,
        9,
        4,
        0,
        0,
        0,
        1,
        1,
        0,
        0,
        9,
        0x24,
        1,
        0,
        1,
        9,
        0,
        1,
        1,
        9,
        4,
        1,
        0,
        2,
        1,
        3,
        0,
        0,
        7,
        0x24,
        1,
        0,
        1,
        37,
        0,
        9,
        5,
        OUT_EP,
        2,
        64,
        0,
        0,
        0,
        0,
        5,
        0x25,
        1,
        1,
        1,
        9,
        5,
        IN_EP,
        2,
        64,
        0,
        0,
        0,
        0,
        5,
        0x25,
        1,
        1,
        3,
    ]
)

stop = None  # an exception class find() raises once the keyboard is gone
_devices = []


class Device:
    """A USB MIDI keyboard on the host port."""

    def __init__(self, idle_reads=200):
        self.idVendor = 0x0582
        self.idProduct = 0x0160
        self.manufacturer = "host_shim"
        self.product = "MIDI keyboard"
        self.idle_reads = idle_reads
        self.configured = False
        self.detached = []
        self.written = bytearray()
        self.reads = 0
        self._data = bytearray()
        self._pos = 0
        self._idle = 0
        self.plugged = True

    def play(self, packets):
        """Queue USB-MIDI event packets the keyboard sends (test side)."""
        self._data.extend(packets)

    def ctrl_transfer(self, bmRequestType, bRequest, wValue=0, wIndex=0, data_or_wLength=None, timeout=None):
        """GET_DESCRIPTOR for the configuration; the count copied into the buffer."""
        if bmRequestType != 0x80 or bRequest != 6 or wValue >> 8 != 2:
            raise USBError("stand-in answers only GET_DESCRIPTOR(configuration)")
        buf = data_or_wLength
        n = min(len(buf), len(CONFIG))
        for i in range(n):
            buf[i] = CONFIG[i]
        return n

    def set_configuration(self, configuration=1):
        self.configured = True

    def detach_kernel_driver(self, interface):
        self.detached.append(interface)

    def read(self, endpoint, buf, timeout=None, *, raise_on_timeout=True):
        """Up to len(buf) bytes of whole packets; USBTimeoutError when none wait (0 with
        raise_on_timeout=False, as CircuitPython 10 offers)."""
        self.reads += 1
        if not self.plugged:
            raise USBError("device gone")
        if endpoint != IN_EP:
            raise USBError("no IN endpoint 0x%02X" % endpoint)
        n = min(len(buf), 64, len(self._data) - self._pos) & ~3
        if not n:
            self._idle += 1
            if self._idle > self.idle_reads:
                self.plugged = False
            if not raise_on_timeout:
                return 0
            raise USBTimeoutError()
        self._idle = 0
        data = self._data
        pos = self._pos
        for i in range(n):
            buf[i] = data[pos + i]
        self._pos = pos + n
        return n

    def write(self, endpoint, buf, timeout=None):
        if endpoint != OUT_EP:
            raise USBError("no OUT endpoint 0x%02X" % endpoint)
        self.written.extend(bytes(buf))
        return len(buf)


def plug(idle_reads=200):
    """Plug a keyboard in; return it."""
    device = Device(idle_reads)
    _devices.append(device)
    return device


def find(find_all=False, *, idVendor=None, idProduct=None):
    """usb.core.find: the plugged device (a generator of them with find_all)."""
    found = [
        d
        for d in _devices
        if d.plugged
        and (idVendor is None or d.idVendor == idVendor)
        and (idProduct is None or d.idProduct == idProduct)
    ]
    if not found and stop is not None and _devices:
        raise stop()
    if find_all:
        return iter(found)
    return found[0] if found else None


class Port:
    """usb_host.Port(dp, dm): the RP2040's PIO USB host port."""

    def __init__(self, dp=None, dm=None):
        self.dp = dp
        self.dm = dm


class _Module:
    pass


_saved = {}


def uninstall():
    """Put back what sys.modules held before install() (CPython's pyusb, say)."""
    restore_modules(_saved)


def install():
    """usb, usb.core and usb_host in sys.modules; return usb.core's stand-in."""
    core = _Module()
    for name in ("find", "USBError", "USBTimeoutError"):
        setattr(core, name, globals()[name])
    usb = _Module()
    usb.core = core
    host = _Module()
    host.Port = Port
    swap_modules(_saved, {"usb": usb, "usb.core": core, "usb_host": host})
    return core


def reset():
    """No device plugged, no stop exception."""
    global stop
    del _devices[:]
    stop = None


DEMO = bytes.fromhex("0FFA0000 09903C64 09904064 08803C00 08804000 0BB00740 0FFC0000".replace(" ", ""))


def main(argv):
    """python -m host_shim.usb_host PROGRAM: run a CircuitPython program with a stand-in
    keyboard that plays DEMO, printing what goes out of each UART (CPython)."""
    import host_shim
    from host_shim.describe import Describer

    class Done(BaseException):
        pass

    global stop
    if len(argv) != 2:
        print("usage: python -m host_shim.usb_host PROGRAM")
        return 2
    host_shim.reset()
    host_shim.install()
    install()
    reset()
    stop = Done
    plug(idle_reads=50).play(DEMO)
    namespace = {"__name__": "__main__", "__file__": argv[1]}
    with open(argv[1]) as f:
        source = f.read()
    try:
        exec(compile(source, argv[1], "exec"), namespace)
    except Done:
        pass
    for value in list(namespace.values()):
        if isinstance(value, host_shim.busio.UART):
            for line in Describer().feed(value.take()):
                print("din out  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
