# usb_host_to_din: a USB MIDI keyboard plugged into the board's USB host port plays
# 5-pin DIN gear: every message it sends goes out of MIDI OUT, SysEx and clock too.
#
# Needs:  CircuitPython 9 or 10 on an RP2040 or RP2350 with a USB host port: a Pico with
#         a USB A socket wired to GP16 (D+) and GP17 (D-) and 5 V, or a Feather RP2040
#         USB Host (use board.USB_HOST_DATA_PLUS and board.USB_HOST_DATA_MINUS below);
#         smolmidi_out.py, smolmidi_thru.py and smolmidi_usb.py in CIRCUITPY/lib/.
# Wiring: the keyboard in the USB A socket; MIDI OUT on GP0 (UART0 TX) with the resistors
#         shown in boards/README.md.
# Desktop: python -m host_shim.usb_host examples/usb_host_to_din.py
#          (a stand-in keyboard plays a few notes; what goes out of MIDI OUT is printed)
#
# The keyboard speaks 4-byte USB-MIDI packets, not a byte stream: smolmidi_usb.UsbIn
# turns them into the bytes a Thru forwards, so SysEx of any length and realtime come
# out of the DIN socket as MIDI 1.0 wants them.
# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT

import array
import time

import board
import busio
import usb.core
import usb_host

import smolmidi_out
import smolmidi_thru
import smolmidi_usb

host_port = usb_host.Port(board.GP16, board.GP17)  # keep a reference: it runs the host
uart = busio.UART(board.GP0, None, baudrate=31250, timeout=0)
midi_out = smolmidi_out.MidiOut(uart)


def midi_endpoints(device):
    """(IN, OUT) endpoint addresses of the device's MIDI Streaming interface, or None."""
    head = array.array("B", [0] * 9)
    device.ctrl_transfer(0x80, 6, 0x0200, 0, head)  # GET_DESCRIPTOR(configuration)
    config = array.array("B", [0] * (head[2] | head[3] << 8))
    device.ctrl_transfer(0x80, 6, 0x0200, 0, config)
    found = None
    midi = False
    i = 0
    while i + 2 < len(config) and config[i]:
        kind = config[i + 1]
        if kind == 4:  # an interface: Audio (1), MIDI Streaming (3)
            midi = config[i + 5] == 1 and config[i + 6] == 3
            if midi:
                found = [config[i + 2], 0, 0]
        elif kind == 5 and midi and found:  # one of its endpoints
            found[1 if config[i + 2] & 0x80 else 2] = config[i + 2]
        i += config[i]
    if not found:
        return None
    device.set_configuration()
    try:
        device.detach_kernel_driver(found[0])
    except usb.core.USBError:
        pass  # not attached to anything
    return found[1], found[2]


print("usb_host_to_din: plug in a USB MIDI keyboard")
while True:
    device = usb.core.find()
    endpoints = device and midi_endpoints(device)
    if not endpoints:
        time.sleep(0.5)
        continue
    print("usb_host_to_din: playing", device.product)
    keyboard = smolmidi_usb.UsbIn(smolmidi_usb.HostEndpoint(device, endpoints[0]))
    thru = smolmidi_thru.Thru(keyboard, midi_out, usb=False)
    try:
        while True:
            thru.update()
    except usb.core.USBError:
        print("usb_host_to_din: keyboard unplugged")
