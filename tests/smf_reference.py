# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""A plain, whole-file Standard MIDI File decoder: the model smf_lite is checked against.

Written separately from smf_lite and as simply as possible: read every byte into memory,
decode each track into a list, merge with a stable sort, and compute times with exact
fractions from a tempo map. Slow and memory-hungry on purpose; CPython only.
"""

from fractions import Fraction
from math import floor

DEFAULT_TEMPO = 500000
TICK_LIMIT = 0x2FFFFFFF  # smf_lite refuses later ticks (sums must stay below 2**30 on a board)
MS_LIMIT = 0x20000000  # and song times past this many milliseconds (6.2 days)


class ReferenceError(Exception):
    """The model refuses the file."""


def read_vlq(data, pos, end):
    value = 0
    for count in range(4):
        if pos >= end:
            raise ReferenceError("vlq past end")
        b = data[pos]
        pos += 1
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            return value, pos
    raise ReferenceError("vlq too long")


def decode_track(data, start, end, payload_size, whole_sysex_only=False):
    """Events of one track as dicts with 'tick' relative to the track start."""
    events = []
    pos = start
    tick = 0
    running = None
    while pos < end:
        delta, pos = read_vlq(data, pos, end)
        tick += delta
        if pos >= end:
            raise ReferenceError("delta without event")
        first = data[pos]
        if first & 0x80:
            status = first
            pos += 1
        else:
            if running is None:
                raise ReferenceError("no running status")
            status = running
        event = {"tick": tick, "status": status, "meta_type": None, "length": 0, "truncated": False}
        if 0x80 <= status <= 0xEF:
            running = status
            count = 1 if status >> 4 in (0xC, 0xD) else 2
            body = data[pos : pos + count]
            if len(body) < count or pos + count > end or any(b & 0x80 for b in body):
                raise ReferenceError("bad channel message")
            pos += count
            event["data"] = bytes(body)
            event["send"] = bytes([status]) + bytes(body)
        elif status == 0xFF:
            if pos >= end:
                raise ReferenceError("meta past end")
            kind = data[pos]
            length, pos = read_vlq(data, pos + 1, end)
            if pos + length > end:
                raise ReferenceError("meta past end")
            body = data[pos : pos + length]
            pos += length
            event.update(
                meta_type=kind,
                length=length,
                truncated=length > payload_size,
                data=bytes(body[:payload_size]),
                send=b"",
                full=bytes(body),
            )
            if kind == 0x51 and length < 3:
                raise ReferenceError("short tempo")
            events.append(event)
            if kind == 0x2F:
                return events
            continue
        elif status in (0xF0, 0xF7):
            length, pos = read_vlq(data, pos, end)
            if pos + length > end:
                raise ReferenceError("sysex past end")
            body = bytes(data[pos : pos + length])
            pos += length
            event.update(
                length=length,
                truncated=length > payload_size,
                data=body[:payload_size],
                send=b""
                if whole_sysex_only and length > payload_size
                else (b"\xf0" + body)
                if status == 0xF0
                else body,
            )
        else:
            raise ReferenceError("bad status")
        events.append(event)
    return events


def decode(data, payload_size=64, lite=False):
    """(header dict, merged events with 'track', 'tick', 'time_us' (floor of exact)).

    lite: as smf_lite reads it (formats 0 and 1 with PPQ division only, a SysEx longer
    than the payload not sent); otherwise as smf_extras.MidiFile does."""
    data = bytes(data)
    if len(data) < 14 or data[:4] != b"MThd":
        raise ReferenceError("no MThd")
    hlen = int.from_bytes(data[4:8], "big")
    if hlen < 6 or 8 + hlen > len(data):
        raise ReferenceError("bad header length")
    fmt, ntracks, division = (int.from_bytes(data[8 + 2 * k : 10 + 2 * k], "big") for k in range(3))
    if fmt > 2:
        raise ReferenceError("format")
    if division & 0x8000:
        if 256 - (division >> 8) not in (24, 25, 29, 30) or not division & 0xFF:
            raise ReferenceError("SMPTE division")
    elif division == 0:
        raise ReferenceError("division 0")
    if lite and (fmt == 2 or division & 0x8000):
        raise ReferenceError("smf_lite reads formats 0 and 1 with PPQ division")
    pos = 8 + hlen
    tracks = []
    while len(tracks) < ntracks:
        if pos + 8 > len(data):
            raise ReferenceError("missing tracks")
        kind = data[pos : pos + 4]
        if any(not 0x20 <= c <= 0x7E for c in kind):
            raise ReferenceError("chunk type is not 4 ASCII characters")
        length = int.from_bytes(data[pos + 4 : pos + 8], "big")
        if pos + 8 + length > len(data):
            raise ReferenceError("chunk past end")
        if kind == b"MTrk":
            tracks.append(decode_track(data, pos + 8, pos + 8 + length, payload_size, lite))
        pos += 8 + length
    merged = []
    if fmt == 2:
        offset = 0
        for index, events in enumerate(tracks):
            for event in events:
                event["track"] = index
                event["tick"] += offset
                merged.append(event)
            if events:
                offset = events[-1]["tick"]
    else:
        for index, events in enumerate(tracks):
            for event in events:
                event["track"] = index
                merged.append(event)
        merged.sort(key=lambda e: e["tick"])  # stable: track order, then file order
    # exact time from a tempo map (PPQ) or the frame rate (SMPTE)
    if division & 0x8000:
        fps = 256 - (division >> 8)
        rate = Fraction(30000, 1001) if fps == 29 else Fraction(fps)
        per_tick = Fraction(1000000) / (rate * (division & 0xFF))
        for event in merged:
            event["exact_us"] = event["tick"] * per_tick
    else:
        changes = [(e["tick"], int.from_bytes(e["full"][:3], "big")) for e in merged if e["meta_type"] == 0x51]
        for event in merged:
            event["exact_us"] = time_at(event["tick"], changes, division)
    for event in merged:
        event["time_us"] = floor(event["exact_us"])
        # smf_lite keeps ticks and milliseconds small ints on 32-bit boards
        if event["tick"] > TICK_LIMIT or event["time_us"] // 1000 > MS_LIMIT:
            raise ReferenceError("song too long")
    return {"format": fmt, "division": division, "ntracks": len(tracks)}, merged


def time_at(tick, changes, division):
    """Exact microseconds at tick, given (tick, tempo) changes in merged order."""
    total = Fraction(0)
    last_tick = 0
    tempo = DEFAULT_TEMPO
    for change_tick, new_tempo in changes:
        if change_tick >= tick:
            break
        total += Fraction((change_tick - last_tick) * tempo, division)
        last_tick = change_tick
        tempo = new_tempo
    return total + Fraction((tick - last_tick) * tempo, division)
