"""smolmidi_control: smolmidi_out.MidiOut plus what a basic job does not need.

smolmidi_control.MidiOut(port, ...) is a smolmidi_out.MidiOut with 14-bit controllers,
RPN/NRPN, the channel mode messages, panic(), pitch_bend_raw() and send_status().
Copy it beside smolmidi_out.py only when you use these. Allocation-free as the core.
"""

import smolmidi_out
from smolmidi_out import check


class MidiOut(smolmidi_out.MidiOut):
    """smolmidi_out.MidiOut with the extras below; channels are 0-15."""

    def pitch_bend_raw(self, value, channel=0):
        """Pitch Bend as on the wire: value 0-16383 (8192 = centre), channel 0-15."""
        if not isinstance(value, int) or not isinstance(channel, int) or value >> 14 \
                or channel >> 4:
            check("value:16383 channel:15", value, channel)
        self._emit(0xE0 | channel, value & 0x7F, value >> 7)

    def control_change_14bit(self, control, value, channel=0):
        """A 14-bit controller, MSB first: control 0-31 gets value >> 7, control + 32
        gets value & 127; value 0-16383, channel 0-15."""
        if not isinstance(control, int) or not isinstance(value, int) \
                or not isinstance(channel, int) or control >> 5 or value >> 14 or channel >> 4:
            check("control:31 value:16383 channel:15", control, value, channel)
        self._emit(0xB0 | channel, control, value >> 7)
        self._emit(0xB0 | channel, control + 32, value & 0x7F)

    def rpn(self, parameter, value, channel=0):
        """Set a Registered Parameter: parameter, value 0-16383, channel 0-15: CC 101/100,
        CC 6/38, then the null function (CC 101, 100 = 127). Bend range 2: rpn(0, 2 << 7)."""
        self._parameter(101, parameter, value, channel)

    def nrpn(self, parameter, value, channel=0):
        """Set a Non-Registered Parameter: parameter, value 0-16383, channel 0-15: CC 99/98,
        CC 6/38, then the RPN null function."""
        self._parameter(99, parameter, value, channel)

    def _parameter(self, select, parameter, value, channel):
        if not isinstance(parameter, int) or not isinstance(value, int) \
                or not isinstance(channel, int) or parameter >> 14 or value >> 14 or channel >> 4:
            check("parameter:16383 value:16383 channel:15", parameter, value, channel)
        status = 0xB0 | channel
        self._emit(status, select, parameter >> 7)
        self._emit(status, select - 1, parameter & 0x7F)
        self._emit(status, 6, value >> 7)
        self._emit(status, 38, value & 0x7F)
        self._emit(status, 101, 127)
        self._emit(status, 100, 127)

    def all_sound_off(self, channel=0):
        """All Sound Off (CC 120 = 0), channel 0-15."""
        self.control_change(120, 0, channel)

    def reset_all_controllers(self, channel=0):
        """Reset All Controllers (CC 121 = 0), channel 0-15."""
        self.control_change(121, 0, channel)

    def local_control(self, on, channel=0):
        """Local Control on (CC 122 = 127) or off (0): on is True/False, channel 0-15."""
        if on is not True and on is not False:
            raise ValueError("on must be True or False, got %r" % (on,))
        self.control_change(122, 127 if on else 0, channel)

    def all_notes_off(self, channel=0):
        """All Notes Off (CC 123 = 0), channel 0-15."""
        self.control_change(123, 0, channel)

    def omni_off(self, channel=0):
        """Omni Mode Off (CC 124 = 0), channel 0-15."""
        self.control_change(124, 0, channel)

    def omni_on(self, channel=0):
        """Omni Mode On (CC 125 = 0), channel 0-15."""
        self.control_change(125, 0, channel)

    def mono_on(self, channels=0, channel=0):
        """Mono Mode On (CC 126 = channels 0-16; 0 = as many as voices), channel 0-15."""
        if not isinstance(channels, int) or not 0 <= channels <= 16:
            check("channels:16", channels)
        self.control_change(126, channels, channel)

    def poly_on(self, channel=0):
        """Poly Mode On (CC 127 = 0), channel 0-15."""
        self.control_change(127, 0, channel)

    def panic(self):
        """All Sound Off and All Notes Off on every channel (0-15): 32 messages."""
        for channel in range(16):
            self._emit(0xB0 | channel, 120, 0)
            self._emit(0xB0 | channel, 123, 0)

    def send_status(self, status, data1=0, data2=0):
        """Send one message by status byte 0x80-0xFF but F0 and F7 (channel in the low
        nibble); data1, data2 0-127, only those the status takes are sent."""
        if not isinstance(status, int) or not 0x80 <= status <= 0xFF or status == 0xF0 \
                or status == 0xF7:
            raise ValueError("status must be 0x80-0xFF, not 0xF0 or 0xF7, got %r" % (status,))
        if not isinstance(data1, int) or not isinstance(data2, int) or (data1 | data2) >> 7:
            check("data1:127 data2:127", data1, data2)
        self._emit(status, data1, data2)
