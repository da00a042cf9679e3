# usb_monitor: print every MIDI message that arrives over USB, and echo it back.
# Needs: a board with native USB (usb_midi enabled, the default on RP2040 and SAMD).
# Wiring: none. Copy this file to CIRCUITPY as code.py.
# Until smolmidi.MidiIn lands this reads raw bytes; the printout shows them readably
# when run under host_shim.
import usb_midi

port_in, port_out = usb_midi.ports
buf = bytearray(64)
while True:
    n = port_in.readinto(buf)
    if n:
        print("got", " ".join("%02X" % b for b in buf[:n]))
        port_out.write(buf[:n])
