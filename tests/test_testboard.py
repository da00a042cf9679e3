# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""`python -m host_shim test-board` against the MicroPython unix port's REPL on a pty.

The unix port (1.29, from PyPI) has the raw REPL and raw-paste mode of the boards, so
the runner's protocol, file copy and case runs are checked here against the real
firmware code: the port runs on the pty's master side, the runner opens the slave as
a serial device with pyserial, as it opens /dev/ttyACM0. What only a board has is
imitated and said so: a soft reset (Ctrl-D; the unix port exits, so a shell loop
starts it again), a read-only or full drive (a prelude that makes writes raise
OSError 30 or statvfs report a nearly full drive), firmware without raw-paste (a link
that answers the raw-paste request with "R\\x00" for it).
"""

import os
import signal
import subprocess

import pytest

import runtimes
from host_shim import testboard


class Board:
    """The unix port's REPL on a pty; .link is the runner's end (pyserial)."""

    def __init__(self, cwd, prelude=None, restart=False, heap=None, copied=False):
        if copied:  # the suite already on the "drive" (copied here: the REPL copy has its own test)
            testboard.copy_to_drive(cwd, testboard.suite_files(), say=lambda line: None)
        command = [runtimes.micropython_command()]
        if heap:
            command += ["-X", "heapsize=%d" % heap]
        if prelude:
            command += ["-i", "-c", prelude]
        if restart:  # a soft reset on a board: a fresh VM on the same port
            command = ["sh", "-c", 'while :; do "$@"; done', "sh"] + command
        master, slave = os.openpty()
        self.name = os.ttyname(slave)
        self.proc = subprocess.Popen(
            command, stdin=master, stdout=master, stderr=master, cwd=cwd, close_fds=True, start_new_session=True
        )
        os.close(master)
        self.link = testboard.open_serial(self.name)
        os.close(slave)

    def close(self):
        self.link.close()
        os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: the loop and the port
        self.proc.wait()


@pytest.fixture
def boards(tmp_path):
    assert runtimes.micropython_command(), "micropython not installed: run make test"
    made = []

    def make(**kwargs):
        board = Board(str(tmp_path), **kwargs)
        made.append(board)
        return board

    yield make
    for board in made:
        board.close()


def run(board, modules, **kwargs):
    lines = []
    status = testboard.test_board(board.link, board.name, modules, say=lines.append, **kwargs)
    return status, lines


def test_copies_the_suite_runs_each_case_file_and_copies_only_changes_next_time(boards, tmp_path):
    board = boards()
    status, lines = run(board, ["case_imports", "case_boards"])
    assert status == 0, "\n".join(lines)
    assert lines[0].startswith("test-board: micropython 1.")
    files = testboard.suite_files()
    assert any(line.startswith("test-board: copying %d files" % len(files)) for line in lines), lines
    for path in files:
        with (
            open(os.path.join(testboard.ROOT, path), "rb") as f,
            open(os.path.join(str(tmp_path), "smolmidi_test", path), "rb") as g,
        ):
            assert f.read() == g.read(), path
    assert lines[-3].startswith("[1/2] case_imports: 1 passed, 0 skipped, 0 failed ("), lines
    assert lines[-2].startswith("[2/2] case_boards: 5 passed, 0 skipped, 0 failed ("), lines
    assert lines[-1] == "test-board: 6 passed, 0 skipped, 0 failed on micropython 1.29.0 (linux)"
    # a second run: the board's checksums match, nothing is copied
    status, lines = run(board, ["case_imports"])
    assert status == 0 and not any("copying" in line for line in lines), lines
    # one changed file is copied again, alone
    with open(os.path.join(str(tmp_path), "smolmidi_test", "boards", "pico.py"), "ab") as f:
        f.write(b"# changed on the board\n")
    status, lines = run(board, ["case_imports"])
    assert status == 0 and any(line.startswith("test-board: copying 1 files") for line in lines), lines


FAILING_CASE = b"""from mptest import eq, skip
def test_a_passes():
    eq(1, 1)
def test_b_fails():
    eq(1 + 1, 3, "sum")
def test_c_skips():
    skip("not here")
"""


def test_a_failing_test_is_shown_with_its_traceback_and_fails_the_run(boards, tmp_path):
    board = boards(copied=True)
    cases = os.path.join(str(tmp_path), "smolmidi_test", "tests", "mp")
    with open(os.path.join(cases, "case_zz_fail.py"), "wb") as f:
        f.write(FAILING_CASE)
    with open(os.path.join(cases, "case_zz_broken.py"), "wb") as f:
        f.write(b"def test_x(:\n")
    status, lines = run(board, ["case_zz_fail", "case_zz_broken", "case_imports"], copy=False, verbose=True)
    text = "\n".join(lines)
    assert status == 1, text
    assert "  PASS case_zz_fail.test_a_passes" in lines
    assert "  FAIL case_zz_fail.test_b_fails" in lines
    assert "AssertionError: sum: got 2, want 3" in text
    assert "  SKIP case_zz_fail.test_c_skips: not here" in lines
    assert any(line.startswith("[1/3] case_zz_fail: 1 passed, 1 skipped, 1 failed") for line in lines), text
    assert "  FAIL case_zz_broken (whole file): Traceback" in text and "SyntaxError" in text
    assert any(line.startswith("[3/3] case_imports: 1 passed") for line in lines), "the run goes on: " + text
    assert lines[-1].startswith("test-board: 2 passed, 1 skipped, 2 failed"), text


@pytest.mark.parametrize("firmware", ["answers R\\x00", "older than raw-paste"])
def test_without_raw_paste_the_plain_raw_repl_is_used(boards, firmware):
    board = boards()

    class NoRawPaste:
        """Firmware that answers the raw-paste request with "R\\x00", or that predates it
        (its raw REPL keeps \\x05 and A as text, and \\x01 prints the prompt again)."""

        def __init__(self, link):
            self.link = link
            self.fake = b""

        @property
        def in_waiting(self):
            return len(self.fake) or self.link.in_waiting

        def read(self, n):
            if self.fake:
                data, self.fake = self.fake[:n], self.fake[n:]
                return data
            return self.link.read(n)

        def write(self, data):
            if data == b"\x05A\x01" and firmware == "answers R\\x00":
                self.fake += b"R\x00"
                return len(data)
            if data == b"\x05A\x01":
                return self.link.write(b"\x01")
            return self.link.write(data)

    repl = testboard.Repl(NoRawPaste(board.link))
    repl.enter()
    code = "x = %r\nprint(len(x))\n" % ("y" * 3000)  # longer than one raw chunk
    assert repl.exec(code) == "3000\n"
    assert repl.paste is False
    with pytest.raises(testboard.ReplError) as e:
        repl.exec("1 // 0\n")
    assert "ZeroDivisionError" in e.value.args[1]
    assert repl.exec("print(x[:3])\n") == "yyy\n", "the session goes on after an error"


def test_raw_paste_takes_code_longer_than_its_window(boards):
    repl = testboard.Repl(boards().link)
    repl.enter()
    assert repl.exec("x = %r\nprint(len(x))\n" % ("z" * 20000)) == "20000\n"
    assert repl.paste is True


def test_soft_reset_between_case_files(boards):
    board = boards(restart=True, copied=True)
    status, lines = run(board, ["case_imports", "case_boards", "case_i2c"], reset=True)
    assert status == 0, "\n".join(lines)
    assert lines[-1].startswith("test-board: 11 passed, 0 skipped, 0 failed"), lines


def test_no_board_answering_is_said_plainly():
    master, slave = os.openpty()  # a port nothing answers on
    try:
        link = testboard.open_serial(os.ttyname(slave))
        with pytest.raises(testboard.BoardError) as e:
            testboard.Repl(link, "the pty").enter(wait=0.3)
        assert str(e.value).startswith("no board answers on the pty: nothing came back")
        link.close()
    finally:
        os.close(master)
        os.close(slave)


def test_a_missing_port_exits_with_status_2(capsys):
    assert testboard.main(["/dev/no-such-board", "case_imports"]) == testboard.NO_BOARD
    assert "test-board: cannot open /dev/no-such-board" in capsys.readouterr().err


# A drive that code cannot write, as CIRCUITPY is while USB has it
READ_ONLY = """
import builtins, os as _os, sys
def _ro(*args, **kwargs):
    raise OSError(30)
_open = open
def _open_ro(path, mode="r", *args):
    if "w" in mode or "a" in mode:
        _ro()
    return _open(path, mode, *args)
builtins.open = _open_ro
class _Os:
    mkdir = remove = rmdir = rename = staticmethod(_ro)
    def __getattr__(self, name):
        return getattr(_os, name)
sys.modules["os"] = _Os()
"""


def test_a_read_only_drive_says_what_to_do(boards):
    status = None
    with pytest.raises(testboard.BoardError) as e:
        status = run(boards(prelude=READ_ONLY), ["case_imports"])
    assert status is None
    assert str(e.value).startswith("the board's drive is read-only to code (OSError 30 while making")
    assert "--drive" in str(e.value) and "storage.remount" in str(e.value)


def test_with_drive_the_files_go_through_the_host_and_only_the_runs_over_the_repl(boards, tmp_path, monkeypatch):
    monkeypatch.setattr(testboard, "DRIVE_SETTLE", 0)
    # the unix port's folder stands for a mounted CIRCUITPY that code cannot write
    status, lines = run(boards(prelude=READ_ONLY), ["case_imports"], drive=str(tmp_path))
    assert status == 0, "\n".join(lines)
    assert lines[0].startswith("test-board: copied %d files to " % len(testboard.suite_files()))
    assert lines[-1].startswith("test-board: 1 passed")
    assert testboard.copy_to_drive(str(tmp_path), testboard.suite_files(), say=None) == 0


FULL = """
import os as _os, sys
class _Os:
    @staticmethod
    def statvfs(path):
        return (4096, 4096, 256, 3, 3, 0, 0, 0, 0, 255)  # 12 KB free
    def __getattr__(self, name):
        return getattr(_os, name)
sys.modules["os"] = _Os()
"""


def test_a_full_drive_is_said_before_anything_is_copied(boards, tmp_path):
    with pytest.raises(testboard.BoardError) as e:
        run(boards(prelude=FULL), ["case_imports"])
    assert str(e.value).startswith("the board's drive is out of space: 12 KB free, the suite needs about")
    assert not os.path.exists(os.path.join(str(tmp_path), "smolmidi_test", "smolmidi.py"))


def test_the_checksum_is_the_boards():
    out = runtimes.run_source(
        "micropython-unix",
        testboard.BOARD_HELPERS
        + """
import mprun
def test_sums():
    import mptest
    p = mptest.TMP + "/f"
    for data in (b"", b"\\x00", bytes(range(256)) * 5 + b"abc", b"\\xff" * 70000):
        with open(p, "wb") as f:
            f.write(data)
        print("SUM", len(data), _sm_sum(p))
    mptest.ok(True)
""",
    )[1]
    sums = [line.split()[1:] for line in out.splitlines() if line.startswith("SUM")]
    assert len(sums) == 4, out
    for size, *got in sums:
        data = {0: b"", 1: b"\x00", 1283: bytes(range(256)) * 5 + b"abc", 70000: b"\xff" * 70000}[int(size)]
        assert tuple(int(v) for v in got) == testboard.checksum(data)


def test_mpy_sends_compiled_modules_and_removes_the_py_that_would_shadow_them(boards, tmp_path):
    board = boards(copied=True)
    on_board = os.path.join(str(tmp_path), "smolmidi_test")
    assert os.path.exists(os.path.join(on_board, "smolmidi.py"))
    status, lines = run(board, ["case_imports"], mpy=True)  # every product module, from .mpy
    assert status == 0, "\n".join(lines)
    for name in ("smolmidi", "host_shim/__init__", "tests/mp/mprun", "tests/mp/case_imports"):
        assert os.path.exists(os.path.join(on_board, name + ".mpy")), name
        assert not os.path.exists(os.path.join(on_board, name + ".py")), name
    with open(os.path.join(on_board, "smolmidi.mpy"), "rb") as f:
        assert f.read(4) == b"M\x06\x00\x1f"
    assert os.path.exists(os.path.join(on_board, "examples", "usb_monitor.py")), "examples stay source"
    # back to .py: the .mpy go
    assert run(board, ["case_imports"])[0] == 0
    assert not os.path.exists(os.path.join(on_board, "smolmidi.mpy"))


BOARD_PLATFORM = """
import sys as _sys
class _Sys:
    platform = "rp2"  # mptest.ON_BOARD: what mprun does on a board
    def __getattr__(self, name):
        return getattr(_sys, name)
_sys.modules["sys"] = _Sys()
"""

TOO_BIG_CASE = b"""from mptest import ok
def test_a_needs_more_heap():
    ok(len(bytearray(1 << 40)))
def test_b_fills_the_drive():
    raise OSError(28)
def test_c_meets_a_read_only_drive():
    raise OSError(30)
def test_d_other_errors_still_fail():
    raise OSError(5)
"""


def test_on_a_board_too_little_heap_or_flash_is_a_skip_that_says_so(boards, tmp_path):
    board = boards(prelude=BOARD_PLATFORM, copied=True)
    cases = os.path.join(str(tmp_path), "smolmidi_test", "tests", "mp")
    with open(os.path.join(cases, "case_zz_big.py"), "wb") as f:
        f.write(TOO_BIG_CASE)
    with open(os.path.join(cases, "case_zz_big_import.py"), "wb") as f:
        f.write(b"BIG = bytearray(1 << 40)\n")
    status, lines = run(board, ["case_zz_big", "case_zz_big_import"], copy=False, reset=False)
    text = "\n".join(lines)
    assert status == 1, text
    assert "  SKIP case_zz_big.test_a_needs_more_heap: needs more heap than this board has (MemoryError; " in text
    assert "  SKIP case_zz_big.test_b_fills_the_drive: the board's drive is full (OSError 28)" in lines
    assert "  SKIP case_zz_big.test_c_meets_a_read_only_drive: the board's drive is read-only" in text
    assert "  FAIL case_zz_big.test_d_other_errors_still_fail" in lines
    assert "  SKIP case_zz_big_import.*: needs more heap than this board has" in text
    assert os.path.isdir(os.path.join(str(tmp_path), "smolmidi_test")) and not os.path.exists(
        os.path.join(str(tmp_path), "smolmidi_test", "smolmidi_tmp")
    ), "the board's TMP is removed after each file"


def test_a_board_that_goes_away_mid_run_ends_the_run_with_status_2(boards):
    board = boards()
    with pytest.raises(testboard.BoardError) as e:
        # the unix port exits at a soft reset (Ctrl-D) and nothing starts it again
        run(board, ["case_imports", "case_boards"], reset=True, copy=False)
    assert "the board stopped answering" in str(e.value) or "no board answers" in str(e.value), str(e.value)


def test_circuitpythons_press_any_key_after_code_py_is_answered(boards):
    """After Ctrl-C stops code.py, CircuitPython waits for a key before its REPL
    (imitated: the link says so and passes nothing on until a key comes)."""
    board = boards()

    class PressAnyKey:
        def __init__(self, link):
            self.link = link
            self.waiting = True
            self.fake = b""

        @property
        def in_waiting(self):
            return len(self.fake) or self.link.in_waiting

        def read(self, n):
            if self.fake:
                data, self.fake = self.fake[:n], self.fake[n:]
                return data
            return self.link.read(n)

        def write(self, data):
            if self.waiting and data == b"\r":
                self.waiting = False
            elif self.waiting:
                self.fake += (
                    b"\r\nKeyboardInterrupt: \r\n\r\nCode done running.\r\n\r\n"
                    b"Press any key to enter the REPL. Use CTRL-D to reload.\r\n"
                )
                return len(data)
            return self.link.write(data)

    link = PressAnyKey(board.link)
    repl = testboard.Repl(link)
    repl.enter()
    assert not link.waiting and repl.exec("print(6 * 7)\n") == "42\n"
