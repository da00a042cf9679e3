"""smolmidi: MIDI input for CircuitPython and MicroPython (placeholder until issue 3 lands)."""

__version__ = "0.1.0"
