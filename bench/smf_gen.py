# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Deterministic format-1 Standard MIDI Files for the file-reader benchmark.

make_smf(target_bytes) returns (file bytes, expected events). The file has 16 tracks:
track 0 holds a track name, a time signature and a tempo change every 1-4 beats over
the whole song; tracks 1-15 each hold a name, one SysEx event, then notes (note-off
written as 8n or as 9n with velocity 0), controller changes, program changes and pitch
bends, mostly in running status, until the file reaches target_bytes.

Expected events are what a reader must deliver in order: every channel event and
every tempo change, merged by absolute tick (ties by track index, then file order),
each as (tick, canonical bytes): channel events as status + data with note-on
velocity 0 written as note-off velocity 0; tempo as FF 51 + 3 tempo bytes.
Track names, time signature, SysEx and end of track are in the file but not compared
(readers differ in which they report).
"""

import random
import struct

DIVISION = 480
TRACKS = 16


def vlq(value):
    """A MIDI variable-length quantity."""
    out = bytearray((value & 0x7F,))
    value >>= 7
    while value:
        out.insert(0, 0x80 | (value & 0x7F))
        value >>= 7
    return bytes(out)


def _meta(delta, kind, data):
    return vlq(delta) + bytes((0xFF, kind)) + vlq(len(data)) + data


def _canon(status, data):
    if status & 0xF0 == 0x90 and data[1] == 0:
        status = 0x80 | (status & 15)
    return bytes((status,)) + bytes(data)


def _channel_track(rng, index, budget):
    """(track body, [(tick, seq, canonical)]) of about budget bytes."""
    channel = (index - 1) % 16
    body = bytearray(_meta(0, 0x03, b"Track %d" % index))
    sysex = bytes(rng.randrange(128) for _ in range(rng.randrange(8, 24)))
    body += vlq(0) + b"\xf0" + vlq(len(sysex) + 1) + sysex + b"\xf7"
    events = []
    tick = 0
    running = None
    sounding = []
    while len(body) < budget:
        delta = rng.choice((0, 0, 30, 60, 120, 240, rng.randrange(1, 2000)))
        tick += delta
        kind = rng.randrange(100)
        if (kind < 45 and len(sounding) < 12) or not sounding:
            note = rng.randrange(24, 108)
            status, data = 0x90 | channel, (note, rng.randrange(1, 128))
            sounding.append(note)
        elif kind < 80 or len(sounding) >= 12:
            note = sounding.pop(0)
            if rng.randrange(2):
                status, data = 0x90 | channel, (note, 0)
            else:
                status, data = 0x80 | channel, (note, rng.randrange(128))
        elif kind < 90:
            status, data = 0xB0 | channel, (rng.randrange(120), rng.randrange(128))
        elif kind < 93:
            status, data = 0xC0 | channel, (rng.randrange(128),)
        else:
            status, data = 0xE0 | channel, (rng.randrange(128), rng.randrange(128))
        body += vlq(delta)
        if status != running or rng.randrange(10) == 0:
            body.append(status)
        body += bytes(data)
        running = status
        events.append((tick, _canon(status, data)))
    for note in sounding:
        body += vlq(0) + bytes((0x80 | channel, note, 64))
        events.append((tick, _canon(0x80 | channel, (note, 64))))
    body += _meta(0, 0x2F, b"")
    return bytes(body), events


def _tempo_track(rng, last_tick):
    body = bytearray(_meta(0, 0x03, b"Conductor"))
    body += _meta(0, 0x58, b"\x04\x02\x18\x08")
    events = []
    tick = 0
    delta = 0
    while tick <= last_tick:
        tempo = rng.randrange(300000, 1000000)
        data = tempo.to_bytes(3, "big")
        body += _meta(delta, 0x51, data)
        events.append((tick, b"\xff\x51" + data))
        delta = DIVISION * rng.randrange(1, 5)
        tick += delta
    body += _meta(0, 0x2F, b"")
    return bytes(body), events


def make_smf(target_bytes, seed=5):
    """(file bytes, expected [(tick, canonical bytes)]) for a 16-track format-1 file."""
    budget = target_bytes // TRACKS
    for _attempt in range(2):  # a second pass corrects the budget for the tempo track's share
        rng = random.Random(seed)
        tracks = [_channel_track(rng, i, budget) for i in range(1, TRACKS)]
        last = max(ev[-1][0] for _, ev in tracks)
        tracks.insert(0, _tempo_track(rng, last))
        size = 14 + sum(8 + len(body) for body, _ in tracks)
        budget = max(64, budget * target_bytes // size)
    out = bytearray(b"MThd" + struct.pack(">IHHH", 6, 1, TRACKS, DIVISION))
    merged = []
    for index, (body, events) in enumerate(tracks):
        out += b"MTrk" + struct.pack(">I", len(body)) + body
        merged.extend((tick, index, seq, ev) for seq, (tick, ev) in enumerate(events))
    merged.sort()
    return bytes(out), [(tick, ev) for tick, _index, _seq, ev in merged]


def pack_events(events):
    """Expected events as a blob: length byte, then 4-byte tick + canonical bytes, each."""
    out = bytearray()
    for tick, ev in events:
        item = tick.to_bytes(4, "big") + ev
        out.append(len(item))
        out += item
    return bytes(out)
