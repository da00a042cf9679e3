# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""`python -m host_shim run code.py`: run a CircuitPython program on the desktop (CPython only).

The stand-ins are installed into sys.modules, the program runs as __main__, and
every MIDI byte it reads or writes through usb_midi or a busio.UART is printed as a
readable line. With --input the file's bytes arrive on usb_midi.ports[0] (and on
every UART the program opens); the run ends once they are used up and the program
keeps polling an empty port. With --virtual-clock, time.sleep, time.monotonic and
supervisor.ticks_ms run on a virtual clock that moves only when the program sleeps
or polls, so a one-minute song prints in a moment, with its real timestamps.
--timeout SECONDS stops a run after that much wall-clock time (exit status 124);
Ctrl-C stops it with status 130. Channels are printed 0-15, as on the wire and in
smolmidi's API (ch=0 is what a synth's panel calls channel 1). --format mido prints each
message in mido's text form (`note_on channel=0 note=60 velocity=64`) instead.
"""

import argparse
import os
import runpy
import sys
import time
import traceback

from . import busio, clock, install, usb_midi
from .describe import Describer
from .mido_interop import MidoText

IDLE_READS_BEFORE_STOP = 1000
TIMEOUT_STATUS = 124  # as coreutils timeout(1)
INTERRUPT_STATUS = 130  # 128 + SIGINT, as a shell reports Ctrl-C
# --format: readable lines, or mido's text form (mido.parse_string reads each message part)
FORMATS = {"readable": Describer, "mido": MidoText}
CHANNEL_NOTE = "host_shim: channels are shown 0-15 as on the wire (ch=0 is MIDI channel 1)\n"


class StopProgram(BaseException):
    """Raised inside the program to end a run whose input is used up."""


class TimeLimit(BaseException):
    """Raised inside the program when --timeout runs out (not caught by `except Exception`)."""


class _Alarm:
    """Raises TimeLimit in the main thread after `seconds` of wall-clock time.

    SIGALRM where there is one (it also cuts a time.sleep short); elsewhere a timer
    thread interrupts the main thread, which raises KeyboardInterrupt, told apart by `fired`.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.fired = False
        self._timer = None
        self._old = None

    def _fire(self, *args):
        self.fired = True
        raise TimeLimit()

    def start(self):
        if not self.seconds:
            return
        import signal

        if hasattr(signal, "setitimer"):
            self._old = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            return
        import _thread
        import threading

        def interrupt():
            self.fired = True
            _thread.interrupt_main()

        self._timer = threading.Timer(self.seconds, interrupt)
        self._timer.daemon = True
        self._timer.start()

    def stop(self):
        if self._timer is not None:
            self._timer.cancel()
        elif self._old is not None:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)


class Monitor:
    """Prints readable lines for bytes passing one port, with a timestamp."""

    def __init__(self, label, out, describer=Describer):
        self.label = label
        self.out = out
        self.describer = describer()

    def feed(self, data):
        for line in self.describer.feed(data):
            self.out.write("%9.3f s  %-8s %s\n" % (clock.now_us() / 1e6, self.label, line))
        self.out.flush()


class Session:
    """One run: the stand-ins, the monitors and the stop rule."""

    def __init__(self, input_bytes=None, out=sys.stdout, virtual=False, text="readable"):
        self.out = out
        self.describer = FORMATS[text]
        self.input_bytes = input_bytes
        self.idle_reads = 0
        self._restore = [(busio.UART, "__init__", busio.UART.__init__)]
        if virtual:
            for name in ("sleep", "monotonic", "monotonic_ns"):
                self._restore.append((time, name, getattr(time, name)))
            clock.use_virtual(autostep_us=50)
            time.sleep = clock.sleep
            time.monotonic = lambda: clock.now_us() / 1e6
            time.monotonic_ns = lambda: clock.now_us() * 1000
        install()
        usb_midi.reset()
        self._wrap_usb()
        self._wrap_uart()

    def close(self):
        """Undo what the session patched (UART construction, time functions)."""
        for owner, name, value in self._restore:
            setattr(owner, name, value)
        self._restore = []
        clock.reset()

    def _reader(self, readinto, monitor, feed):
        session = self

        def wrapped(buf, *args):
            n = readinto(buf, *args)
            if n:
                session.idle_reads = 0
                monitor.feed(bytes(buf[:n]))
            elif session.input_bytes is not None and not feed.waiting():
                session.idle_reads += 1
                if session.idle_reads > IDLE_READS_BEFORE_STOP:
                    raise StopProgram()
            return n

        return wrapped

    def _wrap_usb(self):
        port_in, port_out = usb_midi.ports
        port_in.feed_.capacity = None  # scripted input waits for the program, never dropped
        if self.input_bytes:
            port_in.feed(self.input_bytes)
        port_in.readinto = self._reader(port_in.readinto, Monitor("usb in", self.out, self.describer), port_in.feed_)
        port_out.connect(Monitor("usb out", self.out, self.describer))

    def _wrap_uart(self):
        session = self
        original_init = busio.UART.__init__

        def init(uart, *args, **kwargs):
            original_init(uart, *args, **kwargs)
            uart.feed_.capacity = None
            if session.input_bytes:
                uart.feed(session.input_bytes)
            uart.readinto = session._reader(
                uart.readinto, Monitor("din in", session.out, session.describer), uart.feed_
            )
            uart.connect(Monitor("din out", session.out, session.describer))

        busio.UART.__init__ = init


def run(path, input_path=None, virtual=False, out=sys.stdout, timeout=None, text="readable", **bridge_options):
    """Run the program at path; return the exit status (124 on timeout, 130 on Ctrl-C).

    text: how messages are printed, "readable" or "mido" (FORMATS).

    bridge_options (serial=, midi_in=, midi_out=, blinka=) go to bridges.attach.
    """
    if not os.path.isfile(path):
        print("host_shim: no such program: %s" % path, file=sys.stderr)
        return 2
    input_bytes = None
    if timeout is not None and not timeout > 0:
        print("host_shim: --timeout must be a number of seconds above 0, got %r" % (timeout,), file=sys.stderr)
        return 2
    if input_path is not None:
        if not os.path.isfile(input_path):
            print("host_shim: no such input file: %s" % input_path, file=sys.stderr)
            return 2
        with open(input_path, "rb") as f:
            input_bytes = f.read()
    path = os.path.abspath(path)
    if text not in FORMATS:
        print("host_shim: --format must be one of %s, got %r" % (", ".join(FORMATS), text), file=sys.stderr)
        return 2
    session = Session(input_bytes, out=out, virtual=virtual, text=text)
    from . import bridges  # CPython-only extras, imported when a run starts

    try:
        bridges.attach(session, **bridge_options)
    except bridges.BridgeError as e:
        session.close()
        print("host_shim: %s" % e, file=sys.stderr)
        return 2
    program_dir = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, program_dir)
    lib_dir = os.path.join(program_dir, "lib")
    if os.path.isdir(lib_dir):
        sys.path.insert(0, lib_dir)
    cwd = os.getcwd()
    os.chdir(program_dir)
    out.write(CHANNEL_NOTE)
    alarm = _Alarm(timeout)
    try:
        try:
            alarm.start()
            runpy.run_path(path, run_name="__main__")
        finally:
            alarm.stop()
    except StopProgram:
        out.write("(input used up: program stopped)\n")
    except (TimeLimit, KeyboardInterrupt) as e:
        out.flush()
        if isinstance(e, TimeLimit) or alarm.fired:
            print("host_shim: time limit of %g s reached: program stopped" % timeout, file=sys.stderr)
            return TIMEOUT_STATUS
        out.write("(interrupted)\n")
        return INTERRUPT_STATUS
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        out.flush()
        print("host_shim: %s raised:" % path, file=sys.stderr)
        traceback.print_exc()
        return 1
    finally:
        os.chdir(cwd)
        session.close()
    return 0


def main(argv=None):
    """Command line: python -m host_shim run code.py [options] | deploy DRIVE | --list-ports."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.list_ports:
        from .bridges import list_ports

        return list_ports()
    if args.command == "run":
        return run(
            args.program,
            args.input,
            args.virtual_clock,
            serial=args.serial,
            midi_in=args.midi_in,
            midi_out=args.midi_out,
            blinka=not args.no_blinka,
            i2c=args.i2c,
            timeout=args.timeout,
            text=args.format,
        )
    if args.command == "deploy":
        from .deploy import main as deploy_main

        return deploy_main(args.drive, args.example, args.force, args.only_imported)
    parser.error("a command is needed: run, deploy, or --list-ports")


def make_parser():
    """The command line's parser (main's; tests check the README's commands with it)."""
    parser = argparse.ArgumentParser(
        prog="python -m host_shim", description="Run CircuitPython MIDI programs on the desktop."
    )
    parser.add_argument("--list-ports", action="store_true", help="list the serial and MIDI ports of this machine")
    sub = parser.add_subparsers(dest="command")
    p_run = sub.add_parser("run", help="run a code.py under the stand-ins")
    p_run.add_argument("program")
    p_run.add_argument("--input", help="file of raw MIDI bytes arriving on usb_midi (and UARTs)")
    p_run.add_argument("--virtual-clock", action="store_true", help="time moves only when the program sleeps or polls")
    p_run.add_argument(
        "--serial", metavar="DEVICE", help="busio.UART talks to this serial port (pyserial), e.g. /dev/ttyUSB0"
    )
    p_run.add_argument("--midi-in", metavar="NAME", help="usb_midi.ports[0] receives from this MIDI port")
    p_run.add_argument("--midi-out", metavar="NAME", help="usb_midi.ports[1] sends to this MIDI port")
    p_run.add_argument(
        "--i2c",
        action="append",
        default=[],
        metavar="DEVICE[@ADDRESS]",
        help="wire a stand-in I2C device, e.g. ads1115 or ads1115@0x49",
    )
    p_run.add_argument(
        "--no-blinka", action="store_true", help="use the stand-ins even where Blinka supports the board"
    )
    p_run.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="stop after this much wall-clock time (exit status 124)"
    )
    p_run.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="readable",
        help="how messages are printed: readable (default) or mido's text form (note_on channel=0 note=60 velocity=64)",
    )
    p_deploy = sub.add_parser("deploy", help="copy the library (and an example) to a CIRCUITPY drive")
    p_deploy.add_argument("drive", help="the mounted drive, e.g. /media/$USER/CIRCUITPY")
    p_deploy.add_argument("--example", metavar="NAME", help="also copy examples/NAME.py as code.py")
    p_deploy.add_argument("--force", action="store_true", help="copy even without boot_out.txt")
    p_deploy.add_argument(
        "--only-imported",
        action="store_true",
        help="copy only the modules the program (the example, else the drive's code.py) imports",
    )
    return parser
