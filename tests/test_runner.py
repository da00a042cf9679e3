# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""python -m host_shim run: time limit, Ctrl-C and the channel convention it prints."""

import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shim(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "host_shim", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, **kwargs
    )


def test_timeout_stops_a_busy_loop_with_status_124(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("while True:\n    try:\n        pass\n    except Exception:\n        pass\n")
    started = time.monotonic()
    proc = shim("run", str(program), "--timeout", "0.5")
    assert proc.returncode == 124, (proc.stdout, proc.stderr)
    assert "host_shim: time limit of 0.5 s reached: program stopped" in proc.stderr
    assert time.monotonic() - started < 30


def test_timeout_cuts_a_sleep_short(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("import time\nprint('sleeping')\ntime.sleep(120)\nprint('woke')\n")
    proc = shim("run", str(program), "--timeout", "0.5")
    assert proc.returncode == 124 and "sleeping" in proc.stdout and "woke" not in proc.stdout


def test_timeout_does_not_touch_a_program_that_ends_in_time(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("print('done')\n")
    proc = shim("run", str(program), "--timeout", "30")
    assert proc.returncode == 0 and "done" in proc.stdout, proc.stderr
    proc = shim("run", str(program), "--timeout", "0")
    assert proc.returncode == 2 and "--timeout must be a number of seconds above 0" in proc.stderr


def test_ctrl_c_exits_with_status_130(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("import time\nprint('ready', flush=True)\nwhile True:\n    time.sleep(0.01)\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "host_shim", "run", str(program)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        while "ready" not in lines:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line.strip())
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (out, err)
    assert "(interrupted)" in out


def test_runner_prints_channels_0_to_15_and_says_so(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("import usb_midi\nusb_midi.ports[1].write(bytes([0x90, 60, 100, 0xCF, 5]))\n")
    proc = shim("run", str(program))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    note = [i for i, line in enumerate(lines) if line.startswith("host_shim: channels are shown 0-15 as on the wire")]
    first_port_line = min(i for i, line in enumerate(lines) if "usb out" in line)
    assert note and note[0] < first_port_line, lines
    assert "usb out  note_on ch=0 note=60 (C4) velocity=100" in proc.stdout
    assert "usb out  program_change ch=15 program=5" in proc.stdout
