# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""A mido backend for tests: MIDI ports without a MIDI system (MIDO_BACKEND=fake_midi_backend).

Environment: FAKE_MIDI_INPUT = a file of raw MIDI bytes the input port delivers;
FAKE_MIDI_OUTPUT = a file the output port appends every sent message to;
FAKE_MIDI_FAIL = set to behave like rtmidi on a machine with no ALSA sequencer.
"""

import os

from mido.ports import BaseInput, BaseOutput

INPUT_NAMES = ["Fake Keyboard 20:0", "Fake Pads 24:0"]
OUTPUT_NAMES = ["Fake Synth 28:0"]


def _check():
    if os.environ.get("FAKE_MIDI_FAIL"):
        raise RuntimeError("MidiInAlsa::initialize: error creating ALSA sequencer client object.")


def get_devices(**kwargs):
    _check()
    return [{"name": n, "is_input": True, "is_output": False} for n in INPUT_NAMES] + [
        {"name": n, "is_input": False, "is_output": True} for n in OUTPUT_NAMES
    ]


class Input(BaseInput):
    def _open(self, **kwargs):
        _check()
        if self.name not in INPUT_NAMES:
            raise OSError("unknown port %r" % self.name)
        self._waiting = b""
        path = os.environ.get("FAKE_MIDI_INPUT")
        if path:
            with open(path, "rb") as f:
                self._waiting = f.read()

    def _receive(self, block=True):
        # everything "arrives" at the first poll (the parser exists only after _open)
        self._parser.feed(self._waiting)
        self._waiting = b""


class Output(BaseOutput):
    def _open(self, **kwargs):
        _check()
        if self.name not in OUTPUT_NAMES:
            raise OSError("unknown port %r" % self.name)

    def _send(self, msg):
        with open(os.environ["FAKE_MIDI_OUTPUT"], "ab") as f:
            f.write(bytes(msg.bin()))
