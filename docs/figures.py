# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The documentation's pictures, generated (docs/conf.py runs this; so can you).

    python docs/figures.py [OUT_DIR]     (default: docs/_generated)

- din_wiring.svg: boards/din_wiring.svg as it is (drawn once, for makers).
- bench.svg: time per message, ours against the peer, from the headline table that
  `make bench` wrote into bench/RESULTS.md (MicroPython unix, same heap).
- player_timing.svg: smf_lite.Player playing examples/tune.mid on a virtual clock, a
  main loop that calls update() every 0-2 ms (seeded), each message's send time minus
  the time it is due, the due times taken from mido's reading of the same file.
- clock_follower.svg: smolmidi_clock.ClockFollower fed MIDI clock with jitter (seeded)
  on a virtual clock, the tempo it reads against the tempo sent, through two changes.

SVG written by hand (no plotting library): a few rectangles, lines and labels.
"""

import html
import os
import random
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12"'
OURS, PEER = "#2b6cb0", "#c05621"


def _svg(width, height, title, body):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" %s>\n'
        '<title>%s</title>\n<rect width="100%%" height="100%%" fill="white"/>\n%s</svg>\n'
        % (width, height, width, height, FONT, html.escape(title), "\n".join(body))
    )


def _text(x, y, text, anchor="start", extra=""):
    return '<text x="%.1f" y="%.1f" text-anchor="%s" %s>%s</text>' % (x, y, anchor, extra, html.escape(text))


# ---- bench chart -------------------------------------------------------------------------


def headline(results_md):
    """[(benchmark, peer, ours_us, peer_us, unit)] from RESULTS.md's headline table."""
    with open(results_md, encoding="utf-8") as f:
        text = f.read()
    section = text.split("## Headline", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4:
            continue
        ours, peer = re.match(r"([\d.]+) µs/(\w+)", cells[2]), re.match(r"([\d.]+) µs/(\w+)", cells[3])
        if ours and peer:
            rows.append((cells[0], cells[1], float(ours.group(1)), float(peer.group(1)), ours.group(2)))
    if not rows:
        raise ValueError("%s: no headline rows with µs figures" % results_md)
    return rows


def bench_svg(rows):
    """A bar pair per benchmark on one linear scale of µs, ours above the peer's."""
    bar, gap, top, right = 13, 16, 60, 120
    left = 20 + 7 * max(len(r[0]) for r in rows)  # room for the longest label
    width = left + 560 + right
    scale = (width - left - right) / max(max(r[2], r[3]) for r in rows)
    height = top + len(rows) * (2 * bar + gap) + 4
    body = [
        _text(
            10,
            22,
            "Time per message on MicroPython (unix port, same heap): smolmidi against the peer",
            extra='font-size="14" font-weight="bold"',
        ),
        _text(10, 42, "from bench/RESULTS.md (make bench); shorter is faster", extra='fill="#555"'),
        '<rect x="%d" y="30" width="12" height="12" fill="%s"/>' % (width - 250, OURS),
        _text(width - 233, 41, "smolmidi"),
        '<rect x="%d" y="30" width="12" height="12" fill="%s"/>' % (width - 160, PEER),
        _text(width - 143, 41, "peer"),
    ]
    y = top
    for name, peer, ours, theirs, unit in rows:
        body.append(_text(left - 8, y + bar + 4, name, "end"))
        body.append(_text(left - 8, y + 2 * bar + 4, "vs " + peer, "end", 'fill="#555" font-size="11"'))
        for i, (value, colour) in enumerate(((ours, OURS), (theirs, PEER))):
            w = max(1.0, value * scale)
            body.append(
                '<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (left, y + i * bar, w, bar - 2, colour)
            )
            body.append(
                _text(left + w + 4, y + i * bar + bar - 3, "%.2f µs/%s" % (value, unit), extra='font-size="11"')
            )
        y += 2 * bar + gap
    body.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>' % (left, top - 4, left, y - gap + 4))
    return _svg(width, height, "smolmidi benchmark: time per message", body)


# ---- player timing -----------------------------------------------------------------------


def due_times(path):
    """[(seconds, wire bytes)] of every channel and SysEx message in the file, by mido."""
    import mido

    due, now = [], 0.0
    for msg in mido.MidiFile(path):  # merged tracks, time = seconds since the previous
        now += msg.time
        if not msg.is_meta:
            due.append((now, bytes(msg.bytes())))
    return due


class _Clock:
    def __init__(self):
        self.us = 0

    def ticks_us(self):
        return self.us & 0x3FFFFFFF


class _Recorder:
    def __init__(self, clock):
        self.clock = clock
        self.sent = []

    def write(self, buf, *args):
        self.sent.append((self.clock.us, bytes(buf)))
        return len(buf)


def player_errors(path, seed=1, max_step_us=2000):
    """[(due seconds, error µs)] for each message smf_lite.Player sends of the file."""
    sys.path.insert(0, ROOT)
    import smf_lite

    clock = _Clock()
    port = _Recorder(clock)
    rng = random.Random(seed)
    song = smf_lite.MidiFile(path)
    player = smf_lite.Player(song, port, ticks_us=clock.ticks_us, ticks_period=1 << 30)
    player.start()
    while player.update():
        clock.us += rng.randrange(max_step_us + 1)  # the rest of a main loop's turn
    song.close()
    due = due_times(path)
    sent = port.sent
    if sorted(b for _, b in sent) != sorted(b for _, b in due):
        raise AssertionError("the player sent other messages than mido reads from %s" % path)
    # pair in order within each due time (ties may leave in either order)
    errors, i = [], 0
    while i < len(due):
        j = i
        while j < len(due) and abs(due[j][0] - due[i][0]) < 1e-9:
            j += 1
        for k in range(i, j):
            errors.append((due[k][0], sent[k][0] - due[k][0] * 1e6))
        i = j
    return errors


def timing_svg(errors, max_step_us):
    left, top, width, height, bottom = 70, 60, 1000, 380, 50
    plot_w, plot_h = width - left - 30, height - top - bottom
    t_end = max(t for t, _ in errors) or 1
    lo = min(0, min(e for _, e in errors))
    hi = max(max_step_us, max(e for _, e in errors))
    y_of = lambda e: top + plot_h - (e - lo) / (hi - lo) * plot_h  # noqa: E731
    x_of = lambda t: left + t / t_end * plot_w  # noqa: E731
    worst = max(abs(e) for _, e in errors)
    body = [
        _text(
            10,
            22,
            "smf_lite.Player: when each message of examples/tune.mid went out, minus when it was due",
            extra='font-size="14" font-weight="bold"',
        ),
        _text(
            10,
            42,
            "virtual clock; the main loop calls update() every 0-%d µs (seeded); due times from mido; "
            "%d messages, worst %.0f µs, no drift" % (max_step_us, len(errors), worst),
            extra='fill="#555"',
        ),
        '<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>' % (left, top, plot_w, plot_h),
    ]
    for e in range(0, int(hi) + 1, 500):
        y = y_of(e)
        body.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>' % (left, y, left + plot_w, y))
        body.append(_text(left - 6, y + 4, "%d µs" % e, "end", 'font-size="11"'))
    for s in range(0, int(t_end) + 1, 2):
        x = x_of(s)
        body.append(_text(x, top + plot_h + 16, "%d s" % s, "middle", 'font-size="11"'))
    body.append(
        '<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#999" stroke-dasharray="4 3"/>'
        % (left, y_of(max_step_us), left + plot_w, y_of(max_step_us))
    )
    body.append(
        _text(
            left + plot_w - 4,
            y_of(max_step_us) - 4,
            "longest gap between update() calls",
            "end",
            'font-size="11" fill="#555"',
        )
    )
    body += ['<circle cx="%.1f" cy="%.1f" r="1.6" fill="%s"/>' % (x_of(t), y_of(e), OURS) for t, e in errors]
    body.append(_text(left + plot_w / 2, height - 12, "due time in the song", "middle"))
    return _svg(width, height, "smf_lite.Player timing error on a virtual clock", body)


# ---- clock follower ----------------------------------------------------------------------


class _Clock24:
    type = 0xF8  # CLOCK
    data = None


def follower_track(seed=1, jitter_us=1000, tempos=((0, 120), (10, 150), (20, 90)), end_s=30):
    """[(seconds, true bpm, estimated bpm)] at each clock: smolmidi_clock.ClockFollower fed
    24 clocks a beat at the tempos given (from each start second on), each arriving up to
    jitter_us late (seeded), on a virtual microsecond clock."""
    sys.path.insert(0, ROOT)
    import smolmidi_clock

    rng = random.Random(seed)
    follower = smolmidi_clock.ClockFollower(unit_us=1, mask=(1 << 30) - 1)
    follower.feed(type("Start", (), {"type": 0xFA, "data": None})(), 0)
    track, ideal_us, msg = [], 0.0, _Clock24()
    while ideal_us < end_s * 1e6:
        bpm = [b for start, b in tempos if ideal_us >= start * 1e6][-1]
        now = int(ideal_us) + rng.randrange(jitter_us + 1)
        follower.feed(msg, now & ((1 << 30) - 1))
        track.append((ideal_us / 1e6, bpm, follower.bpm100 / 100))
        ideal_us += 60e6 / bpm / 24
    return track


def follower_svg(track, jitter_us):
    left, top, width, height, bottom = 70, 60, 1000, 380, 50
    plot_w, plot_h = width - left - 30, height - top - bottom
    t_end = track[-1][0]
    known = [est for _, _, est in track if est]
    lo = min(min(b for _, b, _ in track), min(known)) - 10
    hi = max(max(b for _, b, _ in track), max(known)) + 10
    y_of = lambda b: top + plot_h - (b - lo) / (hi - lo) * plot_h  # noqa: E731
    x_of = lambda t: left + t / t_end * plot_w  # noqa: E731
    body = [
        _text(
            10,
            22,
            "smolmidi_clock.ClockFollower: the tempo it reads from MIDI clock, against the tempo sent",
            extra='font-size="14" font-weight="bold"',
        ),
        _text(
            10,
            42,
            "virtual clock; 24 clocks a beat, each up to %d µs late (seeded); the tempo steps at 10 s "
            "and 20 s" % jitter_us,
            extra='fill="#555"',
        ),
        '<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>' % (left, top, plot_w, plot_h),
    ]
    for b in range(int(lo) // 10 * 10 + 10, int(hi), 10):
        body.append(
            '<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>' % (left, y_of(b), left + plot_w, y_of(b))
        )
        body.append(_text(left - 6, y_of(b) + 4, "%d BPM" % b, "end", 'font-size="11"'))
    for s in range(0, int(t_end) + 1, 5):
        body.append(_text(x_of(s), top + plot_h + 16, "%d s" % s, "middle", 'font-size="11"'))
    sent = " ".join("%.1f,%.1f" % (x_of(t), y_of(b)) for t, b, _ in track)
    body.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>' % (sent, PEER))
    read = " ".join("%.1f,%.1f" % (x_of(t), y_of(e)) for t, _, e in track if e)
    body.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="1.2"/>' % (read, OURS))
    body += [
        '<rect x="%d" y="30" width="12" height="12" fill="%s"/>' % (width - 300, PEER),
        _text(width - 283, 41, "tempo sent"),
        '<rect x="%d" y="30" width="12" height="12" fill="%s"/>' % (width - 180, OURS),
        _text(width - 163, 41, "tempo read (bpm100)"),
    ]
    body.append(_text(left + plot_w / 2, height - 12, "time", "middle"))
    return _svg(width, height, "smolmidi_clock.ClockFollower tempo on a virtual clock", body)


def build(out=os.path.join(HERE, "_generated")):
    """Write the pictures into out; return their paths."""
    os.makedirs(out, exist_ok=True)
    names = ("din_wiring.svg", "bench.svg", "player_timing.svg", "clock_follower.svg")
    paths = [os.path.join(out, n) for n in names]
    shutil.copyfile(os.path.join(ROOT, "boards", "din_wiring.svg"), paths[0])
    with open(paths[1], "w", encoding="utf-8") as f:
        f.write(bench_svg(headline(os.path.join(ROOT, "bench", "RESULTS.md"))))
    with open(paths[2], "w", encoding="utf-8") as f:
        f.write(timing_svg(player_errors(os.path.join(ROOT, "examples", "tune.mid")), 2000))
    with open(paths[3], "w", encoding="utf-8") as f:
        f.write(follower_svg(follower_track(jitter_us=1000), 1000))
    return paths


if __name__ == "__main__":
    for p in build(*sys.argv[1:]):
        print(p)
