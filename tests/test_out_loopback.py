# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Loopback properties: MidiOut (and Thru) -> host_shim virtual cable -> smolmidi.MidiIn.

Random valid messages sent with smolmidi_out come back from smolmidi.MidiIn as the
same messages, with and without running status, whatever the read splits and however
little the output port takes per write. Each property's name states the rule.
"""

import os

from hypothesis import HealthCheck, given, settings, strategies as st

import host_shim
import smolmidi
import smolmidi_control
import smolmidi_thru
from host_shim import usb_midi

# OUT_EXAMPLES=2000 for a longer search than the suite's
SETTINGS = settings(
    max_examples=int(os.environ.get("OUT_EXAMPLES", 200)), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

d7 = st.integers(0, 127)
d14 = st.integers(0, 16383)
ch = st.integers(0, 15)


def cc(control, value, channel):
    return ("msg", 0xB0, channel, bytes([control, value]))


# each strategy gives (method name, args, expected MidiIn events)
CALLS = st.one_of(
    st.tuples(d7, d7, ch).map(lambda a: ("note_on", a, [("msg", 0x90, a[2], bytes(a[:2]))])),
    st.tuples(d7, d7, ch).map(lambda a: ("note_off", a, [("msg", 0x80, a[2], bytes(a[:2]))])),
    st.tuples(d7, d7, ch).map(lambda a: ("aftertouch", a, [("msg", 0xA0, a[2], bytes(a[:2]))])),
    st.tuples(d7, d7, ch).map(lambda a: ("control_change", a, [cc(*a)])),
    st.tuples(d7, ch).map(lambda a: ("program_change", a, [("msg", 0xC0, a[1], bytes(a[:1]))])),
    st.tuples(d7, ch).map(lambda a: ("channel_pressure", a, [("msg", 0xD0, a[1], bytes(a[:1]))])),
    st.tuples(st.integers(-8192, 8191), ch).map(lambda a: ("pitch_bend", a, [("bend", a[1], a[0])])),
    st.tuples(d14, ch).map(lambda a: ("pitch_bend_raw", a, [("bend", a[1], a[0] - 8192)])),
    st.tuples(st.integers(0, 31), d14, ch).map(
        lambda a: ("control_change_14bit", a, [cc(a[0], a[1] >> 7, a[2]), cc(a[0] + 32, a[1] & 127, a[2])])
    ),
    st.tuples(d14, d14, ch).map(
        lambda a: (
            "rpn",
            a,
            [
                cc(101, a[0] >> 7, a[2]),
                cc(100, a[0] & 127, a[2]),
                cc(6, a[1] >> 7, a[2]),
                cc(38, a[1] & 127, a[2]),
                cc(101, 127, a[2]),
                cc(100, 127, a[2]),
            ],
        )
    ),
    st.tuples(d14, d14, ch).map(
        lambda a: (
            "nrpn",
            a,
            [
                cc(99, a[0] >> 7, a[2]),
                cc(98, a[0] & 127, a[2]),
                cc(6, a[1] >> 7, a[2]),
                cc(38, a[1] & 127, a[2]),
                cc(101, 127, a[2]),
                cc(100, 127, a[2]),
            ],
        )
    ),
    ch.map(lambda c: ("all_notes_off", (c,), [cc(123, 0, c)])),
    st.tuples(st.integers(0, 7), st.integers(0, 15)).map(
        lambda a: ("mtc_quarter_frame", a, [("msg", 0xF1, None, bytes([a[0] << 4 | a[1]]))])
    ),
    d14.map(lambda b: ("song_position", (b,), [("msg", 0xF2, None, bytes([b & 127, b >> 7]))])),
    d7.map(lambda s: ("song_select", (s,), [("msg", 0xF3, None, bytes([s]))])),
    st.sampled_from(
        [
            ("tune_request", 0xF6),
            ("clock", 0xF8),
            ("start", 0xFA),
            ("continue_", 0xFB),
            ("stop", 0xFC),
            ("active_sensing", 0xFE),
            ("system_reset", 0xFF),
        ]
    ).map(lambda a: (a[0], (), [("msg", a[1], None, b"")])),
    st.lists(d7, min_size=1, max_size=400).map(lambda p: ("sysex", (bytes(p),), [("sysex", bytes(p))])),
    st.lists(d7, min_size=1, max_size=40).map(lambda p: ("sysex", ([0xF0] + p + [0xF7],), [("sysex", bytes(p))])),
)


def events(midi_in, port_in):
    """Everything MidiIn gives until its port is empty and it has nothing more."""
    got = []
    idle = 0
    while idle < 5:
        msg = midi_in.receive()
        if msg is None:
            idle = 0 if port_in.feed_.waiting() else idle + 1
            continue
        idle = 0
        if msg.type == smolmidi.SYSEX:
            assert msg.sysex_end == smolmidi.SYSEX_COMPLETE
            got.append(("sysex", midi_in.receive_sysex(1000)[0]))
        elif msg.type == smolmidi.PITCH_BEND:
            got.append(("bend", msg.channel, (msg.data[0] | msg.data[1] << 7) - 8192))
        else:
            got.append(("msg", msg.type, msg.channel, bytes(msg.data or b"")))
    return got


def cable(split, size, gaps, seed, accept):
    port_out = usb_midi.PortOut()
    port_out.accept = accept
    port_in = usb_midi.PortIn(split=split, size=size, gaps=gaps, seed=seed, capacity=None)
    host_shim.cable(port_out, port_in)
    return port_out, port_in


SPLIT = st.tuples(
    st.sampled_from(["all", "byte", "fixed", "random"]),
    st.integers(1, 40),
    st.integers(0, 3),
    st.integers(1, 60000),
    st.one_of(st.none(), st.integers(1, 9)),
)


@SETTINGS
@given(st.lists(CALLS, max_size=40), st.booleans(), SPLIT)
def test_every_message_sent_comes_back_the_same_from_midiin(calls, running_status, split):
    port_out, port_in = cable(*split)
    out = smolmidi_control.MidiOut(port_out, running_status)
    want = []
    for name, args, expect in calls:
        getattr(out, name)(*args)
        want += expect
    assert out.dropped == 0
    midi_in = smolmidi.MidiIn(port_in, sysex_size=1024)
    assert events(midi_in, port_in) == want
    assert midi_in.error_count == 0


@SETTINGS
@given(st.lists(CALLS, max_size=30), st.booleans(), SPLIT)
def test_sending_a_received_message_reproduces_it(calls, running_status, split):
    """MidiIn -> MidiOut.send(msg) -> MidiIn: smolmidi's own Message works with send()."""
    first_out, first_in = usb_midi.PortOut(), usb_midi.PortIn(capacity=None)
    host_shim.cable(first_out, first_in)
    source = smolmidi_control.MidiOut(first_out)
    for name, args, _ in calls:
        getattr(source, name)(*args)
    port_out, port_in = cable(*split)
    out = smolmidi_control.MidiOut(port_out, running_status)
    relay = smolmidi.MidiIn(first_in, sysex_size=1024)
    idle = 0
    while idle < 5:
        msg = relay.receive()
        if msg is None:
            idle = 0 if first_in.feed_.waiting() else idle + 1
            continue
        out.send(msg)
    check = smolmidi.MidiIn(port_in, sysex_size=1024)
    assert events(check, port_in) == [e for _, _, expect in calls for e in expect]


# ---- Thru: random streams, compared with what MidiIn makes of the original ----------


@st.composite
def stream(draw):
    """Valid and broken MIDI: running status, realtime anywhere, SysEx, stray data."""
    out = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 7))
        if kind <= 2:
            s = draw(st.integers(0x80, 0xEF))
            n = 1 if 0xC0 <= s < 0xE0 else 2
            out += [s] + draw(st.lists(d7, min_size=n, max_size=n * draw(st.integers(1, 3))))
        elif kind == 3:
            out += [0xF0] + draw(st.lists(d7, max_size=300)) + draw(st.sampled_from([[0xF7], [0xF7], []]))
        elif kind == 4:
            s = draw(st.sampled_from([0xF1, 0xF2, 0xF3, 0xF6]))
            n = {0xF1: 1, 0xF2: 2, 0xF3: 1, 0xF6: 0}[s]
            out += [s] + draw(st.lists(d7, min_size=n, max_size=n))
        elif kind == 5:
            out += draw(st.lists(d7, min_size=1, max_size=3))  # stray or running data
        else:
            out += [draw(st.sampled_from([0xF8, 0xFA, 0xFC, 0xFE]))]
    # realtime bytes inserted anywhere, also inside messages and SysEx
    for _ in range(draw(st.integers(0, 8))):
        out.insert(draw(st.integers(0, len(out))), draw(st.sampled_from([0xF8, 0xFE])))
    return bytes(out)


def midi_in_events(data, split=("all", 1, 0, 1, None)):
    port_in = usb_midi.PortIn(split=split[0], size=split[1], gaps=split[2], seed=split[3], capacity=None)
    port_in.feed(data)
    midi_in = smolmidi.MidiIn(port_in, sysex_size=1024)
    got = []
    idle = 0
    while idle < 5:
        msg = midi_in.receive()
        if msg is None:
            idle = 0 if port_in.feed_.waiting() else idle + 1
            continue
        idle = 0
        if msg.type == smolmidi.SYSEX:
            got.append(("sysex", midi_in.receive_sysex(1000)[0], msg.sysex_end))
        else:
            got.append((msg.type, msg.channel, bytes(msg.data or b"")))
    return got


def through_thru(data, split, usb, running_status):
    port_in = usb_midi.PortIn(split=split[0], size=split[1], gaps=split[2], seed=split[3], capacity=None)
    port_in.feed(data)
    port_out = usb_midi.PortOut()
    port_out.accept = split[4]
    thru = smolmidi_thru.Thru(port_in, smolmidi_control.MidiOut(port_out, running_status), usb=usb)
    while port_in.feed_.waiting():
        thru.update()
    return port_out.take(), thru


def realtime_events(evs):
    return sorted(e for e in evs if e[0] != "sysex" and e[0] >= 0xF8)


def other_events(evs, outcome=False):
    """Everything but realtime (SysEx with or without its outcome), in order."""
    return [e[:2] if e[0] == "sysex" and not outcome else e for e in evs if e[0] == "sysex" or e[0] < 0xF8]


def realtime_positions(evs):
    """For each realtime event: (byte, how many other events came before it)."""
    out = []
    others = 0
    for e in evs:
        if e[0] != "sysex" and e[0] >= 0xF8:
            out.append((e[0], others))
        else:
            others += 1
    return out


@SETTINGS
@given(stream(), SPLIT, st.booleans())
def test_din_thru_keeps_every_event_and_never_delays_realtime(data, split, running_status):
    """Same events; a realtime byte may overtake the one message it arrived inside."""
    wire, _ = through_thru(data, split, usb=False, running_status=running_status)
    want, got = midi_in_events(data), midi_in_events(wire)
    assert other_events(got, outcome=True) == other_events(want, outcome=True)
    got_rt, want_rt = realtime_positions(got), realtime_positions(want)
    assert [b for b, _ in got_rt] == [b for b, _ in want_rt]
    for (_, g), (_, w) in zip(got_rt, want_rt):
        assert w - 1 <= g <= w


@SETTINGS
@given(stream(), SPLIT)
def test_usb_thru_never_puts_realtime_in_sysex_and_keeps_everything_else(data, split):
    wire, thru = through_thru(data, split, usb=True, running_status=False)
    inside = False
    for b in wire:
        if b == 0xF0:
            inside = True
        elif b >= 0xF8:
            assert not inside, "realtime inside an outgoing SysEx"
        elif b >= 0x80:
            inside = False
    if inside:  # the output may end inside a SysEx only if the input did
        assert data.rfind(b"\xf0") > max(data.rfind(bytes([s])) for s in range(0x80, 0xF8) if s != 0xF0)
    want, got = midi_in_events(data), midi_in_events(wire)
    # realtime inside a SysEx still open at the end waits in the Thru for its end
    assert realtime_events(got + [(b, None, b"") for b in thru._held[: thru._held_count]]) == realtime_events(want)
    assert other_events(got) == other_events(want)
    # a SysEx cut short by another status is closed with F7 on USB
    for g, w in zip([e for e in got if e[0] == "sysex"], [e for e in want if e[0] == "sysex"]):
        if w[2] == smolmidi.SYSEX_ABORTED:
            assert g[2] == smolmidi.SYSEX_COMPLETE
