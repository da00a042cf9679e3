# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_ble: BLE-MIDI 1.0 packet tables (header and timestamps, running status inside
a packet, SysEx across packets, realtime inside SysEx), every split, MidiIn/MidiOut over
packets, allocation and heap frames, on every runtime."""

from mptest import eq, ok, raises, no_alloc, no_transient, FakeClock

from smolmidi import MidiIn, SYSEX, CLOCK
from smolmidi_out import MidiOut
from smolmidi_ble import BleIn, BleOut, DATA_LEN, for_midi_service


def h(text):
    return bytes.fromhex(text.replace(" ", ""))


def decode(packets, buf_size=64):
    """[(timestamp, MIDI bytes)] for each read of a BleIn fed these packets."""
    port = BleIn()
    for p in packets:
        eq(port.packet(p), len(p), "queued")
    buf = bytearray(buf_size)
    reads = []
    while True:
        n = port.readinto(buf)
        if not n:
            return reads, port
        if reads and reads[-1][0] == port.timestamp:
            reads[-1] = (port.timestamp, reads[-1][1] + bytes(buf[:n]))  # a small buffer's next piece
        else:
            reads.append((port.timestamp, bytes(buf[:n])))


class Sink:
    def __init__(self, refuse=0):
        self.packets = []
        self.refuse = refuse

    def send(self, packet):
        if self.refuse:
            self.refuse -= 1
            return False
        self.packets.append(bytes(packet))


def encode(data, size=20, clock=None, piece=None):
    sink = Sink()
    clock = clock or FakeClock(0x123, 1 << 30)
    port = BleOut(sink.send, size, clock.ticks)
    piece = piece or len(data) or 1
    for i in range(0, len(data), piece):
        eq(port.write(data[i : i + piece]), len(data[i : i + piece]))
    ok(port.flush())
    return sink.packets


# (packets, [(timestamp, MIDI bytes) per read]): BLE-MIDI 1.0 packet forms
DECODE = [
    ("one message", ["80 80 90 3C 64"], [(0, "90 3C 64")]),
    ("header high bits, timestamp low bits", ["B2 C5 90 3C 64"], [(0x32 * 128 + 0x45, "90 3C 64")]),
    ("two messages, two timestamps", ["80 81 90 3C 64 82 80 3C 00"], [(1, "90 3C 64"), (2, "80 3C 00")]),
    ("running status, no timestamp", ["80 81 90 3C 64 3D 65"], [(1, "90 3C 64 3D 65")]),
    ("running status, new timestamp", ["80 81 90 3C 64 85 3D 65"], [(1, "90 3C 64"), (5, "3D 65")]),
    (
        "realtime between running status messages",
        ["80 81 90 3C 64 82 F8 83 3D 65"],
        [(1, "90 3C 64"), (2, "F8"), (3, "3D 65")],
    ),
    (
        "system common does not cancel BLE running status: the status comes again",
        ["80 81 90 3C 64 82 F1 10 83 3D 65"],
        [(1, "90 3C 64"), (2, "F1 10"), (3, "90 3D 65")],
    ),
    (
        "running status across packets (senders may not) passes on",
        ["80 81 90 3C 64", "80 82 3D 65"],
        [(1, "90 3C 64"), (2, "3D 65")],
    ),
    ("SysEx in one packet", ["80 81 F0 01 02 82 F7"], [(1, "F0 01 02"), (2, "F7")]),
    (
        "SysEx across packets: headers only in the middle",
        ["80 81 F0 01 02", "80 03 04", "80 82 F7"],
        [(1, "F0 01 02 03 04"), (2, "F7")],
    ),
    ("realtime inside a SysEx", ["80 81 F0 01 82 F8 02 83 F7"], [(1, "F0 01"), (2, "F8 02"), (3, "F7")]),
    (
        "a lower timestamp low part carries into the high part",
        ["81 FF 90 3C 64 81 80 3C 00"],
        [(255, "90 3C 64"), (257, "80 3C 00")],
    ),
    ("the high part wraps at 13 bits", ["BF FF F8 80 F8"], [(8191, "F8"), (0, "F8")]),
    ("a packet without a header byte is dropped", ["00 90 3C 64", "80 81 F8"], [(1, "F8")]),
    ("a header alone carries nothing", ["80", "80 81 FA"], [(1, "FA")]),
    ("two messages with the same timestamp: one read", ["80 81 F8 81 F8"], [(1, "F8 F8")]),
]


def test_packet_table():
    for name, packets, want in DECODE:
        for buf_size in (64, 1, 2, 3):
            got, _ = decode([h(p) for p in packets], buf_size)
            eq(got, [(t, h(b)) for t, b in want], "%s (buffer %d)" % (name, buf_size))


def test_bad_packets_counted():
    _, port = decode([h("00 90 3C 64"), h("40 81 F8")])
    eq(port.dropped, 2)


def test_every_split_of_a_sysex_across_packets():
    payload = bytes(range(1, 40))
    for cut in range(len(payload) + 1):
        for second in range(cut, len(payload) + 1):
            packets = [
                b"\x80\x81\xf0" + payload[:cut],
                b"\x80" + payload[cut:second],
                b"\x80" + payload[second:] + b"\x82\xf7",
            ]
            got, _ = decode(packets)
            eq(got, [(1, b"\xf0" + payload), (2, b"\xf7")], "cut at %d and %d" % (cut, second))


def test_message_timestamp_with_midi_in():
    port = BleIn()
    port.packet(h("80 81 90 3C 64 85 3D 65 86 F8"))
    port.packet(h("81 80 F0 01 02"))
    port.packet(h("81 03 90 F7"))
    midi = MidiIn(port)
    got = []
    msg = midi.receive()
    while msg is not None:
        got.append((bytes(msg), port.timestamp))
        msg = midi.receive()
    eq(got, [(h("90 3C 64"), 1), (h("90 3D 65"), 5), (h("F8"), 6), (h("F0 01 02 03 F7"), 0x90)])


# (MIDI bytes, packet size, packets) with the clock at 0x123 (header 82, timestamp A3)
ENCODE = [
    ("note on", "90 3C 64", 20, ["82 A3 90 3C 64"]),
    ("running status inside a packet", "90 3C 64 90 3D 65", 20, ["82 A3 90 3C 64 3D 65"]),
    ("input running status", "90 3C 64 3D 65", 20, ["82 A3 90 3C 64 3D 65"]),
    ("realtime needs the status again", "90 3C 64 F8 90 3D 65", 20, ["82 A3 90 3C 64 A3 F8 A3 90 3D 65"]),
    ("realtime inside a message goes first", "90 3C F8 64", 20, ["82 A3 F8 A3 90 3C 64"]),
    ("system common and one-byte messages", "F1 10 F2 01 02 F3 05 F6", 20, ["82 A3 F1 10 A3 F2 01 02 A3 F3 05 A3 F6"]),
    ("program change: two bytes", "C0 05 C0 06", 20, ["82 A3 C0 05 06"]),
    ("SysEx", "F0 01 02 F7", 20, ["82 A3 F0 01 02 A3 F7"]),
    (
        "SysEx goes on in packets of a header and data",
        "F0 01 02 03 04 05 06 07 08 09 0A F7",
        8,
        ["82 A3 F0 01 02 03 04 05", "82 06 07 08 09 0A A3 F7"],
    ),
    ("realtime inside a SysEx", "F0 01 F8 02 F7", 20, ["82 A3 F0 01 A3 F8 02 A3 F7"]),
    ("a message is never split", "90 3C 64 90 3D 65 C0 05", 8, ["82 A3 90 3C 64 3D 65", "82 A3 C0 05"]),
    ("stray data is dropped", "3C 64 F8", 20, ["82 A3 F8"]),
    ("a cut-short message goes as it came", "F0 01 90 3C F7", 20, ["82 A3 F0 01 A3 90 3C A3 F7"]),
]


def test_encode_table():
    for name, data, size, want in ENCODE:
        for piece in (None, 1):
            eq(encode(h(data), size, None, piece), [h(p) for p in want], "%s (pieces of %s)" % (name, piece))


def test_timestamps_follow_the_clock():
    clock = FakeClock(0x17E, 1 << 30)
    sink = Sink()
    port = BleOut(sink.send, 20, clock.ticks)
    port.write(h("90 3C 64"))
    clock.step(1)
    port.write(h("90 3D 65"))  # same status, new low part: a timestamp, no status
    clock.step(1)  # 0x180: a new high part: a new packet
    port.write(h("90 3E 66"))
    port.flush()
    eq(sink.packets, [h("82 FE 90 3C 64 FF 3D 65"), h("83 80 90 3E 66")])
    clock.now = (1 << 30) - 1  # ticks_ms wraps at 2**30: timestamps at 13 bits
    port.write(h("F8"))
    port.flush()
    eq(sink.packets[-1], h("BF FF F8"))


def test_refused_packet_waits_and_write_takes_no_more():
    sink = Sink(refuse=1)
    port = BleOut(sink.send, 8, FakeClock(0x123, 1 << 30).ticks)
    eq(port.write(h("90 3C 64 90 3D 65 C0 05 C0 06")), 7, "the packet filled, send refused: C0 05 waits")
    eq(sink.packets, [])
    eq(port.write(h("05 C0 06")), 3, "sent now")
    port.flush()
    eq(sink.packets, [h("82 A3 90 3C 64 3D 65"), h("82 A3 C0 05 06")])


def test_round_trip_through_midi_out_and_midi_in_for_every_packet_size():
    for size in range(5, 41):
        sink = Sink()
        out = MidiOut(BleOut(sink.send, size, FakeClock(5000, 1 << 30).ticks))
        out.note_on(60, 100, 3)
        out.clock()
        out.sysex(bytes(range(50)))
        out.control_change(7, 90, 1)
        out.control_change(8, 91, 1)
        out.song_position(300)
        out.port.flush()
        ok(all(len(p) <= size for p in sink.packets), "size %d respected" % size)
        port = BleIn()
        for p in sink.packets:
            port.packet(p)
        midi = MidiIn(port)
        got = []
        msg = midi.receive()
        while msg is not None:
            got.append(bytes(msg))
            msg = midi.receive()
        eq(
            got,
            [h("93 3C 64"), h("F8"), b"\xf0" + bytes(range(50)) + b"\xf7", h("B1 07 5A"), h("B1 08 5B"), h("F2 2C 02")],
            "packet size %d" % size,
        )
        eq(port.timestamp, 5000 & 0x1FFF)


def test_source_reads_one_packet_a_call():
    class PacketBuffer:
        incoming_packet_length = 20

        def __init__(self, packets):
            self.packets = list(packets)

        def readinto(self, buf):
            if not self.packets:
                return 0
            p = self.packets.pop(0)
            for i in range(len(p)):
                buf[i] = p[i]
            return len(p)

    port = BleIn(PacketBuffer([h("80 81 90 3C 64"), h("80 82 F8")]), 64)
    buf = bytearray(10)
    eq(port.readinto(buf), 3)
    eq((bytes(buf[:3]), port.timestamp), (h("90 3C 64"), 1))
    eq(port.readinto(buf), 1)
    eq(port.timestamp, 2)
    eq(port.readinto(buf), 0)
    raises(ValueError, BleIn, PacketBuffer([]), 20)


def test_for_midi_service_writes_whole_packets_to_its_packet_buffer():
    class PacketBuffer:
        outgoing_packet_length = 9

        def __init__(self):
            self.out = []

        def write(self, data, header=None):
            self.out.append(bytes(data))
            return len(data)

    class Service:
        def __init__(self):
            self._raw = PacketBuffer()

    service = Service()
    port = for_midi_service(service, FakeClock(0x123, 1 << 30).ticks)
    MidiOut(port).sysex(b"\x01\x02\x03\x04\x05\x06\x07\x08")
    port.flush()
    eq(service._raw.out, [h("82 A3 F0 01 02 03 04 05 06"), h("82 07 08 A3 F7")])


def test_queue_full_drops_the_packet():
    port = BleIn(None, 8)
    eq(port.packet(h("80 81 90 3C 64")), 5)
    eq(port.packet(h("80 81 F8")), 0, "5 + 2 and 3 + 2 do not fit in 8")
    eq(port.dropped, 1)
    raises(ValueError, BleIn, None, 4)
    raises(TypeError, BleOut, None)
    raises(ValueError, BleOut, print, 4)


def test_data_length_table_agrees_with_smolmidi_out():
    import smolmidi_out

    eq(DATA_LEN, smolmidi_out.DATA_LEN)


def test_no_allocation():
    port = BleIn(None, 64)
    midi = MidiIn(port)
    packet = h("80 81 90 3C 64 82 F8")
    sink = Sink()
    sink.send = lambda p: True
    clock = FakeClock(0, 1 << 20)  # 1 << 30 would be a long int on 32-bit builds
    out = MidiOut(BleOut(sink.send, 20, clock.ticks))
    ble_out = out.port

    def receive():
        port.packet(packet)
        midi.receive()
        midi.receive()

    def send():
        out.note_on(60, 100)
        out.clock()
        clock.step(1)

    no_alloc(receive, 10000, "BleIn.packet + MidiIn.receive")
    for _ in range(2000):
        send()  # every packet length's view is made once, on its first use
    no_alloc(send, 10000, "MidiOut to BleOut")
    no_transient(receive, 10000, "BleIn heap frames")
    no_transient(send, 10000, "BleOut heap frames")


def test_sysex_of_0_to_10000_bytes_with_realtime_inside():
    for n in list(range(8)) + [17, 18, 19, 20, 127, 1000, 10000]:
        payload = bytes(i % 128 for i in range(n))
        sink = Sink()
        port = BleOut(sink.send, 20, FakeClock(0x123, 1 << 20).ticks)
        data = b"\xf0" + payload[: n // 2] + b"\xf8" + payload[n // 2 :] + b"\xf7"
        eq(port.write(data), len(data))
        port.flush()
        ok(all(len(p) <= 20 for p in sink.packets), "%d: packet size" % n)
        eq(
            sum(len(p) for p in sink.packets),
            n + 6 + len(sink.packets),
            "%d: a header each, timestamps before F0, F8 and F7 only" % n,
        )
        back = BleIn(None, 64)
        midi = MidiIn(back, sysex_size=10000)
        got = []
        for p in sink.packets:
            back.packet(p)
            msg = midi.receive()
            while msg is not None:
                got.append((msg.type, msg.length if msg.type == SYSEX else 0))
                msg = midi.receive()
        eq(got, [(CLOCK, 0), (SYSEX, n)], "%d bytes" % n)
