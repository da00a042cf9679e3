"""smf_extras: smf_lite's Player with loop, tempo_scale, muting and time_to_next_ms.

    from smf_extras import Player
    player = Player(song, port, loop=True, tempo_scale=1.5)

Copy it beside smf_lite.py only when a program uses these; update() still never
sleeps and allocates nothing.
"""

import smf_lite
from smf_lite import META, SYSEX

_Core = smf_lite.Player


class Player(_Core):
    """smf_lite.Player plus loop, tempo_scale (0.01-10.0, 2.0 plays twice as fast),
    send_sysex, mute_track(), mute_channel() and time_to_next_ms().

    Player(song, port, loop=False, tempo_scale=1.0, ticks_ms=None, ticks_us=None,
    ticks_period=None, send_sysex=True)
    """

    def __init__(self, song, port, loop=False, tempo_scale=1.0, ticks_ms=None, ticks_us=None,
                 ticks_period=None, send_sysex=True):
        _Core.__init__(self, song, port, ticks_ms, ticks_us, ticks_period)
        self.loop = loop
        self.send_sysex = send_sysex
        self._muted_channels = 0
        self._muted_tracks = bytearray(self.song.ntracks)
        # tempo_scale: the core plays on a microsecond clock of our own that runs
        # tempo_scale times as fast as the real one (exact: remainders are carried)
        self._real = self._ticks
        self._real_mask = self._mask
        self._real_us = 1000 // self._per_ms  # microseconds per real tick
        self._ticks = self._scaled  # bound method cached: creating one allocates
        self._per_ms = 1000
        self._mask = 0x3FFFFFFF
        self._half = 0x20000000
        self._step = 0xFFFFFFF // 1000
        self._last = self._real() & self._real_mask
        self._now = self._carry = 0
        self.tempo_scale = tempo_scale

    @property
    def tempo_scale(self):
        """Speed factor: 2.0 plays twice as fast. A change applies from now on."""
        return self._speed / 1000

    @tempo_scale.setter
    def tempo_scale(self, scale):
        speed = int(scale * 1000 + 0.5)
        if not 10 <= speed <= 10000:
            raise ValueError("tempo_scale must be 0.01-10.0, got %r" % (scale,))
        self._speed = speed
        self._rate = speed * self._real_us  # scaled us * 1000 per real tick
        self._piece = 0x3FFFFFFF // self._rate  # real ticks per step: products stay small

    def _scaled(self):
        # the real ticks since the last reading, scaled, in pieces small enough
        # that no product passes 2**30
        real = self._real() & self._real_mask
        d = (real - self._last) & self._real_mask
        self._last = real
        while d:
            p = d if d < self._piece else self._piece
            d -= p
            p = p * self._rate + self._carry
            self._carry = p % 1000
            self._now = self._add(self._now, p // 1000)
        return self._now

    def mute_track(self, track, muted=True):
        """Mute (or unmute) a track: its events are not sent, except note-offs for
        notes already sounding."""
        self._muted_tracks[track] = 1 if muted else 0

    def mute_channel(self, channel, muted=True):
        """Mute (or unmute) channel 0-15, as mute_track does."""
        if not 0 <= channel <= 15:
            raise ValueError("channel must be 0-15, got %r" % (channel,))
        if muted:
            self._muted_channels |= 1 << channel
        else:
            self._muted_channels &= ~(1 << channel)

    def _send(self, event):
        s = event.status
        if s >= 0xF0:
            muted = not self.send_sysex
        else:
            muted = self._muted_channels >> (s & 15) & 1
        if muted or self._muted_tracks[event.track]:
            # muted: only the note-off of a sounding note goes out
            if s >= 0xA0 or s >= 0x90 and event.data2:
                return
            k = self._sounding[(s & 15) << 4 | event.data1 >> 3]
            if not k >> (event.data1 & 7) & 1:
                return
        _Core._send(self, event)

    def _end(self):
        if not self.loop:
            return _Core._end(self)
        self.silence()
        length = self._ms or self._extra
        self._deadline = self._add(self._deadline, self._extra)  # the end is the new start
        self._at_ms = 0
        self.song.rewind()
        self._fetch()
        if self._event is None:  # an empty song: nothing to loop
            return _Core._end(self)
        return 1 if length else 2  # a song of length 0 loops once a call, not forever

    def time_to_next_ms(self):
        """Milliseconds until update() sends the next event (0 if due now or not
        playing; rounded down, so sleeping this long never makes an event late)."""
        if self._state != 1 or self._event is None:
            return 0
        gap = self._ms - self._at_ms
        if gap > self._step:
            gap = self._step
        due = self._add(self._add(self._deadline, gap * 1000), self._extra)
        wait = self._diff(due, self._scaled())  # scaled microseconds
        if wait <= 0:
            return 0
        if self._real_us == 1000:  # a ms clock sends at the first tick at or after
            return -(-wait // self._speed)
        return wait // self._speed
