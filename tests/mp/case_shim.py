# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""host_shim's fakes behave as DESIGN section 3 says, on every runtime."""

from mptest import eq, ok, raises, no_alloc, skip

import host_shim
from host_shim import busio, board, clock, supervisor, usb_midi
from host_shim.feed import Feed


def reads(feed, nbytes=64, limit=200):
    """The sizes of successive reads until the feed is empty (0 = empty read)."""
    buf = bytearray(nbytes)
    sizes = []
    while feed.waiting() and len(sizes) < limit:
        sizes.append(feed.take_into(buf, nbytes))
    return sizes


def test_feed_splits():
    eq(reads(Feed(b"abcdefg")), [7], "all")
    eq(reads(Feed(b"abcd", split="byte")), [1, 1, 1, 1], "byte")
    eq(reads(Feed(b"abcdefg", split="fixed", size=3)), [3, 3, 1], "fixed")
    eq(reads(Feed(b"abc", split="byte", gaps=1)), [0, 1, 0, 1, 0, 1], "gaps")
    eq(reads(Feed(b"abcdefg"), nbytes=2), [2, 2, 2, 1], "buffer bounds the read")


def test_feed_random_is_seeded_and_complete():
    data = bytes(range(100))
    a = Feed(data, split="random", size=9, gaps=2, seed=7)
    b = Feed(data, split="random", size=9, gaps=2, seed=7)
    sizes = reads(a)
    eq(sizes, reads(b), "same seed, same split")
    eq(sum(sizes), 100, "every byte delivered")
    ok(0 in sizes, "random gaps give empty reads")
    ok(max(sizes) <= 9, "sizes bounded")
    ok(sizes != reads(Feed(data, split="random", size=9, gaps=2, seed=8)), "seed matters")


def test_feed_delivers_bytes_in_order():
    f = Feed(b"\x90\x3c\x64\xf8", split="fixed", size=3)
    buf = bytearray(8)
    n = f.take_into(buf, 8)
    eq(bytes(buf[:n]), b"\x90\x3c\x64")
    n = f.take_into(buf, 8)
    eq(bytes(buf[:n]), b"\xf8")


def test_port_in_empty_read_returns_zero():
    port = usb_midi.PortIn()
    buf = bytearray(8)
    eq(port.readinto(buf), 0, "empty PortIn returns 0, not None")
    port.feed(b"\x90\x3c\x64")
    eq(port.readinto(buf, 2), 2, "nbytes honoured")
    eq(port.readinto(buf), 1)


def test_port_in_fifo_drops_when_not_drained():
    port = usb_midi.PortIn()
    port.feed(bytes(100))
    port.feed(bytes(100))
    eq(port.dropped, 72, "128-byte FIFO")
    buf = bytearray(256)
    eq(port.readinto(buf), 128)


def test_port_in_readinto_allocates_nothing():
    port = usb_midi.PortIn(capacity=None)
    port.feed(bytes(30000))
    buf = bytearray(3)
    no_alloc(lambda: port.readinto(buf), 10000, "PortIn.readinto")


def test_port_out_partial_writes_and_no_host():
    port = usb_midi.PortOut()
    eq(port.write(b"\x90\x3c\x64"), 3)
    port.accept = 2
    eq(port.write(b"\x80\x3c\x00"), 2, "short write")
    port.accept = None
    port.connected = False
    eq(port.write(b"\xf8"), 0, "no USB host")
    eq(port.take(), b"\x90\x3c\x64\x80\x3c")
    eq(port.take(), b"")


def test_usb_midi_ports_tuple():
    host_shim.reset()
    eq(len(usb_midi.ports), 2)
    ok(isinstance(usb_midi.ports[0], usb_midi.PortIn))
    ok(isinstance(usb_midi.ports[1], usb_midi.PortOut))


def test_uart_empty_read_returns_none_and_honours_timeout():
    clock.use_virtual(start_ms=1000)
    uart = busio.UART(board.TX, board.RX, baudrate=31250, timeout=0.25)
    buf = bytearray(4)
    eq(uart.readinto(buf), None, "empty UART returns None")
    eq(supervisor.ticks_ms(), 1250, "timeout waited")
    uart.timeout = 0
    eq(uart.readinto(buf), None)
    eq(supervisor.ticks_ms(), 1250, "timeout=0 returns at once")
    clock.reset()


def test_uart_overflow_drops_newest():
    uart = busio.UART(board.TX, board.RX, baudrate=31250, timeout=0, receiver_buffer_size=4)
    uart.feed(b"\x01\x02\x03\x04\x05\x06")
    eq(uart.dropped, 2)
    eq(uart.in_waiting, 4)
    eq(uart.read(8), b"\x01\x02\x03\x04", "oldest kept, newest dropped")
    eq(uart.read(8), None)


def test_uart_write_and_cable():
    tx = busio.UART(board.TX, None, baudrate=31250)
    rx = busio.UART(None, board.RX, baudrate=31250, timeout=0, receiver_buffer_size=256)
    host_shim.cable(tx, rx)
    eq(tx.write(b"\xb0\x07\x64"), 3)
    buf = bytearray(8)
    eq(rx.readinto(buf), 3)
    eq(bytes(buf[:3]), b"\xb0\x07\x64")
    raises(ValueError, rx.write, b"\xf8")


def test_usb_cable_carries_only_accepted_bytes():
    out = usb_midi.PortOut()
    port_in = usb_midi.PortIn()
    host_shim.cable(out, port_in)
    out.accept = 1
    eq(out.write(b"\x90\x3c"), 1)
    buf = bytearray(4)
    eq(port_in.readinto(buf), 1)
    eq(buf[0], 0x90)


def test_ticks_ms_wraps_at_2_pow_29():
    clock.set_ms((1 << 29) - 3)
    eq(supervisor.ticks_ms(), (1 << 29) - 3)
    clock.advance_ms(2)
    eq(supervisor.ticks_ms(), (1 << 29) - 1)
    clock.advance_ms(1)
    eq(supervisor.ticks_ms(), 0, "wrapped")
    clock.advance_ms(10)
    eq(supervisor.ticks_ms(), 10)
    clock.reset()


def test_real_clock_moves_forward():
    clock.reset()
    a = clock.now_us()
    moved = False
    for _ in range(200000):  # a frozen clock fails here; a real one moves within ~1 ms
        if clock.now_us() > a:
            moved = True
            break
    ok(moved, "the real clock did not move")
    raises(RuntimeError, clock.advance_ms, 1)


def test_const_is_available():
    import sys

    if sys.implementation.name in ("micropython", "circuitpython"):
        skip("MicroPython has its own micropython.const")
    host_shim.install()
    import micropython
    from micropython import const

    ok("host_shim" in micropython.__file__, "micropython comes from " + micropython.__file__)
    eq(const(5), 5)
