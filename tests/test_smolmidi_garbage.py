# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Garbage in: smolmidi.MidiIn never raises, and garbage never breaks what follows.

10 million seeded random bytes go through MidiIn in chunks; every event it reports is
checked, in order, against the reference model (tests/ref_model.py), run one segment at
a time so memory stays small: after an F7 byte nothing is open (no status in force, no
SysEx, nothing unfinished), so the model's answer for the whole stream is its answers for
the pieces cut just after each F7, joined (test_ref_model checks that property).
"""

import random
import time
from collections import deque

import pytest
from hypothesis import given, settings, strategies as st

from smolmidi_rules_table import midi_in_for
from host_shim import usb_midi
from smolmidi_events import event_of, model
from ref_model import expected


GARBAGE_BYTES = 10_000_000
CHUNK = 65536


class Receiver:
    """A MidiIn on a PortIn; drain() returns the events so far as model tuples."""

    def __init__(self, options=None, **how):
        self.port = usb_midi.PortIn(capacity=None, **how)
        self.midi_in = midi_in_for(self.port, **(options or {}))
        self.buf = bytearray(1024)

    def drain(self):
        events = []
        midi_in, port, buf = self.midi_in, self.port, self.buf
        idle = 0
        while idle < 4:
            msg = midi_in.receive()
            if msg is None:
                if not port.feed_.waiting():
                    idle += 1
                continue
            idle = 0
            events.append(event_of(midi_in, msg, buf))
        return events

    def losses(self):
        return self.midi_in.error_count


@pytest.mark.parametrize(
    "count, options",
    [
        (GARBAGE_BYTES, {}),
        # small SysEx buffers, so random SysEx come in chunks, and the other options
        (1_000_000, {"sysex_size": 3}),
        (
            1_000_000,
            {
                "sysex_size": 2,
                "channel": 5,
                "zero_velocity_note_off": True,
                "ignore_clock": True,
                "ignore_active_sensing": True,
            },
        ),
    ],
)
def test_random_bytes_never_raise_and_match_the_model(count, options):
    rng = random.Random(20240601 + count + len(options))
    receiver = Receiver(options)
    want = deque()  # model events not yet matched against MidiIn's
    got = deque()  # MidiIn events not yet matched against the model's
    want_losses = 0  # what the model drops, every kind: MidiIn counts it in error_count
    carry = b""  # bytes after the last F7, not yet given to the model
    matched = 0
    started = time.perf_counter()

    def model_segment(segment):
        events, losses = expected(segment, **options)
        nonlocal want_losses
        want.extend(events)
        want_losses += sum(losses.values())

    def match(fed):
        nonlocal matched
        while want and got:
            w, g = want.popleft(), got.popleft()
            assert g == w, "event %d (bytes fed so far: %d): got %r, want %r" % (matched, fed, g, w)
            matched += 1

    fed = 0
    while fed < count:
        chunk = rng.randbytes(min(CHUNK, count - fed))
        fed += len(chunk)
        receiver.port.feed(chunk)
        got.extend(receiver.drain())
        carry += chunk
        cut = carry.rfind(0xF7) + 1
        if cut:
            model_segment(carry[:cut])
            carry = carry[cut:]
        match(fed)
    model_segment(carry)  # the tail: unfinished messages at the end are neither delivered nor counted
    match(fed)
    elapsed = time.perf_counter() - started
    assert not want and not got, "left over: model %r, MidiIn %r" % (list(want)[:3], list(got)[:3])
    assert receiver.losses() == want_losses
    assert matched > count // 50  # random bytes hold plenty of messages: the test saw them
    print("%d random bytes, %d events, losses %r, %.1f s" % (fed, matched, want_losses, elapsed))


status_message = st.one_of(
    st.tuples(st.integers(0x80, 0xBF), st.integers(0, 127), st.integers(0, 127)).map(bytes),
    st.tuples(st.integers(0xC0, 0xDF), st.integers(0, 127)).map(bytes),
    st.tuples(st.integers(0xE0, 0xEF), st.integers(0, 127), st.integers(0, 127)).map(bytes),
    st.tuples(st.sampled_from([0xF1, 0xF3]), st.integers(0, 127)).map(bytes),
    st.tuples(st.just(0xF2), st.integers(0, 127), st.integers(0, 127)).map(bytes),
    st.just(b"\xf6"),
    st.binary(max_size=20).map(lambda b: b"\xf0" + bytes(x & 0x7F for x in b) + b"\xf7"),
)


def expected_event(message):
    if message[0] == 0xF0:
        return ("sysex", message[1:-1], "complete")
    return ("msg", message[0], tuple(message[1:]))


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300), status_message, st.sampled_from(["all", "byte", "random"]), st.integers(1, 65535))
def test_a_full_status_message_after_any_garbage_is_decoded(garbage, message, split, seed):
    """Whatever the garbage left open (a message, a SysEx, running status), a message
    sent with its status byte comes out whole, last, after the garbage's own events."""
    receiver = Receiver(split=split, size=7, gaps=1, seed=seed)
    receiver.port.feed(garbage + message)
    events = receiver.drain()
    assert events[-1] == expected_event(message)
    assert (events, receiver.losses()) == model(garbage + message)


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=300),
    st.integers(0, 15),
    st.lists(st.tuples(st.integers(0, 127), st.integers(0, 127)), min_size=1, max_size=5),
)
def test_running_status_after_any_garbage_works_once_a_status_byte_arrives(garbage, channel, notes):
    stream = garbage + bytes([0x90 | channel]) + bytes(b for note in notes for b in note)
    receiver = Receiver(split="random", size=5, gaps=1, seed=len(garbage) + 1)
    receiver.port.feed(stream)
    events = receiver.drain()
    assert events[-len(notes) :] == [("msg", 0x90 | channel, note) for note in notes]
    assert (events, receiver.losses()) == model(stream)
