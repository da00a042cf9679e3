# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi messages and mido's, both ways, on the desktop (CPython only, not for boards).

    from host_shim.mido_interop import to_mido, from_mido, send_mido, to_text

    mido_msg = to_mido(midi_in.receive())        # a smolmidi Message (or anything bytes() frames)
    msg = from_mido(mido.Message("note_on", note=60, velocity=64))
    midi_out.send(from_mido(mido_msg))           # MidiOut.send takes the converted message
    send_mido(midi_out, mido_msg)                # or mido's own bytes, through write()
    to_text(msg)                                 # 'note_on channel=0 note=60 velocity=64'

Both go through the wire bytes, so SysEx of any length converts whole: to_mido reads
bytes(msg), from_mido parses mido's bytes with smolmidi_filter's MidiIn and returns a copy
of the message it gives (with the named fields). A SysEx that smolmidi received in chunks
or ended by another status byte is refused (ValueError): mido's sysex would look complete. Undefined status
bytes (F4, F5, F9, FD) have no mido message: ValueError. Channels are 0-15 in both.

to_text writes mido's text form (mido.format_as_string without time) with no mido
installed; MidoText turns a byte stream into such lines for `host_shim run --format mido`,
with "# " before anything that is not a message (mido's text streams skip those as comments).
"""

from .describe import Describer

# mido's names and value names per status (high nibble for channel messages), in its order
CHANNEL = {
    0x80: ("note_off", "note", "velocity"),
    0x90: ("note_on", "note", "velocity"),
    0xA0: ("polytouch", "note", "value"),
    0xB0: ("control_change", "control", "value"),
    0xC0: ("program_change", "program"),
    0xD0: ("aftertouch", "value"),
    0xE0: ("pitchwheel", "pitch"),
}
SYSTEM = {
    0xF1: "quarter_frame",
    0xF2: "songpos",
    0xF3: "song_select",
    0xF6: "tune_request",
    0xF8: "clock",
    0xFA: "start",
    0xFB: "continue",
    0xFC: "stop",
    0xFE: "active_sensing",
    0xFF: "reset",
}


def _wire(msg):
    """The complete wire bytes of a message (smolmidi Message, or bytes-like), or ValueError."""
    if getattr(msg, "type", None) == 0xF0 and getattr(msg, "sysex_end", 0):
        raise ValueError("msg is a chunk or an aborted SysEx: mido's sysex would look complete")
    raw = bytes(msg)
    if not raw or raw[0] < 0x80:
        raise ValueError("msg must start with a status byte, got %r" % (raw[:1],))
    status = raw[0]
    if status == 0xF0:
        if raw[-1] != 0xF7 or len(raw) < 2:
            raise ValueError("a SysEx must end with F7, got %d bytes ending %02X" % (len(raw), raw[-1]))
    elif status < 0xF0:
        need = 1 if status & 0xF0 in (0xC0, 0xD0) else 2
        if len(raw) != 1 + need:
            raise ValueError("status %02X needs %d data bytes, got %r" % (status, need, raw))
    elif status not in SYSTEM:
        raise ValueError("mido has no message for status 0x%02X (undefined in MIDI 1.0)" % status)
    elif len(raw) != 1 + (2 if status == 0xF2 else 1 if status < 0xF4 else 0):
        raise ValueError("status %02X: wrong number of data bytes in %r" % (status, raw))
    return raw


def to_text(msg):
    """mido's text form of a message, without time: 'note_on channel=0 note=60 velocity=64'."""
    raw = _wire(msg)
    status = raw[0]
    if status == 0xF0:
        return "sysex data=(%s)" % ",".join(str(b) for b in raw[1:-1])
    if status < 0xF0:
        name, *fields = CHANNEL[status & 0xF0]
        if name == "pitchwheel":
            values = [(raw[1] | raw[2] << 7) - 8192]
        else:
            values = list(raw[1:])
        words = [name, "channel=%d" % (status & 15)] + ["%s=%d" % fv for fv in zip(fields, values)]
        return " ".join(words)
    name = SYSTEM[status]
    if status == 0xF1:
        return "%s frame_type=%d frame_value=%d" % (name, raw[1] >> 4, raw[1] & 15)
    if status == 0xF2:
        return "%s pos=%d" % (name, raw[1] | raw[2] << 7)
    if status == 0xF3:
        return "%s song=%d" % (name, raw[1])
    return name


def to_mido(msg, time=0):
    """A mido.Message of the same message (smolmidi Message, or its wire bytes)."""
    import mido

    return mido.Message.from_bytes(list(_wire(msg)), time=time)


class _Once:
    def __init__(self, data):
        self.data = data

    def readinto(self, buf, nbytes=None):
        n = min(len(self.data), len(buf) if nbytes is None else nbytes)
        buf[:n] = self.data[:n]
        self.data = self.data[n:]
        return n


def from_mido(mido_msg):
    """A smolmidi Message with named fields (smolmidi_filter's, a copy) of a mido.Message,
    or of anything with .bytes()."""
    import smolmidi_filter

    raw = bytes(mido_msg.bytes())
    midi_in = smolmidi_filter.MidiIn(_Once(raw), sysex_size=max(len(raw), 1))
    for _ in range(len(raw) + 2):
        msg = midi_in.receive()
        if msg is not None:
            if bytes(msg) != raw:
                raise ValueError("%r does not read back as one message: %r" % (mido_msg, bytes(msg)))
            return msg.copy()
    raise ValueError("%r gives no complete message: %r" % (mido_msg, raw))


def send_mido(midi_out, mido_msg):
    """Send a mido.Message through a smolmidi_out.MidiOut (or any port): its bytes as mido
    made them; returns the count taken. (MidiOut.send takes smolmidi's messages only.)"""
    return midi_out.write(bytes(mido_msg.bin()))


def _line(raw):
    try:
        return to_text(raw)
    except ValueError:
        if raw[0] == 0xF0:
            return "# sysex of %d data bytes, no F7" % (len(raw) - 1)
        return "# status %02X: no mido message (undefined in MIDI 1.0)" % raw[0]


class MidoText(Describer):
    """Describer that writes mido's text form (host_shim run --format mido)."""

    describe = staticmethod(_line)

    def note(self, text):
        return "# " + text
