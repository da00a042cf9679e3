# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_control: smolmidi_out.MidiOut plus what a basic job does not need.

``smolmidi_control.MidiOut(port, running_status=False, *, retries=1000)`` is a
smolmidi_out.MidiOut with 14-bit controllers, RPN/NRPN, the channel mode messages,
panic(), pitch_bend_raw(), send_status() and cont(), sysex() and write() that also take
lists (any sequence of ints), and a patient port writer: a port that
takes fewer bytes gets the rest again (no allocation), up to `retries` calls in a row
that take nothing; then the rest is given up and counted in `dropped`, and while the
port stays stalled each message gets one try. A SysEx cut short is closed with F7
when the port takes bytes again. A port whose first write returns None is taken to
send all and say nothing (BLE MIDIService); after a count, None means nothing taken
(a UART's timeout). Copy it beside smolmidi_out.py only when you use these.
"""

import smolmidi_out


def check(spec, values):
    """Raise ValueError for the first of values out of spec ("name:top" or
    "name:low:top" each): the one funnel for argument errors here."""
    spec = spec.split()
    for i in range(len(spec)):
        name, *top = spec[i].split(":")
        v = values[i]
        low = int(top[0]) if len(top) > 1 else 0
        if not isinstance(v, int) or not low <= v <= int(top[-1]):
            raise ValueError("%s must be %d%s%s, got %r" % (name, low, " to " if low else "-", top[-1], v))


_BYTES = (bytes, bytearray, memoryview)  # made once: a tuple built in a call allocates


def _bytes(data, top):
    # bytes, bytearray and memoryview as they are; other sequences of ints (lists,
    # arrays) copied by value, each checked
    if isinstance(data, _BYTES):
        return data
    try:
        data = list(data)
        for i in range(len(data)):
            if not isinstance(data[i], int) or data[i] >> 8:  # a negative one shifts to -1
                raise ValueError("data[%d] must be 0-%d, got %r" % (i, top, data[i]))
    except TypeError:
        raise ValueError("data must be bytes or a sequence of ints, got %r" % (data,))
    return bytes(data)


_STAGE = 64  # staging buffer for retries: views of 1, 2, 4 ... 64 bytes of it


class MidiOut(smolmidi_out.MidiOut):
    """smolmidi_out.MidiOut with the extras below; channels are 0-15."""

    def __init__(self, port, running_status=False, *, retries=1000):
        if not isinstance(retries, int) or retries < 1:
            check("retries:1:16777216", (retries,))
        smolmidi_out.MidiOut.__init__(self, port, running_status)
        self.retries = retries
        self._none_all = None  # what None from port.write means: learned on the first
        self._stalled = False
        self._eox_owed = False
        self._in_sysex = 0  # 1 while sysex() runs, 2 once some of it went out
        self._stage = bytearray(_STAGE)
        view = memoryview(self._stage)
        self._views = tuple(view[: 1 << i] for i in range(7))  # made once: slices allocate
        self._via_write = self._via  # bound method cached

    # -- extras ---------------------------------------------------------------------------

    def pitch_bend_raw(self, value, channel=0):
        """Pitch Bend as on the wire: value 0-16383 (8192 = centre), channel 0-15."""
        if not isinstance(value, int) or not isinstance(channel, int) or value >> 14 or channel >> 4:
            return check("value:16383 channel:15", (value, channel))
        self.pitch_bend(value - 8192, channel)

    def control_change_14bit(self, control, value, channel=0):
        """A 14-bit controller, MSB first: control 0-31 gets value >> 7, control + 32
        gets value & 127; value 0-16383, channel 0-15."""
        if (
            not isinstance(control, int)
            or not isinstance(value, int)
            or not isinstance(channel, int)
            or control >> 5
            or value >> 14
            or channel >> 4
        ):
            return check("control:31 value:16383 channel:15", (control, value, channel))
        self.control_change(control, value >> 7, channel)
        self.control_change(control + 32, value & 0x7F, channel)

    def rpn(self, parameter, value, channel=0):
        """Set a Registered Parameter: parameter, value 0-16383, channel 0-15: CC 101/100,
        CC 6/38, then the null function (CC 101, 100 = 127). Bend range 2: rpn(0, 2 << 7)."""
        self._parameter(101, parameter, value, channel)

    def nrpn(self, parameter, value, channel=0):
        """Set a Non-Registered Parameter: parameter, value 0-16383, channel 0-15: CC 99/98,
        CC 6/38, then the RPN null function."""
        self._parameter(99, parameter, value, channel)

    def _parameter(self, select, parameter, value, channel):
        if (
            not isinstance(parameter, int)
            or not isinstance(value, int)
            or not isinstance(channel, int)
            or parameter >> 14
            or value >> 14
            or channel >> 4
        ):
            return check("parameter:16383 value:16383 channel:15", (parameter, value, channel))
        self.control_change(select, parameter >> 7, channel)
        self.control_change(select - 1, parameter & 0x7F, channel)
        self.control_change(6, value >> 7, channel)
        self.control_change(38, value & 0x7F, channel)
        self.control_change(101, 127, channel)
        self.control_change(100, 127, channel)

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
            return check("channels:16", (channels,))
        self.control_change(126, channels, channel)

    def poly_on(self, channel=0):
        """Poly Mode On (CC 127 = 0), channel 0-15."""
        self.control_change(127, 0, channel)

    def panic(self):
        """All Sound Off and All Notes Off on every channel (0-15): 32 messages."""
        for channel in range(16):
            self.control_change(120, 0, channel)
            self.control_change(123, 0, channel)

    def send_status(self, status, data1=0, data2=0):
        """Send one message by status byte 0x80-0xFF but F0 and F7 (channel in the low
        nibble); data1, data2 0-127, only those the status takes are sent."""
        if not isinstance(status, int) or not 0x80 <= status <= 0xFF or status == 0xF0 or status == 0xF7:
            raise ValueError("status must be 0x80-0xFF, not 0xF0 or 0xF7, got %r" % (status,))
        if not isinstance(data1, int) or not isinstance(data2, int) or (data1 | data2) >> 7:
            return check("data1:127 data2:127", (data1, data2))
        self._emit(status, data1, data2)

    # -- the patient port writer (hooks of smolmidi_out.MidiOut: _first, _rest) -----------

    def sysex(self, data):
        """System Exclusive, as smolmidi_out.MidiOut.sysex; a SysEx cut short after its
        F0 went out is closed with F7 when the port takes bytes again."""
        self._in_sysex = 1
        try:
            smolmidi_out.MidiOut.sysex(self, _bytes(data, 127))
        finally:
            self._in_sysex = 0

    def write(self, buf, nbytes=None):
        """Send buf[0:nbytes] (bytes or ints 0-255) as it is; return the count taken."""
        return smolmidi_out.MidiOut.write(self, _bytes(buf, 255), nbytes)

    def cont(self):
        """Continue: continue_ under its short name."""
        self.continue_()

    def _first(self, buf, n):
        # the core learns write(buf, n) or write(buf); then every write goes through _via
        got = smolmidi_out.MidiOut._first(self, buf, n)
        self._raw_write = self._port
        self._none_all = got is None  # None first: a port that takes all, says nothing
        self._route()
        return n if got is None else got

    def _route(self):
        rs = self.running_status
        self._port = self._via_write
        self.running_status = rs

    def _raw(self, buf, n):
        got = self._raw_write(buf, n)
        if got is None:
            return n if self._none_all else 0
        return got

    def _via(self, buf, n):
        # every write; while the port is stalled, one try per message, the owed F7 first
        if self._stalled:
            if self._in_sysex == 2 and self._eox_owed and n == 1 and buf[0] == 0xF7:
                return 1  # the F7 of the SysEx just cut: still owed
            if self._eox_owed:
                if self._raw(b"\xf7", 1) != 1:
                    return 0
                self._eox_owed = False
            got = self._raw(buf, n)
            if got:
                self._stalled = False
        else:
            got = self._raw(buf, n)
        if got and self._in_sysex:
            self._in_sysex = 2
        return got

    def _rest(self, buf, done, end=None):
        # buf[done:end] through the staging buffer (a slice would allocate), retried.
        # Running status is forgotten until all is out.
        if end is None:
            end = len(buf)
        last = (
            buf[0]
            if self._write is not self._port and buf[0] < 0xF0 and (buf is self._b3 or buf is self._bufs[1])
            else 0
        )
        self._state[0] = 0
        stage = self._stage
        while done < end:
            n = end - done
            if n > _STAGE:
                n = _STAGE
            for i in range(n):
                stage[i] = buf[done + i]
            done += n
            if not self._flush(n):
                self.dropped += end - done
                if self._in_sysex == 2:
                    self._eox_owed = True
                return done
        self._state[0] = last
        return end

    def _flush(self, count):
        # stage[0:count] through views 1, 2, 4 ... 64 long; unsent bytes move to the front
        stage = self._stage
        fails = 0
        while count:
            i = 0
            while 2 << i <= count:
                i += 1
            n = self._via(self._views[i], 1 << i)
            if n:
                count -= n
                for i in range(count):
                    stage[i] = stage[n + i]
                fails = 0
            else:
                fails += 1
                if self._stalled or fails >= self.retries:
                    self.dropped += count
                    self._stalled = True
                    return False
        return True
