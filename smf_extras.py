# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""smf_extras: what smf_lite leaves out, for programs that use it.

    from smf_extras import MidiFile, Player
    song = MidiFile("song.mid")    # format 2, SMPTE, note, velocity, text...
    player = Player(song, port, loop=True, tempo_scale=1.5)

MidiFile: smf_lite.MidiFile that also reads format 2 (tracks one after another) and
SMPTE time, streams a SysEx longer than its payload in write_to(), has the fields of
each kind of event (a field that does not apply raises AttributeError naming the
event's type), track_lengths, `with`, and stays fast with hundreds of
tracks. Player: smf_lite.Player plus loop, tempo_scale, send_sysex, mute_track(),
mute_channel(), pause(), resume() and time_to_next_ms(). Copy it beside smf_lite.py;
reading and update() still allocate nothing.
"""

import smf_lite
from smf_lite import SMFError, SYSEX, META, META_END_OF_TRACK, META_TEMPO, DEFAULT_TEMPO  # noqa: F401

NOTE_OFF = 0x80
NOTE_ON = 0x90
AFTERTOUCH = 0xA0
CONTROLLER_CHANGE = CC = 0xB0
PROGRAM_CHANGE = 0xC0
CHANNEL_PRESSURE = 0xD0
PITCH_BEND = 0xE0
SYSEX_ESCAPE = 0xF7

META_SEQUENCE_NUMBER = 0x00
META_TEXT = 0x01
META_COPYRIGHT = 0x02
META_TRACK_NAME = 0x03
META_INSTRUMENT_NAME = 0x04
META_LYRIC = 0x05
META_MARKER = 0x06
META_CUE_POINT = 0x07
META_CHANNEL_PREFIX = 0x20
META_PORT = 0x21
META_SMPTE_OFFSET = 0x54
META_TIME_SIGNATURE = 0x58
META_KEY_SIGNATURE = 0x59
META_SEQUENCER_SPECIFIC = 0x7F

_DONE = 0x3FFFFFFF  # smf_lite's tick of a track with no more events
_NAMES = ("note off", "note on", "aftertouch", "control change", "program change", "channel pressure", "pitch bend")
_Lite = smf_lite.MidiFile


class MidiFile(_Lite):
    """smf_lite.MidiFile plus format 2 and SMPTE time; write_to() streams a long
    SysEx from the file; events also have note, velocity, control, value, program,
    pitch_bend (signed), truncated, text (meta), time_signature (numerator,
    denominator, clocks per click, 32nds a quarter) and key_signature (sharps,
    minor), None unless that meta event; the header has ppq (None for
    SMPTE), smpte_fps, ticks_per_frame, track_lengths. With more than 64 tracks a
    tree finds the earliest track, so reading time grows as n log n, not n squared.
    """

    _any_fmt = True  # (smf_lite's header check leaves format 2 and SMPTE to _header below)

    def __init__(self, source, payload_size=64, buffer_size=64):
        _Lite.__init__(self, source, payload_size, buffer_size)
        try:
            self._header()
        except SMFError:
            self.close()
            raise
        self.track_lengths = [e - s for s, e in zip(self.track_offsets, self._end)]
        self._tree = [0] * (2 * self.ntracks) if self.ntracks > 64 else []
        if self._tree or self.format == 2:
            self._pick = self._next_track  # bound method made once: making one allocates
        self.rewind()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _header(self):
        f = self.format
        d = self.division
        self._num = DEFAULT_TEMPO  # us a tick: _num / _den (SMPTE time has no tempo)
        self.ppq = self.smpte_fps = self.ticks_per_frame = None
        if f > 2:
            raise SMFError("format %d is not 0, 1 or 2" % f, None, 8)
        if d > 0x7FFF:  # SMPTE: frames a second, ticks a frame
            fps = 256 - (d >> 8)
            d &= 0xFF
            if fps not in (24, 25, 29, 30) or not d:
                raise SMFError("SMPTE division -%d frames, %d ticks per frame" % (fps, d), None, 12 + (d < 1))
            self.smpte_fps = fps
            self.ticks_per_frame = d
            # 29.97 fps: 1001000000 / (30000 tpf)
            self._num = 100100 if fps == 29 else 1000000
            self._den = 3 * d if fps == 29 else fps * d
        elif d:
            self.ppq = d
        else:
            raise SMFError("division is 0 ticks per quarter note", None, 12)

    def _time_to(self, tick):
        if self.ppq is None:
            self._tempo = self._num  # SMPTE time has no tempo
        _Lite._time_to(self, tick)

    def rewind(self):
        _Lite.rewind(self)
        self._next = 1 if self.format == 2 else self.ntracks  # format 2: the next track to start
        for t in range(self._next, self.ntracks):
            self._tick[t] = _DONE
        if getattr(self, "_tree", None):
            self._build()

    def _build(self):
        # leaves nt..2nt-1 hold the tracks, each node above the earlier of its two
        for t in range(self.ntracks):
            self._tree[self.ntracks + t] = t
        for j in range(self.ntracks - 1, 0, -1):
            t = j + j
            self._tree[j] = self._earlier(self._tree[t], self._tree[t + 1])

    def _earlier(self, a, b):
        ticks = self._tick
        return b if ticks[b] < ticks[a] or ticks[b] == ticks[a] and b < a else a

    def _next_track(self, t):
        # the track with the earliest next event (the tree: only track t's path to
        # the root changes), or -1 at the end; format 2 starts the next track when
        # one ends
        while True:
            if self._tree:
                j = self.ntracks + t
                while j > 1:
                    t = self._earlier(t, self._tree[j ^ 1])
                    j >>= 1
                    self._tree[j] = t
                t = self._tree[1]
            else:
                t = self._tick.index(min(self._tick))
            if self._tick[t] != _DONE:
                break
            if self._next >= self.ntracks:
                return -1
            t = self._next
            self._next += 1
            self._tick[t] = max(self.tick, 0)
            self._base[t] = self.track_offsets[t]
            self._len[t] = 0
            self._idx[t] = self._delta(t, 0)
        self.tick = self._tick[t]
        self.track = t
        return t

    def __getattr__(self, name):
        s = self.status
        k = s >> 4
        if name == "note" and 8 <= k <= 10 or name == "control" and k == 11 or name == "program" and k == 12:
            return self.data1
        if name == "velocity" and k < 10 or name == "value" and k == 11:
            return self.data2
        if name == "pitch_bend" and k == 14:
            return (self.data2 << 7 | self.data1) - 8192
        if name == "truncated" and s >= 0xF0:
            return self.length > self.payload_length
        p = self.payload
        if name == "text" and s == META:
            raw = bytes(p[: self.payload_length])
            try:
                return str(raw, "utf-8")  # bytes.decode is missing on small boards
            except UnicodeError:
                return "".join(chr(b) for b in raw)  # Latin-1, as older files use
        m = self._meta if s == META else -1
        if name == "time_signature":
            if m != META_TIME_SIGNATURE or self.payload_length < 4:
                return None
            if p[1] > 29:  # 1 << 30 would be a long int
                raise SMFError("time signature denominator 2**%d" % p[1], self.track, self._body() + 1)
            return (p[0], 1 << p[1], p[2], p[3])
        if name == "key_signature":
            if m != META_KEY_SIGNATURE or self.payload_length < 2:
                return None
            return (p[0] - 256 if p[0] > 127 else p[0], p[1] == 1)
        if name[0] == "_":
            raise AttributeError(name)
        try:
            return _Lite.__getattr__(self, name)
        except AttributeError:
            pass
        raise AttributeError(
            "%s does not apply to a %s event (status 0x%02X)"
            % (
                name,
                _NAMES[k - 8] if 0x80 <= s < 0xF0 else "SysEx" if s == SYSEX else "escape" if s < META else "meta",
                s,
            )
        )

    def _body(self):
        # the file offset of a SysEx or meta event's data (smf_lite has moved the
        # track's buffer on to just after it)
        return self._base[self.track] - self.length

    def write_to(self, port):
        """Send the event to port (a SysEx as F0 + data, streamed from the file
        when longer than the payload; not a meta); the bytes taken."""
        if self.status < 0xF0 or self.length <= self.payload_length:
            return _Lite.write_to(self, port)
        s = self.status
        self._raw[0] = SYSEX
        i = s != SYSEX  # an escape sends its data alone
        f = self._file
        at = start = self._body()
        left = self.length
        sent = 0
        while s < META:
            n = min(left, len(self.payload))  # data bytes in this piece
            k = smf_lite._write_all(port, memoryview(self._raw)[i : n + 1])
            sent += k
            left -= n
            if not left or k <= n - i:
                break
            at += n
            i = 1
            f.seek(at)  # (the reader seeks before each read)
            f.readinto(self.payload)
        if at != start:
            f.seek(start)
            f.readinto(self.payload)  # the payload holds the start again
        return sent


def _add(a, b, mask):
    # (a + b) mod (mask + 1) for 0 <= b <= mask, with no sum past 2**30
    return (a - (mask - b) - 1) & mask


_Core = smf_lite.Player


class Player(_Core):
    """smf_lite.Player plus loop, tempo_scale (0.01-10.0, 2.0 plays twice as fast),
    send_sysex, mute_track(), mute_channel(), pause(), resume(), paused and
    time_to_next_ms().

    Player(song, port, loop=False, tempo_scale=1.0, ticks_ms=None, ticks_us=None,
    ticks_period=None, send_sysex=True)
    """

    def __init__(
        self, song, port, loop=False, tempo_scale=1.0, ticks_ms=None, ticks_us=None, ticks_period=None, send_sysex=True
    ):
        _Core.__init__(self, song, port, ticks_ms, ticks_us, ticks_period)
        self.loop = loop
        self.send_sysex = send_sysex
        self.paused = False
        self._paused_at = 0
        self._muted_channels = 0
        self._muted_tracks = bytearray(self.song.ntracks)
        # tempo_scale: the core plays on a microsecond clock of our own that runs
        # tempo_scale times as fast as the real one (exact: remainders are carried)
        self._real = self._ticks
        self._real_mask = self._mask
        self._real_us = 1000 // self._per_ms  # microseconds a real tick
        self._ticks = self._scaled  # bound method made once: making one allocates
        self._per_ms = 1000
        self._mask = 0x3FFFFFFF
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
        self._rate = speed * self._real_us  # scaled us * 1000 a real tick
        self._piece = 0x3FFFFFFF // self._rate  # real ticks a step: products stay small

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
            self._now = _add(self._now, p // 1000, 0x3FFFFFFF)
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
        # (smf_lite's _send sends event, None for none, then reads the next)
        s = event.status if event else 0xFF
        if s >= 0xF0:
            muted = not self.send_sysex
        else:
            muted = self._muted_channels >> (s & 15) & 1
        if event and (muted or self._muted_tracks[event.track]):
            # muted: only the note-off of a sounding note goes out
            if s >= 0xA0 or s >= 0x90 and event.data2:
                event = None
            elif not self._sounding[(s & 15) << 4 | event.data1 >> 3] >> (event.data1 & 7) & 1:
                event = None
        _Core._send(self, event)

    def start(self):
        """Start from the beginning, now."""
        self.paused = False
        _Core.start(self)

    def stop(self):
        """Stop, with note-offs for sounding notes."""
        self.paused = False
        _Core.stop(self)

    def update(self):
        """Send what is due; True while playing or paused. Never sleeps."""
        if self.paused:
            return True
        while self.playing and not _Core.update(self) and self.loop:
            # the song has ended (smf_lite's update stopped it): its end is the new start
            length = self._ms or self._extra
            self._mark = _add(self._mark, self._extra, self._mask)
            self._at_ms = 0
            self.playing = True
            self.song.rewind()
            self._send(None)  # (reads the first event)
            if self._event is None:  # an empty song: nothing to loop
                self.playing = False
            elif not length:
                return True  # a song of length 0 loops once a call, not forever
        return self.playing

    def pause(self):
        """Hold the song where it is; sounding notes get their note-off."""
        if self.playing and not self.paused:
            self._paused_at = self._ticks()
            self.silence()
            self.paused = True

    def resume(self):
        """Go on after pause(): what follows is later by the pause's length."""
        if self.paused:
            self._mark = _add(self._mark, (self._ticks() - self._paused_at) & self._mask, self._mask)
            self.paused = False

    def time_to_next_ms(self):
        """Milliseconds until update() sends the next event (0 if due now or not
        playing; rounded down, so sleeping this long never makes an event late)."""
        if not self.playing or self.paused or self._event is None:
            return 0
        gap = self._ms - self._at_ms
        due = self._step * 1000 if gap > self._step else gap * 1000 + self._extra
        wait = due - ((self._scaled() - self._mark) & self._mask)  # scaled microseconds
        if wait <= 0:
            return 0
        if self._real_us == 1000:  # a ms clock sends at the first tick at or after
            return -(-wait // self._speed)
        return wait // self._speed
