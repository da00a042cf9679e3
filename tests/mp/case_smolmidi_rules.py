# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""MIDI 1.0 receive rules for smolmidi.MidiIn: one table, every delivery mode, every runtime.

The table is smolmidi_rules_table.CASES (rules listed in tests/ref_model.py). Every case
runs in every delivery mode: all at once, one byte per read, fixed splits of 2, 3 and 5,
empty reads between bytes, seeded random splits, and bytes arriving one at a time
between receive() calls.
"""

from mptest import eq, ok

from host_shim import busio, ports, usb_midi
from smolmidi_rules_table import CASES, B, midi_in_for

import smolmidi
import smolmidi_filter


def run(midi_in, calls):
    """Call receive() `calls` times; return the events as tuples."""
    outcomes = {smolmidi.SYSEX_COMPLETE: "complete", smolmidi.SYSEX_ABORTED: "aborted", smolmidi.SYSEX_CHUNK: "chunk"}
    buf = bytearray(1024)
    events = []
    for _ in range(calls):
        m = midi_in.receive()
        if m is None:
            continue
        if m.type == smolmidi.SYSEX:
            n = midi_in.readinto_sysex(buf)
            eq(m.length, n, "msg.length and readinto_sysex count")
            events.append(("sysex", bytes(buf[:n]), outcomes.get(m.sysex_end, m.sysex_end)))
        elif m.type < 0xF0:
            events.append(("msg", m.type | m.channel, tuple(m.data or ())))
        else:
            ok(m.channel is None, "system message has channel None, got %r" % (m.channel,))
            events.append(("msg", m.type, tuple(m.data or ())))
    return events


def losses(midi_in):
    return midi_in.error_count


def check(name, mode, got, got_losses, want, want_losses):
    eq(got, want, "%s [%s] events" % (name, mode))
    eq(
        got_losses,
        sum(want_losses),
        "%s [%s] error_count (stray %d, abandoned %d, aborted %d)" % ((name, mode) + want_losses),
    )


def run_mode(mode, split, size=1, gaps=0, seeds=(1,)):
    """Every case through a PortIn holding the whole stream, read with this split."""
    for name, data, options, want, want_losses in CASES:
        for seed in seeds:
            port = usb_midi.PortIn(split=split, size=size, gaps=gaps, seed=seed, capacity=None)
            port.feed(data)
            midi_in = midi_in_for(port, **options)
            # enough calls for every read (empty ones too) and every message, plus spare
            got = run(midi_in, len(data) * (gaps + 2) + 8)
            check(
                name, "%s size=%d gaps=%d seed=%d" % (mode, size, gaps, seed), got, losses(midi_in), want, want_losses
            )


def test_rules_all_at_once():
    run_mode("all", "all")


def test_rules_one_byte_per_read():
    run_mode("byte", "byte")


def test_rules_fixed_splits():
    for size in (2, 3, 5):
        run_mode("fixed", "fixed", size=size)


def test_rules_empty_reads_between_bytes():
    run_mode("byte+gaps", "byte", gaps=1)
    run_mode("fixed+gaps", "fixed", size=2, gaps=3)


def test_rules_seeded_random_splits():
    run_mode("random", "random", size=4, gaps=2, seeds=(1, 2, 3, 4, 5))
    run_mode("random", "random", size=9, gaps=0, seeds=(11, 12, 13))


def test_rules_bytes_arriving_between_receive_calls():
    """Each byte arrives only after receive() was called: unfinished messages must wait."""
    for name, data, options, want, want_losses in CASES:
        port = usb_midi.PortIn(capacity=None)
        midi_in = midi_in_for(port, **options)
        got = []
        for i in range(len(data)):
            port.feed(data[i : i + 1])
            got.extend(run(midi_in, 2))
        got.extend(run(midi_in, 4))
        check(name, "arriving", got, losses(midi_in), want, want_losses)


def test_receive_sysex_gives_payload_and_truncated_flag():
    table = [
        (B(0xF0, 1, 2, 3, 0xF7), {}, 100, (B(1, 2, 3), False)),
        (B(0xF0, 1, 2, 3, 4, 5, 0xF7), {"sysex_size": 3}, 100, (B(4, 5), False)),  # the last chunk
        (B(0xF0, 1, 2, 3, 4, 5, 0xF7), {}, 3, (B(1, 2, 3), True)),
        (B(0xF0, 1, 2, 0x90), {}, 100, (B(1, 2), True)),  # aborted
        (B(0xF0, 0xF7), {}, 100, (b"", False)),
    ]
    for data, options, max_length, want in table:
        port = usb_midi.PortIn(split="byte", capacity=None)
        port.feed(data)
        midi_in = midi_in_for(port, **options)
        got = None
        for _ in range(len(data) * 2 + 4):
            m = midi_in.receive()
            if m is not None:
                eq(m.type, smolmidi.SYSEX, "only a SysEx in %r" % (data,))
                payload, truncated = midi_in.receive_sysex(max_length)
                got = (bytes(payload), truncated)
        eq(got, want, "receive_sysex for %r" % (data,))


def run_port_shape(mode, make_port, gaps, filtered=False):
    """Every case through a port of another shape; filtered: through smolmidi_filter.MidiIn,
    which takes ports that wait or need a length (the core takes readinto(buf) that does not wait)."""
    for name, data, options, want, want_losses in CASES:
        port = make_port()
        port.feed(data)
        midi_in = smolmidi_filter.MidiIn(port, **options) if filtered else midi_in_for(port, **options)
        got = run(midi_in, len(data) * (gaps + 2) + 8)
        check(name, mode, got, losses(midi_in), want, want_losses)


def test_rules_on_busio_uart_readinto_without_nbytes_none_when_empty():
    run_port_shape(
        "busio.UART",
        lambda: busio.UART(
            None, None, baudrate=31250, timeout=0, receiver_buffer_size=4096, split="fixed", size=2, gaps=1
        ),
        1,
    )


def test_rules_on_machine_uart_shape_none_when_empty():
    run_port_shape("machine.UART", lambda: ports.MachineUART(rxbuf=4096, split="random", size=5, gaps=2), 2)


def test_rules_on_ble_midi_service_shape_length_required():
    run_port_shape("MIDIService", lambda: ports.MIDIService(split="random", size=4, gaps=1), 1, filtered=True)


def test_rules_on_pyserial_shape_that_blocks_when_asked_for_more_than_waits():
    # timeout=None: the stand-in raises WouldBlock where the real port would hang
    run_port_shape("pyserial", lambda: ports.PySerial(timeout=None, split="random", size=3, gaps=1), 1, filtered=True)


def test_rules_on_busio_uart_with_a_timeout_through_smolmidi_filter():
    run_port_shape(
        "busio.UART timeout=1",
        lambda: busio.UART(None, None, baudrate=31250, timeout=1, receiver_buffer_size=4096, split="fixed", size=3),
        0,
        filtered=True,
    )
    run_port_shape("machine.UART any()", lambda: ports.MachineUART(rxbuf=4096, split="random", size=5, gaps=2), 2, True)
