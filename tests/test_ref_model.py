# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The reference model (tests/ref_model.py) is itself checked, so it can fail too.

Against the hand-written rule table in tests/mp/smolmidi_rules_table.py, and against
metamorphic properties that follow from the rules without running any parser.
"""

from hypothesis import given, settings, strategies as st

import smolmidi_rules_table as rules
from ref_model import expected

LOSS_NAMES = ("stray_data", "abandoned", "sysex_aborted")


def model(data, options):
    events, losses = expected(data, **options)
    return events, tuple(losses[name] for name in LOSS_NAMES)


def test_model_matches_the_hand_written_rule_table():
    wrong = []
    for name, data, options, want, want_losses in rules.CASES:
        got = model(data, options)
        if got != (want, want_losses):
            wrong.append("%s: %r -> %r, want %r" % (name, data.hex(" "), got, (want, want_losses)))
    assert not wrong, "\n".join(wrong)


def test_model_table_covers_every_status_byte():
    seen = set()
    for _, data, _, _, _ in rules.CASES:
        seen.update(b for b in data if b >= 0x80)
    kinds = {b & 0xF0 for b in seen if b < 0xF0}
    assert kinds == {0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0}
    assert set(range(0xF0, 0x100)) <= seen


# a few extra hand cases the table (which drives MidiIn) does not need
MORE_CASES = [
    # (input, options, events, losses)
    (bytes([0x90, 60]), {}, [], (0, 0, 0)),
    (bytes([0x90, 0x90, 0x90, 60, 1]), {}, [("msg", 0x90, (60, 1))], (0, 2, 0)),
    (
        bytes([0xF0, 0xF0, 0xF7]),
        {},
        [("sysex", b"", "aborted"), ("sysex", b"", "complete")],
        (0, 0, 1),
    ),
    (
        bytes([0xF0, 1, 2, 0xF8, 3, 0xF7]),
        {"sysex_size": 2},
        # the chunk goes out when the byte after a full buffer arrives: after the clock
        [("msg", 0xF8, ()), ("sysex", b"\x01\x02", "chunk"), ("sysex", b"\x03", "complete")],
        (0, 0, 0),
    ),
    # an open SysEx gives its full chunks; the rest waits for the end
    (bytes([0xF0, 1, 2, 3]), {"sysex_size": 1}, [("sysex", b"\x01", "chunk"), ("sysex", b"\x02", "chunk")], (0, 0, 0)),
    (bytes([0xF0, 1, 0xF8]), {"sysex_size": 1}, [("msg", 0xF8, ())], (0, 0, 0)),
    (bytes([0x93, 60, 0]), {"zero_velocity_note_off": True, "channel": 3}, [("msg", 0x83, (60, 0))], (0, 0, 0)),
    (bytes([0x93, 60, 0]), {"zero_velocity_note_off": True, "channel": 4}, [], (0, 0, 0)),
]


def test_model_more_hand_cases():
    for data, options, want, want_losses in MORE_CASES:
        assert model(data, options) == (want, want_losses), data.hex(" ")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.data())
def test_model_realtime_bytes_only_add_their_own_events(stream, data):
    """Removing every F8-FF byte removes exactly the realtime events, nothing else."""
    without = bytes(b for b in stream if b < 0xF8)
    events, losses = expected(stream)
    plain, plain_losses = expected(without)
    assert [e for e in events if not (e[0] == "msg" and e[1] >= 0xF8)] == plain
    assert losses == plain_losses
    assert [e[1] for e in events if e[0] == "msg" and e[1] >= 0xF8] == [b for b in stream if b >= 0xF8]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_model_every_byte_is_accounted_for(stream):
    """Data bytes end up in a message, a SysEx, the stray count, an abandoned or a
    still-unfinished message: never more data out than came in."""
    events, losses = expected(stream, sysex_size=3)
    data_out = sum(len(e[2]) if e[0] == "msg" else len(e[1]) for e in events)
    data_in = sum(1 for b in stream if b < 0x80)
    assert data_out + losses["stray_data"] <= data_in


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=100), st.binary(max_size=100))
def test_model_a_status_byte_cuts_the_stream_clean(prefix, suffix):
    """After F7 nothing is open: what follows decodes as if it came alone, losses add up.
    (test_smolmidi_garbage relies on this to run the model piece by piece.)"""
    for options in ({}, {"sysex_size": 2}):
        cut = prefix + bytes([0xF7])
        events_cut, losses_cut = expected(cut, **options)
        events_all, losses_all = expected(cut + suffix, **options)
        events_alone, losses_alone = expected(suffix, **options)
        assert events_all == events_cut + events_alone
        assert losses_all == {name: losses_cut[name] + losses_alone[name] for name in losses_all}
