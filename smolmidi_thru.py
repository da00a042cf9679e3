# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smolmidi_thru: Thru(port_in, out) forwards a raw input port to a smolmidi_out.MidiOut:
MIDI thru and USB <-> DIN bridges, with correct realtime, running status and SysEx
handling. Input ports as smolmidi.MidiIn takes them: usb_midi.PortIn, busio.UART
(timeout=0), machine.UART (read only when any() says so), BLE MIDIService
(readinto(buf, length)), pyserial. Never blocks; update() allocates nothing.
"""

from smolmidi_out import DATA_LEN as _DATA_LEN

_F0 = b"\xf0"
_F7 = b"\xf7"


class _Message:
    # the one message Thru hands to MidiOut.send(), reused: type, channel, data
    def __init__(self):
        self.type = 0
        self.channel = None
        self.data = bytearray(2)


def _int(v, top):
    return isinstance(v, int) and 0 <= v <= top


def _reject(name, value, low, high):
    raise ValueError(("%s must be %d to %d, got %r" if low else "%s must be %d-%d, got %r") % (name, low, high, value))


class Thru:
    """Forwards what arrives on a raw input port to a MidiOut: MIDI thru, USB <-> DIN.

    port_in: anything with readinto(buf) (usb_midi.ports[0], busio.UART with
    timeout=0, machine.UART: read only when any() says bytes wait). Call update()
    from the main loop; it forwards what has arrived and never waits.

    - Realtime bytes (F8-FF) go out at once, even from the middle of a message (so a
      realtime byte can overtake the one message it arrived inside).
    - Channel messages go out whole, with their status (the input may use running
      status; the output uses it only if the MidiOut was made with it).
    - SysEx streams through as it arrives: any length, nothing buffered whole.
    - channel_map: None (channels unchanged), an int 0-15 (every channel message onto
      that channel), or 16 entries, one per input channel: 0-15, or None to drop it.
    - drop_types: message types not forwarded (NOTE_ON, CC ... for channel messages,
      whatever the channel; CLOCK, SYSEX ... for system messages).
    - usb=True (default, right for usb_midi and safe for DIN): realtime bytes that
      arrive inside a SysEx are held and sent just after it (the USB stack packs every
      byte after F0 into the SysEx until F7), and a SysEx cut short by another status
      is closed with F7. usb=False (DIN out): realtime goes out at once, inside a
      SysEx, as MIDI 1.0 allows, and a cut-short SysEx goes out as it came.

    While a SysEx is passing through (in_sysex is True), send nothing else to the same
    MidiOut but realtime: it would land inside the SysEx. Counters: `stray` (data
    bytes with no status, ignored), `dropped` (realtime bytes lost because more than
    64 waited for one SysEx to end).
    """

    def __init__(self, port_in, out, *, channel_map=None, drop_types=(), usb=True, buffer_size=64):
        if not _int(buffer_size, 1 << 16) or buffer_size < 1:
            _reject("buffer_size", buffer_size, 1, 1 << 16)
        self.port_in = port_in
        self.out = out
        self.usb = bool(usb)
        self.stray = 0
        self.dropped = 0
        self._buf = bytearray(buffer_size)
        # bound methods cached: creating one per call allocates on MicroPython
        readinto = getattr(port_in, "readinto", None)
        if not callable(readinto):
            raise TypeError("port_in must have a readinto method, got %r" % (port_in,))
        if not callable(getattr(out, "send", None)):
            raise TypeError("out must be a MidiOut, got %r" % (out,))
        self._readinto = readinto
        self._sized = False  # BLE MIDIService: readinto(buf, length) needs the length
        any_ = getattr(port_in, "any", None)  # machine.UART: an empty read busy-waits
        self._any = any_ if callable(any_) else None
        self._map = self._build_map(channel_map, drop_types)
        self._running = 0  # running status of the input, 0 = none
        self._status = 0  # status of the message being collected, 0 = none
        self._need = 0
        self._got = 0
        self._data1 = 0
        self._sysex = 0  # 0 none, 1 passing through, 2 being skipped, 3 cut by the output
        self._held = bytearray(64)
        self._held_count = 0
        self._msg = _Message()

    @staticmethod
    def _build_map(channel_map, drop_types):
        """Output status for each input status byte; 0 = do not forward."""
        table = bytearray(256)
        for status in range(0x80, 0x100):
            table[status] = status
        if channel_map is not None:
            if _int(channel_map, 15):
                channel_map = [channel_map] * 16
            try:
                ok = len(channel_map) == 16
            except TypeError:
                ok = False
            if not ok:
                raise ValueError("channel_map must be None, 0-15 or 16 entries, got %r" % (channel_map,))
            for channel in range(16):
                target = channel_map[channel]
                if target is not None and not _int(target, 15):
                    raise ValueError("channel_map[%d] must be 0-15 or None, got %r" % (channel, target))
                for kind in range(0x80, 0xF0, 0x10):
                    table[kind | channel] = 0 if target is None else kind | target
        for kind in drop_types:
            if not _int(kind, 255) or kind < 0x80 or (kind < 0xF0 and kind & 0x0F):
                raise ValueError("drop_types entries must be message types, got %r" % (kind,))
            if kind < 0xF0:
                for channel in range(16):
                    table[kind | channel] = 0
            else:
                table[kind] = 0
        return table

    @property
    def in_sysex(self):
        """True while a SysEx is open on the output (started, not yet ended)."""
        return self._sysex & 1 == 1  # 1 passing, 3 cut short by the output

    def update(self):
        """Forward what the input port holds now; return the number of bytes read."""
        buf = self._buf
        if self._any is not None:
            waiting = self._any()
            if not waiting:
                return 0
            n = self._readinto(buf, min(waiting, len(buf)))
        elif self._sized:
            n = self._readinto(buf, len(buf))
        else:
            try:
                n = self._readinto(buf)
            except TypeError:  # learned once: this port needs the length
                self._sized = True
                n = self._readinto(buf, len(buf))
        if not n:
            return 0
        out = self.out
        table = self._map
        i = 0
        while i < n:
            byte = buf[i]
            i += 1
            if byte >= 0xF8:
                # realtime: at once, leaving every other state alone
                if table[byte]:
                    if self._sysex & 1 and self.usb:
                        if self._held_count < 64:
                            self._held[self._held_count] = byte
                            self._held_count += 1
                        else:
                            self.dropped += 1
                    else:
                        self._emit(byte, 0, 0)
            elif byte < 0x80:
                if self._sysex:
                    # a run of SysEx data: pass it on in one go
                    j = i
                    while j < n and buf[j] < 0x80:
                        j += 1
                    if self._sysex == 1:
                        self._pass(buf, i - 1, j)
                    i = j
                    continue
                status = self._status
                if not status:
                    status = self._running
                    if not status:
                        self.stray += 1
                        continue
                    self._status = status
                    self._need = _DATA_LEN[status >> 4]
                    self._got = 0
                if self._need == 2 and not self._got:
                    self._data1 = byte
                    self._got = 1
                    continue
                self._status = 0
                status = table[status]
                if status:
                    if self._need == 2:
                        self._emit(status, self._data1, byte)
                    else:
                        self._emit(status, byte, 0)
            else:
                self._begin(byte, out, table)
        return n

    def _begin(self, status, out, table):
        """A status byte 80-F7 arrived: it ends any SysEx and unfinished message."""
        if self._sysex:
            # 1 passing: closed by its F7 (or, on USB, by ours); 3 cut by the output
            if self._sysex == 3 or self._sysex == 1 and (status == 0xF7 or self.usb):
                out.write(_F7)
            self._sysex = 0
            if self._held_count:
                out.write(self._held, self._held_count)
                self._held_count = 0
            if status == 0xF7:
                self._running = 0
                self._status = 0
                return
        if status < 0xF0:
            self._running = status
            self._status = status
            self._need = _DATA_LEN[status >> 4]
            self._got = 0
            return
        # system common and SysEx cancel running status
        self._running = 0
        self._status = 0
        if status == 0xF0:
            self._sysex = 2
            if table[0xF0] and out.write(_F0):
                self._sysex = 1
        elif status != 0xF7:
            need = _DATA_LEN[16 + (status & 0x0F)]
            if need:
                self._status = status
                self._need = need
                self._got = 0
            elif table[status]:
                self._emit(status, 0, 0)

    def _emit(self, status, data1, data2):
        # one message through out.send(), so the MidiOut applies its running status
        msg = self._msg
        msg.type = status & 0xF0 if status < 0xF0 else status
        msg.channel = status & 0x0F if status < 0xF0 else None
        msg.data[0] = data1
        msg.data[1] = data2
        self.out.send(msg)

    def _pass(self, buf, start, end):
        # a run of SysEx data, buf[start:end], moved to the front (what is before it is
        # spent) so it goes out as write(buf, count): no slice, no allocation
        count = end - start
        if start:
            for i in range(count):
                buf[i] = buf[start + i]
        if self.out.write(buf, count) != count:
            self._sysex = 3  # cut short by the output: the rest is skipped, F7 at its end
