# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Property tests: smolmidi.MidiIn against the independent reference model (tests/ref_model.py).

Random byte streams (valid messages with and without running status, system common,
SysEx of any length, realtime bytes inserted anywhere, stray data, garbage) are fed
through a host_shim PortIn read in random splits with empty reads between them.
MidiIn must report the same events in the same order, and the same loss counters,
as the model. Each property's name states the rule it checks.
"""

import os

from hypothesis import HealthCheck, given, settings, strategies as st

import smolmidi
import smolmidi_filter
from smolmidi_rules_table import midi_in_for
from host_shim import busio, usb_midi
from host_shim.feed import Feed
from smolmidi_events import OUTCOMES, event_of, model
from ref_model import DATA_LENGTH, expected

# SMOLMIDI_PROP_EXAMPLES=5000 for a longer hunt than the suite's default
SETTINGS = settings(
    max_examples=int(os.environ.get("SMOLMIDI_PROP_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


data_byte = st.integers(0, 127)
realtime_byte = st.integers(0xF8, 0xFF)
channel_status = st.integers(0x80, 0xEF)


# ---- stream building blocks ------------------------------------------------------


@st.composite
def channel_message(draw, status=channel_status):
    s = draw(status)
    return [s] + draw(st.lists(data_byte, min_size=DATA_LENGTH[s & 0xF0], max_size=DATA_LENGTH[s & 0xF0]))


@st.composite
def running_status_run(draw):
    """A channel status followed by 1-5 messages' worth of data (running status)."""
    s = draw(channel_status)
    n = DATA_LENGTH[s & 0xF0]
    out = [s]
    for _ in range(draw(st.integers(1, 5))):
        out += draw(st.lists(data_byte, min_size=n, max_size=n))
    return out


@st.composite
def system_common(draw):
    s = draw(st.sampled_from([0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6]))
    return [s] + draw(st.lists(data_byte, min_size=DATA_LENGTH[s], max_size=DATA_LENGTH[s]))


@st.composite
def sysex_block(draw, max_payload=300, closed=False):
    payload = draw(st.lists(data_byte, max_size=max_payload))
    end = [0xF7] if closed else draw(st.sampled_from([[0xF7], [0xF7], [0xF7], []]))  # sometimes left open
    return [0xF0] + payload + end


@st.composite
def unfinished_message(draw):
    s = draw(st.sampled_from([0x80, 0x93, 0xA4, 0xB5, 0xC6, 0xD7, 0xE8, 0xF1, 0xF2, 0xF3]))
    n = DATA_LENGTH[s & 0xF0] if s < 0xF0 else DATA_LENGTH[s]
    return [s] + draw(st.lists(data_byte, max_size=n - 1))


stray_data = st.lists(data_byte, min_size=1, max_size=3)
garbage = st.binary(max_size=20).map(list)

any_block = st.one_of(
    channel_message(),
    running_status_run(),
    system_common(),
    sysex_block(),
    st.lists(realtime_byte, min_size=1, max_size=2),
    unfinished_message(),
    stray_data,
    garbage,
    st.just([0xF7]),
)
valid_block = st.one_of(channel_message(), running_status_run(), system_common(), sysex_block(max_payload=40))


@st.composite
def with_realtime(draw, blocks):
    """Blocks joined, then realtime bytes inserted at random positions (inside messages too)."""
    stream = [b for block in draw(st.lists(blocks, max_size=25)) for b in block]
    for _ in range(draw(st.integers(0, 12))):
        stream.insert(draw(st.integers(0, len(stream))), draw(realtime_byte))
    return bytes(stream)


@st.composite
def delivery(draw):
    """How the port hands out the bytes: split, size, empty reads, seed."""
    split = draw(st.sampled_from(["all", "byte", "fixed", "random", "random"]))
    return dict(
        split=split, size=draw(st.integers(1, 40)), gaps=draw(st.integers(0, 3)), seed=draw(st.integers(1, 65535))
    )


@st.composite
def options(draw):
    return dict(
        sysex_size=draw(st.sampled_from([1, 2, 3, 7, 16, 128])),
        channel=draw(st.one_of(st.none(), st.integers(0, 15))),
        zero_velocity_note_off=draw(st.booleans()),
        ignore_clock=draw(st.booleans()),
        ignore_active_sensing=draw(st.booleans()),
    )


# ---- running MidiIn ----------------------------------------------------------------


class MIDIService:
    """Shaped like adafruit_ble_midi.MIDIService: readinto(buf, length), length required."""

    def __init__(self, split="all", size=1, gaps=0, seed=1):
        self.feed_ = Feed(split=split, size=size, gaps=gaps, seed=seed)
        self.feed = self.feed_.feed

    def readinto(self, buf, length):
        return self.feed_.take_into(buf, length)


class MachineUART:
    """Shaped like machine.UART: readinto(buf[, nbytes]), None when nothing waits."""

    def __init__(self, split="all", size=1, gaps=0, seed=1):
        self.feed_ = Feed(split=split, size=size, gaps=gaps, seed=seed)
        self.feed = self.feed_.feed

    def readinto(self, buf, nbytes=None):
        return self.feed_.take_into(buf, len(buf) if nbytes is None else nbytes) or None


PORT_SHAPES = {
    "usb_midi.PortIn": lambda how: usb_midi.PortIn(capacity=None, **how),
    "busio.UART": lambda how: busio.UART(None, None, baudrate=31250, timeout=0, receiver_buffer_size=65535, **how),
    "machine.UART": lambda how: MachineUART(**how),
    "MIDIService": lambda how: MIDIService(**how),
}


def receive_all(stream, opts, how, sysex_call="readinto", shape="usb_midi.PortIn"):
    """Feed the stream through a port read as `how` says; return (events, error_count).

    With smolmidi_filter.MidiIn (filter options, or a port that needs a length) every
    message is also kept with msg.copy(); the copies must still hold their message after
    all the later receive() calls reused the Message object."""
    port = PORT_SHAPES[shape](how)
    port.feed(stream)
    copies = []
    midi_in = smolmidi_filter.MidiIn(port, **opts) if shape == "MIDIService" else midi_in_for(port, **opts)
    keep = isinstance(midi_in, smolmidi_filter.MidiIn)
    buf = bytearray(4096)
    events = []
    limit = len(stream) * (how["gaps"] + 2) + 10
    idle = 0
    for _ in range(limit):
        msg = midi_in.receive()
        if msg is None:
            if not port.feed_.waiting():
                idle += 1
                if idle > 3:
                    break
            continue
        idle = 0
        if msg.type == smolmidi.SYSEX:
            if sysex_call == "readinto":
                n = midi_in.readinto_sysex(buf)
                payload = bytes(buf[:n])
            else:
                payload, truncated = midi_in.receive_sysex(4096)
                payload = bytes(payload)
                # SmolMIDI's flag: the SysEx is not whole (aborted, or a chunk of a longer one)
                assert truncated == (msg.sysex_end != smolmidi.SYSEX_COMPLETE)
            assert msg.length == len(payload)
            events.append(("sysex", payload, OUTCOMES.get(msg.sysex_end, msg.sysex_end)))
        elif msg.type < 0xF0:
            assert 0 <= msg.channel <= 15
            events.append(("msg", msg.type | msg.channel, tuple(msg.data or ())))
            assert bytes(msg) == bytes([msg.type | msg.channel]) + bytes(msg.data or b"")
            if keep:
                copies.append((msg.copy(), events[-1]))
        else:
            assert msg.channel is None
            events.append(("msg", msg.type, tuple(msg.data or ())))
            assert bytes(msg) == bytes([msg.type]) + bytes(msg.data or b"")
            if keep:
                copies.append((msg.copy(), events[-1]))
    assert port.feed_.waiting() == 0, "MidiIn stopped reading the port"
    assert midi_in.receive() is None
    for copy, event in copies:
        assert ("msg", copy.type | (copy.channel or 0), tuple(copy.data or ())) == event
    return events, midi_in.error_count


def assert_matches_model(stream, opts, how, sysex_call="readinto", shape="usb_midi.PortIn"):
    want = model(stream, opts)
    got = receive_all(stream, opts, how, sysex_call, shape)
    assert got == want, "stream %s options %r delivery %r port %s" % (stream.hex(" "), opts, how, shape)
    return got


# ---- properties --------------------------------------------------------------------


@SETTINGS
@given(with_realtime(any_block), options(), delivery(), st.sampled_from(["readinto", "receive_sysex"]))
def test_any_stream_in_any_split_gives_the_models_events_and_losses(stream, opts, how, sysex_call):
    assert_matches_model(stream, opts, how, sysex_call)


@SETTINGS
@given(with_realtime(any_block), options(), delivery(), st.sampled_from(sorted(PORT_SHAPES)))
def test_every_port_shape_gives_the_models_events_and_losses(stream, opts, how, shape):
    assert_matches_model(stream, opts, how, shape=shape)


@SETTINGS
@given(st.binary(max_size=400), delivery())
def test_random_bytes_give_the_models_events_and_losses(stream, how):
    assert_matches_model(stream, {}, how)


@SETTINGS
@given(st.lists(valid_block, max_size=20), st.data(), delivery())
def test_realtime_anywhere_never_disturbs_the_interrupted_message(blocks, data, how):
    plain = bytes(b for block in blocks for b in block)
    stream = list(plain)
    inserted = []
    for _ in range(data.draw(st.integers(1, 15))):
        at = data.draw(st.integers(0, len(stream)))
        stream.insert(at, data.draw(realtime_byte))
    inserted = [b for b in stream if b >= 0xF8]
    stream = bytes(stream)
    events, losses = assert_matches_model(stream, {}, how)
    # independent of the model: drop the realtime events and the rest is unchanged
    plain_events, plain_losses = receive_all(plain, {}, how)
    assert [e for e in events if not (e[0] == "msg" and e[1] >= 0xF8)] == plain_events
    assert [e[1] for e in events if e[0] == "msg" and e[1] >= 0xF8] == inserted
    assert losses == plain_losses


@SETTINGS
@given(st.lists(channel_message(), min_size=1, max_size=30), delivery())
def test_running_status_decodes_exactly_like_full_status(messages, how):
    full = bytes(b for m in messages for b in m)
    running, last = [], None
    for m in messages:
        running += m[1:] if m[0] == last else m
        last = m[0]
    running = bytes(running)
    events, losses = assert_matches_model(running, {}, how)
    assert events == [("msg", m[0], tuple(m[1:])) for m in messages]
    assert (events, losses) == receive_all(full, {}, how)


@SETTINGS
@given(
    st.lists(data_byte, max_size=600),
    st.sampled_from([1, 5, 16, 128, 256]),
    st.sampled_from([[0xF7], [0x90, 60, 100], [0xF0, 0xF7], [0xF6]]),
    delivery(),
)
def test_sysex_of_any_length_comes_whole_or_in_chunks_with_nothing_lost(payload, size, end, how):
    stream = bytes([0xF0] + payload + end)
    events, losses = assert_matches_model(stream, dict(sysex_size=size), how)
    parts = [e for e in events if e[0] == "sysex"]
    joined = b"".join(e[1] for e in parts if e[2] == "chunk")
    first_end = next(e for e in parts if e[2] != "chunk")
    assert joined + first_end[1] == bytes(payload)
    assert all(len(e[1]) == size for e in parts if e[2] == "chunk")
    assert first_end[2] == ("complete" if end[0] == 0xF7 else "aborted")
    assert losses == (first_end[2] == "aborted")


@SETTINGS
@given(
    st.lists(st.one_of(system_common(), sysex_block(max_payload=5, closed=True), st.just([0xF7]))),
    running_status_run(),
    stray_data,
    delivery(),
)
def test_system_common_sysex_and_f7_cancel_running_status(cancellers, run, stray, how):
    for canceller in cancellers or [[0xF6]]:
        stream = bytes(run + canceller + stray)
        events, losses = assert_matches_model(stream, {}, how)
        assert expected(stream)[1]["stray_data"] == len(stray)


@SETTINGS
@given(with_realtime(any_block), delivery(), delivery())
def test_how_the_bytes_are_split_never_changes_the_result(stream, how_a, how_b):
    assert receive_all(stream, {}, how_a) == receive_all(stream, {}, how_b)


@SETTINGS
@given(with_realtime(any_block), st.lists(st.integers(1, 50), min_size=1, max_size=50), options())
def test_bytes_arriving_between_calls_give_the_models_events(stream, pieces, opts):
    """The port gets the stream piece by piece while receive() runs: messages wait for their bytes."""
    port = usb_midi.PortIn(capacity=None)
    midi_in = midi_in_for(port, **opts)
    buf = bytearray(4096)
    events = []

    def drain(calls):
        for _ in range(calls):
            msg = midi_in.receive()
            if msg is None:
                continue
            events.append(event_of(midi_in, msg, buf))

    pos, i = 0, 0
    while pos < len(stream):
        n = pieces[i % len(pieces)]
        port.feed(stream[pos : pos + n])
        pos += n
        i += 1
        drain(n + 2)
    drain(len(stream) + 4)
    assert (events, midi_in.error_count) == model(stream, opts)
