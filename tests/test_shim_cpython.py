# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""CPython-only parts of host_shim: install(), the runner, the readable printout."""

import os
import subprocess
import sys

import host_shim
from host_shim.describe import Describer, note_name

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_shim(*args):
    return subprocess.run(
        [sys.executable, "-m", "host_shim", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_install_puts_standins_in_sys_modules():
    names = host_shim.install()
    for name in ("usb_midi", "busio", "board", "supervisor", "micropython"):
        assert name in names
        assert name in sys.modules
    import usb_midi

    assert usb_midi is host_shim.usb_midi


def test_describer_reads_running_status_realtime_and_sysex():
    d = Describer()
    lines = d.feed(bytes([0x90, 60, 100, 0xF8, 62, 0, 0xF0, 1, 2, 0xF7, 0x05]))
    assert lines == [
        "note_on ch=0 note=60 (C4) velocity=100",
        "clock",
        "note_on ch=0 note=62 (D4) velocity=0",
        "sysex 2 bytes: 01 02",
        "stray data byte 05",
    ]
    assert d.feed(bytes([0xE3, 0, 64])) == ["pitch_bend ch=3 value=0"]
    assert note_name(69) == "A4" and note_name(0) == "C-1"


def test_runner_missing_program_is_a_clear_error():
    proc = run_shim("run", "no/such/code.py")
    assert proc.returncode == 2
    assert "no such program" in proc.stderr


def test_runner_shows_traceback_and_fails_when_program_raises(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("import usb_midi\nraise RuntimeError('wiring is wrong')\n")
    proc = run_shim("run", str(program))
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "wiring is wrong" in proc.stderr


def test_runner_prints_input_and_output_readably(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(
        "import usb_midi, time\n"
        "port_in, port_out = usb_midi.ports\n"
        "buf = bytearray(16)\n"
        "while True:\n"
        "    n = port_in.readinto(buf)\n"
        "    if n:\n"
        "        port_out.write(buf[:n])\n"
    )
    data = tmp_path / "in.bin"
    data.write_bytes(bytes([0x90, 60, 100, 0xF8, 0x80, 60, 0]))
    proc = run_shim("run", str(program), "--input", str(data), "--virtual-clock")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "usb in   note_on ch=0 note=60 (C4) velocity=100" in out
    assert "usb out  note_on ch=0 note=60 (C4) velocity=100" in out
    assert "usb out  note_off ch=0 note=60 (C4) velocity=0" in out
    assert "input used up" in out


def test_runner_virtual_clock_sleeps_without_waiting(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(
        "import time, supervisor\n"
        "t0 = supervisor.ticks_ms()\n"
        "time.sleep(120)\n"
        "print('slept', supervisor.ticks_ms() - t0 >= 120000)\n"
    )
    proc = run_shim("run", str(program), "--virtual-clock")
    assert proc.returncode == 0, proc.stderr
    assert "slept True" in proc.stdout


def test_runner_in_process_restores_what_it_patched(tmp_path):
    import time
    from host_shim import busio, runner

    program = tmp_path / "code.py"
    program.write_text("import busio, board\nu = busio.UART(board.TX, board.RX)\n")
    init, sleep = busio.UART.__init__, time.sleep
    assert runner.run(str(program), virtual=True, out=open(os.devnull, "w")) == 0
    assert busio.UART.__init__ is init
    assert time.sleep is sleep
