# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""clock_drums and midi_recorder under `python -m host_shim run`, as a maker runs them
on the desktop (tests/mp/case_time_examples.py checks them in detail on every runtime)."""

import io
import os
import shutil

from smf_lite import MidiFile
from test_examples import ROOT, run_program, program_lines


def test_clock_drums_under_the_runner(tmp_path):
    stream = b"\xfa" + b"\xf8" * (24 * 4 + 1) + b"\xfc"
    proc = run_program(os.path.join(ROOT, "examples", "clock_drums.py"), stream, tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = program_lines(proc.stdout)
    assert out[:3] == ["clock_drums: waiting for MIDI clock", "start", "bar 1  tempo not known yet"]
    assert out[3].startswith("bar 2  ") and out[4] == "stop at bar 2 beat 1"
    sent = [line.split("usb out  ")[1] for line in proc.stdout.splitlines() if "usb out  " in line]
    assert sent[:2] == ["note_on ch=9 note=36 (C2) velocity=110", "note_on ch=9 note=42 (F#2) velocity=110"]


def test_midi_recorder_under_the_runner_writes_a_take_next_to_code_py(tmp_path):
    program = tmp_path / "code.py"
    shutil.copy(os.path.join(ROOT, "examples", "midi_recorder.py"), program)
    proc = run_program(program, b"\x90\x3c\x64\xf8\x80\x3c\x00", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert program_lines(proc.stdout) == ["midi_recorder: play to record", "recording take_001.mid"]
    data = (tmp_path / "take_001.mid").read_bytes()
    assert MidiFile(io.BytesIO(data)).ntracks == 1  # valid as it stands: events since the last
    # flush are on the drive but not yet in the track length
