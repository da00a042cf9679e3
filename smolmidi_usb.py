# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_usb: USB-MIDI 1.0 event packets <-> MIDI bytes, for boards without usb_midi.

UsbIn is a port for smolmidi.MidiIn fed with 4-byte packets: read from an endpoint
(anything with readinto(buf) giving whole packets, such as HostEndpoint for
CircuitPython's usb.core) or pushed by event(), which fits micropython-lib
usb-device-midi's on_midi_event. UsbOut is a port for smolmidi_out.MidiOut that packs
bytes into packets for an endpoint's write(buf) or for usb-device-midi's send_event.
Neither blocks; neither allocates per packet.
"""

# MIDI bytes in a packet, by Code Index Number (USB-MIDI 1.0 table 4-1); 0, 1 reserved
CIN_LENGTH = b"\0\0\2\3\3\1\2\3\3\3\3\3\2\2\3\1"
# data bytes per status: channel statuses by high nibble (8-14), system by 16 + low nibble
DATA_LEN = b"\0\0\0\0\0\0\0\0\2\2\2\2\1\1\2\0\0\1\2\1\0\0\0\0\0\0\0\0\0\0\0\0"


def _nothing(buf):
    return 0


def _check_cable(cable, none_ok):
    if not (cable is None and none_ok) and cable not in range(16):
        raise ValueError("cable must be 0-15%s, got %r" % (" or None" if none_ok else "", cable))


class UsbIn:
    """MIDI bytes from USB-MIDI packets: readinto(buf[, nbytes]) returns the count, 0 when
    none. cable=None takes every cable: one read gives bytes of one cable only, and
    `cable` says which, so it is the cable of the message MidiIn.receive() just returned.
    cable=0-15 keeps that cable's packets and counts the others in `dropped` (with those
    lost to a full queue); cable_port(n) gives each cable a UsbIn of its own. `source`
    is read only when no packet waits."""

    def __init__(self, source=None, cable=None, packets=16):
        _check_cable(cable, True)
        if source is not None and not hasattr(source, "readinto"):
            raise TypeError("source must have readinto(), got %r" % (source,))
        if not isinstance(packets, int) or packets < 1:
            raise ValueError("packets must be at least 1, got %r" % (packets,))
        self._pk = bytearray(4 * packets)
        self._view = memoryview(self._pk)
        # a queue of packets: event() moves only _tail, readinto only _head (event runs
        # from micropython.schedule, which may cut into readinto); both count modulo 2 sizes
        self._head = self._tail = 0
        self._wrap = 8 * packets
        self._off = 1  # the next MIDI byte of the packet at _head
        self._want = cable
        self.cable = cable or 0
        self.dropped = 0
        self._ports = []  # cable_port(): the UsbIn each cable's packets go to
        self._parent = None  # a cable port's splitter
        self._source = source is not None
        self._read = source.readinto if self._source else _nothing  # cached: binding allocates

    def event(self, cin, midi0=0, midi1=0, midi2=0):
        """Queue one packet (cin: cable << 4 | CIN, as on the wire); False when full."""
        # at most 11 words of locals and stack in each hot method: MicroPython takes a
        # bigger frame from the heap on every call
        i = self._tail
        if (i - self._head) % self._wrap == len(self._pk):
            self.dropped += 1
            return False
        pk = self._pk
        if i >= len(pk):
            i -= len(pk)
        pk[i] = cin
        pk[i + 1] = midi0
        pk[i + 2] = midi1
        pk[i + 3] = midi2
        self._tail = (self._tail + 4) % self._wrap
        return True

    def readinto(self, buf, nbytes=None):
        """Copy MIDI bytes into buf (at most nbytes); return the count, 0 when none."""
        if nbytes is None or nbytes > len(buf):
            nbytes = len(buf)
        if self._ports:
            self._split()
            return 0
        n = 0
        pk = self._pk
        while n < nbytes:
            at = self._head
            if at == self._tail:
                if n or not self._fill():
                    break
                continue
            if at >= len(pk):
                at -= len(pk)
            length = CIN_LENGTH[pk[at] & 15]
            if length and pk[at] >> 4 != self.cable:
                if self._want is not None:
                    self.dropped += 1  # another cable's packet
                    length = 0
                elif n:
                    break  # a read gives one cable's bytes
                else:
                    self.cable = pk[at] >> 4
            if length:
                if self._off == 1 and n + length <= nbytes:
                    # the whole packet fits: its bytes in one go (the usual case)
                    buf[n] = pk[at + 1]
                    if length > 1:
                        buf[n + 1] = pk[at + 2]
                        if length > 2:
                            buf[n + 2] = pk[at + 3]
                    n += length
                else:
                    buf[n] = pk[at + self._off]
                    n += 1
                    if self._off < length:
                        self._off += 1
                        continue
                    self._off = 1
            at = self._head + 4
            self._head = at if at < self._wrap else 0
        return n

    def _fill(self):
        # one read of the endpoint into the empty queue (a torn packet at its end is
        # dropped), or a cable port's splitter asked to hand over what it has
        if self._parent is not None:
            self._parent._split()
            return self._head != self._tail
        if not self._source:
            return 0
        n = (self._read(self._view) or 0) & ~3
        self._head = 0
        self._tail = n
        return n

    def cable_port(self, cable):
        """A UsbIn of its own for one cable (0-15) of this one's packets, each for its own
        MidiIn, so a SysEx on one cable and notes on another never mix. This UsbIn then
        only hands packets over (its readinto gives nothing) and drops those of cables
        without a port; a cable port reads the source when it runs dry."""
        _check_cable(cable, False)
        if self._want is not None or self._parent is not None:
            raise ValueError("cable ports come from a UsbIn of every cable (cable=None)")
        if not self._ports:
            self._ports = [None] * 16
        port = self._ports[cable]
        if port is None:
            port = self._ports[cable] = UsbIn(None, cable, len(self._pk) // 4)
            port._parent = self
        return port

    def _split(self):
        # hand the queued packets to their cables' ports; then the same for one read
        self._hand_all()
        if self._fill():
            self._hand_all()

    def _hand_all(self):
        pk = self._pk
        while self._head != self._tail:
            self._hand(self._head if self._head < len(pk) else self._head - len(pk))
            self._head = (self._head + 4) % self._wrap

    def _hand(self, at):
        port = self._ports[self._pk[at] >> 4]
        if port is None:
            self.dropped += 1
        else:
            port._take(self._pk, at)  # a full port counts it

    def _take(self, pk, at):
        return self.event(pk[at], pk[at + 1], pk[at + 2], pk[at + 3])


class UsbOut:
    """A port that packs MIDI bytes into USB-MIDI packets on `cable` (0-15).

    sink: an endpoint with write(buf) (whole packets; the count taken, None for all) or
    an object with send_event(cin, midi0, midi1, midi2) returning False when full
    (usb-device-midi's MIDIInterface). write(buf) returns the count of bytes taken;
    packets wait in a queue of `packets` when the sink is full: flush() retries them.
    Realtime bytes get a packet of their own at once, also inside a SysEx or a message;
    bytes no message takes (stray data, a cut-short message) go as single-byte packets.
    """

    def __init__(self, sink, cable=0, packets=16):
        _check_cable(cable, False)
        self._events = hasattr(sink, "send_event")
        if not (self._events or callable(getattr(sink, "write", None))):
            raise TypeError("sink must have write() or send_event(), got %r" % (sink,))
        self._sink = sink.send_event if self._events else sink.write  # cached bound method
        if not isinstance(packets, int) or packets < 3:
            raise ValueError("packets must be at least 3, got %r" % (packets,))
        pk = self._pk = bytearray(4 * packets)
        self._views = [memoryview(pk)[: 4 * i] for i in range(packets + 1)]  # made once: no slicing later
        self._n = 0  # queued packet bytes
        self._cable = cable << 4
        self._msg = bytearray(3)  # the message being gathered
        self._have = 0  # its bytes so far
        self._need = 0  # bytes it takes
        self._sysex = False
        self._status = 0  # running status of the input (8n-En), 0 none

    def write(self, buf):
        """Pack the bytes of buf; return how many were taken."""
        n = 0
        while n < len(buf):  # an index loop: `for b in buf` allocates an iterator
            if self._n > len(self._pk) - 12:  # room for the 3 packets one byte can make
                self.flush()
                if self._n > len(self._pk) - 12:
                    break
            self._byte(buf[n])
            n += 1
        self.flush()
        return n

    def _byte(self, b):
        msg = self._msg
        have = self._have
        if b >= 0xF8:
            self._put(0xF, b, 0, 0)  # realtime: its own packet, now
            return
        if b < 0x80:
            if self._sysex:
                msg[have] = b
                have += 1
                if have == 3:
                    self._put(4, msg[0], msg[1], b)  # a SysEx piece
                    have = 0
                self._have = have
                return
            if not have:
                if not self._status:
                    self._put(0xF, b, 0, 0)  # stray data byte
                    return
                msg[0] = self._status  # running status: USB packets carry the status
                have = 1
            msg[have] = b
            have += 1
            if have == self._need:
                # CIN: a channel status's high nibble; 2 or 3 (the length) for system common
                b = msg[0]
                self._put(b >> 4 if b < 0xF0 else have, b, msg[1], msg[2] if have > 2 else 0)
                have = 0
            self._have = have
            return
        if b == 0xF7 and self._sysex:
            msg[have] = b  # the SysEx ends: CIN 5, 6 or 7 by the bytes in this packet
            self._put(5 + have, msg[0], msg[1] if have else 0, b if have > 1 else 0)
            self._have = 0
            self._sysex = False
            return
        if have:
            self._spill()
        self._sysex = b == 0xF0
        self._status = b if b < 0xF0 else 0
        have = DATA_LEN[b >> 4 if b < 0xF0 else b - 0xE0]
        if self._sysex or have:
            msg[0] = b
            self._have = 1
            self._need = have + 1
        else:  # F6; F4, F5 and a lone F7 as single bytes, so the receiver drops them itself
            self._put(5 if b == 0xF6 else 0xF, b, 0, 0)

    def _spill(self):
        # a message cut short by a status byte goes on byte by byte
        for i in range(self._have):
            self._put(0xF, self._msg[i], 0, 0)
        self._have = 0

    def _put(self, cin, b1, b2, b3):
        pk = self._pk
        i = self._n
        pk[i] = self._cable | cin
        pk[i + 1] = b1
        pk[i + 2] = b2
        pk[i + 3] = b3
        self._n = i + 4

    def flush(self):
        """Hand queued packets to the sink; return how many bytes still wait."""
        n = self._n
        if not n:
            return 0
        if self._events:
            done = 0
            while done < n and self._send(done):
                done += 4
        else:
            done = self._sink(self._views[n >> 2])
            done = n if done is None else done & ~3
        if done:
            self._n = n - done
            self._shift(done, n)
        return self._n

    def _send(self, i):
        pk = self._pk
        return self._sink(pk[i], pk[i + 1], pk[i + 2], pk[i + 3]) is not False

    def _shift(self, done, n):
        pk = self._pk
        for i in range(done, n):  # an index loop: a slice would allocate
            pk[i - done] = pk[i]


class HostEndpoint:
    """A USB host device's MIDI endpoints (CircuitPython usb.core) as a packet port:
    readinto(buf) returns the count (0 when nothing came within `timeout` ms) and
    write(buf) the count sent. Where read() lacks raise_on_timeout (before
    CircuitPython 10), an empty read raises inside usb.core: that allocates."""

    def __init__(self, device, in_ep, out_ep=None, timeout=1):
        self._timeout_error = OSError  # no usb.core here: a stand-in device's OSError
        try:
            import usb.core

            self._timeout_error = usb.core.USBTimeoutError
        except ImportError:
            pass
        self.device = device
        self.in_ep = in_ep
        self.out_ep = out_ep
        self.timeout = timeout
        self._quiet = None  # whether read() takes raise_on_timeout: learned on the first read

    def readinto(self, buf):
        # no try block here: with the keyword call it would need a heap frame
        if self._quiet:
            return self.device.read(self.in_ep, buf, self.timeout, raise_on_timeout=False)
        if self._quiet is None:
            return self._learn(buf)
        return self._read_loud(buf)

    def _learn(self, buf):
        try:
            n = self.device.read(self.in_ep, buf, self.timeout, raise_on_timeout=False)
            self._quiet = True
            return n
        except TypeError:  # CircuitPython 9: no raise_on_timeout
            self._quiet = False
            return self._read_loud(buf)

    def _read_loud(self, buf):
        try:
            return self.device.read(self.in_ep, buf, self.timeout)
        except self._timeout_error:
            return 0

    def write(self, buf):
        try:
            return self.device.write(self.out_ep, buf, self.timeout)
        except self._timeout_error:
            return 0
