# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi.MidiIn: API, options, SysEx outcomes, port shapes and allocation, on every runtime.

The wire-rule table in every delivery mode lives in case_smolmidi_rules.py; this file
checks the surface a program uses.
"""

import gc
import io

import mptest
import smolmidi
import smolmidi_filter
import smolmidi_notes
from host_shim import busio, board, ports, usb_midi
from mptest import eq, ok, raises, no_alloc

SPLITS = (("all", 1, 0), ("byte", 1, 0), ("fixed", 3, 0), ("byte", 1, 1), ("random", 9, 2))


def port_with(data, split="all", size=1, gaps=0, seed=3):
    port = usb_midi.PortIn(split=split, size=size, gaps=gaps, seed=seed, capacity=None)
    port.feed(bytes(data))
    return port


def drain(midi_in, calls=2000):
    """Everything receive() gives until it has given None 200 times in a row."""
    out = []
    idle = 0
    for _ in range(calls):
        msg = midi_in.receive()
        if msg is None:
            idle += 1
            if idle > 200:
                break
            continue
        idle = 0
        if msg.type == smolmidi.SYSEX:
            payload, truncated = midi_in.receive_sysex(1000)
            out.append(("sysex", payload, msg.sysex_end, truncated))
        else:
            out.append(bytes(msg))
    return out


def test_smolmidi_compatible_constants():
    for name, value in (
        ("NOTE_OFF", 0x80),
        ("NOTE_ON", 0x90),
        ("AFTERTOUCH", 0xA0),
        ("CONTROLLER_CHANGE", 0xB0),
        ("CC", 0xB0),
        ("PROGRAM_CHANGE", 0xC0),
        ("CHANNEL_PRESSURE", 0xD0),
        ("PITCH_BEND", 0xE0),
        ("SYSTEM_EXCLUSIVE", 0xF0),
        ("SYSEX", 0xF0),
        ("MTC_QUARTER_FRAME", 0xF1),
        ("SONG_POSITION", 0xF2),
        ("SONG_SELECT", 0xF3),
        ("BUS_SELECT", 0xF5),
        ("TUNE_REQUEST", 0xF6),
        ("SYSEX_END", 0xF7),
        ("CLOCK", 0xF8),
        ("TICK", 0xF9),
        ("START", 0xFA),
        ("CONTINUE", 0xFB),
        ("STOP", 0xFC),
        ("ACTIVE_SENSING", 0xFE),
        ("SYSTEM_RESET", 0xFF),
    ):
        eq(getattr(smolmidi, name), value, name)


def test_receive_returns_none_when_idle_and_never_blocks():
    midi_in = smolmidi.MidiIn(usb_midi.PortIn())
    for _ in range(100):
        eq(midi_in.receive(), None)


def test_message_fields_and_properties():
    stream = [
        0x93,
        60,
        100,
        0x83,
        61,
        5,
        0xA2,
        62,
        33,
        0xB1,
        7,
        99,
        0xC4,
        12,
        0xD5,
        77,
        0xE6,
        0x00,
        0x40,
        0xE6,
        0x7F,
        0x7F,
        0xE6,
        0,
        0,
        0xF2,
        0x10,
        0x01,
        0xF3,
        9,
        0xF1,
        0x35,
        0xF8,
    ]
    midi_in = smolmidi_filter.MidiIn(port_with(stream))
    m = midi_in.receive()
    eq((m.type, m.channel, m.note, m.velocity, m.data[0], m.data[1]), (0x90, 3, 60, 100, 60, 100), "note on")
    eq(m.status, 0x93)
    m = midi_in.receive()
    eq((m.type, m.channel, m.note, m.velocity), (0x80, 3, 61, 5), "note off")
    m = midi_in.receive()
    eq((m.type, m.note, m.pressure), (0xA0, 62, 33), "poly aftertouch")
    m = midi_in.receive()
    eq((m.type, m.channel, m.control, m.value), (0xB0, 1, 7, 99), "cc")
    m = midi_in.receive()
    eq((m.type, m.program, len(m.data)), (0xC0, 12, 1), "program change")
    m = midi_in.receive()
    eq((m.type, m.pressure), (0xD0, 77), "channel pressure")
    eq(midi_in.receive().pitch_bend, 0, "centre")
    eq(midi_in.receive().pitch_bend, 8191, "top")
    eq(midi_in.receive().pitch_bend, -8192, "bottom")
    m = midi_in.receive()
    eq((m.type, m.channel, m.song_position), (0xF2, None, 0x10 + (1 << 7)), "song position")
    m = midi_in.receive()
    eq((m.type, m.song), (0xF3, 9), "song select")
    m = midi_in.receive()
    eq((m.type, m.mtc_piece, m.mtc_value), (0xF1, 3, 5), "mtc quarter frame")
    m = midi_in.receive()
    eq((m.type, m.channel, m.data), (0xF8, None, None), "clock: no data bytes, data is None as in SmolMIDI")


def test_fields_that_do_not_apply_raise_naming_the_type():
    midi_in = smolmidi_filter.MidiIn(port_with([0xC0, 5, 0xF8, 0x90, 1, 2]))
    m = midi_in.receive()
    e = raises(AttributeError, lambda: m.velocity)
    ok("0xC0" in str(e) and "velocity" in str(e), str(e))
    m = midi_in.receive()
    raises(AttributeError, lambda: m.note)
    raises(AttributeError, lambda: m.length)
    eq(midi_in.receive().note, 1)


def test_core_messages_leave_named_fields_and_copy_to_smolmidi_filter():
    midi_in = smolmidi.MidiIn(port_with([0x90, 60, 100]))
    m = midi_in.receive()
    eq((m.type, m.channel, m.data[0], m.data[1]), (0x90, 0, 60, 100))
    raises(AttributeError, lambda: m.note)
    raises(AttributeError, lambda: m.copy)
    m = smolmidi_filter.MidiIn(port_with([0x90, 60, 100])).receive()
    ok(isinstance(m, smolmidi.Message), "smolmidi_filter's messages are smolmidi Messages")
    eq((m.note, m.velocity, bytes(m.copy())), (60, 100, b"\x90\x3c\x64"))


def test_bytes_of_message_gives_the_wire_form():
    midi_in = smolmidi.MidiIn(port_with([0x95, 1, 2, 3, 4, 0xC2, 9, 0xFA]))
    eq(bytes(midi_in.receive()), b"\x95\x01\x02")
    eq(bytes(midi_in.receive()), b"\x95\x03\x04", "running status restored in bytes()")
    eq(bytes(midi_in.receive()), b"\xc2\x09")
    eq(bytes(midi_in.receive()), b"\xfa")


def test_message_is_reused_and_copy_keeps_one():
    midi_in = smolmidi_filter.MidiIn(port_with([0x90, 60, 100, 0x90, 61, 101]))
    first = midi_in.receive()
    kept = first.copy()
    second = midi_in.receive()
    ok(first is second, "the same object comes back for messages of one length")
    eq((kept.note, kept.velocity, kept.channel), (60, 100, 0), "copy unchanged")
    eq(second.note, 61)
    eq(bytes(kept), b"\x90\x3c\x64")


def test_enable_running_status_argument_is_accepted():
    midi_in = smolmidi.MidiIn(port_with([0x90, 60, 100, 61, 100]), enable_running_status=True)
    eq(drain(midi_in), [b"\x90\x3c\x64", b"\x90\x3d\x64"])
    midi_in = smolmidi.MidiIn(port_with([0x90, 60, 100, 61, 100]), enable_running_status=False)
    eq(drain(midi_in), [b"\x90\x3c\x64", b"\x90\x3d\x64"], "running status is always received")


def test_zero_velocity_note_off_option():
    stream = [0x91, 60, 0, 60, 1]
    eq(drain(smolmidi.MidiIn(port_with(stream))), [b"\x91\x3c\x00", b"\x91\x3c\x01"], "off by default")
    midi_in = smolmidi_filter.MidiIn(port_with(stream), zero_velocity_note_off=True)
    m = midi_in.receive()
    eq((m.type, m.channel, m.note, m.velocity), (smolmidi.NOTE_OFF, 1, 60, 0))
    eq(midi_in.receive().type, smolmidi.NOTE_ON, "velocity 1 stays note on")


def test_channel_filter_drops_other_channels_only():
    stream = [0x90, 1, 1, 0x95, 2, 2, 3, 3, 0xF8, 0xB5, 7, 7, 0x90, 4, 4]
    midi_in = smolmidi_filter.MidiIn(port_with(stream), channel=5)
    eq(drain(midi_in), [b"\x95\x02\x02", b"\x95\x03\x03", b"\xf8", b"\xb5\x07\x07"])
    raises(ValueError, smolmidi_filter.MidiIn, usb_midi.PortIn(), channel=16)


def test_ignore_clock_and_active_sensing():
    stream = [0xF8, 0x90, 0xFE, 60, 0xF8, 100, 0xFE, 0xFA]
    midi_in = smolmidi_filter.MidiIn(port_with(stream), ignore_clock=True, ignore_active_sensing=True)
    eq(drain(midi_in), [b"\x90\x3c\x64", b"\xfa"])
    midi_in = smolmidi.MidiIn(port_with(stream))
    eq(len(drain(midi_in)), 6)


def test_sysex_outcomes_are_distinguishable():
    stream = [0xF0, 1, 2, 3, 0xF7] + [0xF0, 4, 5, 0x90, 60, 100] + [0xF0] + list(range(10)) + [0xF7]
    for split, size, gaps in SPLITS:
        midi_in = smolmidi.MidiIn(port_with(stream, split, size, gaps), sysex_size=6)
        got = drain(midi_in)
        eq(
            got,
            [
                ("sysex", b"\x01\x02\x03", smolmidi.SYSEX_COMPLETE, False),
                ("sysex", b"\x04\x05", smolmidi.SYSEX_ABORTED, True),
                b"\x90\x3c\x64",
                ("sysex", bytes(range(6)), smolmidi.SYSEX_CHUNK, True),
                ("sysex", bytes(range(6, 10)), smolmidi.SYSEX_COMPLETE, False),
            ],
            split,
        )
        eq(midi_in.error_count, 1, "the aborted one counts " + split)


def test_receive_sysex_max_length_truncates():
    midi_in = smolmidi.MidiIn(port_with([0xF0, 1, 2, 3, 4, 0xF7]))
    eq(midi_in.receive().type, smolmidi.SYSEX)
    eq(midi_in.receive_sysex(2), (b"\x01\x02", True))
    eq(midi_in.receive_sysex(4), (b"\x01\x02\x03\x04", False))
    eq(midi_in.receive(), None)
    eq(midi_in.receive_sysex(4), (b"\x01\x02\x03\x04", False), "nothing read since: still readable")


def test_sysex_payload_is_gone_after_the_next_message():
    midi_in = smolmidi.MidiIn(port_with([0xF0, 1, 2, 0xF7, 0xF8, 0xF0, 3, 0xF7, 0x90, 1, 2]))
    eq(midi_in.receive().type, smolmidi.SYSEX)
    eq(midi_in.receive().type, smolmidi.CLOCK)
    eq(midi_in.receive_sysex(4), (b"", False), "after a clock")
    eq(midi_in.readinto_sysex(bytearray(4)), 0, "after a clock")
    eq(midi_in.receive().type, smolmidi.SYSEX)
    eq(midi_in.receive().type, smolmidi.NOTE_ON)
    eq(midi_in.receive_sysex(4), (b"", False), "after a note")


def test_receive_sysex_says_truncated_for_an_aborted_sysex():
    # SmolMIDI's API has only the flag: a SysEx cut off by a status byte is not whole
    midi_in = smolmidi.MidiIn(port_with([0xF0, 0x7D, 1, 2, 0x90, 60, 100]))
    msg = midi_in.receive()
    eq((msg.type, msg.sysex_end), (smolmidi.SYSEX, smolmidi.SYSEX_ABORTED))
    eq(midi_in.receive_sysex(16), (b"\x7d\x01\x02", True))
    eq(bytes(msg), b"\xf0\x7d\x01\x02", "no F7: never a valid-looking shorter SysEx")
    eq(bytes(midi_in.receive()), b"\x90\x3c\x64")


def test_bytes_and_copy_of_sysex():
    midi_in = smolmidi_filter.MidiIn(port_with([0xF0, 0x7D, 1, 0xF7, 0xF8]))
    msg = midi_in.receive()
    eq(bytes(msg), b"\xf0\x7d\x01\xf7")
    kept = msg.copy()
    midi_in.receive()
    eq(bytes(kept), b"\xf0\x7d\x01\xf7", "copy keeps its payload")


def test_large_sysex_in_chunks_loses_nothing():
    payload = bytes((i * 7) & 0x7F for i in range(1000))
    stream = bytearray([0xF0])
    for i, b in enumerate(payload):
        stream.append(b)
        if i % 97 == 0:
            stream.append(0xF8)  # clock inside the dump
    stream += b"\xf7\x90\x3c\x64"
    for split, size, gaps in SPLITS:
        midi_in = smolmidi.MidiIn(port_with(stream, split, size, gaps), sysex_size=64)
        buf = bytearray(64)
        got = bytearray()
        ends = []
        clocks = 0
        other = []
        for _ in range(20000):
            msg = midi_in.receive()
            if msg is None:
                if other:
                    break
                continue
            if msg.type == smolmidi.CLOCK:
                clocks += 1
            elif msg.type == smolmidi.SYSEX:
                n = midi_in.readinto_sysex(buf)
                eq(n, msg.length)
                got.extend(buf[:n])
                ends.append(msg.sysex_end)
            else:
                other.append(bytes(msg))
        eq(bytes(got), payload, "payload intact " + split)
        eq(ends[-1], smolmidi.SYSEX_COMPLETE)
        ok(all(e == smolmidi.SYSEX_CHUNK for e in ends[:-1]), "chunks before the end")
        eq(len(ends), 16, "1000 bytes in 64-byte chunks")
        eq(clocks, 11, "every clock delivered")
        eq(other, [b"\x90\x3c\x64"])
        eq(midi_in.error_count, 0)


def test_loss_counters():
    stream = [5, 6, 0x90, 60, 0x80, 60, 0, 0xF3, 1, 2, 0xF0, 1, 0xB0, 7, 7]
    midi_in = smolmidi.MidiIn(port_with(stream), sysex_size=4)
    eq(
        drain(midi_in),
        [b"\x80\x3c\x00", b"\xf3\x01", ("sysex", b"\x01", smolmidi.SYSEX_ABORTED, True), b"\xb0\x07\x07"],
    )
    eq(midi_in.error_count, 5, "3 stray data bytes, 1 abandoned note, 1 aborted SysEx")


def test_uart_port_returning_none():
    uart = busio.UART(board.TX, board.RX, baudrate=31250, timeout=0, receiver_buffer_size=256)
    midi_in = smolmidi.MidiIn(uart)
    eq(midi_in.receive(), None)
    uart.feed(b"\xb2\x01\x40")
    m = midi_in.receive()
    eq((m.type, m.channel, m.data[0], m.data[1]), (0xB0, 2, 1, 64))


class LengthRequiredPort:
    """BLE MIDIService's shape: readinto(buf, length) with length required."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.calls = 0

    def readinto(self, buf, length):
        self.calls += 1
        n = 0
        while n < length and self.pos < len(self.data):
            buf[n] = self.data[self.pos]
            n += 1
            self.pos += 1
        return n


def test_core_refuses_a_port_that_waits_and_takes_one_that_does_not():
    uart = busio.UART(board.TX, board.RX, baudrate=31250)  # CircuitPython's default timeout, 1 s
    e = raises(ValueError, smolmidi.MidiIn, uart)
    ok("timeout=0" in str(e) and "smolmidi_filter" in str(e), str(e))
    uart = busio.UART(board.TX, board.RX, baudrate=31250, timeout=0)
    midi_in = smolmidi.MidiIn(uart)
    eq(midi_in.receive(), None, "timeout=0: nothing waiting, no wait")
    uart.feed(b"\x90\x3c\x64")
    eq(bytes(midi_in.receive()), b"\x90\x3c\x64")
    eq(
        bytes(smolmidi_filter.MidiIn(busio.UART(board.TX, board.RX, baudrate=31250)).receive() or b""),
        b"",
        "filter's takes it",
    )
    raises(ValueError, smolmidi.MidiIn, ports.PySerial(timeout=None))  # pyserial's None waits for ever
    eq(smolmidi.MidiIn(ports.PySerial(timeout=0)).receive(), None, "pyserial with timeout=0 is read straight")
    raises(ValueError, smolmidi.MidiIn, object())
    raises(ValueError, smolmidi.MidiIn, usb_midi.PortIn(), sysex_size=0)
    raises(ValueError, smolmidi.MidiIn, usb_midi.PortIn(), read_size=0)


def test_port_requiring_length_is_detected():
    port = LengthRequiredPort(b"\x90\x3c\x64\x80\x3c\x00")
    midi_in = smolmidi_filter.MidiIn(port, read_size=3)
    eq(bytes(midi_in.receive()), b"\x90\x3c\x64")
    eq(bytes(midi_in.receive()), b"\x80\x3c\x00")
    midi_in = smolmidi_filter.MidiIn(port_with(b"\xf8"))
    eq(bytes(midi_in.receive()), b"\xf8", "a plain port is read without a length")


class MachineUartPort:
    """machine.UART's shape: any(), readinto(buf[, nbytes]) -> count or None; an empty read waits."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.empty_reads = 0
        self.short_asks = 0

    def any(self):
        return len(self.data) - self.pos

    def readinto(self, buf, nbytes=None):
        if nbytes is None:
            nbytes = len(buf)
        if nbytes > self.any():
            self.short_asks += 1  # the real one would wait for bytes that are not there
        n = 0
        while n < nbytes and self.pos < len(self.data):
            buf[n] = self.data[self.pos]
            n += 1
            self.pos += 1
        if not n:
            self.empty_reads += 1
            return None
        return n


def test_machine_uart_is_asked_any_first():
    port = MachineUartPort(b"\x90\x3c\x64\xf8")
    midi_in = smolmidi_filter.MidiIn(port)
    eq(bytes(midi_in.receive()), b"\x90\x3c\x64")
    eq(port.pos, 4, "one read takes all that waits")
    eq(bytes(midi_in.receive()), b"\xf8")
    for _ in range(10):
        eq(midi_in.receive(), None)
    eq((port.empty_reads, port.short_asks), (0, 0), "never read an empty UART, never ask for more than it holds")
    port.data = bytes(200)
    port.pos = 0
    no_alloc(midi_in.receive, 300, "receive() on an any() port")


def test_the_port_is_read_only_when_the_buffer_is_used_up():
    port = LengthRequiredPort(bytes([0x90, 60, 100] * 50))
    midi_in = smolmidi_filter.MidiIn(port, read_size=15)  # five notes a read
    for i in range(50):
        eq(bytes(midi_in.receive()), b"\x90\x3c\x64")
        eq(port.calls, i // 5 + 1, "one read per five notes")


def test_a_small_buffer_loses_nothing():
    port = port_with([0x90, 60, 100] * 60)
    midi_in = smolmidi.MidiIn(port, read_size=2)  # every message spans reads
    eq(len(drain(midi_in)), 60)
    eq(midi_in.error_count, 0)


class ReplacingPort:
    """adafruit_usb_host_midi's readinto replaces the caller's contents (buf[:] = data)."""

    def readinto(self, buf):
        buf[:] = b"\x90\x3c\x64"
        return 3


def test_a_port_that_replaces_the_buffer_fails_loudly_and_cannot_shrink_it():
    midi_in = smolmidi.MidiIn(ReplacingPort())
    raises(ValueError, midi_in.receive)
    eq(len(midi_in._buf), 64 + 4, "MidiIn's buffer keeps its size")


def test_garbage_then_a_valid_message_is_decoded():
    seed = 12345
    garbage = bytearray()
    for _ in range(3000):
        seed = (seed * 75 + 74) % 65537
        garbage.append(seed & 0xFF)
    midi_in = smolmidi.MidiIn(port_with(garbage + b"\xf7\x90\x3c\x64", "random", 13, 1))
    last = None
    for _ in range(20000):
        msg = midi_in.receive()
        if msg is not None and msg.type != smolmidi.SYSEX:
            last = bytes(msg)
    eq(last, b"\x90\x3c\x64")


def test_note_names_and_frequencies():
    eq(smolmidi_notes.note_name(60), "C4")
    eq(smolmidi_notes.note_name(70), "A#4")
    eq(smolmidi_notes.note_name(0), "C-1")
    eq(smolmidi_notes.note_number("C4"), 60)
    eq(smolmidi_notes.note_number("A#3"), 58)
    eq(smolmidi_notes.note_number("Bb3"), 58)
    eq(smolmidi_notes.note_number("G9"), 127)
    for n in range(128):
        eq(smolmidi_notes.note_number(smolmidi_notes.note_name(n)), n, "round trip")
    raises(ValueError, smolmidi_notes.note_number, "H2")
    raises(ValueError, smolmidi_notes.note_number, "G#9")
    raises(ValueError, smolmidi_notes.note_name, 128)
    ok(abs(smolmidi_notes.note_to_frequency(69) - 440.0) < 1e-6)
    ok(abs(smolmidi_notes.note_to_frequency(60) - 261.6256) < 1e-3)
    eq(smolmidi_notes.frequency_to_note(440.0), 69)
    eq(smolmidi_notes.frequency_to_note(261.0), 60)
    raises(ValueError, smolmidi_notes.frequency_to_note, 0)


def mixed_stream(repeats):
    """Notes with and without running status, CC, pitch bend, clock inside messages, SPP, MTC."""
    chunk = bytes(
        [
            0x90,
            60,
            100,
            62,
            0xF8,
            100,
            0x80,
            0xF8,
            60,
            0,
            0xB3,
            7,
            0xF8,
            64,
            1,
            2,
            0xE0,
            0,
            0x40,
            0xF2,
            1,
            2,
            0xF1,
            0x21,
            0xF8,
            0xD0,
            5,
            0xC0,
            3,
        ]
    )
    return chunk * repeats


def test_receive_allocates_nothing_over_a_mixed_stream():
    for split, size, gaps in SPLITS:
        port = port_with(mixed_stream(800), split, size, gaps)
        no_alloc(port.feed_.waiting, 100, "the fake port alone")
        midi_in = smolmidi.MidiIn(port)
        no_alloc(midi_in.receive, 10000, "receive() " + split)
        ok(port.feed_.waiting() > 0, "stream not exhausted: every call had work")


def test_filtered_receive_allocates_nothing_and_takes_no_heap_frame():
    stream = mixed_stream(800) + bytes([0x95, 60, 0, 0xF8, 0xFE, 0x94, 1, 1]) * 400
    for options in (
        {"channel": 5, "zero_velocity_note_off": True},
        {"ignore_clock": True, "ignore_active_sensing": True},
    ):
        midi_in = smolmidi_filter.MidiIn(port_with(stream, "random", 5, 1), **options)
        no_alloc(midi_in.receive, 10000, "filtered receive() %r" % (options,))
        midi_in = smolmidi_filter.MidiIn(io.BytesIO(stream * 3), **options)
        mptest.no_transient(midi_in.receive, 10000, "filtered receive() %r" % (options,))


def test_sysex_readinto_path_allocates_nothing():
    stream = (bytes([0xF0]) + bytes(range(100)) + b"\xf7\xf8") * 400
    port = port_with(stream, "random", 17, 1)
    midi_in = smolmidi.MidiIn(port, sysex_size=32)
    buf = bytearray(32)
    state = [0]

    def step():
        msg = midi_in.receive()
        if msg is not None and msg.type == 0xF0:
            state[0] += midi_in.readinto_sysex(buf)

    no_alloc(step, 10000, "receive + readinto_sysex")
    ok(state[0] > 10000, "SysEx bytes were copied")


class BlockingSerialPort:
    """pyserial's shape with timeout=None: in_waiting, and readinto(buf) that waits until
    len(buf) bytes have come (here: fails the test instead of waiting)."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.reads = 0

    @property
    def in_waiting(self):
        return len(self.data) - self.pos

    def readinto(self, buf):
        if len(buf) > self.in_waiting:
            raise AssertionError("asked for %d bytes with %d waiting: would block" % (len(buf), self.in_waiting))
        self.reads += 1
        for i in range(len(buf)):
            buf[i] = self.data[self.pos]
            self.pos += 1
        return len(buf)


def test_a_port_with_in_waiting_is_never_asked_for_more():
    stream = bytes([0x90, 60, 100, 0xF8, 0xB0, 7, 99]) * 11  # 77 bytes: reads of 64, 8, 4, 1
    port = BlockingSerialPort(stream)
    midi_in = smolmidi_filter.MidiIn(port)
    got = drain(midi_in)
    eq(len(got), 33)
    eq(got[:3], [b"\x90\x3c\x64", b"\xf8", b"\xb0\x07\x63"])
    eq(port.pos, len(stream))
    eq(port.reads, 4, "77 bytes waiting: reads of 64, 8, 4 and 1, the most that waits each time")
    eq(midi_in.receive(), None, "nothing waiting: no read at all")
    eq(port.reads, 4)


def test_in_waiting_read_path_allocates_nothing():
    port = BlockingSerialPort(bytes([0x90, 60, 100]) * 30000)
    midi_in = smolmidi.MidiIn(port)
    no_alloc(midi_in.receive, 10000, "receive() on an in_waiting port")


class FrameProbePort:
    """readinto records the heap in use while receive() (and what it called) waits on it:
    a frame MicroPython took from the heap shows as more than just before the call."""

    def __init__(self, data):
        self._bio = io.BytesIO(data)
        self.inside = 0

    def readinto(self, buf):
        self.inside = gc.mem_alloc()
        return self._bio.readinto(buf)


def test_receive_takes_no_heap_frame_on_any_read_path():
    # notes, running status, realtime inside messages, system common, SysEx (payload read
    # in 16-byte pieces), chunked SysEx: every place that reads the port
    stream = bytes(
        [0x90, 60, 100, 61, 101, 0xB0, 7, 0xF8, 9, 0xC0, 3, 0xF2, 1, 2, 0xF0] + [5] * 40 + [0xF7, 0xE0, 0, 64]
    )
    if not mptest.IS_MICROPYTHON:
        mptest.skip("heap frames are MicroPython's")
    for make, options in (
        (smolmidi.MidiIn, {}),
        (smolmidi.MidiIn, {"sysex_size": 16}),
        (smolmidi_filter.MidiIn, {"channel": 0, "zero_velocity_note_off": True, "ignore_clock": True}),
    ):
        port = FrameProbePort(stream * 40)
        midi_in = make(port, read_size=13, **options)
        midi_in.receive()  # the first read learns the port's shape (once, in a try block)
        worst = 0
        gc.collect()
        gc.disable()
        try:
            for _ in range(400):  # every read path several times; mem_alloc() walks the heap
                before = port.inside = gc.mem_alloc()
                msg = midi_in.receive()
                if msg is not None and msg.type == smolmidi.SYSEX:
                    midi_in.readinto_sysex(SYSEX_SINK)
                if port.inside - before > worst:
                    worst = port.inside - before
        finally:
            gc.enable()
        eq(worst, 0, "heap grown inside receive() %r" % (options,))


SYSEX_SINK = bytearray(64)


def test_receive_and_readinto_sysex_leave_mem_total_alone():
    stream = bytes([0x90, 60, 100, 61, 101, 0xF8, 0xF0] + [5] * 40 + [0xF7, 0xC0, 1]) * 3000
    midi_in = smolmidi.MidiIn(io.BytesIO(stream))

    def step():
        msg = midi_in.receive()
        if msg is not None and msg.type == smolmidi.SYSEX:
            midi_in.readinto_sysex(SYSEX_SINK)

    mptest.no_transient(step, 10000, "receive() + readinto_sysex()")


def test_reading_fields_allocates_nothing():
    midi_in = smolmidi_filter.MidiIn(port_with([0x90, 60, 100, 0xE0, 0, 64]))
    note = midi_in.receive().copy()
    eq((note.note, note.velocity), (60, 100))
    bend = midi_in.receive()
    eq(bend.pitch_bend, 0)
    no_alloc(lambda: note.note + note.velocity + bend.pitch_bend + note.status, 10000, "fields")
