# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""A plain MIDI 1.0 byte-stream decoder, the benchmark's independent model of the wire rules.

Written for clarity, not speed, and separately from the workload generator, so the
expected message lists can be checked from the bytes alone. decode(stream) returns the
messages in delivery order, each as status + data bytes (SysEx as F0 payload F7):
- realtime F8-FF is delivered at once, wherever it lands, and disturbs nothing;
- channel voice statuses 80-EF set running status; system common F1-F7 clears it;
- any non-realtime status ends an unfinished message (dropped) and an open SysEx
  (dropped here: the workloads never abort one);
- data bytes with no status in force are dropped.
"""

DATA_LENGTH = {0x80: 2, 0x90: 2, 0xA0: 2, 0xB0: 2, 0xC0: 1, 0xD0: 1, 0xE0: 2, 0xF1: 1, 0xF2: 2, 0xF3: 1, 0xF6: 0}


def decode(stream):
    """Messages a correct receiver delivers from stream (bytes), as a list of bytes."""
    out = []
    status = None  # the status whose data bytes are being collected (running status)
    data = []
    sysex = None  # bytearray while inside SysEx
    for b in stream:
        if b >= 0xF8:
            out.append(bytes((b,)))
            continue
        if b & 0x80:
            if sysex is not None and b == 0xF7:
                out.append(bytes(sysex) + b"\xf7")
            sysex = None
            data = []
            status = None
            if b == 0xF0:
                sysex = bytearray(b"\xf0")
            elif b < 0xF0:
                status = b
            elif DATA_LENGTH.get(b) == 0:
                out.append(bytes((b,)))
            elif b in DATA_LENGTH:
                status = b
            continue
        if sysex is not None:
            sysex.append(b)
            continue
        if status is None:
            continue  # stray data byte
        data.append(b)
        if len(data) == DATA_LENGTH[status & 0xF0 if status < 0xF0 else status]:
            out.append(bytes([status] + data))
            data = []
            if status >= 0xF0:
                status = None  # system common messages do not run
    return out
