# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The demo: examples/tune.mid is what examples/data/make_tune.py writes, a 15-30 s
piece mido reads the same way, and `make demo` (python -m host_shim run
examples/smf_player.py --virtual-clock) prints every event readably, on time, and ends."""

import importlib.util
import os
import subprocess
import sys

import mido

import smf_lite

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TUNE = os.path.join(ROOT, "examples", "tune.mid")


def make_tune():
    spec = importlib.util.spec_from_file_location("make_tune", os.path.join(ROOT, "examples", "data", "make_tune.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_tune_is_what_the_script_writes():
    with open(TUNE, "rb") as f:
        assert f.read() == make_tune().tune()


def test_tune_is_a_short_piece_with_several_tracks_channels_and_a_tempo_change():
    mid = mido.MidiFile(TUNE)
    assert 15 <= mid.length <= 30
    assert mid.type == 1 and len(mid.tracks) >= 4
    channels = {m.channel for m in mid if hasattr(m, "channel")}
    assert len(channels) >= 3 and 9 in channels
    assert len({m.tempo for m in mid if m.type == "set_tempo"}) >= 2
    song = smf_lite.MidiFile(TUNE)
    last = [e.time_us for e in song][-1]
    assert abs(last - mid.length * 1e6) <= 1


def test_make_demo_prints_every_event_on_time_and_ends_by_itself():
    proc = subprocess.run(
        [sys.executable, "-m", "host_shim", "run", "examples/smf_player.py", "--virtual-clock"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "playing tune.mid: format 1, 5 tracks, 480 ticks per quarter note" in lines
    sent = [line for line in lines if " usb out " in line]
    due = [e.time_us for e in smf_lite.MidiFile(TUNE) if e.status != 0xFF]
    assert lines[-1] == "done: %d events sent" % len(due)
    assert len(sent) == len(due)
    assert "note_on ch=0 note=76 (E5) velocity=100" in sent[4]
    assert "sysex 4 bytes: 7E 7F 09 01" in sent[0]
    for line, us in zip(sent, due):
        printed_us = float(line.split()[0]) * 1e6
        # the runner's clock steps 50 us on every read, so it prints a little after
        assert us <= printed_us <= us + 5000, (line, us)
