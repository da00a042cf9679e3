# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Reference model of the MIDI 1.0 receive rules, for testing smolmidi.MidiIn.

Written from the rules (shared design, section 4; MIDI 1.0 Detailed Specification),
not from smolmidi.py. It reads a whole byte stream, one byte at a time, with a few
plainly named variables, and returns what a receiver must report:

    events, losses = expected(stream, sysex_size=128, ...)

events is a list of plain tuples, in the order the receiver must deliver them:

    ("msg", status, data)                    every non-SysEx message; status is the
                                             full status byte, channel included
                                             (0x93 = note on, channel 3); data is a
                                             tuple of 0, 1 or 2 ints
    ("sysex", payload, outcome)              payload: bytes between F0 and the end,
                                             at most sysex_size of them; outcome:
                                             "complete" (ended by F7), "aborted"
                                             (ended by another status byte) or
                                             "chunk" (a full buffer, more of the
                                             same SysEx follows)

losses is a dict of what was dropped, by kind: stray_data, abandoned, sysex_aborted.
MidiIn counts their sum in error_count.

Decisions (smolmidi follows this table; each row is a rule the tests check)

  byte / situation              what the receiver does
  ----------------------------  -----------------------------------------------------
  F8-FF (realtime, incl. F9,    delivered at once as ("msg", b, ()), from any position:
  FD undefined, FF reset)       between status and data, between data bytes, inside
                                SysEx. Changes nothing else: the interrupted message
                                or SysEx resumes untouched, running status stays.
                                FF (system reset) is passed up; the parser does not
                                reset itself. ignore_clock drops F8, ignore_active_
                                sensing drops FE (not counted as loss).
  80-EF (channel voice)         becomes the status in force (running status): every
                                2 (or 1 for Cn, Dn) data bytes that follow make one
                                message until another non-realtime status arrives.
  F1, F2, F3 (system common     become the status in force for one message only: the
  with data)                    message completes after 1, 2, 1 data bytes; running
                                status is cancelled (later data bytes are stray).
  F6 (tune request)             delivered at once as ("msg", 0xF6, ()); cancels
                                running status.
  F4, F5 (undefined system      delivered at once like F6, as ("msg", 0xF4, ()) and
  common)                       ("msg", 0xF5, ()); cancel running status; the data
                                bytes that follow are stray. [Open question for the
                                lead: the spec says undefined status is "ignored";
                                delivering them keeps them visible. Revisit together.]
  F7 outside SysEx              not a message and not counted; cancels running status
                                (and, like any status, abandons an unfinished message).
  F0                            starts a SysEx; cancels running status.
  any status F0-F7 or 80-EF     an unfinished message (a status byte that still wants
  while a message is            data, or a running-status message with some of its
  unfinished                    data) is dropped: abandoned += 1. A status byte with
                                no data yet counts too (90 then 80: the 90 is
                                abandoned). Completed messages leave nothing
                                unfinished, so a new status after them is no loss.
  F7 inside SysEx               ends it: ("sysex", payload, "complete").
  any other status 80-F6        ends it: ("sysex", payload, "aborted"),
  inside SysEx (F0 included)    sysex_aborted += 1, then the status is handled as
                                usual (F0 starts a new SysEx; 90 starts a note...).
                                Not also counted as abandoned.
  data byte inside SysEx        appended to the payload. Nothing is dropped: when a
                                payload byte arrives and the buffer already holds
                                sysex_size bytes, those are delivered as
                                ("sysex", buffer, "chunk") and the byte starts the
                                next chunk. So a SysEx of exactly
                                sysex_size bytes is one "complete" message, and the last
                                message of a SysEx is never an empty one (except for an
                                empty SysEx, F0 F7).
  data byte, no status in force dropped: stray_data += 1. No status in force = at the
                                start, or after a system common message, F7, or SysEx.
  data values                   0-127 are all valid and delivered as they are.
  note on, velocity 0           stays ("msg", 0x9n, (key, 0)) by default; with
                                zero_velocity_note_off=True it is ("msg", 0x8n,
                                (key, 0)). Running status stays 9n either way.
  channel filter (channel=n)    channel messages of other channels are read (they set
                                running status, their data is consumed) but not
                                delivered, and not counted as loss. System and realtime
                                messages are always delivered. Loss counters count wire
                                events whatever the filter.
  end of stream                 an unfinished message or SysEx is not delivered and not
                                counted: it waits for more bytes.
"""

# data bytes each status wants; channel statuses are looked up by their high nibble
DATA_LENGTH = {
    0x80: 2,
    0x90: 2,
    0xA0: 2,
    0xB0: 2,
    0xC0: 1,
    0xD0: 1,
    0xE0: 2,
    0xF1: 1,
    0xF2: 2,
    0xF3: 1,
    0xF4: 0,
    0xF5: 0,
    0xF6: 0,
}


def data_length(status):
    """How many data bytes the message started by status has (not for F0, F7, F8-FF)."""
    if status < 0xF0:
        return DATA_LENGTH[status & 0xF0]
    return DATA_LENGTH[status]


def expected(
    stream,
    sysex_size=128,
    channel=None,
    zero_velocity_note_off=False,
    ignore_clock=False,
    ignore_active_sensing=False,
):
    """Events and loss counts a MIDI 1.0 receiver must report for the whole stream."""
    events = []
    losses = {"stray_data": 0, "abandoned": 0, "sysex_aborted": 0}

    status = None  # status in force (running status or one system common), or None
    data = []  # data bytes collected for the message in progress
    unfinished = False  # a message has begun (status byte or first data byte) and not ended
    sysex = None  # payload collected so far while a SysEx is open, else None

    def deliver(status_byte, data_bytes):
        if status_byte < 0xF0:
            if channel is not None and (status_byte & 0x0F) != channel:
                return
            if zero_velocity_note_off and status_byte & 0xF0 == 0x90 and data_bytes[1] == 0:
                status_byte = 0x80 | (status_byte & 0x0F)
        events.append(("msg", status_byte, tuple(data_bytes)))

    for byte in stream:
        if byte >= 0xF8:
            # realtime: delivered at once, touches no state
            if byte == 0xF8 and ignore_clock:
                continue
            if byte == 0xFE and ignore_active_sensing:
                continue
            events.append(("msg", byte, ()))
            continue

        if byte >= 0x80:
            # any other status byte: first end whatever is open
            if sysex is not None:
                if byte == 0xF7:
                    events.append(("sysex", bytes(sysex), "complete"))
                else:
                    events.append(("sysex", bytes(sysex), "aborted"))
                    losses["sysex_aborted"] += 1
                sysex = None
                if byte == 0xF7:
                    continue
            if unfinished:
                losses["abandoned"] += 1
            status = None
            data = []
            unfinished = False
            if byte == 0xF0:
                sysex = []
            elif byte == 0xF7:
                pass  # a lone end-of-exclusive: no message, running status now cancelled
            elif data_length(byte) == 0:
                deliver(byte, ())  # F4, F5, F6: complete at once, nothing in force after
            else:
                status = byte
                unfinished = True
            continue

        # a data byte
        if sysex is not None:
            if len(sysex) == sysex_size:
                events.append(("sysex", bytes(sysex), "chunk"))
                sysex = []
            sysex.append(byte)
            continue
        if status is None:
            losses["stray_data"] += 1
            continue
        data.append(byte)
        unfinished = True
        if len(data) == data_length(status):
            deliver(status, data)
            data = []
            unfinished = False
            if status >= 0xF0:
                status = None  # system common: no running status
    return events, losses
