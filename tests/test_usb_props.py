# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Property tests: bytes -> smolmidi_usb.UsbOut packets -> UsbIn -> bytes (CPython).

Random streams (messages with and without running status, system common, SysEx of any
length, realtime anywhere, stray data, lone F7) are written in random pieces to a
packet endpoint that takes a random count of packets a call, then read back through
UsbIn in random buffer sizes. Each property's name states the rule it checks.
"""

import os

from hypothesis import HealthCheck, given, settings, strategies as st

import smolmidi
from smolmidi_usb import UsbIn, UsbOut

SETTINGS = settings(
    max_examples=int(os.environ.get("SMOLMIDI_PROP_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
LENGTH = {0x80: 2, 0x90: 2, 0xA0: 2, 0xB0: 2, 0xC0: 1, 0xD0: 1, 0xE0: 2, 0xF1: 1, 0xF2: 2, 0xF3: 1}
data = st.integers(0, 127)


@st.composite
def message(draw):
    """One complete message with its status byte."""
    kind = draw(st.sampled_from(["channel", "common", "sysex", "realtime", "single"]))
    if kind == "channel":
        s = draw(st.integers(0x80, 0xEF))
        return [s] + draw(st.lists(data, min_size=LENGTH[s & 0xF0], max_size=LENGTH[s & 0xF0]))
    if kind == "common":
        s = draw(st.sampled_from([0xF1, 0xF2, 0xF3]))
        return [s] + draw(st.lists(data, min_size=LENGTH[s], max_size=LENGTH[s]))
    if kind == "sysex":
        return [0xF0] + draw(st.lists(data, max_size=40)) + [0xF7]
    if kind == "realtime":
        return [draw(st.integers(0xF8, 0xFF))]
    return [draw(st.sampled_from([0xF6, 0xF4, 0xF5]))]


@st.composite
def messy_stream(draw):
    """Messages, then anything: running status, realtime inside others, stray bytes."""
    out = []
    for m in draw(st.lists(message(), max_size=12)):
        out += m
        if draw(st.booleans()) and m[0] < 0xF0:
            out += draw(st.lists(data, max_size=4))  # running status (or stray) data
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(out)))
        out.insert(at, draw(st.sampled_from([0xF8, 0xFE, 0xF7, 0x90, 0xF0, 0x05])))
    return bytes(out)


class Endpoint:
    def __init__(self, draw_take):
        self.out = bytearray()
        self.draw_take = draw_take
        self.pos = 0
        self.per_read = 64

    def write(self, buf):
        n = min(len(buf), 4 * self.draw_take())
        self.out += bytes(buf[:n])
        return n

    def readinto(self, buf):
        n = min(len(buf), len(self.out) - self.pos, self.per_read)
        buf[:n] = self.out[self.pos : self.pos + n]
        self.pos += n
        return n


def round_trip(stream, draw, cable=0):
    """Packets of stream written in random pieces to a slow endpoint, read back in random sizes."""
    ep = Endpoint(lambda: draw(st.integers(1, 16)))
    port = UsbOut(ep, cable)
    at = 0
    stuck = 0
    while at < len(stream):
        piece = draw(st.integers(1, 20))
        n = port.write(stream[at : at + piece])
        at += n
        stuck = stuck + 1 if not n else 0
        assert stuck < 1000
    while port.flush():
        pass
    assert len(ep.out) % 4 == 0
    ep.per_read = 4 * draw(st.integers(1, 16))
    back = UsbIn(ep, cable if draw(st.booleans()) else None)
    out = bytearray()
    while True:
        buf = bytearray(draw(st.integers(1, 70)))
        n = back.readinto(buf)
        if not n:
            break
        assert back.cable == cable
        out += buf[:n]
    return bytes(out)


def messages(stream):
    midi = smolmidi.MidiIn(FeedPort(stream), sysex_size=512)
    got = []
    msg = midi.receive()
    while msg is not None:
        got.append((bytes(msg), msg.type == 0xF0 and msg.sysex_end))
        msg = midi.receive()
    return got


class FeedPort:
    def __init__(self, data):
        self.data = data

    def readinto(self, buf):
        n = min(len(buf), len(self.data))
        buf[:n] = self.data[:n]
        self.data = self.data[n:]
        return n


@SETTINGS
@given(st.lists(message(), max_size=20), st.integers(0, 15), st.data())
def test_complete_messages_come_back_byte_for_byte(msgs, cable, d):
    stream = bytes(b for m in msgs for b in m)
    assert round_trip(stream, d.draw, cable) == stream


def split_realtime(got):
    return [m for m in got if m[0][0] < 0xF8], [m for m in got if m[0][0] >= 0xF8]


@SETTINGS
@given(messy_stream(), st.data())
def test_any_stream_gives_midi_in_the_same_messages_realtime_may_come_sooner(stream, d):
    # a realtime byte inside an unfinished message gets its packet at once: it may reach
    # MidiIn before that message (or the end of a SysEx cut short by it), never later.
    # A message still unfinished at the end waits in UsbOut: a closing F6 ends it.
    stream += b"\xf6"
    assert split_realtime(messages(round_trip(stream, d.draw))) == split_realtime(messages(stream))
