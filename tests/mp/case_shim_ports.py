# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""host_shim.ports: each stand-in keeps its real port's conventions, on every runtime."""

from mptest import eq, ok, raises, no_alloc

from host_shim import board, busio, clock, usb_midi
from host_shim.ports import MIDIService, MachineUART, PySerial, WouldBlock


def test_machine_uart_read_conventions():
    uart = MachineUART(0, 31250)
    buf = bytearray(8)
    eq(uart.any(), 0)
    eq(uart.readinto(buf), None, "empty machine.UART returns None")
    eq(uart.empty_reads, 1)
    uart.feed(b"\x90\x3c\x64\xf8")
    eq(uart.any(), 4)
    eq(uart.readinto(buf, 3), 3, "nbytes honoured")
    eq(bytes(buf[:3]), b"\x90\x3c\x64")
    eq(uart.short_asks, 1, "the empty read asked for more than waited")
    eq(uart.readinto(buf, 1), 1)
    eq(uart.short_asks, 1, "asking for what waits is not short")
    eq(uart.read(), None)


def test_machine_uart_timeout_passes_on_the_virtual_clock():
    clock.use_virtual(start_ms=0)
    try:
        uart = MachineUART(0, 31250, timeout=5)
        uart.feed(b"\xf8")
        buf = bytearray(4)
        eq(uart.readinto(buf), 1)
        eq(clock.now_us(), 5000, "asked for 4 with 1 waiting: waited timeout ms")
        eq(uart.readinto(buf, 0), None, "nothing asked, nothing read")
    finally:
        clock.reset()


def test_machine_uart_rxbuf_drops_newest():
    uart = MachineUART(0, 31250, rxbuf=4)
    uart.feed(b"\x01\x02\x03\x04\x05\x06")
    eq((uart.any(), uart.dropped), (4, 2))


def test_machine_uart_write_count_or_none():
    uart = MachineUART(0, 31250)
    eq(uart.write(b"\x90\x3c\x64"), 3)
    eq(uart.write(b"\x80\x3c\x00\xf8", 2), 2, "write(buf, nbytes) as on the stream")
    uart.accept = 1
    eq(uart.write(b"\xfa\xfb"), 1, "short write returns the count")
    uart.accept = 0
    eq(uart.write(b"\xfc"), None, "nothing sent within the timeout: None")
    eq(uart.take(), b"\x90\x3c\x64\x80\x3c\xfa")
    eq(uart.count, 6)


def test_machine_uart_read_and_write_allocate_nothing():
    uart = MachineUART(0, 31250, rxbuf=None, keep=False)
    uart.feed(bytes(30000))
    buf = bytearray(3)
    no_alloc(lambda: uart.readinto(buf), 10000, "MachineUART.readinto")
    no_alloc(lambda: uart.readinto(buf, 2), 1000, "MachineUART.readinto with nbytes")
    no_alloc(lambda: uart.write(buf), 10000, "MachineUART.write, keep=False")
    eq(uart.count, 30003)


def test_ble_midi_service_needs_length_both_ways():
    port = MIDIService()
    buf = bytearray(8)
    raises(TypeError, port.readinto, buf)
    raises(TypeError, port.write, b"\xf8")
    eq(port.readinto(buf, 8), 0, "empty BLE MIDI returns 0")
    port.feed(b"\x90\x3c\x64")
    eq(port.readinto(buf, 2), 2)
    eq(port.readinto(buf, 8), 1)
    eq(port.write(b"\x90\x3c\x64\x00", 3), None, "write returns None, having sent all")
    eq(port.take(), b"\x90\x3c\x64")
    raises(IndexError, port.write, b"\xf8", 2)
    port.feed(bytes(10))
    raises(IndexError, port.readinto, buf, 20)


def test_ble_midi_service_allocates_nothing():
    port = MIDIService(keep=False)
    port.feed(bytes(30000))
    buf = bytearray(3)
    no_alloc(lambda: port.readinto(buf, 3), 10000, "MIDIService.readinto")
    no_alloc(lambda: port.write(buf, 3), 10000, "MIDIService.write, keep=False")


def test_pyserial_blocking_read_is_caught():
    ser = PySerial("/dev/ttyUSB0", 31250)
    ser.feed(b"\x90\x3c\x64")
    buf = bytearray(64)
    e = raises(WouldBlock, ser.readinto, buf)
    ok("64" in str(e) and "3 waiting" in str(e), str(e))
    eq(ser.would_block, 1)
    eq(ser.in_waiting, 3, "a blocked read takes nothing")
    small = bytearray(3)
    eq(ser.readinto(small), 3, "asking for what waits returns at once")
    eq(bytes(small), b"\x90\x3c\x64")
    raises(TypeError, ser.readinto, small, 1)
    lenient = PySerial(block="return")
    lenient.feed(b"\xf8")
    eq(lenient.readinto(buf), 1)
    eq(lenient.would_block, 1)


def test_pyserial_with_timeout_returns_what_waits():
    ser = PySerial(timeout=0)
    buf = bytearray(64)
    eq(ser.readinto(buf), 0, "empty pyserial returns 0")
    ser.feed(b"\xf8\xfa")
    eq(ser.readinto(buf), 2)
    eq(ser.would_block, 0)
    eq(ser.write(b"\x90\x3c\x64"), 3)
    eq(ser.take(), b"\x90\x3c\x64")
    raises(ValueError, PySerial, block="wait")


def test_pyserial_read_allocates_nothing():
    ser = PySerial(keep=False)
    ser.feed(bytes(40000))
    buf = bytearray(3)
    no_alloc(lambda: ser.readinto(buf), 10000, "PySerial.readinto")
    no_alloc(lambda: ser.write(buf), 10000, "PySerial.write, keep=False")


def test_busio_uart_has_no_nbytes_on_readinto_but_on_write():
    uart = busio.UART(board.TX, board.RX, baudrate=31250, timeout=0)
    buf = bytearray(4)
    raises(TypeError, uart.readinto, buf, 2)
    eq(uart.write(b"\x90\x3c\x64", 2), 2)
    eq(uart.take(), b"\x90\x3c")


def test_usb_midi_port_in_zero_and_port_out_count():
    port_in = usb_midi.PortIn()
    eq(port_in.readinto(bytearray(4)), 0)
    out = usb_midi.PortOut()
    eq(out.write(b"\x90\x3c\x64", 2), 2)
    out.connected = False
    eq(out.write(b"\xf8"), 0)


def test_cable_between_stand_ins():
    a = MachineUART(0, 31250)
    b = MIDIService()
    a.connect(b)
    a.write(b"\x90\x3c\x64")
    buf = bytearray(4)
    eq(b.readinto(buf, 4), 3)
    eq(bytes(buf[:3]), b"\x90\x3c\x64")
