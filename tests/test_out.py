"""smolmidi_out on CPython only: it stands alone, and errors name the argument."""

import subprocess
import sys

import smolmidi_out


def test_smolmidi_out_does_not_import_smolmidi():
    code = "import sys, smolmidi_out; sys.exit('smolmidi' in sys.modules)"
    root = smolmidi_out.__file__.rsplit("/", 1)[0]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_every_public_name_has_a_docstring():
    names = [n for n in dir(smolmidi_out.MidiOut) if not n.startswith("_")]
    names += ["Thru." + n for n in dir(smolmidi_out.Thru) if not n.startswith("_")]
    missing = []
    for name in names:
        obj = smolmidi_out
        for part in ("MidiOut." + name if "." not in name else name).split("."):
            obj = getattr(obj, part)
        if callable(obj) and not obj.__doc__:
            missing.append(name)
    assert not missing


def test_every_method_taking_a_channel_says_0_to_15():
    import inspect
    for name, fn in inspect.getmembers(smolmidi_out.MidiOut, inspect.isfunction):
        if name.startswith("_"):
            continue
        if "channel" in inspect.signature(fn).parameters:
            assert "channel 0-15" in fn.__doc__, name
