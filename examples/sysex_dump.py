# sysex_dump: receive SysEx dumps of any size (patch banks, sample dumps, firmware) in
# chunks and save each one to a file on the board's drive: dump_001.syx, dump_002.syx, ...
# A .syx file holds the SysEx exactly as sent, F0 ... F7, so an editor or librarian on
# the computer can send it back later.
#
# Needs:  a board with native USB running CircuitPython 9 or 10; smolmidi.py in
#         CIRCUITPY/lib/. Code can only write to CIRCUITPY once this boot.py is on it:
#
#             import storage
#             storage.remount("/", readonly=False)
#
#         (then the computer cannot write to the drive; delete boot.py from the REPL
#         with `import os; os.remove("/boot.py")` and reset to get it back).
# Wiring: none for USB. For DIN, copy your board's file from boards/ into lib/, wire MIDI
#         IN as boards/README.md shows, and read from `feather_rp2040.uart(tx=None,
#         rx_buffer=1024)` (say) instead: a flash write can take a few milliseconds,
#         and a bigger UART buffer keeps the bytes that arrive meanwhile.
# Desktop: python -m host_shim run examples/sysex_dump.py --input FILE.syx
#
# Memory stays the same whatever the dump size: the SysEx passes through one CHUNK-byte
# buffer on its way to the file.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import usb_midi

import smolmidi

CHUNK = 256  # bytes per piece written to the file
FILE_NAME = "dump_%03d.syx"

midi_in = smolmidi.MidiIn(usb_midi.ports[0], sysex_size=CHUNK)  # a longer SysEx comes in pieces
buf = bytearray(CHUNK)
view = memoryview(buf)
F0 = b"\xf0"
F7 = b"\xf7"


def next_free_name():
    """The first dump_NNN.syx that does not exist yet."""
    number = 1
    while True:
        name = FILE_NAME % number
        try:
            open(name, "rb").close()
        except OSError:
            return name
        number += 1


file = None  # the open dump file, or None while no SysEx is arriving (or it cannot be saved)
name = None
size = 0  # payload bytes of the SysEx arriving now

print("sysex_dump: waiting for SysEx")
while True:
    msg = midi_in.receive()
    if msg is None or msg.type != smolmidi.SYSEX:
        continue
    n = midi_in.readinto_sysex(buf)
    if size == 0:
        # the first piece of a new SysEx: open its file
        name = next_free_name()
        try:
            file = open(name, "wb")
            file.write(F0)
        except OSError:
            file = None
            print("cannot write %s: is CIRCUITPY writable? (see boot.py above)" % name)
        if n:
            print("sysex from manufacturer %02X: receiving" % buf[0])
    size += n
    if file is not None and n:
        file.write(view[:n])
    if msg.sysex_end == smolmidi.SYSEX_CHUNK:
        continue  # more of the same SysEx follows
    complete = msg.sysex_end == smolmidi.SYSEX_COMPLETE
    if file is not None:
        if complete:
            file.write(F7)
        file.close()
        print("saved %s: %d bytes" % (name, size + (2 if complete else 1)))
    if not complete:
        print("that SysEx was cut short (no F7) after %d bytes" % size)
    file = None
    size = 0
