# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""A tiny Standard MIDI File writer for the tests; runs on MicroPython too.

Events are raw bytes with their delta-time: `track([(0, note_on(0, 60, 100)), ...])`.
Nothing here checks what it writes, so tests can build broken files just as easily.
"""


def vlq(n):
    """Variable-length quantity: 7 bits a byte, high bit set on all but the last."""
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    out.reverse()
    return bytes(out)


def u16(n):
    return bytes([(n >> 8) & 0xFF, n & 0xFF])


def u32(n):
    return bytes([(n >> 24) & 0xFF, (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF])


def chunk(kind, body):
    """A chunk: 4-byte id, 32-bit length, body."""
    return kind + u32(len(body)) + body


def header(fmt, ntracks, division, extra=b""):
    """MThd chunk; extra bytes make the header longer than 6, as the spec allows."""
    return chunk(b"MThd", u16(fmt) + u16(ntracks) + u16(division) + extra)


def smpte_division(fps, ticks_per_frame):
    """Division word for SMPTE time: fps is 24, 25, 29 (29.97 drop) or 30."""
    return ((256 - fps) << 8) | ticks_per_frame


def note_on(channel, note, velocity):
    return bytes([0x90 | channel, note, velocity])


def note_off(channel, note, velocity=0):
    return bytes([0x80 | channel, note, velocity])


def cc(channel, control, value):
    return bytes([0xB0 | channel, control, value])


def program(channel, number):
    return bytes([0xC0 | channel, number])


def meta(kind, data=b""):
    return bytes([0xFF, kind]) + vlq(len(data)) + data


def tempo(us_per_quarter):
    return meta(0x51, bytes([(us_per_quarter >> 16) & 0xFF, (us_per_quarter >> 8) & 0xFF, us_per_quarter & 0xFF]))


def text(kind, s):
    return meta(kind, s.encode())


END_OF_TRACK = b"\xff\x2f\x00"


def sysex(data):
    """F0 event: data should end with F7 for a complete message."""
    return b"\xf0" + vlq(len(data)) + data


def escape(data):
    """F7 event: raw bytes."""
    return b"\xf7" + vlq(len(data)) + data


def track_body(events, eot=True):
    """events: (delta, raw event bytes) pairs; an end of track is added unless eot=False."""
    out = bytearray()
    for delta, raw in events:
        out += vlq(delta)
        out += raw
    if eot:
        out += b"\x00" + END_OF_TRACK
    return bytes(out)


def track(events, eot=True):
    """An MTrk chunk from (delta, raw) pairs."""
    return chunk(b"MTrk", track_body(events, eot))


def smf(fmt, division, tracks, ntracks=None):
    """A whole file from track event lists (or ready chunks as bytes)."""
    out = header(fmt, len(tracks) if ntracks is None else ntracks, division)
    for t in tracks:
        out += t if isinstance(t, bytes) else track(t)
    return out


def write_big(path, ntracks, block, repeats, division=480, fmt=1):
    """Write a file of ntracks tracks, each `block` (raw delta+event bytes) repeated
    `repeats` times then an end of track, in pieces: nothing file-sized is held."""
    f = open(path, "wb")
    try:
        f.write(header(fmt, ntracks, division))
        body_length = len(block) * repeats + 4
        for _ in range(ntracks):
            f.write(b"MTrk" + u32(body_length))
            for _ in range(repeats):
                f.write(block)
            f.write(b"\x00" + END_OF_TRACK)
    finally:
        f.close()
    return 14 + ntracks * (8 + body_length)
