"""Deploy to a folder laid out like a CIRCUITPY drive, and the mip package.json."""

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
    return {os.path.relpath(os.path.join(d, f), folder): open(os.path.join(d, f), "rb").read()
            for d, _, files in os.walk(folder) for f in files}


def run_deploy(*args):
    return subprocess.run([sys.executable, "-m", "host_shim", "deploy", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


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
    # a second deploy writes nothing and says so
    proc = run_deploy(str(drive), "--example", EXAMPLE)
    assert proc.returncode == 0 and snapshot(drive) == after
    assert proc.stdout.count("unchanged") == len(deploy.LIBRARY_MODULES) + 1


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


@pytest.mark.parametrize("args, words", [
    (["--example", "no_such_example"], "no example named 'no_such_example' (known: "),
    ([], None),
])
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
        assert ":" not in source and "\\" not in source
        assert os.path.isfile(os.path.join(ROOT, source)), source
    import smolmidi
    assert package["version"] == smolmidi.__version__
