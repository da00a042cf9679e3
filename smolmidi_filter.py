# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_filter: smolmidi.MidiIn with filters (optional module).

For example::

    from smolmidi_filter import MidiIn
    midi_in = MidiIn(usb_midi.ports[0], channel=0, zero_velocity_note_off=True)
"""

import smolmidi

_receive = smolmidi.MidiIn.receive


class MidiIn(smolmidi.MidiIn):
    """smolmidi.MidiIn that passes on only what its filters let through: channel (0-15;
    None: all; system messages always pass), zero_velocity_note_off (note on with velocity
    0 becomes NOTE_OFF), ignore_clock, ignore_active_sensing. Other arguments as smolmidi's."""

    def __init__(
        self,
        port,
        enable_running_status=False,
        *,
        channel=None,
        zero_velocity_note_off=False,
        ignore_clock=False,
        ignore_active_sensing=False,
        **options,
    ):
        if channel not in range(16) and channel is not None:
            raise ValueError("channel must be 0-15 or None, got %r" % (channel,))
        smolmidi.MidiIn.__init__(self, port, enable_running_status, **options)
        self._channel = channel
        self._zero_off = zero_velocity_note_off
        self._ignore = smolmidi.CLOCK if ignore_clock else -1
        self._ignore2 = smolmidi.ACTIVE_SENSING if ignore_active_sensing else -1

    def receive(self):
        """The next Message that passes the filters, or None. Never blocks."""
        while True:
            msg = _receive(self)
            if msg is None:
                return None
            t = msg.type
            if t == self._ignore or t == self._ignore2:
                continue
            if self._channel is not None and msg.channel is not None and msg.channel != self._channel:
                continue
            if t == 0x90 and self._zero_off and msg.data[1] == 0:
                msg.type = 0x80
            return msg
