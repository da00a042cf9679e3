# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_inputs: Inputs takes turns fairly and names the source; Stamped records read
times through every port shape; no allocation, no heap frames (every runtime)."""

from mptest import eq, ok, raises, no_alloc, no_transient, FakeClock

from host_shim import busio, usb_midi
from host_shim.ports import MIDIService, MachineUART, PySerial
from smolmidi import MidiIn, NOTE_ON, CLOCK
import smolmidi_filter
from smolmidi_inputs import Inputs, Stamped


def notes(channel, count):
    return bytes([0x90 | channel, 60, 100]) * count


def test_inputs_take_turns_and_name_the_source():
    ports = [usb_midi.PortIn(capacity=None) for _ in range(3)]
    ports[0].feed(notes(0, 5))
    ports[1].feed(notes(1, 1))
    ports[2].feed(notes(2, 3))
    inputs = Inputs(*[MidiIn(p) for p in ports])
    got = []
    msg = inputs.receive()
    while msg is not None:
        eq(msg.channel, inputs.source, "the source is the input the message came from")
        got.append(inputs.source)
        msg = inputs.receive()
    eq(got, [0, 1, 2, 0, 2, 0, 2, 0, 0], "one message each in turn; an empty input is passed over")
    eq(inputs.receive(), None)
    ports[1].feed(b"\xf8")
    eq(inputs.receive().type, CLOCK)
    eq(inputs.source, 1)
    ok(inputs.inputs[1] is not inputs.inputs[0])


def test_inputs_check_their_arguments():
    raises(ValueError, Inputs)
    raises(TypeError, Inputs, MidiIn(usb_midi.PortIn()), object())


def test_a_busy_input_does_not_starve_the_others():
    busy = usb_midi.PortIn(capacity=None)
    busy.feed(b"\xf8" * 300)
    quiet = usb_midi.PortIn(capacity=None)
    inputs = Inputs(MidiIn(busy), MidiIn(quiet))
    for _ in range(10):
        inputs.receive()
    quiet.feed(notes(3, 1))
    eq((inputs.receive().type, inputs.source), (NOTE_ON, 1), "within one turn")


def stamped_messages(port, clock, chunks, step=7, reader=MidiIn):
    """[(message bytes, time)] after feeding chunks one at a time, the clock moving between."""
    stamped = Stamped(port, clock.ticks)
    midi = reader(stamped)
    got = []
    for chunk in chunks:
        clock.step(step)
        port.feed(chunk)
        msg = midi.receive()
        while msg is not None:
            got.append((bytes(msg), stamped.time))
            msg = midi.receive()
    return got


def test_stamped_time_is_the_read_of_the_last_byte_for_every_port_shape():
    chunks = [b"\x90\x3c\x64\xf8", b"\x80\x3c", b"\x00", b"\xf0\x01", b"\x02\xf7"]
    want = [(b"\x90\x3c\x64", 7), (b"\xf8", 7), (b"\x80\x3c\x00", 21), (b"\xf0\x01\x02\xf7", 35)]
    shapes = [
        ("usb_midi.PortIn", lambda: usb_midi.PortIn(capacity=None)),
        ("machine.UART (any)", lambda: MachineUART(0, 31250, rxbuf=None)),
        ("busio.UART (in_waiting)", lambda: busio.UART(None, None, baudrate=31250, timeout=0)),
        ("pyserial (in_waiting, blocking)", lambda: PySerial("x", 31250)),
        ("BLE MIDIService (readinto(buf, length))", lambda: MIDIService()),
    ]
    for name, make in shapes:
        port = make()
        # ports that wait or need a length: smolmidi_filter's MidiIn (the core's reads straight)
        reader = smolmidi_filter.MidiIn if "(" in name else MidiIn
        eq(stamped_messages(port, FakeClock(0, 1 << 20), chunks, reader=reader), want, name)


def test_stamped_passes_any_and_in_waiting_through():
    uart = MachineUART(0, 31250)
    uart.feed(b"\x90\x3c\x64")
    stamped = Stamped(uart, FakeClock(5, 100).ticks)
    eq(stamped.any(), 3)
    serial = PySerial("x", 31250)
    serial.feed(b"\xf8\xf8")
    eq(Stamped(serial).in_waiting, 2)
    ok(not hasattr(Stamped(usb_midi.PortIn()), "in_waiting"))
    ok(not hasattr(Stamped(usb_midi.PortIn()), "any"))
    raises(TypeError, Stamped, object())


def test_stamped_keeps_a_wrapping_clock_small():
    clock = FakeClock((1 << 20) - 3, 1 << 20)
    got = stamped_messages(usb_midi.PortIn(capacity=None), clock, [b"\xf8", b"\xfa"], step=2)
    eq(got, [(b"\xf8", (1 << 20) - 1), (b"\xfa", 1)], "wraps as ticks do")


class NoteEveryRead:
    """A port with a note on every read, its own frame small (host_shim's PortIn takes a
    heap frame on MicroPython, which would hide ours)."""

    def readinto(self, buf):
        buf[0] = 0x91
        buf[1] = 60
        buf[2] = 100
        return 3


class Empty:
    def readinto(self, buf):
        return 0


def test_no_allocation_and_no_heap_frames():
    clock = FakeClock(0, 1 << 20)
    stamped = Stamped(NoteEveryRead(), clock.ticks)
    inputs = Inputs(MidiIn(Empty()), MidiIn(stamped), MidiIn(Empty()))

    def poll():
        inputs.receive()
        clock.step(1)

    no_alloc(poll, 10000, "Inputs.receive through Stamped")
    no_transient(poll, 10000, "Inputs.receive through Stamped")
    eq(stamped.time, clock.now - 1, "stamped at the read")
