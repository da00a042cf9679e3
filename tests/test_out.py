# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_out on CPython only: it stands alone, and errors name the argument."""

import subprocess
import sys

import smolmidi_control
import smolmidi_out
import smolmidi_thru


def test_smolmidi_out_does_not_import_smolmidi():
    code = "import sys, smolmidi_out; sys.exit('smolmidi' in sys.modules)"
    root = smolmidi_out.__file__.rsplit("/", 1)[0]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_every_public_name_has_a_docstring():
    # the one-byte methods (clock ...) are made by one factory: the class docstring names them
    made = {"clock", "start", "continue_", "cont", "stop", "active_sensing", "system_reset", "tune_request"}
    missing = []
    for cls in (smolmidi_out.MidiOut, smolmidi_control.MidiOut, smolmidi_thru.Thru):
        for name in dir(cls):
            obj = getattr(cls, name)
            if not name.startswith("_") and name not in made and callable(obj) and not obj.__doc__:
                missing.append(cls.__name__ + "." + name)
    for name in made:
        assert name in smolmidi_out.MidiOut.__doc__, name
    assert not missing


def test_every_method_taking_a_channel_says_0_to_15():
    import inspect

    for name, fn in inspect.getmembers(smolmidi_control.MidiOut, inspect.isfunction):
        if name.startswith("_"):
            continue
        if "channel" in inspect.signature(fn).parameters:
            assert "channel 0-15" in fn.__doc__, name
