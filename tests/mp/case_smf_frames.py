# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_lite's reading and playing make no allocation at all, not even one freed at once.

MicroPython puts a function's frame on the heap (and frees it on return) when it needs
more than 11 slots of locals and stack: gc.mem_alloc() cannot see that after the call,
but it costs time on every call. Two checks: micropython.mem_total() (unix port only)
must not move over many calls; and on both VMs a file whose readinto and a port whose
write read gc.mem_alloc() from inside the call (collector off) see the heap as it was
just before next_event() or update() was called: a caller's heap frame would show
there. On CPython both checks are not applicable.
"""

import gc
import io

from mptest import eq, ok, no_transient, not_applicable, IS_MICROPYTHON, RECORD, NullPort

import smf_lite
import smf_extras
from smf_writer import chunk, smf, vlq, note_on, cc, program, text, tempo, sysex


class Sampling:
    """A file (readinto, seek, tell over bytes) and port (write) that record, inside
    each call, how far the heap grew since arm(): a caller's heap frame shows here."""

    def __init__(self, data=b""):
        self.f = io.BytesIO(data)
        self.base = 0
        self.worst = 0
        self.calls = 0
        self.count = 0

    def arm(self):
        self.base = gc.mem_alloc() if IS_MICROPYTHON else 0

    def _sample(self):
        self.calls += 1
        if IS_MICROPYTHON:
            grew = gc.mem_alloc() - self.base
            if grew > self.worst:
                self.worst = grew

    def readinto(self, buf):
        self._sample()
        return self.f.readinto(buf)

    def seek(self, pos, whence=0):
        return self.f.seek(pos, whence)

    def tell(self):
        return self.f.tell()

    def write(self, buf):
        self._sample()
        self.count += len(buf)
        return len(buf)


def sampled(step, sampler, n, what):
    """Run step n times with the collector off, arming sampler before each call."""
    step()
    sampler.worst = sampler.calls = 0
    gc.collect()
    gc.disable()
    try:
        for _ in range(n):
            sampler.arm()
            step()
    finally:
        gc.enable()
    ok(sampler.calls > 100, "%s: the sampler was called (%d)" % (what, sampler.calls))
    if not IS_MICROPYTHON:
        not_applicable("heap frames seen from inside the call (%s)" % what)
        return
    RECORD["checks"] += 1
    eq(sampler.worst, 0, "%s: heap grew inside a call (a heap frame)" % what)


def busy_song(with_sysex=True):
    """16 tracks: running status, one- and multi-byte delta-times, metas, SysEx, tempo."""
    tracks = []
    for t in range(16):
        body = bytearray()
        for k in range(300):
            body += vlq((k * 7 + t) % 5) + note_on(t, 40 + k % 40, 1 + k % 100)
            body += vlq(0) + bytes([40 + k % 40, 0])  # running status note-off
            body += vlq(300 + k) + cc(t, 7, k % 128)  # two-byte delta-time
            if k % 25 == 0:
                body += vlq(1) + text(1, "verse %d" % k)
                if with_sysex:
                    body += vlq(0) + sysex(b"\x7e\x7f\x09\x01\xf7")
            if t == 0 and k % 10 == 0:
                body += vlq(0) + tempo(400000 + k) + vlq(0) + program(0, k % 128)
        tracks.append(chunk(b"MTrk", bytes(body) + b"\x00\xff\x2f\x00"))
    return smf(1, 480, tracks)


def test_reading_timing_and_sending_events_allocates_nothing_even_briefly():
    song = smf_lite.MidiFile(io.BytesIO(busy_song()), buffer_size=32)
    port = NullPort()
    next_event = song.next_event
    rewind = song.rewind
    write_to = song.event.write_to
    seen = [0]

    def step():
        e = next_event()
        if e is None:
            rewind()
            return
        seen[0] += e.time_ms & 1  # asks for the time: worked out then
        if e.status < 0xF0:  # (sending a SysEx makes a memoryview of its length)
            write_to(port)

    no_transient(step, 20000, "next_event + time_ms + write_to")
    ok(port.count > 30000, "events were sent")


class Clock:
    now = 0

    def ticks(self):
        return self.now


def player_step(player, clock):
    update = player.update  # bound method made once: creating it allocates
    start = player.start

    def step():
        clock.now += 3
        if not update():
            start()

    return step


def test_player_update_allocates_nothing_even_briefly():
    for cls in (smf_lite.Player, smf_extras.Player):
        clock = Clock()
        port = NullPort()
        # (no SysEx: sending one makes a memoryview of its length)
        player = cls(smf_lite.MidiFile(io.BytesIO(busy_song(False))), port, ticks_ms=clock.ticks)
        player.start()
        step = player_step(player, clock)
        no_transient(step, 10000, "%s.update" % cls.__module__)
        ok(player.sent > 2500, "events were sent (%d)" % player.sent)
        eq(player.lost_bytes, 0)


def test_no_heap_frame_under_next_event_or_update_on_either_vm():
    data = busy_song(True)
    source = Sampling(data)
    song = smf_lite.MidiFile(source, buffer_size=32)
    next_event = song.next_event
    rewind = song.rewind

    def read():
        e = next_event()
        if e is None:
            rewind()
        else:
            e.time_ms

    sampled(read, source, 1000, "next_event")  # fewer than 10,000: mem_alloc() walks the heap
    for cls in (smf_lite.Player, smf_extras.Player):
        clock = Clock()
        port = Sampling()
        player = cls(smf_lite.MidiFile(io.BytesIO(busy_song(False))), port, ticks_ms=clock.ticks)
        player.start()
        sampled(player_step(player, clock), port, 1500, "%s.update" % cls.__module__)
        ok(port.count > 2000, "bytes were sent (%d)" % port.count)
