# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi.MidiIn's output in the reference model's terms (tests/ref_model.py), for the CPython tests."""

import smolmidi
from ref_model import expected

OUTCOMES = {smolmidi.SYSEX_COMPLETE: "complete", smolmidi.SYSEX_ABORTED: "aborted", smolmidi.SYSEX_CHUNK: "chunk"}


def event_of(midi_in, msg, buf):
    """The model tuple for msg, just returned by midi_in.receive(); SysEx payload read through buf."""
    if msg.type == smolmidi.SYSEX:
        n = midi_in.readinto_sysex(buf)
        return ("sysex", bytes(buf[:n]), OUTCOMES.get(msg.sysex_end))
    if msg.type < 0xF0:
        return ("msg", msg.type | msg.channel, tuple(msg.data or ()))
    return ("msg", msg.type, tuple(msg.data or ()))


def model(stream, opts=None):
    """The reference model's events for stream and the error_count they mean (every loss counts)."""
    events, losses = expected(stream, **(opts or {}))
    return events, sum(losses.values())
