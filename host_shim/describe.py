# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Readable text for MIDI bytes, for the runner's printout and for test failure messages.

A small decoder of its own (host_shim never imports the product modules, so what it
prints is an independent reading of the wire). Channels are shown 0-15, as on the
wire and in smolmidi's API (ch=0 is what a synth's panel calls channel 1).
"""

NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
VOICE = {
    0x80: ("note_off", 2),
    0x90: ("note_on", 2),
    0xA0: ("aftertouch", 2),
    0xB0: ("control_change", 2),
    0xC0: ("program_change", 1),
    0xD0: ("channel_pressure", 1),
    0xE0: ("pitch_bend", 2),
}
COMMON = {
    0xF1: ("mtc_quarter_frame", 1),
    0xF2: ("song_position", 2),
    0xF3: ("song_select", 1),
    0xF4: ("undefined_f4", 0),
    0xF5: ("undefined_f5", 0),
    0xF6: ("tune_request", 0),
}
REALTIME = {
    0xF8: "clock",
    0xF9: "tick",
    0xFA: "start",
    0xFB: "continue",
    0xFC: "stop",
    0xFD: "undefined_fd",
    0xFE: "active_sensing",
    0xFF: "system_reset",
}


def note_name(note):
    """60 -> 'C4' (middle C is C4)."""
    return "%s%d" % (NAMES[note % 12], note // 12 - 1)


def describe_message(data):
    """One complete message (bytes, full status) as text."""
    status = data[0]
    if status in REALTIME:
        return REALTIME[status]
    if status == 0xF0:
        body = data[1:-1] if data[-1] == 0xF7 else data[1:]
        shown = " ".join("%02X" % b for b in body[:16])
        more = " ..." if len(body) > 16 else ""
        return "sysex %d bytes: %s%s" % (len(body), shown, more)
    if status in COMMON:
        name = COMMON[status][0]
        if status == 0xF2:
            return "%s %d" % (name, data[1] | (data[2] << 7))
        if status == 0xF1:
            return "%s piece=%d value=%d" % (name, data[1] >> 4, data[1] & 15)
        if len(data) > 1:
            return "%s %d" % (name, data[1])
        return name
    kind = status & 0xF0
    name = VOICE[kind][0]
    ch = status & 15  # 0-15, as on the wire
    if kind in (0x80, 0x90):
        return "%s ch=%d note=%d (%s) velocity=%d" % (name, ch, data[1], note_name(data[1]), data[2])
    if kind == 0xA0:
        return "%s ch=%d note=%d pressure=%d" % (name, ch, data[1], data[2])
    if kind == 0xB0:
        return "%s ch=%d control=%d value=%d" % (name, ch, data[1], data[2])
    if kind == 0xC0:
        return "%s ch=%d program=%d" % (name, ch, data[1])
    if kind == 0xD0:
        return "%s ch=%d pressure=%d" % (name, ch, data[1])
    return "%s ch=%d value=%d" % (name, ch, (data[1] | (data[2] << 7)) - 8192)


class Describer:
    """Turns a byte stream, fed in any split, into readable lines (running status understood).

    Each complete message's bytes go to describe(), other lines (stray bytes) to note():
    a subclass changes the wording (host_shim.mido_interop.MidoText)."""

    describe = staticmethod(describe_message)

    def note(self, text):
        return text

    def __init__(self):
        self.running = 0
        self.need = 0
        self.pending = bytearray()
        self.sysex = None

    def feed(self, data):
        """Return the lines for the messages completed by data."""
        lines = []
        for b in data:
            if b >= 0xF8:
                lines.append(self.describe(bytes([b])))
            elif b == 0xF0:
                self.sysex = bytearray([b])
                self.running = 0
                self.need = 0
            elif b == 0xF7:
                if self.sysex is not None:
                    self.sysex.append(b)
                    lines.append(self.describe(self.sysex))
                    self.sysex = None
            elif b >= 0x80:
                if self.sysex is not None:
                    lines.append(self.describe(self.sysex) + " (ended by status)")
                    self.sysex = None
                if b >= 0xF0:
                    self.running = 0
                    self.need = 0
                    need = COMMON[b][1]
                    if need == 0:
                        lines.append(self.describe(bytes([b])))
                        continue
                    self.pending = bytearray([b])
                    self.need = need
                else:
                    self.running = b
                    self.pending = bytearray([b])
                    self.need = VOICE[b & 0xF0][1]
            elif self.sysex is not None:
                self.sysex.append(b)
            elif self.need:
                self.pending.append(b)
                self.need -= 1
                if self.need == 0:
                    lines.append(self.describe(self.pending))
                    if self.running:
                        self.pending = bytearray([self.running])
                        self.need = VOICE[self.running & 0xF0][1]
            else:
                lines.append(self.note("stray data byte %02X" % b))
        return lines
