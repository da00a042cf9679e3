# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Stand-in for CircuitPython's `busio`: UART and I2C.

UART.readinto(buf) takes no nbytes argument (the board raises TypeError), returns None
when nothing arrived, and with timeout > 0 waits that long first (on the virtual clock it advances time;
on the real clock it sleeps), as the board's busy-wait does. Its receive buffer holds
`receiver_buffer_size` bytes; more arriving while it is full are dropped silently.
write(buf[, nbytes]) sends everything (or nbytes) and returns the count; `in_waiting` is
the count waiting. (shared-bindings/busio/UART.c: readinto without length,
pyserial_readinto_compatibility; write is py/stream.c's write(buf[, max_len]).)

I2C talks to device models wired with wire_i2c(device) (host_shim.i2c_devices has an
ADS1115 ADC), as if they were on the board's SDA/SCL. Like the board it requires
try_lock() before any transfer (RuntimeError otherwise) and raises OSError 19 (no such
device) for an address nobody answers.
"""

from . import clock
from .feed import Feed


class UART:
    """A UART with the CircuitPython constructor; feed() is the wire coming in."""

    def __init__(
        self,
        tx=None,
        rx=None,
        *,
        baudrate=9600,
        bits=8,
        parity=None,
        stop=1,
        timeout=1,
        receiver_buffer_size=64,
        split="all",
        size=1,
        gaps=0,
        seed=1,
    ):
        if not 0 <= timeout <= 100:
            raise ValueError("timeout must be 0.0-100.0")
        if not 1 <= receiver_buffer_size <= 65535:
            raise ValueError("receiver_buffer_size must be 1-65535")
        self.tx = tx
        self.rx = rx
        self.baudrate = baudrate
        self.bits = bits
        self.parity = parity
        self.stop = stop
        self.timeout = timeout
        self.receiver_buffer_size = receiver_buffer_size
        self.feed_ = Feed(split=split, size=size, gaps=gaps, seed=seed, capacity=receiver_buffer_size)
        self.written = bytearray()
        self._sinks = []
        self._deinited = False

    def _check(self):
        if self._deinited:
            raise ValueError("Object has been deinitialized and can no longer be used.")

    def feed(self, data):
        """Bytes arrive on RX (test side); beyond the receive buffer they are dropped."""
        self.feed_.feed(data)

    @property
    def dropped(self):
        """Bytes lost because the receive buffer was full."""
        return self.feed_.dropped

    @property
    def in_waiting(self):
        """Bytes waiting in the receive buffer."""
        self._check()
        return self.feed_.waiting()

    def readinto(self, buf):
        """Read into buf; return the count, or None if nothing arrived within timeout."""
        self._check()
        n = self.feed_.take_into(buf, len(buf))
        if n:
            return n
        if self.timeout:
            clock.sleep(self.timeout)
            n = self.feed_.take_into(buf, len(buf))
            if n:
                return n
        return None

    def read(self, nbytes=None):
        """Read bytes (allocates); None if nothing arrived."""
        buf = bytearray(nbytes if nbytes is not None else self.receiver_buffer_size)
        n = self.readinto(buf)
        if not n:
            return None
        return bytes(buf[:n])

    def connect(self, port_in):
        """Feed what this UART transmits to port_in (a virtual cable)."""
        self._sinks.append(port_in)

    def write(self, buf, nbytes=None):
        """Transmit buf (or its first nbytes, as the board's stream write allows); return the count."""
        self._check()
        if self.tx is None:
            raise ValueError("No TX pin")
        chunk = bytes(buf) if nbytes is None or nbytes >= len(buf) else bytes(buf[:nbytes])
        self.written.extend(chunk)
        for sink in self._sinks:
            sink.feed(chunk)
        return len(chunk)

    def take(self):
        """Return and clear what has been transmitted (test side)."""
        out = bytes(self.written)
        self.written = bytearray()
        return out

    def reset_input_buffer(self):
        """Discard what is waiting."""
        self._check()
        self.feed_.discard()

    def deinit(self):
        """Release the pins; further use raises."""
        self._deinited = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.deinit()


_wired = {}  # address -> device model on the board's I2C pins (test side)


def wire_i2c(device):
    """Put a device model (anything with .address, .write(data), .read(n)) on the I2C pins."""
    _wired[device.address] = device
    return device


def reset_i2c():
    """Unplug every I2C device model."""
    _wired.clear()


class I2C:
    """An I2C controller with the CircuitPython constructor and transfer methods."""

    def __init__(self, scl=None, sda=None, *, frequency=100000, timeout=255):
        if scl is None or sda is None:
            raise ValueError("I2C needs both scl and sda pins")
        self.scl = scl
        self.sda = sda
        self.frequency = frequency
        self.timeout = timeout
        self._locked = False
        self._deinited = False

    def _check(self):
        if self._deinited:
            raise ValueError("Object has been deinitialized and can no longer be used.")
        if not self._locked:
            raise RuntimeError("Function requires lock")

    def _device(self, address):
        device = _wired.get(address)
        if device is None:
            raise OSError(19)  # MP_ENODEV, as CircuitPython raises for a missing address
        return device

    def try_lock(self):
        """Take the bus; False if already taken."""
        if self._deinited:
            raise ValueError("Object has been deinitialized and can no longer be used.")
        if self._locked:
            return False
        self._locked = True
        return True

    def unlock(self):
        """Release the bus."""
        self._locked = False

    def scan(self):
        """Addresses that answer, ascending."""
        self._check()
        return sorted(_wired)

    def probe(self, address):
        """True if a device answers at address."""
        self._check()
        return address in _wired

    def writeto(self, address, buffer, *, start=0, end=None):
        """Write buffer[start:end] to the device, then stop."""
        self._check()
        end = len(buffer) if end is None or end > len(buffer) else end
        self._device(address).write(bytes(buffer[start:end]))

    def readfrom_into(self, address, buffer, *, start=0, end=None):
        """Fill buffer[start:end] from the device."""
        self._check()
        end = len(buffer) if end is None or end > len(buffer) else end
        data = self._device(address).read(end - start)
        for i in range(end - start):
            buffer[start + i] = data[i]

    def writeto_then_readfrom(
        self, address, out_buffer, in_buffer, *, out_start=0, out_end=None, in_start=0, in_end=None
    ):
        """Write, then read after a repeated start (register reads)."""
        self.writeto(address, out_buffer, start=out_start, end=out_end)
        self.readfrom_into(address, in_buffer, start=in_start, end=in_end)

    def deinit(self):
        """Release the pins; further use raises."""
        self._deinited = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.deinit()
