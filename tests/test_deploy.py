# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Deploy to a folder laid out like a CIRCUITPY drive, and the mip package.json."""

import errno
import json
import os
import subprocess
import sys

import pytest

from host_shim import deploy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".py"))[0]


def circuitpy(tmp_path):
    """A drive as a fresh CircuitPython board mounts it, plus some of the user's files."""
    drive = tmp_path / "CIRCUITPY"
    (drive / "lib" / "adafruit_midi").mkdir(parents=True)
    (drive / "boot_out.txt").write_text("Adafruit CircuitPython 9.2.1 on 2024-11-20; Raspberry Pi Pico with rp2040\n")
    (drive / "settings.toml").write_text("")
    (drive / "lib" / "adafruit_midi" / "__init__.py").write_text("# the user's\n")
    (drive / "code.py").write_text("print('my old program')\n")
    return drive


def snapshot(folder):
    return {
        os.path.relpath(os.path.join(d, f), folder): open(os.path.join(d, f), "rb").read()
        for d, _, files in os.walk(folder)
        for f in files
    }


def run_deploy(*args):
    return subprocess.run(
        [sys.executable, "-m", "host_shim", "deploy", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_deploy_copies_library_and_example_and_keeps_user_files(tmp_path):
    drive = circuitpy(tmp_path)
    before = snapshot(drive)
    proc = run_deploy(str(drive), "--example", EXAMPLE)
    assert proc.returncode == 0, proc.stderr
    after = snapshot(drive)
    for name in deploy.LIBRARY_MODULES:
        assert after[os.path.join("lib", name)] == open(os.path.join(ROOT, name), "rb").read()
        assert "copied %s -> lib/%s" % (name, name) in proc.stdout
    example = open(os.path.join(ROOT, "examples", EXAMPLE + ".py"), "rb").read()
    assert after["code.py"] == example
    assert after["code.py.bak"] == before["code.py"]  # the old program is kept, not lost
    for path, data in before.items():
        if path != "code.py":
            assert after[path] == data, path
    assert "kept your old code.py as code.py.bak" in proc.stdout
    first = proc.stdout
    # a second deploy writes nothing and says so
    proc = run_deploy(str(drive), "--example", EXAMPLE)
    assert proc.returncode == 0 and snapshot(drive) == after
    # every file the first deploy copied (the library, the optional modules the example
    # imports, code.py) is unchanged
    assert proc.stdout.count("unchanged") == first.count("copied ") >= len(deploy.LIBRARY_MODULES) + 1


def test_deploy_refuses_a_folder_that_is_not_a_circuitpython_drive(tmp_path):
    folder = tmp_path / "USB_STICK"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    proc = run_deploy(str(folder))
    assert proc.returncode == 2
    assert "has no boot_out.txt" in proc.stderr and "--force" in proc.stderr
    assert snapshot(folder) == {"photo.jpg": b"\xff\xd8"}
    proc = run_deploy(str(folder), "--force")
    assert proc.returncode == 0, proc.stderr
    assert sorted(snapshot(folder)) == sorted(["photo.jpg"] + [os.path.join("lib", n) for n in deploy.LIBRARY_MODULES])


@pytest.mark.parametrize(
    "args, words",
    [
        (["--example", "no_such_example"], "no example named 'no_such_example' (known: "),
        ([], None),
    ],
)
def test_deploy_errors_are_one_line(tmp_path, args, words):
    if words is None:
        proc = run_deploy(str(tmp_path / "not-mounted"))
        words = "is not a folder (is the board plugged in and mounted?)"
    else:
        proc = run_deploy(str(circuitpy(tmp_path)), *args)
    assert proc.returncode == 2
    assert words in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_deploy_warns_when_code_txt_would_run_instead(tmp_path):
    drive = circuitpy(tmp_path)
    (drive / "code.txt").write_text("")
    lines = []
    deploy.deploy(str(drive), EXAMPLE, out=lines.append)
    assert lines[-1].startswith("note: the board runs code.txt before code.py")


def test_package_json_installs_exactly_the_library_modules_with_mip():
    with open(os.path.join(ROOT, "package.json")) as f:
        package = json.load(f)
    assert sorted(package) == ["urls", "version"]
    targets = [target for target, source in package["urls"]]
    assert targets == list(deploy.LIBRARY_MODULES)
    for target, source in package["urls"]:
        # relative sources: mip resolves them against package.json's own location,
        # so github:OWNER/REPO works for any fork without editing this file
        # (mip and mpremote 1.25+; see test_mip_resolution_by_version)
        assert ":" not in source and "\\" not in source
        assert os.path.isfile(os.path.join(ROOT, source)), source
    import smolmidi

    assert package["version"] == smolmidi.__version__


# ---- a small drive that fills up: block rounding and writes that fail part-way ----------

BLOCK = 512


class SmallDrive:
    """A temp folder posing as a FAT drive of `blocks` 512-byte blocks.

    Every file takes whole blocks; os.statvfs reports what is left (less `lie` blocks'
    worth of honesty: a positive lie claims more room than there is, as when something
    else writes meanwhile), and a write past the last block raises ENOSPC after writing
    what fits, as a full filesystem does."""

    def __init__(self, root, blocks, lie=0):
        self.root = str(root)
        self.blocks = blocks
        self.lie = lie

    def used(self):
        total = 0
        for d, _, files in os.walk(self.root):
            for f in files:
                total += -(-os.path.getsize(os.path.join(d, f)) // BLOCK)
        return total

    def statvfs(self, path):
        free = self.blocks - self.used() + self.lie
        return os.statvfs_result((BLOCK, BLOCK, self.blocks, free, free, 0, 0, 0, 0, 255))

    def install(self, monkeypatch):
        import builtins
        import shutil

        real_open = builtins.open
        real_statvfs = os.statvfs
        drive = self

        class Limited:
            def __init__(self, f, path):
                self.f, self.path = f, path

            def write(self, data):
                self.f.flush()
                room = (drive.blocks - drive.used()) * BLOCK
                size = os.path.getsize(self.path)
                room += -(-size // BLOCK) * BLOCK - size  # the last block's slack
                if len(data) > room:
                    self.f.write(bytes(data[: max(room, 0)]))
                    self.f.flush()
                    raise OSError(errno.ENOSPC, "No space left on device")
                return self.f.write(data)

            def __getattr__(self, name):
                return getattr(self.f, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

        def fake_open(file, mode="r", *args, **kwargs):
            f = real_open(file, mode, *args, **kwargs)
            if "w" in mode and str(file).startswith(drive.root):
                return Limited(f, str(file))
            return f

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(
            os, "statvfs", lambda p: drive.statvfs(p) if str(p).startswith(drive.root) else real_statvfs(p)
        )
        monkeypatch.setattr(shutil, "_USE_CP_SENDFILE", False, raising=False)


def library_bytes():
    return sum(os.path.getsize(os.path.join(ROOT, n)) for n in deploy.LIBRARY_MODULES)


def test_free_space_is_counted_in_whole_blocks_and_a_short_drive_is_left_alone(tmp_path, monkeypatch):
    drive = circuitpy(tmp_path)
    before = snapshot(drive)
    sim = SmallDrive(drive, 0)
    example_size = os.path.getsize(deploy.find_example(EXAMPLE))
    # room for the bytes, not for the blocks they take (plus the lib/ files' slack)
    sim.blocks = sim.used() + -(-(library_bytes() + example_size) // BLOCK)
    sim.install(monkeypatch)
    with pytest.raises(deploy.DeployError, match=r"512-byte blocks\); nothing was changed"):
        deploy.deploy(str(drive), EXAMPLE, out=lambda line: None)
    assert snapshot(drive) == before


def test_a_drive_that_fills_part_way_keeps_code_py_and_its_library(tmp_path, monkeypatch):
    drive = circuitpy(tmp_path)
    (drive / "lib" / "smolmidi.py").write_text("# an older smolmidi the user has\n")
    before = snapshot(drive)
    sim = SmallDrive(drive, 0)
    sim.blocks = sim.used() + 3  # statvfs claims plenty (lie), the writes find 3 blocks
    sim.lie = 1000
    sim.install(monkeypatch)
    with pytest.raises(deploy.DeployError, match="No space left on device.*nothing else was changed"):
        deploy.deploy(str(drive), EXAMPLE, out=lambda line: None)
    after = snapshot(drive)
    assert after == before, sorted(set(after) ^ set(before))


def test_a_drive_with_room_gets_everything_and_no_temporary_files(tmp_path, monkeypatch):
    drive = circuitpy(tmp_path)
    sim = SmallDrive(drive, 0)
    sim.blocks = sim.used() + 400
    sim.install(monkeypatch)
    deploy.deploy(str(drive), EXAMPLE, out=lambda line: None)
    after = snapshot(drive)
    assert not [p for p in after if p.endswith(deploy.TMP_SUFFIX)]
    assert after["code.py"] == open(deploy.find_example(EXAMPLE), "rb").read()


def pico_drive(tmp_path):
    drive = circuitpy(tmp_path)
    (drive / "boot_out.txt").write_text(
        "Adafruit CircuitPython 9.2.1 on 2024-11-20; Raspberry Pi Pico with rp2040\r\n"
        "Board ID:raspberry_pi_pico\r\nUID:E6614103E7728F24\r\n"
    )
    return drive


def test_board_id_is_read_from_boot_out_txt(tmp_path):
    drive = pico_drive(tmp_path)
    assert deploy.board_id(str(drive)) == "raspberry_pi_pico"
    (drive / "boot_out.txt").write_text(
        "Adafruit CircuitPython 7.0.0 on 2021-09-20; Adafruit QT Py M0 with samd21e18\n"
    )
    assert deploy.board_id(str(drive)) is None


def test_smf_player_takes_its_tune_and_the_boards_pin_file(tmp_path):
    drive = pico_drive(tmp_path)
    (drive / "tune.mid").write_bytes(b"MThd the user's own song")
    lines = []
    deploy.deploy(str(drive), "smf_player", out=lines.append)
    after = snapshot(drive)
    assert after["tune.mid"] == open(os.path.join(ROOT, "examples", "tune.mid"), "rb").read()
    assert after["tune.mid.bak"] == b"MThd the user's own song", "the user's file is kept"
    assert after[os.path.join("lib", "pico.py")] == open(os.path.join(ROOT, "boards", "pico.py"), "rb").read()
    assert "copied examples/tune.mid -> tune.mid" in lines
    assert not [line for line in lines if line.startswith("warning")], lines


def test_deploy_warns_when_the_example_uses_pins_the_board_lacks(tmp_path):
    lines = []
    deploy.deploy(str(pico_drive(tmp_path)), "din_usb_bridge", out=lines.append)
    warnings = [line for line in lines if line.startswith("warning")]
    assert warnings == [
        "warning: din_usb_bridge.py uses board.RX, board.TX, which board raspberry_pi_pico "
        "does not have: edit the pins before it runs (see boards/pico.py for this "
        "board's MIDI pins)"
    ]
    lines = []
    feather = tmp_path / "feather"
    feather.mkdir()
    drive = pico_drive(feather)
    (drive / "boot_out.txt").write_text("Adafruit CircuitPython 9.2.1\nBoard ID:adafruit_feather_rp2040\n")
    deploy.deploy(str(drive), "din_usb_bridge", out=lines.append)
    assert not [line for line in lines if line.startswith("warning")], lines
    assert os.path.isfile(drive / "lib" / "feather_rp2040.py")


def test_imports_are_followed_through_our_modules(tmp_path):
    program = tmp_path / "code.py"
    program.write_text(
        "import time\ntry:\n    import pico\nexcept ImportError:\n    pass\nfrom smf_lite import MidiFile\n"
    )
    got = sorted(os.path.relpath(p, ROOT) for p in deploy.needed_modules(str(program)))
    assert got == [os.path.join("boards", "pico.py"), "smf_lite.py"]


def test_only_imported_fits_a_small_drive_that_refuses_everything(tmp_path, monkeypatch):
    drive = circuitpy(tmp_path)
    sim = SmallDrive(drive, 0)
    program = deploy.find_example("smf_player")
    modules = deploy.needed_modules(program)
    assert os.path.join(ROOT, "smf_lite.py") in modules and os.path.join(ROOT, "smolmidi_out.py") not in modules
    needed = modules + [os.path.join(ROOT, "examples", "tune.mid"), program]
    sim.blocks = sim.used() + sum(-(-os.path.getsize(p) // BLOCK) for p in needed) + 1
    sim.install(monkeypatch)
    before = snapshot(drive)
    with pytest.raises(deploy.DeployError, match="--only-imported copies only the modules smf_player.py imports"):
        deploy.deploy(str(drive), "smf_player", out=lambda line: None)
    assert snapshot(drive) == before
    deploy.deploy(str(drive), "smf_player", only_imported=True, out=lambda line: None)
    after = snapshot(drive)
    assert sorted(p for p in after if p.startswith("lib" + os.sep) and p.endswith(".py")) == sorted(
        [os.path.join("lib", "adafruit_midi", "__init__.py")]
        + [os.path.join("lib", os.path.basename(p)) for p in modules]
    )
    assert "tune.mid" in after and after["code.py.bak"] == before["code.py"]


def test_only_imported_on_the_command_line_reads_the_drives_own_code_py(tmp_path):
    drive = circuitpy(tmp_path)
    (drive / "code.py").write_text("import usb_midi\nimport smolmidi\n")
    proc = run_deploy(str(drive), "--only-imported")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(drive / "lib")) == ["adafruit_midi", "smolmidi.py"]


def mip_file_urls(package_url, package, version, relative_urls):
    """The URLs mip fetches for package.json's "urls", by mip's own rules.

    relative_urls=False is mip before micropython-lib PR #975 (MicroPython 1.20-1.24, and
    mpremote before micropython PR #12477, both first released in 1.25): each url goes
    through the github:/gitlab: rewrite as it stands. True is 1.25+: a url without a
    scheme is first joined to the folder holding package.json."""

    def rewrite(url):
        if url.startswith("github:"):
            org, repo, *path = url[7:].split("/")
            return "https://raw.githubusercontent.com/%s/%s/%s/%s" % (org, repo, version or "HEAD", "/".join(path))
        return url

    base = package_url.rpartition("/")[0]
    urls = []
    for target, url in package["urls"]:
        if relative_urls and base and not url.startswith(("http://", "https://", "github:", "gitlab:")):
            url = base + "/" + url
        urls.append(rewrite(url))
    return urls


def test_mip_resolution_by_version():
    """package.json installs on mip/mpremote 1.25+; 1.22-1.24 need the one-file form.

    What the README must say (text in notes/tools.md): `mpremote mip install
    github:OWNER/smolmidi` needs mpremote 1.25+ (any firmware), on-device mip.install of
    the package needs firmware 1.25+; before that, install each file by its URL."""
    with open(os.path.join(ROOT, "package.json")) as f:
        package = json.load(f)
    new = mip_file_urls("github:OWNER/smolmidi/package.json", package, "v0.1.0", True)
    assert new == ["https://raw.githubusercontent.com/OWNER/smolmidi/v0.1.0/" + n for n in deploy.LIBRARY_MODULES]
    old = mip_file_urls("github:OWNER/smolmidi/package.json", package, None, False)
    assert old == list(deploy.LIBRARY_MODULES), "before 1.25 a relative url is fetched as it stands (fails)"
    # the one-file form, which mip has taken since 1.20: github:OWNER/smolmidi/smolmidi.py
    single = {"urls": [["smolmidi.py", "github:OWNER/smolmidi/smolmidi.py"]]}
    assert mip_file_urls("", single, None, False) == [
        "https://raw.githubusercontent.com/OWNER/smolmidi/HEAD/smolmidi.py"
    ]
