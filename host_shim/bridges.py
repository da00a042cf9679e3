# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Bridges from the stand-ins to real hardware, for `python -m host_shim run` (CPython only).

- Blinka: on a Linux board that Adafruit Blinka supports (a Raspberry Pi), `board` and
  `busio` are Blinka's, so busio.UART drives the real pins (DIN-MIDI); elsewhere they
  stay host_shim's stand-ins. `blinka_choice()` decides and says which in one line.
- Serial: `SerialUART` is busio.UART on a real serial port (a USB-DIN adapter, or a
  pseudo-terminal in tests) through pyserial, with CircuitPython's readinto rules.
- MIDI: usb_midi.ports[0] receives from, and usb_midi.ports[1] sends to, desktop MIDI
  ports through mido and python-rtmidi. `list_ports()` prints serial and MIDI ports.

pyserial, mido, python-rtmidi and Blinka are imported only when asked for; when one
is missing, or the machine has no MIDI system, a BridgeError says so in one line.
"""

import contextlib
import os
import sys
import tempfile

from . import busio


class BridgeError(Exception):
    """A bridge cannot be set up; the message says why and what to do."""


# ---- Blinka -----------------------------------------------------------------------


def blinka_choice(detector=None):
    """Return (use_blinka, line): whether Blinka drives board/busio here, and why.

    `detector` is an adafruit_platformdetect.Detector (made here when None); tests
    pass a stand-in to simulate a Raspberry Pi.
    """
    if detector is None:
        try:
            from adafruit_platformdetect import Detector
        except ImportError:
            return False, "board, busio: host_shim stand-ins (Blinka not installed)"
        detector = Detector()
    try:
        board_id = detector.board.id
        # a PC counts as "embedded Linux" to Blinka, but it has no UART pins for busio
        supported = detector.board.any_embedded_linux and not detector.board.generic_linux
    except Exception as e:  # platform detection reads /proc and /sys; never fatal here
        return False, "board, busio: host_shim stand-ins (Blinka could not detect a board: %s)" % e
    if not board_id or not supported:
        return False, (
            "board, busio: host_shim stand-ins (Blinka found no supported board here: %s)" % (board_id or "unknown")
        )
    return True, "board, busio: Blinka on %s (real pins: busio.UART drives DIN-MIDI)" % board_id


def install_blinka():
    """Put Blinka's board and busio into sys.modules in place of the stand-ins."""
    saved = {name: sys.modules.pop(name, None) for name in ("board", "busio")}
    try:
        import board as blinka_board
        import busio as blinka_busio
    except Exception as e:
        for name, module in saved.items():
            if module is not None:
                sys.modules[name] = module
        raise BridgeError("Blinka could not load board/busio: %s" % e)
    return blinka_board, blinka_busio


# ---- serial -----------------------------------------------------------------------


def _import_serial():
    try:
        import serial
    except ImportError:
        raise BridgeError("pyserial is not installed: pip install pyserial (or pip install 'smolmidi[host]')")
    return serial


class SerialUART(busio.UART):
    """busio.UART on a real serial port: readinto returns None when nothing came.

    `device` is set on the class by use_serial(); the constructor is CircuitPython's.
    Scripted input (feed) is still read first, so --input works alongside.
    """

    device = None

    def __init__(self, tx=None, rx=None, **kwargs):
        super().__init__(tx, rx, **kwargs)
        serial = _import_serial()
        try:
            self.serial = serial.Serial(self.device, baudrate=self.baudrate, timeout=self.timeout, write_timeout=1)
        except (serial.SerialException, ValueError) as e:
            raise BridgeError("cannot open serial port %s: %s" % (self.device, e))

    @property
    def in_waiting(self):
        """Bytes waiting: scripted ones plus the serial port's."""
        self._check()
        return self.feed_.waiting() + self.serial.in_waiting

    def readinto(self, buf):
        """Read up to len(buf) bytes, waiting at most `timeout` s; None if none came."""
        self._check()
        n = self.feed_.take_into(buf, len(buf))
        if n:
            return n
        n = self.serial.readinto(buf)
        return n or None

    def write(self, buf):
        """Send all of buf on the serial port; return the count."""
        self._check()
        if self.tx is None:
            raise ValueError("No TX pin")
        chunk = bytes(buf)
        n = self.serial.write(chunk)
        self.serial.flush()
        for sink in self._sinks:
            sink.feed(chunk)
        return n

    def reset_input_buffer(self):
        """Discard what is waiting, here and in the serial port."""
        super().reset_input_buffer()
        self.serial.reset_input_buffer()

    def deinit(self):
        """Close the serial port."""
        if not self._deinited:
            self.serial.close()
        super().deinit()


def use_serial(device):
    """Make every busio.UART the program opens talk to the serial port `device`."""
    serial = _import_serial()
    try:  # open once now, so a wrong name is reported before the program starts
        serial.Serial(device).close()
    except (serial.SerialException, ValueError) as e:
        raise BridgeError("cannot open serial port %s: %s" % (device, e))
    SerialUART.device = device
    busio.UART = SerialUART


# ---- MIDI (mido + python-rtmidi) ---------------------------------------------------


@contextlib.contextmanager
def _quiet_stderr():
    """Hide what C libraries (ALSA) print on fd 2 while probing; keep it for errors."""
    kept = tempfile.TemporaryFile()
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield kept
        return
    os.dup2(kept.fileno(), 2)
    try:
        yield kept
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _mido():
    try:
        import mido
    except ImportError:
        raise BridgeError("mido is not installed: pip install mido python-rtmidi (or pip install 'smolmidi[host]')")
    return mido


def midi_port_names():
    """Return (input names, output names) of the desktop's MIDI ports, or raise BridgeError."""
    mido = _mido()
    with _quiet_stderr():
        try:
            return mido.get_input_names(), mido.get_output_names()
        except ImportError as e:
            raise BridgeError("no MIDI backend: %s (pip install python-rtmidi)" % e)
        except Exception as e:  # rtmidi raises its own SystemError types
            raise BridgeError("no MIDI system on this machine (%s: %s)" % (type(e).__name__, str(e).strip()))


def match_port(wanted, names, kind):
    """The one name equal to `wanted`, or else containing it (case-insensitive)."""
    if wanted in names:
        return wanted
    hits = [n for n in names if wanted.lower() in n.lower()]
    if len(hits) == 1:
        return hits[0]
    shown = ", ".join(repr(n) for n in names) or "none"
    if hits:
        raise BridgeError("MIDI %s %r is ambiguous: matches %s" % (kind, wanted, ", ".join(hits)))
    raise BridgeError("no MIDI %s port matches %r (available: %s)" % (kind, wanted, shown))


class _MidoSender:
    """A sink for PortOut: parses the bytes written and sends each message to mido."""

    def __init__(self, mido, port):
        self.parser = mido.Parser()
        self.port = port

    def feed(self, data):
        self.parser.feed(data)
        for msg in self.parser:
            self.port.send(msg)


def connect_midi(port_in, port_out, midi_in=None, midi_out=None):
    """Join usb_midi ports to desktop MIDI ports named midi_in / midi_out; return the mido ports."""
    mido = _mido()
    inputs, outputs = midi_port_names()
    opened = []
    if midi_in is not None:
        source = _open(mido.open_input, match_port(midi_in, inputs, "input"))
        opened.append(source)
        read = port_in.readinto

        def readinto(buf, *args):
            # polled here, in the program's thread: the Feed is not thread-safe
            for msg in source.iter_pending():
                port_in.feed(msg.bin())
            return read(buf, *args)

        port_in.readinto = readinto
    if midi_out is not None:
        sink = _open(mido.open_output, match_port(midi_out, outputs, "output"))
        opened.append(sink)
        port_out.connect(_MidoSender(mido, sink))
    return opened


def _open(opener, name):
    with _quiet_stderr():
        try:
            return opener(name)
        except Exception as e:
            raise BridgeError("cannot open MIDI port %r: %s" % (name, str(e).strip()))


def list_ports(out=sys.stdout):
    """Print the serial and MIDI ports this machine offers; return 0."""
    try:
        from serial.tools import list_ports as serial_list

        found = sorted(serial_list.comports(), key=lambda p: p.device)
        out.write("serial ports:%s\n" % ("" if found else " none found"))
        for p in found:
            out.write("  %s  %s\n" % (p.device, p.description))
    except ImportError:
        out.write("serial ports: pyserial is not installed (pip install pyserial)\n")
    try:
        inputs, outputs = midi_port_names()
    except BridgeError as e:
        out.write("MIDI ports: %s\n" % e)
        return 0
    out.write("MIDI inputs:%s\n" % ("" if inputs else " none"))
    for name in inputs:
        out.write("  %s\n" % name)
    out.write("MIDI outputs:%s\n" % ("" if outputs else " none"))
    for name in outputs:
        out.write("  %s\n" % name)
    return 0


# ---- wiring into a run ---------------------------------------------------------------


def attach(session, serial=None, midi_in=None, midi_out=None, blinka=True, detector=None, i2c=()):
    """Connect a runner Session to what was asked for; print one line per choice.

    Blinka is used when it finds a supported board, unless --serial or --no-blinka
    asks for the stand-ins. i2c lists device models to wire ("ads1115@0x48").
    Raises BridgeError with a one-line reason.
    """
    from . import usb_midi
    from .runner import Monitor

    say = session.out.write
    if serial is not None:
        use_serial(serial)
        say("host_shim: busio.UART is the serial port %s (pyserial)\n" % serial)
    else:
        use, line = False, "board, busio: host_shim stand-ins (--no-blinka)"
        if blinka:
            use, line = blinka_choice(detector)
        if use:
            _use_blinka_uart(lambda label: Monitor(label, session.out))
        say("host_shim: %s\n" % line)
    for spec in i2c or ():
        from .i2c_devices import from_spec

        try:
            device = busio.wire_i2c(from_spec(spec))
        except ValueError as e:
            raise BridgeError(str(e))
        say("host_shim: stand-in %s on I2C at 0x%02X\n" % (type(device).__name__, device.address))
    if midi_in is not None or midi_out is not None:
        port_in, port_out = usb_midi.ports
        connect_midi(port_in, port_out, midi_in, midi_out)
        say("host_shim: usb_midi bridged to desktop MIDI (in: %s, out: %s)\n" % (midi_in or "-", midi_out or "-"))


def _use_blinka_uart(monitor):
    """Install Blinka's board/busio, with the UART's traffic printed like the stand-ins'."""
    blinka_board, blinka_busio = install_blinka()
    base = blinka_busio.UART

    class MonitoredUART(base):
        """Blinka's busio.UART, printing what passes (readinto takes an optional nbytes)."""

        def __init__(self, *args, **kwargs):
            base.__init__(self, *args, **kwargs)
            self._monitor_in = monitor("din in")
            self._monitor_out = monitor("din out")

        def readinto(self, buf, nbytes=None):
            n = base.readinto(self, buf, nbytes)
            if n:
                self._monitor_in.feed(bytes(buf[:n]))
            return n

        def write(self, buf):
            n = base.write(self, buf)
            self._monitor_out.feed(bytes(buf[: n if n is not None else len(buf)]))
            return n

    blinka_busio.UART = MonitoredUART
