"""smolmidi_out: MIDI output for CircuitPython and MicroPython (placeholder until issue 4 lands)."""

__version__ = "0.1.0"
