# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_usb: USB-MIDI 1.0 packet tables (every CIN, cables, SysEx 0-10,000 bytes,
realtime inside SysEx), MidiIn/MidiOut over packets, allocation and heap frames."""

from mptest import eq, ok, raises, no_alloc, no_transient

from smolmidi import MidiIn, SYSEX, NOTE_ON, CLOCK
from smolmidi_out import MidiOut
from smolmidi_usb import UsbIn, UsbOut, HostEndpoint, CIN_LENGTH, DATA_LEN


def h(text):
    """Bytes from hex with spaces (MicroPython's fromhex wants none)."""
    return bytes.fromhex(text.replace(" ", ""))


class Endpoint:
    """A packet endpoint: readinto(buf) gives up to `per_read` bytes of what was fed;
    write(buf) keeps whole packets, at most `accept` bytes a call (None: all)."""

    def __init__(self, data=b"", per_read=64, accept=None, returns_none=False):
        self.data = bytearray(data)
        self.pos = 0
        self.per_read = per_read
        self.accept = accept
        self.returns_none = returns_none
        self.out = bytearray()
        self.reads = 0

    def readinto(self, buf):
        self.reads += 1
        n = min(len(buf), len(self.data) - self.pos, self.per_read)
        for i in range(n):
            buf[i] = self.data[self.pos + i]
        self.pos += n
        return n

    def write(self, buf):
        n = len(buf) if self.accept is None else min(self.accept, len(buf))
        self.out.extend(bytes(buf[:n]))
        return None if self.returns_none else n


class Interface:
    """usb-device-midi's MIDIInterface send side: send_event(cin, m0, m1, m2) queues one
    packet, False when its `room` packets are used."""

    def __init__(self, room=1000):
        self.room = room
        self.out = bytearray()

    def send_event(self, cin, midi0, midi1=0, midi2=0):
        if self.room <= 0:
            return False
        self.room -= 1
        self.out.extend(bytes([cin, midi0, midi1, midi2]))
        return True


def decode(packets, cable=None, buf_size=64, per_read=64):
    """(MIDI bytes, [cable of each read]) from packet bytes, through UsbIn.readinto."""
    port = UsbIn(Endpoint(packets, per_read), cable)
    buf = bytearray(buf_size)
    out = bytearray()
    cables = []
    while True:
        n = port.readinto(buf)
        if not n:
            return bytes(out), cables, port
        out.extend(bytes(buf[:n]))
        cables.append(port.cable)


def encode(data, cable=0, piece=None):
    """Packet bytes UsbOut makes of data (written in pieces of `piece` bytes)."""
    ep = Endpoint()
    port = UsbOut(ep, cable)
    piece = piece or len(data) or 1
    for i in range(0, len(data), piece):
        eq(port.write(data[i : i + piece]), len(data[i : i + piece]), "all taken")
    return bytes(ep.out)


# (packet bytes, MIDI bytes): one row per Code Index Number of USB-MIDI 1.0 table 4-1
DECODE = [
    ("CIN 2: two-byte system common", "02 F1 23 00  02 F3 05 00", "F1 23 F3 05"),
    ("CIN 3: three-byte system common", "03 F2 10 20", "F2 10 20"),
    ("CIN 4: SysEx starts or continues", "04 F0 7D 01  04 02 03 04", "F0 7D 01 02 03 04"),
    ("CIN 5: SysEx ends with one byte", "04 F0 7D 01  05 F7 00 00", "F0 7D 01 F7"),
    ("CIN 5: single-byte system common", "05 F6 00 00", "F6"),
    ("CIN 6: SysEx ends with two bytes", "04 F0 7D 01  06 02 F7 00", "F0 7D 01 02 F7"),
    ("CIN 6: empty SysEx", "06 F0 F7 00", "F0 F7"),
    ("CIN 7: SysEx ends with three bytes", "07 F0 01 F7", "F0 01 F7"),
    ("CIN 8: note off", "08 80 3C 40", "80 3C 40"),
    ("CIN 9: note on", "09 91 3C 64", "91 3C 64"),
    ("CIN A: poly key pressure", "0A A2 3C 10", "A2 3C 10"),
    ("CIN B: control change", "0B B3 07 64", "B3 07 64"),
    ("CIN C: program change, one data byte", "0C C4 05 00", "C4 05"),
    ("CIN D: channel pressure, one data byte", "0D D5 40 00", "D5 40"),
    ("CIN E: pitch bend", "0E E6 00 40", "E6 00 40"),
    ("CIN F: single byte, realtime", "0F F8 00 00  0F FA 00 00  0F FF 00 00", "F8 FA FF"),
    ("CIN F: single byte, unparsed stream", "0F 90 00 00  0F 3C 00 00  0F 64 00 00", "90 3C 64"),
    ("CIN 0 and 1 are reserved: skipped", "00 00 00 00  01 90 3C 64  09 90 3C 64", "90 3C 64"),
    ("realtime inside a SysEx", "04 F0 01 02  0F F8 00 00  07 03 04 F7", "F0 01 02 F8 03 04 F7"),
]

# (MIDI bytes, packet bytes on cable 0) for UsbOut
ENCODE = [
    ("note on", "90 3C 64", "09 90 3C 64"),
    (
        "every channel message",
        "80 3C 40 A1 3C 10 B2 07 64 C3 05 D4 40 E5 00 40",
        "08 80 3C 40 0A A1 3C 10 0B B2 07 64 0C C3 05 00 0D D4 40 00 0E E5 00 40",
    ),
    ("running status in: full status out", "90 3C 64 3D 65", "09 90 3C 64 09 90 3D 65"),
    ("system common", "F1 23 F2 10 20 F3 05 F6", "02 F1 23 00 03 F2 10 20 02 F3 05 00 05 F6 00 00"),
    ("system common ends running status", "90 3C 64 F6 3D", "09 90 3C 64 05 F6 00 00 0F 3D 00 00"),
    (
        "realtime",
        "F8 FA FB FC FE FF F9 FD",
        "0F F8 00 00 0F FA 00 00 0F FB 00 00 0F FC 00 00 0F FE 00 00 0F FF 00 00 0F F9 00 00 0F FD 00 00",
    ),
    ("realtime inside a message goes first", "90 F8 3C 64", "0F F8 00 00 09 90 3C 64"),
    ("SysEx of 0 bytes", "F0 F7", "06 F0 F7 00"),
    ("SysEx of 1 byte", "F0 01 F7", "07 F0 01 F7"),
    ("SysEx of 2 bytes", "F0 01 02 F7", "04 F0 01 02 05 F7 00 00"),
    ("SysEx of 3 bytes", "F0 01 02 03 F7", "04 F0 01 02 06 03 F7 00"),
    ("SysEx of 4 bytes", "F0 01 02 03 04 F7", "04 F0 01 02 07 03 04 F7"),
    (
        "realtime inside a SysEx: a packet of its own",
        "F0 01 02 03 F8 04 FE F7",
        "04 F0 01 02 0F F8 00 00 0F FE 00 00 07 03 04 F7",
    ),
    ("a cut-short SysEx goes as single bytes", "F0 01 90 3C 64", "0F F0 00 00 0F 01 00 00 09 90 3C 64"),
    ("a cut-short message goes as single bytes", "90 3C 80 3C 00", "0F 90 00 00 0F 3C 00 00 08 80 3C 00"),
    ("stray data: single bytes", "3C F4 F5", "0F 3C 00 00 0F F4 00 00 0F F5 00 00"),
    ("a lone F7 goes as a single byte", "F7 F8", "0F F7 00 00 0F F8 00 00"),
]


def test_every_cin_decodes_as_the_spec_says():
    for name, packets, want in DECODE:
        for buf_size in (64, 3, 2, 1):
            for per_read in (64, 4, 8):
                got, cables, _ = decode(h(packets), None, buf_size, per_read)
                eq(got, h(want), "%s (buffer %d, reads of %d)" % (name, buf_size, per_read))


def test_every_cin_length_in_the_table():
    eq(list(CIN_LENGTH), [0, 0, 2, 3, 3, 1, 2, 3, 3, 3, 3, 3, 2, 2, 3, 1])


def test_data_length_table_agrees_with_smolmidi_out():
    import smolmidi_out

    eq(DATA_LEN, smolmidi_out.DATA_LEN, "one wire fact, two copies")


def test_encode_table_in_every_split():
    for name, data, want in ENCODE:
        for piece in (None, 1, 2):
            eq(encode(h(data), 0, piece), h(want), "%s (pieces of %s)" % (name, piece))


def test_cable_number_goes_in_the_high_nibble():
    eq(encode(h("90 3C 64 F8"), 9), h("99 90 3C 64 9F F8 00 00"))
    raises(ValueError, UsbOut, Endpoint(), 16)
    raises(ValueError, UsbIn, None, -1)
    raises(TypeError, UsbOut, object())
    raises(TypeError, UsbIn, object())


def test_sysex_of_0_to_10000_bytes_both_ways():
    for n in list(range(12)) + [126, 127, 128, 129, 1000, 9999, 10000]:
        payload = bytes(i % 128 for i in range(n))
        data = b"\xf0" + payload + b"\xf7"
        packets = encode(data, 2)
        eq(len(packets), 4 * ((n + 2 + 2) // 3), "%d bytes: packets" % n)
        cins = [packets[i] for i in range(0, len(packets), 4)]
        ok(all(c == 0x24 for c in cins[:-1]), "%d bytes: CIN 4 until the end" % n)
        eq(cins[-1], 0x20 | (7, 5, 6)[(n + 2) % 3], "%d bytes: end packet" % n)
        got, cables, _ = decode(packets)
        eq(got, data, "%d bytes back" % n)
        eq(set(cables), {2}, "cable")
        midi = MidiIn(UsbIn(Endpoint(packets)), sysex_size=10000)
        msg = midi.receive()
        eq((msg.type, msg.length, msg.sysex_end), (SYSEX, n, 0), "%d bytes: MidiIn" % n)
        eq(bytes(msg), data)


def test_all_cables_one_cable_per_read():
    packets = h("09 90 3C 64  09 90 3D 64  19 91 3C 64  0F F8 00 00  1F F8 00 00")
    got, cables, _ = decode(packets)
    eq(got, h("90 3C 64 90 3D 64 91 3C 64 F8 F8"))
    eq(cables, [0, 1, 0, 1], "a read stops where the cable changes")
    midi_port = UsbIn(Endpoint(packets))
    midi = MidiIn(midi_port)
    seen = []
    msg = midi.receive()
    while msg is not None:
        seen.append((msg.type, msg.channel, midi_port.cable))
        msg = midi.receive()
    eq(
        seen,
        [(NOTE_ON, 0, 0), (NOTE_ON, 0, 0), (NOTE_ON, 1, 1), (CLOCK, None, 0), (CLOCK, None, 1)],
        "each message with its cable",
    )


def test_one_cable_drops_the_others():
    packets = h("09 90 3C 64  19 91 3C 64  29 92 3C 64  1F F8 00 00")
    got, cables, port = decode(packets, 1)
    eq(got, h("91 3C 64 F8"))
    eq(set(cables), {1})
    eq(port.dropped, 2)


def test_torn_packet_at_the_end_of_a_read_is_not_decoded():
    got, _, _ = decode(h("09 90 3C 64 09 90"), None, 64, 64)
    eq(got, h("90 3C 64"))


def test_event_queue_as_usb_device_midi_calls_it():
    port = UsbIn(packets=2)
    ok(port.event(0x09, 0x90, 0x3C, 0x64))
    ok(port.event(0x0F, 0xF8))
    ok(not port.event(0x08, 0x80, 0x3C, 0x00), "full")
    eq(port.dropped, 1)
    buf = bytearray(8)
    eq(port.readinto(buf, 2), 2)
    eq(bytes(buf[:2]), h("90 3C"))
    ok(not port.event(0x08, 0x80, 0x3C, 0x00), "a packet half read still takes its place")
    eq(port.readinto(buf, 1), 1)
    eq(buf[0], 0x64, "the rest of the note")
    ok(port.event(0x08, 0x80, 0x3C, 0x00), "one packet read: room again")
    eq(port.readinto(buf), 4)
    eq(bytes(buf[:4]), h("F8 80 3C 00"))
    eq(port.readinto(buf), 0)
    eq(port.dropped, 2)
    midi = MidiIn(port)
    for i in range(40):  # round the ring many times
        port.event(0x09, 0x90, i, 100)
        msg = midi.receive()
        eq((msg.type, msg.data[0], msg.data[1]), (NOTE_ON, i, 100))


def test_short_sink_keeps_packets_queued():
    ep = Endpoint(accept=4)
    port = UsbOut(ep, 0, packets=4)
    eq(port.write(h("90 3C 64 91 3C 64 92 3C 64")), 9, "all taken: a packet per flush went out")
    eq(len(ep.out), 8)
    eq(port.flush(), 0, "the last one now")
    eq(bytes(ep.out), h("09 90 3C 64 09 91 3C 64 09 92 3C 64"))
    ep.accept = 0
    n = port.write(bytes([0xF8] * 10))
    eq(n, 2, "a queue without room for the 3 packets one byte can make takes no more")
    ep.accept = None
    eq(port.write(b""), 0)
    eq(bytes(ep.out[12:]), h("0F F8 00 00 0F F8 00 00"))


def test_sink_returning_none_took_everything():
    ep = Endpoint(returns_none=True)
    port = UsbOut(ep)
    eq(port.write(h("90 3C 64")), 3)
    eq(bytes(ep.out), h("09 90 3C 64"))
    eq(port.flush(), 0)


def test_send_event_sink():
    iface = Interface(room=2)
    out = MidiOut(UsbOut(iface, 1))
    out.note_on(60, 100, 0)
    out.clock()
    out.note_off(60, 0, 0)
    eq(bytes(iface.out), h("19 90 3C 64 1F F8 00 00"))
    iface.room = 10
    out.start()
    eq(bytes(iface.out[8:]), h("18 80 3C 00 1F FA 00 00"), "the queued packet first")


def test_midi_out_to_midi_in_over_packets():
    ep = Endpoint()
    out = MidiOut(UsbOut(ep))
    out.note_on(60, 100, 3)
    out.pitch_bend(-8192, 15)
    out.sysex(bytes(range(100)))
    out.song_position(300)
    out.clock()
    midi = MidiIn(UsbIn(Endpoint(bytes(ep.out))), sysex_size=200)
    got = []
    msg = midi.receive()
    while msg is not None:
        got.append(bytes(msg))
        msg = midi.receive()
    eq(got, [h("93 3C 64"), h("EF 00 00"), b"\xf0" + bytes(range(100)) + b"\xf7", h("F2 2C 02"), h("F8")])


def test_no_allocation_per_packet():
    port = UsbIn(packets=4)
    midi = MidiIn(port)
    ep = Endpoint()
    ep.out = None  # counting only
    ep.write = lambda buf: len(buf)
    out = MidiOut(UsbOut(ep))
    iface_in = UsbIn(Endpoint(h("09 90 3C 64") * 40000, per_read=64))
    midi2 = MidiIn(iface_in)

    def push_and_receive():
        port.event(0x09, 0x90, 0x3C, 0x64)
        port.event(0x0F, 0xF8)
        midi.receive()
        midi.receive()

    def note():
        out.note_on(60, 100, 1)

    def sysex_piece():
        out.write(b"\xf0\x01\x02\x03\xf8\x04\xf7")

    no_alloc(push_and_receive, 10000, "UsbIn.event + MidiIn.receive")
    no_alloc(midi2.receive, 10000, "MidiIn.receive over an endpoint")
    no_alloc(note, 10000, "MidiOut.note_on to UsbOut")
    no_alloc(sysex_piece, 10000, "SysEx with realtime to UsbOut")


def test_no_heap_frames():
    port = UsbIn(packets=4)
    buf = bytearray(64)
    ep = Endpoint()
    ep.write = lambda buf: len(buf)
    out = UsbOut(ep)
    data = h("F0 01 02 03 F8 04 F7 90 3C 64")

    def read():
        port.event(0x09, 0x90, 0x3C, 0x64)
        port.readinto(buf)

    no_transient(read, 10000, "UsbIn.event + readinto")
    no_transient(lambda: out.write(data), 10000, "UsbOut.write")


def test_host_endpoint_on_a_usb_core_device():
    from host_shim import usb_host

    usb_host.install()
    try:
        keyboard = usb_host.plug()
        ep = HostEndpoint(keyboard, usb_host.IN_EP, usb_host.OUT_EP)
        buf = bytearray(64)
        eq(ep.readinto(buf), 0, "nothing waits: 0 (raise_on_timeout=False)")
        keyboard.play(h("09 90 3C 64 0F F8 00 00"))
        midi = MidiIn(UsbIn(ep))
        eq(bytes(midi.receive()), h("90 3C 64"))
        eq(midi.receive().type, CLOCK)
        eq(midi.receive(), None)
        eq(ep.write(h("0F FA 00 00")), 4)
        eq(bytes(keyboard.written), h("0F FA 00 00"))

        class Older(usb_host.Device):  # CircuitPython 9: read() has no raise_on_timeout
            def read(self, endpoint, buf, timeout=None):
                return usb_host.Device.read(self, endpoint, buf, timeout)

        old = HostEndpoint(Older(), usb_host.IN_EP)
        eq(old.readinto(buf), 0, "USBTimeoutError caught")
        eq(old.readinto(buf), 0)
        ok(not old._quiet, "learned once")

        class Quiet:  # a device whose read is frame-free, to see HostEndpoint's own frame
            def read(self, endpoint, buf, timeout=None, raise_on_timeout=True):
                return 0

        quiet = HostEndpoint(Quiet(), usb_host.IN_EP)
        no_alloc(lambda: quiet.readinto(buf), 10000, "HostEndpoint.readinto, nothing waiting")
        no_transient(lambda: quiet.readinto(buf), 10000, "HostEndpoint.readinto heap frame")
    finally:
        usb_host.reset()
        usb_host.uninstall()


def test_cable_ports_keep_each_cable_apart():
    # a SysEx on cable 2 with notes on cable 0 between its packets, cable 5 unclaimed
    packets = h("24 F0 01 02  09 90 3C 64  24 03 04 05  59 95 3C 64  09 90 3D 64  27 06 07 F7  2F F8 00 00")
    splitter = UsbIn(Endpoint(packets, per_read=8), packets=4)
    zero, two = MidiIn(splitter.cable_port(0)), MidiIn(splitter.cable_port(2))
    ok(splitter.cable_port(0) is zero.port, "one port per cable")
    got = []
    for _ in range(10):
        for name, midi in (("0", zero), ("2", two)):
            msg = midi.receive()
            if msg is not None:
                got.append((name, bytes(msg)))
    eq(
        got,
        [("0", h("90 3C 64")), ("2", h("F0 01 02 03 04 05 06 07 F7")), ("0", h("90 3D 64")), ("2", h("F8"))],
        "the SysEx whole, though notes on cable 0 came between its packets",
    )
    eq(splitter.dropped, 1, "cable 5 has no port")
    eq(splitter.readinto(bytearray(4)), 0, "a splitter gives nothing itself")
    raises(ValueError, UsbIn(None, 3).cable_port, 1)
    raises(ValueError, splitter.cable_port(1).cable_port, 1)
    raises(ValueError, splitter.cable_port, 16)


def test_cable_ports_allocate_nothing():
    splitter = UsbIn(packets=4)
    a, b = MidiIn(splitter.cable_port(0)), MidiIn(splitter.cable_port(1))

    def poll():
        splitter.event(0x09, 0x90, 0x3C, 0x64)
        splitter.event(0x1F, 0xF8)
        a.receive()
        b.receive()

    no_alloc(poll, 10000, "cable ports")
    no_transient(poll, 10000, "cable ports")
