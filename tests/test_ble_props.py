# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Property tests: bytes -> smolmidi_ble.BleOut packets -> BleIn -> bytes (CPython).

The streams of tests/test_usb_props.py, written in random pieces to a BleOut with a
random packet size and a clock that moves by random steps, whose send() refuses now
and then; the packets are then split at every point a reader may see and read back
through BleIn in random buffer sizes. Each property's name states the rule it checks.
"""

from hypothesis import given, strategies as st

from smolmidi_ble import BleIn, BleOut
from test_usb_props import SETTINGS, message, messages, messy_stream, split_realtime


class Clock:
    def __init__(self, draw):
        self.now = draw(st.integers(0, (1 << 30) - 1))
        self.steps = draw(st.lists(st.sampled_from([0, 0, 1, 50, 200]), min_size=1, max_size=20))
        self.i = 0

    def ticks(self):
        self.i += 1
        self.now = (self.now + self.steps[self.i % len(self.steps)]) & 0x3FFFFFFF
        return self.now


def round_trip(stream, draw):
    size = draw(st.integers(5, 64))
    packets = []
    clock = Clock(draw)

    refusals = draw(st.lists(st.booleans(), max_size=10)) + [False]  # never refuses for ever

    def send(packet):
        refusals.append(refusals.pop(0))
        if refusals[-1]:
            return False
        assert 2 <= len(packet) <= size
        assert packet[0] & 0xC0 == 0x80, "a header byte first"
        packets.append(bytes(packet))
        return None

    port = BleOut(send, size, clock.ticks)
    at = 0
    while at < len(stream):
        at += port.write(stream[at : at + draw(st.integers(1, 20))])
    while not port.flush():
        pass
    back = BleIn()
    out = bytearray()
    stamps = []
    for p in packets:
        assert back.packet(p) == len(p)
        while True:
            buf = bytearray(draw(st.integers(1, 70)))
            n = back.readinto(buf)
            if not n:
                break
            out += buf[:n]
            stamps.append(back.timestamp)
    return bytes(out), stamps, clock


@SETTINGS
@given(st.lists(message(), max_size=20), st.data())
def test_complete_messages_come_back_the_same_in_the_same_order(msgs, d):
    # byte for byte but for the status bytes running status inside a packet leaves out
    stream = bytes(b for m in msgs for b in m)
    got, stamps, clock = round_trip(stream, d.draw)
    assert messages(got) == messages(stream)
    assert len(got) <= len(stream)
    assert all(0 <= t < 8192 for t in stamps)


@SETTINGS
@given(messy_stream(), st.data())
def test_any_stream_gives_midi_in_the_same_messages_realtime_may_come_sooner(stream, d):
    stream += b"\xf6"  # a message unfinished at the end waits in BleOut: F6 ends it
    got, _, _ = round_trip(stream, d.draw)
    assert split_realtime(messages(got)) == split_realtime(messages(stream))


@SETTINGS
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30), st.integers(0, (1 << 30) - 1))
def test_each_message_carries_the_senders_clock_at_13_bits(steps, start):
    now = [start]
    sent = []
    packets = []
    port = BleOut(lambda p: packets.append(bytes(p)), 20, lambda: now[0])
    for step in steps:
        now[0] = (now[0] + step) & 0x3FFFFFFF
        port.write(b"\xf8")
        sent.append(now[0] & 0x1FFF)
    port.flush()
    back = BleIn()
    got = []
    buf = bytearray(1)
    for p in packets:
        back.packet(p)
        while back.readinto(buf):
            got.append(back.timestamp)
    assert got == sent
