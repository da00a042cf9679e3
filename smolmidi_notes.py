# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_notes: note names and frequencies (optional; the core smolmidi does not need it).

For example::

    import smolmidi_notes
    smolmidi_notes.note_name(60)         # 'C4'
    smolmidi_notes.note_number("A#3")    # 58
    smolmidi_notes.note_to_frequency(69) # 440.0
"""

import math

_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_OFFSETS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def note_name(note):
    """MIDI note number to a name with octave: 60 -> 'C4', 69 -> 'A4', 70 -> 'A#4'."""
    if not (isinstance(note, int) and 0 <= note <= 127):
        raise ValueError("note must be 0-127, got %r" % (note,))
    return _NAMES[note % 12] + str(note // 12 - 1)


def note_number(name):
    """A note name to its number: 'C4' -> 60, 'A#3' -> 58, 'Bb3' -> 58, 'C-1' -> 0."""
    text = name.strip() if isinstance(name, str) else ""
    if not text or text[0].upper() not in _OFFSETS:
        raise ValueError("note name must look like 'C4', 'A#3' or 'Bb2', got %r" % (name,))
    number = _OFFSETS[text[0].upper()]
    rest = text[1:]
    while rest and rest[0] in "#b":
        number += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    try:
        number += (int(rest) + 1) * 12
    except ValueError:
        raise ValueError("note name must end in an octave number, got %r" % (name,))
    if not 0 <= number <= 127:
        raise ValueError("note %r is outside MIDI's 0-127" % (name,))
    return number


def note_to_frequency(note, a4=440.0):
    """Equal-tempered frequency in Hz of a note number (69 -> 440.0). Uses floats."""
    return a4 * 2.0 ** ((note - 69) / 12.0)


def frequency_to_note(frequency, a4=440.0):
    """The nearest note number to a frequency in Hz (440.0 -> 69), clamped to 0-127."""
    if frequency <= 0:
        raise ValueError("frequency must be above 0 Hz, got %r" % (frequency,))
    note = int(round(69 + 12 * math.log(frequency / a4) / math.log(2)))
    return 0 if note < 0 else 127 if note > 127 else note
