# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Writes examples/tune.mid, the short piece examples/smf_player.py plays.

    python examples/data/make_tune.py          # from the repository root

"Eight Bars for smolmidi": about 20 seconds in C major, 4/4 at 100 BPM, slowing to 90
and 75 BPM over the last two bars. A format 1 file with a conductor track (tempo, time
and key signature, markers) and four instrument tracks: flute melody (channel 1),
piano arpeggios (channel 2), bass (channel 3) and drums (channel 10), plus a GM System
On SysEx. Written here, note by note, with a small writer of its own (no libraries),
so the file is the same on every run.
"""

import os

PPQ = 480
EIGHTH = PPQ // 2
BAR = 4 * PPQ

NOTE_NAMES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def note(name):
    """'C4' -> 60, 'F#3' -> 54 (middle C is C4)."""
    pitch = NOTE_NAMES[name[0]]
    rest = name[1:]
    if rest.startswith("#"):
        pitch += 1
        rest = rest[1:]
    elif rest.startswith("b"):
        pitch -= 1
        rest = rest[1:]
    return 12 * (int(rest) + 1) + pitch


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def meta(kind, data):
    return bytes([0xFF, kind]) + vlq(len(data)) + data


def track_chunk(events):
    """events: (absolute tick, order, raw bytes); sorted, written with running status."""
    body = bytearray()
    now = 0
    running = None
    for tick, _, raw in sorted(events, key=lambda e: (e[0], e[1])):
        body += vlq(tick - now)
        now = tick
        if raw[0] < 0xF0 and raw[0] == running:
            body += raw[1:]  # running status: the status byte is left out
        else:
            body += raw
            if raw[0] < 0xF0:
                running = raw[0]
    body += b"\x00\xff\x2f\x00"
    return b"MTrk" + len(body).to_bytes(4, "big") + bytes(body)


def tempo(bpm):
    return meta(0x51, (60000000 // bpm).to_bytes(3, "big"))


# C | G | Am | F | C | G | F | C
CHORDS = [
    ("C3", "E3", "G3"),
    ("G2", "B2", "D3"),
    ("A2", "C3", "E3"),
    ("F2", "A2", "C3"),
    ("C3", "E3", "G3"),
    ("G2", "B2", "D3"),
    ("F2", "A2", "C3"),
    ("C3", "E3", "G3"),
]

# (note, eighths) bar by bar: 8 eighths a bar
MELODY = [
    [("E5", 2), ("G5", 1), ("E5", 1), ("D5", 2), ("C5", 2)],
    [("D5", 2), ("B4", 1), ("D5", 1), ("G5", 4)],
    [("C5", 2), ("E5", 1), ("A5", 1), ("G5", 2), ("E5", 2)],
    [("F5", 1), ("E5", 1), ("D5", 1), ("C5", 1), ("A4", 4)],
    [("E5", 2), ("G5", 1), ("C6", 1), ("B5", 2), ("G5", 2)],
    [("A5", 1), ("G5", 1), ("F5", 1), ("D5", 1), ("B4", 4)],
    [("A5", 2), ("G5", 1), ("F5", 1), ("E5", 2), ("D5", 2)],
    [("C5", 8)],
]


def add_note(events, channel, tick, length, pitch, velocity):
    # note-offs sort before note-ons at the same tick (order 0 vs 1), so repeated notes restrike
    events.append((tick, 1, bytes([0x90 | channel, pitch, velocity])))
    events.append((tick + length, 0, bytes([0x80 | channel, pitch, 0])))


def conductor():
    ev = [
        (0, 0, meta(0x03, b"Eight Bars for smolmidi")),
        (0, 0, meta(0x02, b"Written for the smolmidi demo, public domain")),
        (0, 1, meta(0x58, bytes([4, 2, 24, 8]))),  # 4/4
        (0, 1, meta(0x59, bytes([0, 0]))),  # C major
        (0, 1, tempo(100)),
        (0, 2, meta(0x06, b"A")),
        (4 * BAR, 2, meta(0x06, b"A'")),
        (6 * BAR, 1, tempo(90)),
        (7 * BAR, 1, tempo(75)),
        (7 * BAR, 2, meta(0x06, b"Ending")),
    ]
    return ev


def flute():
    ch = 0
    ev = [
        (0, 0, meta(0x03, b"Flute")),
        (0, 0, b"\xf0\x05\x7e\x7f\x09\x01\xf7"),  # GM System On
        (0, 1, bytes([0xC0 | ch, 73])),
        (0, 1, bytes([0xB0 | ch, 7, 100])),
        (0, 1, bytes([0xB0 | ch, 10, 72])),
    ]
    tick = 0
    for bar, notes in enumerate(MELODY):
        for name, eighths in notes:
            length = eighths * EIGHTH
            accent = 100 if tick % PPQ == 0 else 84
            add_note(ev, ch, tick, length * 9 // 10, note(name), accent)
            tick += length
    # a little vibrato-like bend on the last note
    last = 7 * BAR
    for k, bend in enumerate((8192, 8400, 8192, 7984, 8192)):
        ev.append((last + PPQ + k * PPQ // 2, 1, bytes([0xE0 | ch, bend & 0x7F, bend >> 7])))
    return ev


def piano():
    ch = 1
    ev = [
        (0, 0, meta(0x03, b"Piano")),
        (0, 1, bytes([0xC0 | ch, 0])),
        (0, 1, bytes([0xB0 | ch, 7, 80])),
        (0, 1, bytes([0xB0 | ch, 10, 52])),
    ]
    for bar, (root, third, fifth) in enumerate(CHORDS):
        start = bar * BAR
        if bar == 7:  # the last bar: one held chord
            for name in (root, third, fifth):
                add_note(ev, ch, start, BAR, note(name) + 12, 70)
            continue
        pattern = [root, fifth, third, fifth, root, fifth, third, fifth]
        for k, name in enumerate(pattern):
            pitch = note(name) + (12 if k == 4 else 0) + 12
            add_note(ev, ch, start + k * EIGHTH, EIGHTH, pitch, 62 if k % 2 else 70)
    return ev


def bass():
    ch = 2
    ev = [(0, 0, meta(0x03, b"Bass")), (0, 1, bytes([0xC0 | ch, 32])), (0, 1, bytes([0xB0 | ch, 7, 96]))]
    for bar, (root, third, fifth) in enumerate(CHORDS):
        start = bar * BAR
        low = note(root) - 12 if note(root) >= 48 else note(root)
        if bar == 7:
            add_note(ev, ch, start, BAR, low, 96)
            continue
        for beat, pitch in enumerate((low, low, note(fifth) - 12, low + 12)):
            add_note(ev, ch, start + beat * PPQ, PPQ * 7 // 8, pitch, 92 if beat % 2 == 0 else 80)
    return ev


def drums():
    ch = 9
    KICK, SNARE, HAT, CRASH = 36, 38, 42, 49
    ev = [(0, 0, meta(0x03, b"Drums"))]
    for bar in range(8):
        start = bar * BAR
        if bar == 7:
            add_note(ev, ch, start, PPQ, CRASH, 100)
            add_note(ev, ch, start, PPQ, KICK, 110)
            continue
        if bar in (0, 4):
            add_note(ev, ch, start, PPQ, CRASH, 96)
        for k in range(8):
            add_note(ev, ch, start + k * EIGHTH, EIGHTH // 2, HAT, 70 if k % 2 else 84)
        for beat in range(4):
            add_note(ev, ch, start + beat * PPQ, EIGHTH, KICK if beat % 2 == 0 else SNARE, 104 if beat % 2 == 0 else 92)
        if bar == 6:  # a fill into the last bar
            for k in range(4):
                add_note(ev, ch, start + 3 * PPQ + k * PPQ // 4, PPQ // 8, SNARE, 70 + 8 * k)
    return ev


def tune():
    """The whole file as bytes."""
    tracks = [conductor(), flute(), piano(), bass(), drums()]
    head = (
        b"MThd"
        + (6).to_bytes(4, "big")
        + (1).to_bytes(2, "big")
        + len(tracks).to_bytes(2, "big")
        + PPQ.to_bytes(2, "big")
    )
    return head + b"".join(track_chunk(t) for t in tracks)


def main():
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tune.mid")
    with open(path, "wb") as f:
        f.write(tune())
    print("wrote", path)


if __name__ == "__main__":
    main()
