# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_ble: BLE-MIDI 1.0 packets <-> MIDI bytes, with each message's timestamp.

BleIn is a port for smolmidi.MidiIn fed with BLE-MIDI packets: pushed by packet(data)
(MicroPython bluetooth's write IRQ, aioble's written()) or read one a call from a
source's readinto(buf) (CircuitPython's _bleio.PacketBuffer). BleOut is a port for
smolmidi_out.MidiOut that fills packets up to the connection's size and hands each to
send(packet) (gatts_notify, aioble notify, or PacketBuffer.write: for_midi_service()).
Neither blocks; neither allocates per message.
"""


def _default_ticks():
    # ticks_ms: time's on MicroPython, supervisor's on CircuitPython, a stand-in on CPython
    import time

    ticks = getattr(time, "ticks_ms", None)
    if ticks is not None:
        return ticks
    try:
        import supervisor

        return supervisor.ticks_ms
    except ImportError:
        return lambda: int(time.monotonic() * 1000) & 0x3FFFFFFF


# data bytes per status: channel statuses by high nibble (8-14), system by 16 + low nibble
DATA_LEN = b"\0\0\0\0\0\0\0\0\2\2\2\2\1\1\2\0\0\1\2\1\0\0\0\0\0\0\0\0\0\0\0\0"


class BleIn:
    """MIDI bytes from BLE-MIDI packets: readinto(buf[, nbytes]) returns the count, 0 when
    none. One read gives bytes of one timestamp only, so `timestamp` (13 bits, ms, from
    the sender's clock) is that of the message MidiIn.receive() just returned. Running
    status across system messages inside a packet comes out with its status byte again.
    Packets wait in a queue of `size` bytes; `dropped` counts those that did not fit or
    did not start with a header byte."""

    def __init__(self, source=None, size=512):
        if source is not None and not hasattr(source, "readinto"):
            raise TypeError("source must have readinto(), got %r" % (source,))
        if not isinstance(size, int) or size < 8:
            raise ValueError("size must be at least 8, got %r" % (size,))
        self._raw = bytearray(size)
        # packet() moves only _tail, readinto only _head: packet() may run from an IRQ
        self._head = self._tail = 0
        self._left = 0  # bytes left of the packet being read
        self._after_ts = False  # the byte before was a timestamp: a high byte is a status
        self._high = self._low = 0
        self._running = 0  # the packet's running status (8n-En), 0 none
        self._cancelled = False  # a system status came after it: MIDI 1.0 needs it again
        self.timestamp = 0
        self.dropped = 0
        self._source = source
        if source is not None:
            # PacketBuffer.readinto wants room for its longest packet
            self._buf = bytearray(getattr(source, "incoming_packet_length", 0) or 244)
            if len(self._buf) + 3 > size:
                raise ValueError("size must be above the source's packet length + 2, got %r" % (size,))
            self._read = source.readinto  # cached bound method

    def packet(self, data, length=None):
        """Queue one BLE-MIDI packet (its first `length` bytes); return the count, 0 if it
        does not fit."""
        n = len(data) if length is None else length
        i = self._tail
        if n + 2 > (self._head - i - 1) % len(self._raw) or not n:
            self.dropped += 1
            return 0
        self._raw[i] = n >> 8
        i = self._step(i)
        self._raw[i] = n & 255
        i = self._step(i)
        self._tail = self._copy(data, n, i)  # published last: readinto may run meanwhile
        return n

    def _copy(self, data, n, i):
        raw = self._raw
        for j in range(n):  # an index loop: a slice would allocate
            raw[i] = data[j]
            i += 1
            if i == len(raw):
                i = 0
        return i

    def _step(self, i):
        i += 1
        return 0 if i == len(self._raw) else i

    def readinto(self, buf, nbytes=None):
        """Copy MIDI bytes into buf (at most nbytes); return the count, 0 when none."""
        if nbytes is None or nbytes > len(buf):
            nbytes = len(buf)
        n = 0
        raw = self._raw
        while n < nbytes:
            if not self._left:
                if not self._start():
                    break
                continue
            b = raw[self._head]
            if b > 0x7F and not self._after_ts:
                if not self._stamp(b, n):
                    break  # a new timestamp: its bytes come in the next read
            elif b < 0x80 and self._after_ts and self._cancelled:
                buf[n] = self._running  # running status after a system message: say it again
                n += 1
                self._cancelled = False
                continue
            else:
                if b > 0x7F:
                    if b < 0xF0:
                        self._running = b
                    elif b < 0xF8:
                        self._cancelled = self._running > 0
                buf[n] = b
                n += 1
                self._after_ts = False
            self._left -= 1
            b = self._head + 1  # b is free now: the next byte's index, wrapped
            self._head = b if b < len(raw) else 0
        return n

    def _stamp(self, b, n):
        # a timestamp byte: a lower low part than the last one carries into the high part
        high = self._high
        if b & 0x7F < self._low:
            high = (high + 1) & 0x3F
        if n and (high << 7 | b & 0x7F) != self.timestamp:
            return False
        self._high = high
        self._low = b & 0x7F
        self.timestamp = high << 7 | self._low
        self._after_ts = True
        return True

    def _start(self):
        # the next packet: its length, then its header byte (10hhhhhh); False when none
        raw = self._raw
        if self._head == self._tail:
            if self._source is None:
                return False
            n = self._read(self._buf) or 0
            if not n:
                return False
            self.packet(self._buf, n)
            if self._head == self._tail:
                return False  # it did not fit
        i = self._head
        n = raw[i] << 8
        i = self._step(i)
        n |= raw[i]
        i = self._step(i)
        header = raw[i]
        self._head = self._step(i)
        self._left = n - 1
        self._after_ts = False
        self._running = 0
        self._cancelled = False
        self._low = 0
        if header & 0xC0 != 0x80:
            self.dropped += 1
            while self._left:  # not a BLE-MIDI packet: skipped
                self._left -= 1
                self._head = self._step(self._head)
        self._high = header & 0x3F
        return True


class BleOut:
    """A port that packs MIDI bytes into BLE-MIDI packets of up to `size` bytes (the
    connection's MTU less 3) and gives each to send(packet), a memoryview of exactly
    the packet; send returns False or 0 when it could not go (it is tried again).
    Messages wait in the packet being filled until it is full or flush() is called:
    call flush() each pass of the main loop. write(buf) returns the count taken.
    ticks: a ticks_ms function for the timestamps (default time.ticks_ms or
    supervisor.ticks_ms). Realtime goes at once, also inside a SysEx or a message.
    """

    def __init__(self, send, size=20, ticks=None):
        if not callable(send):
            raise TypeError("send must be callable, got %r" % (send,))
        if not isinstance(size, int) or size < 5:
            raise ValueError("size must be at least 5, got %r" % (size,))
        self._send = send
        self._ticks = ticks or _default_ticks()
        self._pk = bytearray(size)
        self._views = [memoryview(self._pk)[:0]] * (size + 1)  # one per packet length, made on first use
        self._n = 0  # bytes in the packet being filled
        self._full = False  # it waits to be sent
        self._last = 0  # the last status byte in it (running status), 0 none
        self._ts = -1  # the last timestamp in it
        self._msg = bytearray(3)
        self._have = 0
        self._need = 0
        self._sysex = False
        self._status = 0  # running status of the input
        self.dropped = 0  # stray data bytes given up

    def write(self, buf):
        """Pack the bytes of buf; return how many were taken."""
        n = 0
        while n < len(buf):  # an index loop: `for b in buf` allocates an iterator
            if self._full and not self.flush():
                break
            if not self._byte(buf[n]):
                break
            n += 1
        return n

    def _byte(self, b):
        # one input byte; False when it cannot be taken now (send() refused a full packet)
        msg = self._msg
        if b >= 0xF8:
            return self._single(b)
        if b < 0x80:
            if self._sysex:
                if not self._n:
                    self._header(self._ticks())  # a SysEx goes on in a new packet
                self._put(b)
                return True
            if not self._have:
                if not self._status:
                    self.dropped += 1  # a stray data byte: BLE-MIDI has no place for it
                    return True
                msg[0] = self._status
                self._have = 1
            msg[self._have] = b
            if self._have + 1 < self._need:
                self._have += 1
                return True
            return self._message()
        if b == 0xF7 and self._sysex:
            if not self._single(b):
                return False
            self._sysex = False
            return True
        if self._have and not self._spill():
            return False
        msg = 1 + DATA_LEN[b >> 4 if b < 0xF0 else b - 0xE0]
        if (b == 0xF0 or msg == 1) and not self._single(b):
            return False
        self._need = msg
        self._have = 0 if b == 0xF0 or msg == 1 else 1
        self._msg[0] = b
        self._sysex = b == 0xF0
        self._status = b if b < 0xF0 else 0
        return True

    def _single(self, b):
        # realtime, F0, F7 ending a SysEx, F6 and the undefined F4, F5: timestamp and byte
        t = self._ticks()
        if not self._room(3 if b == 0xF0 else 2, t):
            return False
        self._put_ts(t)
        self._put(b)
        self._last = 0  # a timestamp is needed before the next running status
        return True

    def _spill(self):
        # a message cut short by a status byte goes as it came, so the receiver counts it
        t = self._ticks()
        if not self._room(self._have + 1, t):
            return False
        self._put_ts(t)
        for i in range(self._have):
            self._put(self._msg[i])
        self._have = 0
        self._last = 0
        return True

    def _message(self):
        # a complete channel or system common message: never split across packets
        t = self._ticks()
        msg = self._msg
        running = msg[0] == self._last and msg[0] < 0xF0
        if not self._room(self._need + (not running or (t & 0x7F) != self._ts), t):
            return False
        running = running and msg[0] == self._last  # not in a new packet
        if not running or (t & 0x7F) != self._ts:
            self._put_ts(t)
        if not running:
            self._put(msg[0])
        self._put(msg[1])
        if self._need > 2:
            self._put(msg[2])
        self._last = msg[0]
        self._have = 0
        return True

    def _room(self, n, t):
        # room for n bytes: the packet goes first if they do not fit, or if its header's
        # high part is not this timestamp's (a timestamp carries into it only once)
        if self._n and (self._n + n > len(self._pk) or (t >> 7 & 0x3F) != self._pk[0] & 0x3F):
            self._full = True
            if not self.flush():
                return False
        if not self._n:
            self._header(t)
        return True

    def _header(self, t):
        self._pk[0] = 0x80 | (t >> 7 & 0x3F)
        self._n = 1
        self._last = 0
        self._ts = -1

    def _put_ts(self, t):
        self._ts = t & 0x7F
        self._put(0x80 | self._ts)

    def _put(self, b):
        self._pk[self._n] = b
        self._n += 1
        self._full = self._n == len(self._pk)  # write() sends it before the next byte

    def flush(self):
        """Send the packet being filled; True when nothing waits any more."""
        n = self._n
        if n < 2:
            self._full = False
            return True
        view = self._views[n]
        if len(view) != n:
            view = self._views[n] = memoryview(self._pk)[:n]
        sent = self._send(view)
        if sent is False or sent == 0:
            return False
        self._n = 0
        self._full = False
        return True


def for_midi_service(service, ticks=None):
    """A BleOut for adafruit_ble_midi.MIDIService (CircuitPython): whole packets go to
    the service's PacketBuffer, up to its outgoing packet length. (MIDIService.write
    turns a realtime byte inside a SysEx into an F7 and sends a packet per byte.)"""
    raw = service._raw  # the service's _bleio.PacketBuffer: it has no public name
    return BleOut(raw.write, raw.outgoing_packet_length, ticks)
