# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_out.Thru: forwarding rules, a USB <-> DIN bridge, allocation (every runtime)."""

from mptest import eq, ok, raises, no_alloc

from host_shim import busio, usb_midi
from smolmidi_out import MidiOut
from smolmidi import CLOCK, ACTIVE_SENSING, NOTE_ON, SYSEX
from smolmidi_thru import Thru

SPLITS = (("all", 1, 0), ("byte", 1, 0), ("fixed", 3, 0), ("byte", 1, 1), ("random", 7, 2))


def forward(data, split="all", size=1, gaps=0, running_status=False, accept=None, **options):
    """What a Thru sends for input bytes `data` delivered in the given split."""
    port_in = usb_midi.PortIn(split=split, size=size, gaps=gaps, seed=5, capacity=None)
    port_in.feed(bytes(data))
    port_out = usb_midi.PortOut()
    port_out.accept = accept
    thru = Thru(port_in, MidiOut(port_out, running_status), **options)
    for _ in range(4 * len(data) + 20):
        thru.update()
    return port_out.take(), thru


# (input bytes, Thru options, output bytes); every split must give the same output
TABLE = [
    ("note", b"\x90\x3c\x64", {}, b"\x90\x3c\x64"),
    (
        "input running status gets full status",
        b"\x90\x3c\x64\x3d\x65\x3e\x00",
        {},
        b"\x90\x3c\x64\x90\x3d\x65\x90\x3e\x00",
    ),
    ("two-byte messages", b"\xc1\x05\x06\xd2\x10", {}, b"\xc1\x05\xc1\x06\xd2\x10"),
    ("realtime first, from inside a message", b"\x90\xf8\x3c\xfe\x64", {}, b"\xf8\xfe\x90\x3c\x64"),
    ("realtime keeps the interrupted running status", b"\x90\x3c\x64\xf8\x3d\x65", {}, b"\x90\x3c\x64\xf8\x90\x3d\x65"),
    ("undefined realtime passes", b"\xf9\xfd\xb0\x07\x7f", {}, b"\xf9\xfd\xb0\x07\x7f"),
    ("system common", b"\xf1\x23\xf2\x01\x02\xf3\x05\xf6\xf4\xf5", {}, b"\xf1\x23\xf2\x01\x02\xf3\x05\xf6\xf4\xf5"),
    ("system common cancels running status", b"\x90\x3c\x64\xf6\x3d\x65", {}, b"\x90\x3c\x64\xf6"),
    ("stray data is dropped", b"\x3c\x64\x90\x3c\x64", {}, b"\x90\x3c\x64"),
    ("unfinished message abandoned by a new status", b"\x90\x3c\x80\x3c\x00", {}, b"\x80\x3c\x00"),
    ("stray EOX ignored, cancels running status", b"\x90\x3c\x64\xf7\x3d\x65", {}, b"\x90\x3c\x64"),
    ("sysex", b"\xf0\x7d\x01\x02\xf7\x90\x3c\x64", {}, b"\xf0\x7d\x01\x02\xf7\x90\x3c\x64"),
    (
        "usb: realtime held until the sysex ends",
        b"\xf0\x7d\xf8\x01\xfe\x02\xf7\x90\x3c\x64",
        {},
        b"\xf0\x7d\x01\x02\xf7\xf8\xfe\x90\x3c\x64",
    ),
    (
        "din: realtime inside the sysex",
        b"\xf0\x7d\xf8\x01\xfe\x02\xf7",
        {"usb": False},
        b"\xf0\x7d\xf8\x01\xfe\x02\xf7",
    ),
    (
        "usb: a cut-short sysex is closed with F7",
        b"\xf0\x7d\x01\xf8\x90\x3c\x64",
        {},
        b"\xf0\x7d\x01\xf7\xf8\x90\x3c\x64",
    ),
    (
        "din: a cut-short sysex goes out as it came",
        b"\xf0\x7d\x01\xf8\x90\x3c\x64",
        {"usb": False},
        b"\xf0\x7d\x01\xf8\x90\x3c\x64",
    ),
    ("sysex cancels running status", b"\x90\x3c\x64\xf0\x01\xf7\x3d\x65", {}, b"\x90\x3c\x64\xf0\x01\xf7"),
    (
        "channel map: every channel onto one",
        b"\x93\x3c\x64\xc5\x01\xf8",
        {"channel_map": 9},
        b"\x99\x3c\x64\xc9\x01\xf8",
    ),
    (
        "channel map: per channel, None drops",
        b"\x90\x3c\x64\x91\x3c\x64\x92\x3c\x64\x3d\x65",
        {"channel_map": [None, 5, 0] + list(range(3, 16))},
        b"\x95\x3c\x64\x90\x3c\x64\x90\x3d\x65",
    ),
    (
        "drop clock and active sensing",
        b"\xf8\x90\xfe\x3c\x64\xfa",
        {"drop_types": (CLOCK, ACTIVE_SENSING)},
        b"\x90\x3c\x64\xfa",
    ),
    (
        "drop note on, on every channel, running status still followed",
        b"\x90\x3c\x64\x3d\x65\x95\x01\x02\x80\x3c\x00",
        {"drop_types": (NOTE_ON,)},
        b"\x80\x3c\x00",
    ),
    (
        "drop sysex; realtime inside still passes",
        b"\xf0\x01\xf8\x02\xf7\x90\x3c\x64",
        {"drop_types": (SYSEX,)},
        b"\xf8\x90\x3c\x64",
    ),
    (
        "running status output",
        b"\x90\x3c\x64\x90\x3d\x65\xf8\x3e\x66",
        {"running_status": True},
        b"\x90\x3c\x64\x3d\x65\xf8\x3e\x66",
    ),
    (
        "short writes lose nothing",
        b"\x90\x3c\x64\xf0" + bytes(range(100)) + b"\xf7\xf8",
        {"accept": 5},
        b"\x90\x3c\x64\xf0" + bytes(range(100)) + b"\xf7\xf8",
    ),
]


def test_thru_forwarding_table_in_every_split():
    for name, data, options, want in TABLE:
        for split, size, gaps in SPLITS:
            got, thru = forward(data, split, size, gaps, **options)
            eq(got, want, "%s (%s %d gaps %d)" % (name, split, size, gaps))
            ok(not thru.in_sysex, name)


def test_counters():
    got, thru = forward(b"\x3c\x64\x90\x3c\x64")
    eq(thru.stray, 2, "stray data bytes")
    # more than 64 realtime bytes inside one SysEx on a USB output: the rest are counted
    got, thru = forward(b"\xf0\x01" + b"\xf8" * 70 + b"\x02\xf7")
    eq(got, b"\xf0\x01\x02\xf7" + b"\xf8" * 64)
    eq(thru.dropped, 6, "held realtime overflow")


def test_in_sysex_while_a_sysex_passes():
    port_in = usb_midi.PortIn(capacity=None)
    thru = Thru(port_in, MidiOut(usb_midi.PortOut()))
    port_in.feed(b"\xf0\x01\x02")
    thru.update()
    ok(thru.in_sysex, "open")
    port_in.feed(b"\x03\xf7")
    thru.update()
    ok(not thru.in_sysex, "closed")


def test_bad_options_rejected():
    port_in = usb_midi.PortIn()
    out = MidiOut(usb_midi.PortOut())
    e = raises(ValueError, Thru, port_in, out, channel_map=16)
    ok("channel_map" in str(e), str(e))
    e = raises(ValueError, Thru, port_in, out, channel_map=[0] * 15)
    ok("channel_map" in str(e), str(e))
    e = raises(ValueError, Thru, port_in, out, channel_map=[0] * 15 + [16])
    ok(str(e).startswith("channel_map[15] must be 0-15 or None, got 16"), str(e))
    e = raises(ValueError, Thru, port_in, out, drop_types=(0x91,))
    ok("drop_types" in str(e), str(e))
    e = raises(ValueError, Thru, port_in, out, buffer_size=0)
    ok("buffer_size" in str(e), str(e))


class AnyPort:
    """machine.UART's shape: any() says how much waits; readinto(buf, nbytes)."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.empty_reads = 0

    def any(self):
        return len(self.data) - self.pos

    def readinto(self, buf, nbytes=None):
        n = min(nbytes if nbytes is not None else len(buf), len(self.data) - self.pos)
        if not n:
            self.empty_reads += 1
            return None
        for i in range(n):
            buf[i] = self.data[self.pos + i]
        self.pos += n
        return n


def test_port_with_any_is_read_only_when_bytes_wait():
    port_in = AnyPort(b"\x90\x3c\x64" * 30)
    port_out = usb_midi.PortOut()
    thru = Thru(port_in, MidiOut(port_out), buffer_size=16)
    for _ in range(20):
        thru.update()
    eq(port_out.take(), b"\x90\x3c\x64" * 30)
    eq(port_in.empty_reads, 0, "no read while nothing waits")


def interleave(payload, every, realtime=b"\xf8"):
    """A SysEx of payload with a realtime byte after every `every` payload bytes."""
    out = bytearray(b"\xf0")
    for i in range(len(payload)):
        out.append(payload[i])
        if i % every == every - 1:
            out.extend(realtime)
    out.append(0xF7)
    return bytes(out)


def realtime_after_sysex(stream):
    """The stream as a USB output must carry it: realtime inside a SysEx moved after F7."""
    out = bytearray()
    held = bytearray()
    inside = False
    for b in stream:
        if inside and b >= 0xF8:
            held.append(b)
            continue
        out.append(b)
        if b == 0xF0:
            inside = True
        elif inside and b >= 0x80:
            inside = False
            out.extend(held)
            held = bytearray()
    return bytes(out)


def test_usb_din_bridge_both_ways_with_1k_sysex_and_clock():
    payload = bytes([(i * 7 + 3) & 0x7F for i in range(1024)])
    notes = b"\x90\x3c\x64\xf8\x90\x3d\x65\xb0\x07\x7f"
    stream = notes + interleave(payload, 40) + b"\xf8\x80\x3c\x00\xfa\xf2\x01\x02"
    ok(len(stream) > 1050, "1 KB SysEx with clocks")

    # the board: USB in -> DIN out, and DIN in -> USB out
    usb_in = usb_midi.PortIn(split="random", size=40, seed=11)  # 128-byte device FIFO
    usb_out = usb_midi.PortOut()
    usb_out.accept = 24  # the USB TX FIFO takes a little at a time
    din = busio.UART(tx=1, rx=2, baudrate=31250, timeout=0, receiver_buffer_size=256, split="random", size=20, seed=12)
    to_din = Thru(usb_in, MidiOut(din), usb=False)
    to_usb = Thru(din, MidiOut(usb_out), usb=True)

    # the far ends: a USB host and a DIN device, feeding a little at a time as wires do
    pos = 0
    for _ in range(5000):
        if pos < len(stream):
            chunk = stream[pos : pos + 8]
            usb_in.feed(chunk)
            din.feed(chunk)
            pos += len(chunk)
        to_din.update()
        to_usb.update()
        if pos >= len(stream) and not usb_in.feed_.waiting() and not din.feed_.waiting():
            break
    for _ in range(10):
        to_din.update()
        to_usb.update()
    eq(usb_in.dropped + din.dropped, 0, "nothing overflowed on the way in")

    din_wire = din.take()
    eq(din_wire, stream, "USB -> DIN: every byte, clock inside the SysEx as it came")
    usb_wire = usb_out.take()
    eq(usb_wire, realtime_after_sysex(stream), "DIN -> USB: SysEx intact, clocks right after")
    start = usb_wire.index(b"\xf0")
    end = usb_wire.index(b"\xf7")
    eq(usb_wire[start + 1 : end], payload, "no realtime byte inside the USB SysEx")
    eq(usb_wire.count(b"\xf8"), stream.count(b"\xf8"), "every clock arrived")
    eq((to_din.dropped, to_usb.dropped, to_din.out.dropped, to_usb.out.dropped), (0, 0, 0, 0))


class Sink:
    """An allocation-free output port: write(buf[, nbytes]) as streams take it."""

    def __init__(self):
        self.buf = bytearray(256)
        self.n = 0

    def write(self, data, nbytes=None):
        k = len(data) if nbytes is None else nbytes
        if self.n + k > len(self.buf):
            self.n = 0
        for i in range(k):
            self.buf[self.n + i] = data[i]
        self.n += k
        return k


def test_no_allocation_while_forwarding():
    unit = (
        b"\x90\x3c\x64\x3d\x65\xf8\xb0\x07\x7f\xc0\x05\xf0\x01\x02\xf8\x03\xf7\xe0\x00\x40\xf2\x01\x02\xfe\x80\x3c\x00"
    )
    # the fake ports alone first, so an allocation is never blamed on Thru
    port_alone = usb_midi.PortIn(split="fixed", size=5, capacity=None)
    port_alone.feed(unit * 400)
    read = port_alone.readinto
    buf = bytearray(8)
    no_alloc(lambda: read(buf), 2000, "PortIn.readinto alone")
    sink = Sink()
    no_alloc(lambda: sink.write(unit), 2000, "Sink.write alone")
    for usb in (True, False):
        port_in = usb_midi.PortIn(split="fixed", size=5, capacity=None)
        port_in.feed(unit * 2100)
        thru = Thru(port_in, MidiOut(Sink(), running_status=not usb), usb=usb)
        no_alloc(thru.update, 10000, "Thru.update usb=%r" % usb)
        ok(port_in.feed_.waiting() > 0, "still forwarding at the end")


def test_ble_shaped_input_and_stacked_outputs():
    # issue 12: a BLE MIDIService input (readinto(buf, length)) as MidiIn takes it, and
    # Thru -> MidiOut -> MidiOut -> port
    from host_shim.ports import MIDIService

    ble = MIDIService()
    ble.feed(b"\x90\x3c\x64\xf8\xf0\x7d\x01\xf7")
    port_out = usb_midi.PortOut()
    thru = Thru(ble, MidiOut(MidiOut(port_out, True)))
    for _ in range(5):
        thru.update()
    eq(port_out.take(), b"\x90\x3c\x64\xf8\xf0\x7d\x01\xf7")


def test_sysex_cut_by_the_output_is_skipped_and_closed_at_its_end():
    # the output stops taking bytes inside a SysEx: the rest of it is skipped (counted
    # by the MidiOut), and when its end arrives the output's SysEx is closed with F7
    port_in = usb_midi.PortIn(capacity=None)
    port_out = usb_midi.PortOut()
    out = MidiOut(port_out)
    thru = Thru(port_in, out, usb=False)
    port_in.feed(b"\xf0\x7d\x01\x02")
    thru.update()
    port_out.connected = False  # takes nothing now
    port_in.feed(b"\x03\x04")
    thru.update()
    ok(thru.in_sysex, "the output's SysEx is still open")
    eq(out.dropped, 2, "the bytes the output would not take")
    port_out.connected = True
    port_in.feed(b"\x05\x06\xf7\x90\x3c\x64")
    thru.update()
    ok(not thru.in_sysex, "closed")
    eq(port_out.take(), b"\xf0\x7d\x01\x02\xf7\x90\x3c\x64", "the rest skipped, F7 at its end")
