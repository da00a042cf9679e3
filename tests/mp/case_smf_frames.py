"""smf_lite's reading and playing make no allocation at all, not even one freed at once.

MicroPython puts a function's frame on the heap (and frees it on return) when it needs
more than 11 slots of locals and stack: gc.mem_alloc() cannot see that, but it costs
time on every call and can start a collection when the heap is full. The unix port's
micropython.mem_total() counts every byte ever allocated, so these cases check it does
not move while events are read, timed, sent and played. (The WebAssembly build and
CPython have no mem_total: there the cases run without the check.)
"""

import io

from mptest import eq, ok, NullPort

import smf_lite
from smf_writer import chunk, smf, vlq, note_on, cc, program, text, tempo, sysex

try:
    from micropython import mem_total
except (ImportError, AttributeError):
    mem_total = None


def transient(fn, n, what):
    """Bytes allocated (even if freed at once) by n calls of fn after a warm-up call."""
    fn()
    if mem_total is None:
        for _ in range(n):
            fn()
        return 0
    before = mem_total()
    for _ in range(n):
        fn()
    got = mem_total() - before
    if got:
        raise AssertionError("%s: %d calls allocated %d bytes (freed or not), want 0"
                             % (what, n, got))
    return got


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
    transient(step, 20000, "next_event + time_ms + write_to")
    ok(port.count > 30000, "events were sent")


def test_player_update_allocates_nothing_even_briefly():
    class Clock:
        now = 0

        def ticks(self):
            return self.now
    clock = Clock()
    port = NullPort()
    # (no SysEx: sending one makes a memoryview of its length)
    player = smf_lite.Player(smf_lite.MidiFile(io.BytesIO(busy_song(False))), port,
                             ticks_ms=clock.ticks, loop=True)
    player.start()
    update = player.update

    def step():
        clock.now += 3
        update()
    transient(step, 20000, "Player.update")
    ok(player.sent > 5000, "events were sent (%d)" % player.sent)
    eq(player.lost_bytes, 0)
