# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-ins for the port shapes that are not CircuitPython modules (DESIGN section 3).

Each reads from a host_shim.feed.Feed (`port.feed(data)`; split/gaps shape what each
readinto gets, while any()/in_waiting count everything fed) and records what it sends
in a host_shim.feed.Capture (`port.take()`, `port.written`, `port.count`;
`keep=False` counts only). Reads copy with index loops, so a read allocates nothing,
as on the real port. No @property (attributes such as `in_waiting` and `count` come
from __getattr__), so stores stay cheap on MicroPython. Imports on CPython and both VMs.

    MachineUART   MicroPython machine.UART
    MIDIService   adafruit_ble_midi.MIDIService (BLE MIDI)
    PySerial      pyserial serial.Serial (host only; blocking reads are caught)

usb_midi.PortIn/PortOut and busio.UART are in host_shim.usb_midi and host_shim.busio.
"""

from . import clock
from .feed import Capture, Feed


class WouldBlock(Exception):
    """A read that the real port would never return from (nothing else can arrive)."""


class MachineUART:
    """MicroPython's machine.UART (docs: machine.UART; py/stream.c).

    readinto(buf[, nbytes]) reads at most nbytes (len(buf) by default) and returns the
    count, or None when nothing arrived (EAGAIN on a stream); any() is the count waiting.
    The real call waits up to `timeout` ms when asked for more than waits: counted in
    `short_asks` (and `timeout` ms pass on the virtual clock). write(buf[, nbytes])
    returns the count sent, or None when nothing could go within the timeout: set
    `accept` to take at most that many bytes a call (0 gives None). `rxbuf` bounds what waits.
    """

    def __init__(
        self,
        id=0,
        baudrate=9600,
        *,
        tx=None,
        rx=None,
        bits=8,
        parity=None,
        stop=1,
        timeout=0,
        timeout_char=0,
        rxbuf=256,
        split="all",
        size=1,
        gaps=0,
        seed=1,
        keep=True,
    ):
        self.id = id
        self.baudrate = baudrate
        self.tx = tx
        self.rx = rx
        self.bits = bits
        self.parity = parity
        self.stop = stop
        self.timeout = timeout
        self.timeout_char = timeout_char
        self.feed_ = Feed(split=split, size=size, gaps=gaps, seed=seed, capacity=rxbuf)
        self.out = Capture(keep)
        self.accept = None
        self.short_asks = 0
        self.empty_reads = 0

    def feed(self, data):
        """Bytes arrive on RX (test side); beyond rxbuf they are dropped."""
        self.feed_.feed(data)

    def any(self):
        """Bytes waiting."""
        return self.feed_.waiting()

    def readinto(self, buf, nbytes=None):
        """Read up to nbytes (default len(buf)); the count, or None if nothing came."""
        if nbytes is None or nbytes > len(buf):
            nbytes = len(buf)
        if nbytes > self.feed_.waiting():
            self.short_asks += 1
            if self.timeout and clock.is_virtual():
                clock.advance_us(self.timeout * 1000)
        n = self.feed_.take_into(buf, nbytes)
        if n:
            return n
        self.empty_reads += 1
        return None

    def read(self, nbytes=None):
        """Read bytes (allocates); None if nothing came."""
        buf = bytearray(nbytes if nbytes is not None else max(1, self.feed_.waiting()))
        n = self.readinto(buf)
        return bytes(buf[:n]) if n else None

    def write(self, buf, nbytes=None):
        """Send bytes; the count sent, or None if none could go (accept == 0)."""
        n = len(buf) if nbytes is None or nbytes > len(buf) else nbytes
        if self.accept is not None and n > self.accept:
            n = self.accept
        if n == 0 and len(buf):
            return None
        self.out.put(buf, n)
        return n

    def connect(self, port_in):
        """Feed what this UART sends to port_in (a virtual cable)."""
        self.out.connect(port_in)

    def __getattr__(self, name):
        # written, count, writes from the Capture; no @property, so stores stay fast on MicroPython
        if name in ("written", "count", "writes"):
            return getattr(self.out, name)
        if name == "dropped":
            return self.feed_.dropped
        raise AttributeError(name)

    def take(self):
        """Return and clear what has been sent (test side)."""
        return self.out.take()


class MIDIService:
    """adafruit_ble_midi.MIDIService, the BLE MIDI port (its source, version 1.x).

    readinto(buf, length): length is required; reads up to length bytes (the MIDI bytes,
    BLE timestamps already stripped) and returns the count, 0 when empty; a length past
    len(buf) raises IndexError once bytes are there, as the real index loop does.
    write(buf, length): length is required; all of buf[0:length] goes out and it returns
    None. Both are index loops on the board, allocating nothing.
    """

    def __init__(self, split="all", size=1, gaps=0, seed=1, keep=True):
        self.feed_ = Feed(split=split, size=size, gaps=gaps, seed=seed)
        self.out = Capture(keep)

    def feed(self, data):
        """Bytes arrive from the BLE central (test side)."""
        self.feed_.feed(data)

    def readinto(self, buf, length):
        """Read up to length bytes into buf; the count, 0 when none."""
        if length > len(buf) and self.feed_.waiting() > len(buf):
            raise IndexError("bytearray index out of range")
        return self.feed_.take_into(buf, length if length < len(buf) else len(buf))

    def read(self, length):
        """Read up to length bytes (allocates)."""
        buf = bytearray(length)
        return buf[: self.readinto(buf, length)]

    def write(self, buf, length):
        """Send buf[0:length]; returns None, as the real one does."""
        if length > len(buf):
            raise IndexError("index out of range")
        self.out.put(buf, length)

    def connect(self, port_in):
        """Feed what is sent to port_in (a virtual cable)."""
        self.out.connect(port_in)

    def __getattr__(self, name):
        # written, count, writes from the Capture; no @property, so stores stay fast on MicroPython
        if name in ("written", "count", "writes"):
            return getattr(self.out, name)
        raise AttributeError(name)

    def take(self):
        """Return and clear what has been sent (test side)."""
        return self.out.take()


class PySerial:
    """pyserial's serial.Serial (serialutil.py / serialposix.py), for host-side code.

    readinto(buf) only, no nbytes: it reads len(buf) bytes. With timeout=None (the
    default) the real call blocks until all len(buf) bytes arrive; here, where nothing
    more can arrive, asking for more than in_waiting counts in `would_block` and raises
    WouldBlock (block="return" returns what waits instead, as a timeout would). With a
    timeout (0 = non-blocking) it returns what waits, 0 when empty. write(data) sends
    all and returns len(data). in_waiting is the count waiting.
    """

    def __init__(
        self,
        port=None,
        baudrate=9600,
        *,
        timeout=None,
        write_timeout=None,
        split="all",
        size=1,
        gaps=0,
        seed=1,
        block="raise",
        keep=True,
    ):
        if block not in ("raise", "return"):
            raise ValueError("block must be 'raise' or 'return', got %r" % (block,))
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self.write_timeout = write_timeout
        self.block = block
        self.is_open = True
        self.would_block = 0
        self.feed_ = Feed(split=split, size=size, gaps=gaps, seed=seed)
        self.out = Capture(keep)

    def feed(self, data):
        """Bytes arrive on the serial line (test side)."""
        self.feed_.feed(data)

    def readinto(self, buf):
        """Read len(buf) bytes; see the class docstring for when it would block."""
        want = len(buf)
        waiting = self.feed_.waiting()
        if self.timeout is None:
            if want <= waiting:
                return self.feed_.take_exact(buf, want)
            self.would_block += 1
            if self.block == "raise":
                raise WouldBlock("readinto asked for %d bytes with %d waiting and timeout=None" % (want, waiting))
            return self.feed_.take_exact(buf, waiting)
        if want > waiting and self.timeout and clock.is_virtual():
            clock.advance_us(int(self.timeout * 1000000))
        return self.feed_.take_into(buf, want)

    def read(self, size=1):
        """Read size bytes (allocates); b'' when nothing came."""
        buf = bytearray(size)
        return bytes(buf[: self.readinto(buf)])

    def write(self, data):
        """Send all of data; return len(data)."""
        self.out.put(data, len(data))
        return len(data)

    def reset_input_buffer(self):
        """Discard what waits."""
        self.feed_.discard()

    def close(self):
        self.is_open = False

    def connect(self, port_in):
        """Feed what is sent to port_in (a virtual cable)."""
        self.out.connect(port_in)

    def __getattr__(self, name):
        # written, count, writes from the Capture; no @property, so stores stay fast on MicroPython
        if name in ("written", "count", "writes"):
            return getattr(self.out, name)
        if name == "in_waiting":
            return self.feed_.waiting()
        raise AttributeError(name)

    def take(self):
        """Return and clear what has been sent (test side)."""
        return self.out.take()
