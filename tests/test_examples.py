# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The examples as a maker meets them: headers that say what they need, and
`python -m host_shim run` running them to the end of their input (CPython only).

tests/mp/case_examples.py checks each example's behaviour in detail on every runtime.
"""

import glob
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "*.py")))


def run_program(path, input_bytes, tmp_path, extra=()):
    data = tmp_path / "input.bin"
    data.write_bytes(input_bytes)
    proc = subprocess.run(
        [sys.executable, "-m", "host_shim", "run", str(path), "--input", str(data), "--virtual-clock", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc


def program_lines(stdout):
    """What the program printed, without the runner's own lines and port monitor lines."""
    return [
        line
        for line in stdout.splitlines()
        if not line.startswith(("host_shim:", "(input used up")) and " s  " not in line[:13]
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_example_header_says_what_it_needs_and_how_to_wire_it(path):
    with open(path, encoding="utf-8") as f:
        head = f.read().split("\n\n")[0]
    name = os.path.basename(path)[:-3]
    assert head.startswith("# " + name + ": "), "first line names the example and what it does"
    assert "# Needs:" in head
    assert "# Wiring:" in head


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_example_imports_nothing_desktop_only(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for name in ("host_shim", "mido", "rtmidi", "serial", "argparse", "typing"):
        assert "import " + name not in text, name


def test_usb_monitor_runs_the_demo_input_to_its_end(tmp_path):
    with open(os.path.join(ROOT, "examples", "data", "demo_input.bin"), "rb") as f:
        demo = f.read()
    proc = run_program(os.path.join(ROOT, "examples", "usb_monitor.py"), demo, tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert "note_on          ch 1   C4 (60)  velocity 100" in out
    assert "control_change   ch 1   control 7  value 100" in out
    assert "sysex 4 bytes: 7D 01 02 03" in out
    assert out[-1] == "(input used up: program stopped)"


def test_clock_follower_under_the_runner(tmp_path):
    stream = b"\xfa" + b"\xf8" * 48 + b"\xfc"
    proc = run_program(os.path.join(ROOT, "examples", "clock_follower.py"), stream, tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = program_lines(proc.stdout)
    assert out[0] == "clock_follower: waiting for MIDI clock"
    assert out[1] == "start"
    assert out[2].startswith("bar 1 beat 1")
    assert out[3].startswith("bar 1 beat 2")
    assert out[4] == "stop at bar 1 beat 3"


def test_sysex_dump_under_the_runner_writes_next_to_code_py(tmp_path):
    # the runner runs a program in its own folder, as CIRCUITPY's root is for code.py
    program = tmp_path / "code.py"
    shutil.copy(os.path.join(ROOT, "examples", "sysex_dump.py"), program)
    payload = bytes(range(128)) * 10
    proc = run_program(program, b"\xf0" + payload + b"\xf7", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "saved dump_001.syx: 1282 bytes" in proc.stdout
    assert (tmp_path / "dump_001.syx").read_bytes() == b"\xf0" + payload + b"\xf7"


def test_din_usb_bridge_under_the_runner_passes_both_ways(tmp_path):
    stream = b"\x90\x3c\x64\x3e\x50\xf0\x01\x02\xf8\x03\xf7\xfa"
    proc = run_program(os.path.join(ROOT, "examples", "din_usb_bridge.py"), stream, tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    usb_out = [line.split("usb out  ")[1] for line in lines if "usb out  " in line]
    din_out = [line.split("din out  ")[1] for line in lines if "din out  " in line]
    # to USB the clock waits for the SysEx to end; on DIN it goes out at once
    assert usb_out == [
        "note_on ch=0 note=60 (C4) velocity=100",
        "note_on ch=0 note=62 (D4) velocity=80",
        "sysex 3 bytes: 01 02 03",
        "clock",
        "start",
    ]
    assert din_out == [
        "note_on ch=0 note=60 (C4) velocity=100",
        "note_on ch=0 note=62 (D4) velocity=80",
        "clock",
        "sysex 3 bytes: 01 02 03",
        "start",
    ]


def test_arpeggiator_under_the_runner_plays_the_held_chord(tmp_path):
    proc = run_program(
        os.path.join(ROOT, "examples", "arpeggiator.py"), b"\x90\x3c\x64\x90\x40\x64\x90\x43\x64", tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    played = [line.split("usb out  ")[1] for line in proc.stdout.splitlines() if "usb out  note_on" in line]
    # the runner ends the program about 100 virtual ms after its input: one 125 ms step
    assert played == ["note_on ch=0 note=60 (C4) velocity=100"]


def readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


def readme_code(heading):
    """The first ```python block under a README heading."""
    text = readme()
    section = text[text.index("\n## " + heading + "\n") :]
    start = section.index("```python\n") + len("```python\n")
    return section[start : section.index("```", start)]


def test_readme_lists_every_example():
    text = readme()
    for path in EXAMPLES:
        name = os.path.basename(path)
        assert "(examples/%s)" % name in text, name


def test_readme_input_quick_start_runs_as_written(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(readme_code("Quick start: input"))
    proc = run_program(program, b"\x90\x3c\x64\xb0\x07\x5a\xf0\x7d\x01\xf7", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert program_lines(proc.stdout) == ["note on 60 100 channel 1", "CC 7 = 90"]


def test_readme_output_quick_start_runs_as_written(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(readme_code("Quick start: output"))
    proc = run_program(program, b"", tmp_path)
    assert proc.returncode == 0, proc.stderr
    sent = [line.split("usb out  ")[1] for line in proc.stdout.splitlines() if "usb out  " in line]
    assert sent == [
        "note_on ch=0 note=60 (C4) velocity=100",
        "control_change ch=1 control=7 value=90",
        "pitch_bend ch=0 value=-2048",
        "note_off ch=0 note=60 (C4) velocity=0",
    ]


def test_readme_file_playing_quick_start_runs_as_written(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(readme_code("Quick start: playing a MIDI file"))
    shutil.copy(os.path.join(ROOT, "examples", "tune.mid"), tmp_path / "tune.mid")
    proc = subprocess.run(
        [sys.executable, "-m", "host_shim", "run", str(program), "--virtual-clock"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    sent = [line for line in proc.stdout.splitlines() if "usb out  note_on" in line]
    assert len(sent) > 50
    last = proc.stdout.splitlines()[-1]
    assert 15 < float(last.split()[0]) < 30, "the tune takes 15-30 s of virtual time: " + last
