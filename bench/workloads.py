# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Deterministic input workloads for the benchmark, and the messages each must decode to.

Runs on CPython (bench/run.py writes the results into bench/.work/data for both
interpreters). Every workload is a byte stream plus the list of messages a correct
MIDI 1.0 receiver delivers from it, in delivery order. A message is written in its
canonical form: status byte (with channel) + data bytes, SysEx as F0 payload F7.
A realtime byte that lands inside a message is delivered before that message, which
completes later; that is the order listed here.

The generator builds this list itself; refdecode.decode() recomputes it from the
bytes alone, and tests/test_bench_workloads.py checks that the two agree.

Every stream ends with two Tune Request bytes (F6 F6), expected as two messages:
a parser that lost sync and waits for data bytes (tmidi blocks until it has them)
always gets them, so no library can hang at the end of a workload.
"""

import random

TRAILER = (b"\xf6", b"\xf6")
CLOCK = b"\xf8"


def _note_runs(rng, count):
    """count channel messages: runs of 1-8 note-ons on one channel, then their note-offs."""
    msgs = []
    while len(msgs) < count:
        channel = rng.randrange(16)
        notes = [rng.randrange(128) for _ in range(rng.randrange(1, 9))]
        for note in notes:
            msgs.append(bytes((0x90 | channel, note, rng.randrange(1, 128))))
        for note in notes:
            msgs.append(bytes((0x80 | channel, note, rng.randrange(128))))
    return msgs[:count]


def encode(msgs, running_status):
    """Wire bytes for msgs (canonical forms); running_status drops repeated channel statuses."""
    out = bytearray()
    current = None
    for m in msgs:
        status = m[0]
        if status >= 0xF8:
            out += m
            continue
        if running_status and status < 0xF0 and status == current:
            out += m[1:]
        else:
            out += m
        current = status if status < 0xF0 else None  # system common and SysEx cancel it
    return bytes(out)


def notes(count=100000, running_status=False, seed=1):
    """(stream, expected) for count note on/off messages, full or running status."""
    rng = random.Random(seed)
    msgs = _note_runs(rng, count) + list(TRAILER)
    return encode(msgs, running_status), msgs


def _sysex(rng, low=16, high=200):
    payload = bytes(rng.randrange(128) for _ in range(rng.randrange(low, high + 1)))
    return b"\xf0" + payload + b"\xf7"


def _mixed_messages(rng, count):
    """The musical content of the mixed stream (no clock bytes yet), with running-status flags."""
    out = []  # (canonical message, may use running status)
    while len(out) < count:
        kind = rng.randrange(100)
        channel = rng.randrange(16)
        if kind < 30:  # CC burst, as from a knob: running status
            control = rng.randrange(120)
            for _ in range(rng.randrange(4, 17)):
                out.append((bytes((0xB0 | channel, control, rng.randrange(128))), True))
        elif kind < 45:  # pitch bend sweep: running status
            for _ in range(rng.randrange(2, 11)):
                out.append((bytes((0xE0 | channel, rng.randrange(128), rng.randrange(128))), True))
        elif kind < 70:  # notes with full status
            for m in _note_runs(rng, rng.randrange(2, 9)):
                out.append((m, False))
        elif kind < 78:
            out.append((bytes((0xC0 | channel, rng.randrange(128))), False))
        elif kind < 88:
            for _ in range(rng.randrange(1, 5)):
                out.append((bytes((0xD0 | channel, rng.randrange(128))), True))
        elif kind < 95:
            out.append((_sysex(rng), False))
        else:
            out.append((bytes((0xF2, rng.randrange(128), rng.randrange(128))), False))
    return out[:count]


def mixed(count=20000, seed=2):
    """(stream, expected): CC bursts, pitch bend, program change, channel pressure, SysEx
    16-200 bytes, song position and notes, with a clock byte inserted every 2-9 bytes at
    any position: between data bytes and inside SysEx too."""
    rng = random.Random(seed)
    items = _mixed_messages(rng, count)
    out = bytearray()
    expected = []
    current = None
    gap = rng.randrange(2, 10)
    for m, may_run in items:
        status = m[0]
        wire = m[1:] if (may_run and status == current) else m
        current = status if status < 0xF0 else None
        clocks_before = 0  # clocks inserted before this message's last byte come first
        for b in wire:
            gap -= 1
            if gap == 0:
                gap = rng.randrange(2, 10)
                out += CLOCK  # lands before this byte, so before the message completes
                clocks_before += 1
            out.append(b)
        expected.extend([CLOCK] * clocks_before)
        expected.append(m)
    for t in TRAILER:
        out += t
        expected.append(t)
    return bytes(out), expected


def sysex(count=1000, seed=3):
    """(stream, expected): count SysEx messages of 16-200 payload bytes, nothing between."""
    rng = random.Random(seed)
    msgs = [_sysex(rng) for _ in range(count)] + list(TRAILER)
    return encode(msgs, False), msgs


def read_schedule(length, seed=4, largest=64, max_empty=3):
    """Arrivals for a stream of `length` bytes: packets of 1-largest bytes, each preceded
    by 0-max_empty empty reads. Encoded one byte per item: 0 = an empty read, k = k bytes
    become readable (a reader may take them in several reads)."""
    rng = random.Random(seed)
    out = bytearray()
    left = length
    while left > 0:
        out.extend(bytes(rng.randrange(max_empty + 1)))
        k = min(left, rng.randrange(1, largest + 1))
        out.append(k)
        left -= k
    return bytes(out)


def pack(msgs):
    """Expected messages as one blob: a length byte, then the message, for each."""
    out = bytearray()
    for m in msgs:
        if len(m) > 255:
            raise ValueError("message too long to pack: %d bytes" % len(m))
        out.append(len(m))
        out += m
    return bytes(out)


def unpack(blob):
    """Inverse of pack."""
    msgs = []
    i = 0
    while i < len(blob):
        n = blob[i]
        msgs.append(bytes(blob[i + 1 : i + 1 + n]))
        i += 1 + n
    return msgs


def input_workloads(quick=False):
    """name -> (stream, expected messages, read schedule or None), in report order.
    quick: a tenth of the size, for a smoke test."""
    scale = 10 if quick else 1
    full, notes_expected = notes(100000 // scale, running_status=False)
    running, running_expected = notes(100000 // scale, running_status=True)
    mixed_stream, mixed_expected = mixed(20000 // scale)
    sysex_stream, sysex_expected = sysex(1000 // scale)
    return {
        "notes_full": (full, notes_expected, None),
        "notes_running": (running, running_expected, None),
        "mixed": (mixed_stream, mixed_expected, None),
        "mixed_split": (mixed_stream, mixed_expected, read_schedule(len(mixed_stream))),
        "sysex": (sysex_stream, sysex_expected, None),
    }


def callgrind_pairs():
    """name -> ((stream, expected), (stream, expected)): a short and a longer run of the same
    kind of stream; instructions per message = difference of the two counts / difference
    of the two message counts."""
    return {
        "notes_full": (notes(300), notes(1500)),
        "notes_running": (notes(300, running_status=True), notes(1500, running_status=True)),
        "mixed": (mixed(150), mixed(750)),
        "sysex": (sysex(10), sysex(50)),
    }
