# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""host_shim bridges: a real serial port (a pty), desktop MIDI ports (a fake mido backend),
Blinka's board detection (simulated), --list-ports without a MIDI system."""

import os
import select
import subprocess
import sys
import time
import tty

import pytest

from host_shim import bridges, busio

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))

# A DIN-MIDI echo: says hello (program change), then sends every byte back
# transposed up an octave for notes, until a STOP (FC) arrives.
UART_ECHO = """\
import board, busio
uart = busio.UART(board.TX, board.RX, baudrate=31250, timeout=0)
uart.write(bytes([0xC0, 5]))
buf = bytearray(32)
pending = bytearray()
running = True
while running:
    n = uart.readinto(buf)
    if not n:
        continue
    pending.extend(buf[:n])
    while len(pending) >= 3 or (pending and pending[0] == 0xFC):
        if pending[0] == 0xFC:
            running = False
            break
        status, note, velocity = pending[0], pending[1], pending[2]
        del pending[:3]
        uart.write(bytes([status, note + 12, velocity]))
uart.deinit()
"""


def shim(*args, env=None, **kwargs):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "host_shim", *args],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def read_exactly(fd, count, timeout=20.0):
    got = bytearray()
    deadline = time.monotonic() + timeout
    while len(got) < count:
        left = deadline - time.monotonic()
        assert left > 0, "timed out: got %r of %d bytes" % (bytes(got), count)
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            got.extend(os.read(fd, count - len(got)))
    return bytes(got)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
def test_serial_bridge_round_trip_through_a_pty(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(UART_ECHO)
    master, slave = os.openpty()
    tty.setraw(slave)
    device = os.ttyname(slave)
    proc = shim("run", str(program), "--serial", device)
    try:
        assert read_exactly(master, 2) == bytes([0xC0, 5])  # the program is up and listening
        # bytes that a tty would otherwise eat or translate (0x0A, 0x0D, 0x11, 0x13, 0x03)
        sent = bytes([0x90, 0x0A, 0x0D, 0x80, 0x11, 0x13, 0x90, 0x03, 0x7F])
        os.write(master, sent)
        assert read_exactly(master, 9) == bytes([0x90, 0x16, 0x0D, 0x80, 0x1D, 0x13, 0x90, 0x0F, 0x7F])
        os.write(master, bytes([0xFC]))
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0, err
    assert "busio.UART is the serial port %s" % device in out
    assert "din out  program_change ch=0 program=5" in out
    assert "din in   note_on ch=0 note=10 (A#-1) velocity=13" in out
    assert "din out  note_on ch=0 note=22 (A#0) velocity=13" in out
    assert "din in   stop" in out


def test_serial_bridge_bad_device_is_one_clear_line(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(UART_ECHO)
    proc = shim("run", str(program), "--serial", str(tmp_path / "no-such-tty"))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.startswith("host_shim: cannot open serial port ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_serial_uart_reads_none_when_empty_and_keeps_circuitpython_checks():
    serial = pytest.importorskip("serial")
    loop = serial.serial_for_url("loop://", timeout=0)
    uart = bridges.SerialUART.__new__(bridges.SerialUART)
    busio.UART.__init__(uart, "TX", "RX", baudrate=31250, timeout=0)
    uart.serial = loop
    buf = bytearray(8)
    assert uart.readinto(buf) is None
    assert uart.write(bytes([0xF8, 0x90, 60, 1])) == 4
    assert uart.in_waiting == 4
    assert uart.readinto(buf) == 4 and bytes(buf[:4]) == bytes([0xF8, 0x90, 60, 1])
    with pytest.raises(ValueError):
        bridges.SerialUART("TX", "RX", timeout=101)
    uart.deinit()
    with pytest.raises(ValueError):
        uart.readinto(buf)


# ---- MIDI through mido: a fake backend stands in for python-rtmidi --------------------

USB_ECHO = """\
import usb_midi
port_in, port_out = usb_midi.ports
buf = bytearray(16)
while True:
    n = port_in.readinto(buf)
    if n:
        port_out.write(buf[:n])
"""


def fake_env(tmp_path, **extra):
    env = {
        "MIDO_BACKEND": "fake_midi_backend",
        "PYTHONPATH": os.pathsep.join([HERE, os.environ.get("PYTHONPATH", "")]),
        "FAKE_MIDI_OUTPUT": str(tmp_path / "sent.bin"),
    }
    env.update(extra)
    return env


def test_midi_bridge_joins_usb_midi_to_desktop_ports(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(USB_ECHO)
    incoming = bytes([0x90, 60, 100, 0xF8, 0xB0, 7, 99, 0xF0, 0x7D, 1, 2, 0xF7, 0x80, 60, 0])
    (tmp_path / "in.bin").write_bytes(incoming)
    # --input with nothing in it makes the run end once the program idles
    (tmp_path / "empty.bin").write_bytes(b"")
    env = fake_env(tmp_path, FAKE_MIDI_INPUT=str(tmp_path / "in.bin"))
    proc = shim(
        "run",
        str(program),
        "--midi-in",
        "keyboard",
        "--midi-out",
        "Fake Synth 28:0",
        "--input",
        str(tmp_path / "empty.bin"),
        "--virtual-clock",
        env=env,
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "usb_midi bridged to desktop MIDI (in: keyboard, out: Fake Synth 28:0)" in out
    assert "usb in   control_change ch=0 control=7 value=99" in out
    assert (tmp_path / "sent.bin").read_bytes() == incoming


@pytest.mark.parametrize(
    "args, message",
    [
        (["--midi-in", "Fake"], "MIDI input 'Fake' is ambiguous"),
        (["--midi-out", "Roland"], "no MIDI output port matches 'Roland' (available: 'Fake Synth 28:0')"),
    ],
)
def test_midi_bridge_port_name_errors_are_one_line(tmp_path, args, message):
    program = tmp_path / "code.py"
    program.write_text(USB_ECHO)
    proc = shim("run", str(program), *args, env=fake_env(tmp_path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert message in err and "Traceback" not in err


def test_no_midi_system_is_a_clear_message(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(USB_ECHO)
    env = fake_env(tmp_path, FAKE_MIDI_FAIL="1")
    proc = shim("run", str(program), "--midi-in", "x", env=env)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip() == (
        "host_shim: no MIDI system on this machine (RuntimeError: "
        "MidiInAlsa::initialize: error creating ALSA sequencer client object.)"
    )
    proc = shim("--list-ports", env=env)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in err
    assert "MIDI ports: no MIDI system on this machine" in out
    assert out.startswith("serial ports:")


def test_list_ports_names_the_midi_ports(tmp_path):
    proc = shim("--list-ports", env=fake_env(tmp_path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "MIDI inputs:\n  Fake Keyboard 20:0\n  Fake Pads 24:0\nMIDI outputs:\n  Fake Synth 28:0\n" in out


@pytest.mark.skipif(
    os.path.exists("/dev/snd/seq") or not sys.platform.startswith("linux"), reason="this machine has an ALSA sequencer"
)
def test_list_ports_with_real_rtmidi_on_a_machine_without_alsa():
    pytest.importorskip("rtmidi")
    proc = shim("--list-ports")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and err == ""  # ALSA's own complaints are kept off the screen
    assert "MIDI ports: no MIDI system on this machine" in out


# ---- Blinka ------------------------------------------------------------------------


class FakeBoard:
    def __init__(self, board_id, embedded, generic=False):
        self.id = board_id
        self.any_embedded_linux = embedded
        self.generic_linux = generic


class FakeDetector:
    def __init__(self, board):
        self.board = board


class BrokenDetector:
    @property
    def board(self):
        raise FileNotFoundError("/proc/device-tree/compatible")


@pytest.mark.parametrize(
    "detector, use, words",
    [
        (FakeDetector(FakeBoard("RASPBERRY_PI_4B", True)), True, "Blinka on RASPBERRY_PI_4B"),
        (FakeDetector(FakeBoard("RASPBERRY_PI_ZERO_2_W", True)), True, "Blinka on RASPBERRY_PI_ZERO_2_W"),
        (
            FakeDetector(FakeBoard("GENERIC_LINUX_PC", True, generic=True)),
            False,
            "stand-ins (Blinka found no supported board here: GENERIC_LINUX_PC)",
        ),
        (FakeDetector(FakeBoard("FTDI_FT232H", False)), False, "no supported board here: FTDI_FT232H"),
        (FakeDetector(FakeBoard(None, False)), False, "no supported board here: unknown"),
        (BrokenDetector(), False, "Blinka could not detect a board: /proc/device-tree/compatible"),
    ],
)
def test_blinka_is_used_only_on_a_supported_board(detector, use, words):
    got_use, line = bridges.blinka_choice(detector)
    assert got_use is use
    assert words in line and "\n" not in line


def test_runner_on_a_pc_says_stand_ins_in_one_line(tmp_path):
    program = tmp_path / "code.py"
    program.write_text("import board, busio\nu = busio.UART(board.TX, board.RX)\nprint('ok', board.board_id)\n")
    proc = shim("run", str(program))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    first = out.splitlines()[0]
    assert first.startswith("host_shim: board, busio: host_shim stand-ins (")
    assert "ok host_shim" in out and "Traceback" not in err
    proc = shim("run", str(program), "--no-blinka")
    out, err = proc.communicate(timeout=60)
    assert out.splitlines()[0] == "host_shim: board, busio: host_shim stand-ins (--no-blinka)"


def test_runner_uses_blinka_modules_when_the_board_is_supported(tmp_path, monkeypatch):
    # Simulate a Pi: Blinka's detection says RASPBERRY_PI_4B and its busio/board
    # modules are small fakes; the program's UART must be Blinka's, monitored.
    fake_busio = type(sys)("busio")
    fake_board = type(sys)("board")
    fake_board.TX, fake_board.RX, fake_board.board_id = "GPIO14", "GPIO15", "RASPBERRY_PI_4B"

    class BlinkaUART:
        def __init__(self, tx, rx, **kwargs):
            self.pins = (tx, rx)
            self.sent = bytearray()

        def readinto(self, buf, nbytes=None):
            buf[0:3] = bytes([0x90, 64, 1])
            return 3

        def write(self, buf):
            self.sent.extend(buf)
            return len(buf)

    fake_busio.UART = BlinkaUART

    def fake_install():
        sys.modules["board"], sys.modules["busio"] = fake_board, fake_busio
        return fake_board, fake_busio

    monkeypatch.setattr(bridges, "install_blinka", fake_install)
    monkeypatch.setitem(sys.modules, "board", sys.modules.get("board"))
    monkeypatch.setitem(sys.modules, "busio", sys.modules.get("busio"))
    monkeypatch.setitem(sys.modules, "micropython", sys.modules.get("micropython"))
    # a Session wraps the stand-in UART class for the whole process: undo it afterwards
    monkeypatch.setattr(busio.UART, "__init__", busio.UART.__init__)

    import io
    from host_shim.runner import Session

    out = io.StringIO()
    session = Session(out=out)
    bridges.attach(session, detector=FakeDetector(FakeBoard("RASPBERRY_PI_4B", True)))
    import board as program_board
    import busio as program_busio

    uart = program_busio.UART(program_board.TX, program_board.RX, baudrate=31250)
    assert isinstance(uart, BlinkaUART) and uart.pins == ("GPIO14", "GPIO15")
    assert uart.readinto(bytearray(8)) == 3
    assert uart.write(bytes([0xFA])) == 1 and uart.sent == bytes([0xFA])
    text = out.getvalue()
    assert "host_shim: board, busio: Blinka on RASPBERRY_PI_4B" in text
    assert "din in   note_on ch=0 note=64 (E4) velocity=1" in text
    assert "din out  start" in text
