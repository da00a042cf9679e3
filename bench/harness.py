# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""One benchmark measurement, run by bench/run.py on CPython or the MicroPython unix port.

    harness.py input LIB WORKLOAD DATADIR REPS      decode a workload stream
    harness.py output LIB OP COUNT REPS             send one kind of message COUNT times
    harness.py file LIB MIDFILE EXPFILE REPS        read a Standard MIDI File through

Prints one line: RESULT {json}. Every library gets the same input through the same
port, built outside the timed region; each repetition starts from a new port and a new
library object. Time is the CPU time of this process around the loop alone (Linux
/proc/self/schedstat, nanoseconds on a CPU: the machine may be shared, and wall time
then counts other processes' turns too); wall time where that file is missing.
run.py takes the median of the REPS figures.

Allocation (MicroPython only): bytes the heap grows by while the collector is off,
counted in windows: whenever 128 KB have accumulated the window is banked and an
explicit gc.collect() (outside the count) makes room. A whole pass is counted, so the
figure is total bytes allocated / messages.
"""

import gc
import sys
import time

IS_MP = sys.implementation.name == "micropython"
WINDOW = 128 * 1024


def _cpu_ns():
    # nanoseconds this process has spent on a CPU (Linux): unlike wall time, not
    # inflated when other processes share the machine
    f = open("/proc/self/schedstat")
    text = f.read()
    f.close()
    return int(text.split()[0])


try:
    _cpu_ns()
    CLOCK = "cpu"
except (OSError, ValueError, IndexError):
    CLOCK = "wall"

if CLOCK == "cpu":

    def elapsed_us(fn, *args):
        t0 = _cpu_ns()
        r = fn(*args)
        return (_cpu_ns() - t0) / 1000, r
elif IS_MP:

    def elapsed_us(fn, *args):
        t0 = time.ticks_us()
        r = fn(*args)
        return time.ticks_diff(time.ticks_us(), t0), r
else:

    def elapsed_us(fn, *args):
        t0 = time.perf_counter()
        r = fn(*args)
        return (time.perf_counter() - t0) * 1e6, r


TARGET_US = 200000  # CPU time per measurement: the CPU clock advances in scheduler ticks (~4 ms)


def _passes(one_pass, count):
    for _ in range(count):
        one_pass()
    return count


def measure(one_pass, reps):
    """Microseconds per call of one_pass(), once per repetition (reps figures).

    one_pass() does one complete piece of work (builds its port and library object, then
    runs). Calibrated first: a measurement runs enough passes back to back to take about
    TARGET_US, so a coarse clock cannot swamp a short workload."""
    gc.collect()
    done = 0
    spent = 0
    while spent < TARGET_US / 6:
        us, n = elapsed_us(_passes, one_pass, 1)
        spent += us
        done += 1
    count = max(1, int(done * TARGET_US / spent + 0.999)) if spent else 1
    times = []
    for _ in range(reps):
        gc.collect()
        us, n = elapsed_us(_passes, one_pass, count)
        times.append(us / count)
    return times, count


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def dumps(obj):
    """JSON text (both interpreters have json; MicroPython's has no indent)."""
    import json

    return json.dumps(obj)


# ---------------------------------------------------------------- ports


class StreamPort:
    """The whole workload readable at once (a backlog): each read gets what it asks for.

    read(n) returns new bytes (as usb_midi.PortIn.read does); readinto(buf[, n]) copies
    with io.BytesIO, which allocates nothing on MicroPython.
    """

    def __init__(self, data):
        import io

        self._bio = io.BytesIO(data)
        self._size = len(data)
        self.read = self._bio.read
        self.readinto = self._bio.readinto if IS_MP else self._readinto_cpython

    def _readinto_cpython(self, buf, nbytes=None):
        if nbytes is None or nbytes >= len(buf):
            return self._bio.readinto(buf)
        return self._bio.readinto(memoryview(buf)[:nbytes])

    def done(self):
        return self._bio.tell() >= self._size


class EndOfStream(Exception):
    """A reader kept polling long after the last byte: it is waiting for bytes that never come."""


class SplitPort:
    """The workload arriving in packets, with empty reads between (bench/workloads.py
    read_schedule): a reader gets at most what has arrived, possibly over several reads."""

    def __init__(self, data, schedule):
        import io

        self._bio = io.BytesIO(data)
        self._bio_readinto = self._bio.readinto
        self._bio_read = self._bio.read
        self._schedule = schedule
        self._item = 0
        self._avail = 0
        self._idle = 0

    def _arrive(self):
        # returns bytes now readable; 0 for an empty read
        item = self._item
        if item >= len(self._schedule):
            self._idle += 1
            if self._idle > 100000:
                raise EndOfStream()
            return 0
        self._item = item + 1
        self._avail = self._schedule[item]
        return self._avail

    def readinto(self, buf, nbytes=None):
        avail = self._avail or self._arrive()
        if not avail:
            return 0
        n = len(buf) if nbytes is None else nbytes
        if n > avail:
            n = avail
        self._avail = avail - n
        if IS_MP:
            return self._bio_readinto(buf, n)
        return self._bio_readinto(memoryview(buf)[:n])

    def read(self, nbytes=1):
        avail = self._avail or self._arrive()
        if not avail:
            return b""
        n = nbytes if nbytes < avail else avail
        self._avail = avail - n
        return self._bio_read(n)

    def done(self):
        return self._item >= len(self._schedule) and not self._avail


# ---------------------------------------------------------------- input libraries
# Each entry: make(port) -> receive function; canon(msg) -> canonical bytes (status +
# data, SysEx as F0 payload F7), used only by the untimed correctness pass.


def _smolmidi(port):
    import smolmidi

    return smolmidi.MidiIn(port, sysex_size=256).receive


def _smolmidi_canon(msg):
    return bytes(msg)


def _adafruit(port, in_buf_size=30):
    import adafruit_midi

    # register every message type the library has: a user imports the ones they need
    from adafruit_midi.note_on import NoteOn  # noqa: F401
    from adafruit_midi.note_off import NoteOff  # noqa: F401
    from adafruit_midi.control_change import ControlChange  # noqa: F401
    from adafruit_midi.pitch_bend import PitchBend  # noqa: F401
    from adafruit_midi.program_change import ProgramChange  # noqa: F401
    from adafruit_midi.channel_pressure import ChannelPressure  # noqa: F401
    from adafruit_midi.polyphonic_key_pressure import PolyphonicKeyPressure  # noqa: F401
    from adafruit_midi.system_exclusive import SystemExclusive  # noqa: F401
    from adafruit_midi.timing_clock import TimingClock  # noqa: F401
    from adafruit_midi.start import Start  # noqa: F401
    from adafruit_midi.stop import Stop  # noqa: F401
    from adafruit_midi.midi_continue import Continue  # noqa: F401
    from adafruit_midi.active_sensing import ActiveSensing  # noqa: F401
    from adafruit_midi.midi_reset import Reset  # noqa: F401
    from adafruit_midi.mtc_quarter_frame import MtcQuarterFrame  # noqa: F401

    return adafruit_midi.MIDI(midi_in=port, in_buf_size=in_buf_size).receive


def _adafruit_256(port):
    return _adafruit(port, 256)


def _adafruit_canon(msg):
    from adafruit_midi.midi_message import MIDIUnknownEvent, MIDIBadEvent

    if isinstance(msg, MIDIUnknownEvent):
        return b"?unknown" + bytes((msg.status,))
    if isinstance(msg, MIDIBadEvent):
        return b"?bad" + bytes(msg.data)
    return msg.__bytes__()


def _tmidi(port):
    import tmidi

    return tmidi.MIDI(midi_in=port, enable_running_status=True).receive


def _tmidi_canon(msg):
    return msg.__bytes__()


INPUT = {
    "smolmidi": (_smolmidi, _smolmidi_canon),
    "adafruit_midi": (_adafruit, _adafruit_canon),
    "adafruit_midi_256": (_adafruit_256, _adafruit_canon),
    "tmidi": (_tmidi, _tmidi_canon),
}


def drain(receive, done):
    """Call receive() until the port is used up and receive() has nothing more; return messages."""
    n = 0
    idle = 0
    try:
        while True:
            msg = receive()
            if msg is None:
                if done():
                    idle += 1
                    if idle > 3:
                        break
                continue
            idle = 0
            n += 1
    except EndOfStream:
        pass
    return n


def drain_counting_alloc(receive, done):
    """drain() with the collector off, banking heap growth per WINDOW; return (messages, bytes)."""
    n = 0
    idle = 0
    total = 0
    mem_alloc = gc.mem_alloc
    collect = gc.collect
    collect()
    gc.disable()
    base = mem_alloc()
    try:
        while True:
            msg = receive()
            grown = mem_alloc() - base
            if grown > WINDOW:
                total += grown
                collect()
                base = mem_alloc()
            if msg is None:
                if done():
                    idle += 1
                    if idle > 3:
                        break
                continue
            idle = 0
            n += 1
    except EndOfStream:
        pass
    total += mem_alloc() - base
    gc.enable()
    return n, total


def check(receive, done, canon, blob):
    """Compare what receive() delivers with the expected blob (length byte + message each).

    Greedy in-order matching: a delivered message that equals one of the next 16 expected
    ones counts as correct (those skipped count as missed); anything else is wrong.
    Returns (expected, delivered, correct, wrong, first_wrong)."""
    expected = 0
    p = 0
    while p < len(blob):
        expected += 1
        p += 1 + blob[p]
    pos = 0
    delivered = correct = wrong = 0
    first_wrong = None
    idle = 0
    try:
        while True:
            msg = receive()
            if msg is None:
                if done():
                    idle += 1
                    if idle > 3:
                        break
                continue
            idle = 0
            delivered += 1
            c = canon(msg)
            p = pos
            k = 0
            found = -1
            while k < 16 and p < len(blob):
                n = blob[p]
                if blob[p + 1 : p + 1 + n] == c:
                    found = p + 1 + n
                    break
                p += 1 + n
                k += 1
            if found < 0:
                wrong += 1
                if first_wrong is None:
                    first_wrong = [delivered - 1, bytes(c[:12]).hex()]
            else:
                correct += 1
                pos = found
    except EndOfStream:
        pass
    return expected, delivered, correct, wrong, first_wrong


def run_input(lib, workload, datadir, reps):
    make, canon = INPUT[lib]
    data = read_file(datadir + "/" + workload + ".bin")
    blob = read_file(datadir + "/" + workload + ".exp")
    schedule = None
    try:
        schedule = read_file(datadir + "/" + workload + ".reads")
    except OSError:
        pass

    def port():
        return SplitPort(data, schedule) if schedule else StreamPort(data)

    p = port()
    expected, delivered, correct, wrong, first_wrong = check(make(p), p.done, canon, blob)
    blob = None
    gc.collect()
    result = {
        "lib": lib,
        "workload": workload,
        "expected": expected,
        "delivered": delivered,
        "correct": correct,
        "wrong": wrong,
        "first_wrong": first_wrong,
    }
    if IS_MP:
        p = port()
        n, allocated = drain_counting_alloc(make(p), p.done)
        result["alloc_bytes"] = allocated
        result["alloc_msgs"] = n
        result["heap_free"] = gc.mem_free()

    def one_pass():
        p = port()
        drain(make(p), p.done)

    result["times_us"], result["passes"] = measure(one_pass, reps)
    return result


# ---------------------------------------------------------------- output libraries


class Sink:
    """An output port that takes everything: write(buf[, nbytes]) returns the count."""

    def write(self, buf, nbytes=None):
        return len(buf) if nbytes is None else nbytes


class Recorder(Sink):
    def __init__(self):
        self.data = bytearray()

    def write(self, buf, nbytes=None):
        n = len(buf) if nbytes is None else nbytes
        self.data.extend(bytes(buf)[:n])
        return n


SYSEX_PAYLOAD = bytes([0x7D] + [(i * 7) & 0x7F for i in range(31)])  # 32 bytes, non-commercial ID

# what one call of each op sends: note_on_off sends two messages
OUTPUT_EXPECT = {
    "note_on_off": (2, b"\x90\x3c\x64\x80\x3c\x00"),
    "control_change": (1, b"\xb0\x07\x64"),
    "pitch_bend": (1, bytes((0xE0, (1000 + 8192) & 0x7F, (1000 + 8192) >> 7))),
    "sysex": (1, b"\xf0" + SYSEX_PAYLOAD + b"\xf7"),
}


def _out_smolmidi(port):
    import smolmidi_out

    out = smolmidi_out.MidiOut(port)
    note_on = out.note_on
    note_off = out.note_off
    control_change = out.control_change
    pitch_bend = out.pitch_bend
    sysex = out.sysex
    payload = SYSEX_PAYLOAD

    def note_on_off():
        note_on(60, 100, 0)
        note_off(60, 0, 0)

    def cc():
        control_change(7, 100, 0)

    def pb():
        pitch_bend(1000, 0)

    def sx():
        sysex(payload)

    return {"note_on_off": note_on_off, "control_change": cc, "pitch_bend": pb, "sysex": sx}


def _out_adafruit(port, prebuilt=False):
    import adafruit_midi
    from adafruit_midi.note_on import NoteOn
    from adafruit_midi.note_off import NoteOff
    from adafruit_midi.control_change import ControlChange
    from adafruit_midi.pitch_bend import PitchBend
    from adafruit_midi.system_exclusive import SystemExclusive

    midi = adafruit_midi.MIDI(midi_out=port, out_channel=0)
    send = midi.send
    maker = SYSEX_PAYLOAD[:1]
    data = SYSEX_PAYLOAD[1:]
    if prebuilt:
        on, off = NoteOn(60, 100), NoteOff(60, 0)
        c, b, s = ControlChange(7, 100), PitchBend(1000 + 8192), SystemExclusive(maker, data)

        def note_on_off():
            send(on)
            send(off)

        def cc():
            send(c)

        def pb():
            send(b)

        def sx():
            send(s)
    else:  # what a program writes: a message object per send

        def note_on_off():
            send(NoteOn(60, 100))
            send(NoteOff(60, 0))

        def cc():
            send(ControlChange(7, 100))

        def pb():
            send(PitchBend(1000 + 8192))

        def sx():
            send(SystemExclusive(maker, data))

    return {"note_on_off": note_on_off, "control_change": cc, "pitch_bend": pb, "sysex": sx}


def _out_adafruit_prebuilt(port):
    return _out_adafruit(port, True)


def _out_tmidi(port):
    import tmidi

    midi = tmidi.MIDI(midi_out=port)
    send = midi.send
    Message = tmidi.Message

    def note_on_off():
        send(Message(tmidi.NOTE_ON, 60, 100, 0))
        send(Message(tmidi.NOTE_OFF, 60, 0, 0))

    def cc():
        send(Message(tmidi.CC, 7, 100, 0))

    def pb():
        send(Message(tmidi.PITCH_BEND, 1000))

    return {"note_on_off": note_on_off, "control_change": cc, "pitch_bend": pb}


OUTPUT = {
    "smolmidi_out": _out_smolmidi,
    "adafruit_midi": _out_adafruit,
    "adafruit_midi_prebuilt": _out_adafruit_prebuilt,
    "tmidi": _out_tmidi,
}


def count_alloc(fn, count):
    """Bytes allocated by count calls of fn() (MicroPython), windowed as for input."""
    mem_alloc = gc.mem_alloc
    collect = gc.collect
    fn()
    collect()
    gc.disable()
    total = 0
    base = mem_alloc()
    for _ in range(count):
        fn()
        grown = mem_alloc() - base
        if grown > WINDOW:
            total += grown
            collect()
            base = mem_alloc()
    total += mem_alloc() - base
    gc.enable()
    return total


def calls(fn, count):
    for _ in range(count):
        fn()
    return count


def empty_loop(count):
    """calls() without the call: the caller's share of an idle receive()."""
    for _ in range(count):
        pass
    return count


def run_output(lib, op, count, reps):
    ops = OUTPUT[lib](Sink())
    result = {"lib": lib, "op": op}
    if op not in ops:
        result["unsupported"] = True
        return result
    msgs, want = OUTPUT_EXPECT[op]
    rec = Recorder()
    OUTPUT[lib](rec)[op]()
    result["bytes_ok"] = bytes(rec.data) == want
    result["got"] = bytes(rec.data[:12]).hex()
    result["msgs_per_call"] = msgs
    fn = ops[op]
    if IS_MP:
        result["alloc_bytes"] = count_alloc(fn, count)
    result["times_us"], result["passes"] = measure(lambda: calls(fn, count), reps)
    result["count"] = count
    return result


# ---------------------------------------------------------------- Standard MIDI File readers
# Each entry: events(path, sample) -> iterator of canonical events (tick, bytes); the
# timed pass uses count(path) which does only what a player must: walk every event.


def _canon_channel(status, d1, d2):
    # note-on velocity 0 is a note-off (readers differ in which they report)
    if status & 0xF0 == 0x90 and d2 == 0:
        status = 0x80 | (status & 15)
    if 0xC0 <= status < 0xE0:
        return bytes((status, d1))
    return bytes((status, d1, d2))


def _umidi_open(path):
    import umidiparser

    return umidiparser.MidiFile(path, reuse_event_object=True)


def _umidi_count(path):
    n = 0
    for _event in _umidi_open(path):
        n += 1
    return n


def _umidi_events(path, sample):
    import umidiparser

    tick = 0
    for ev in _umidi_open(path):
        sample()
        tick += ev.delta_miditicks
        st = ev.status
        if st == umidiparser.SET_TEMPO:
            yield tick, b"\xff\x51" + ev.tempo.to_bytes(3, "big")
        elif ev.is_channel():
            d = ev.data
            yield tick, _canon_channel(ev._event_status_byte, d[0], d[1] if len(d) > 1 else 0)


def _ada_parse(path, parser=None):
    import adafruit_midi_parser

    p = parser or adafruit_midi_parser.MIDIParser()
    p.parse(path)
    return p


def _ada_count(path):
    p = _ada_parse(path)
    n = 0
    while p.next_event is not None:
        n += 1
    return n


_ADA_STATUS = {"note_on": 0x90, "note_off": 0x80, "controller": 0xB0, "program_change": 0xC0, "pitch_bend": 0xE0}


def _ada_events(path, sample):
    import adafruit_midi_parser

    class SamplingList(list):
        # samples the heap while parse() builds its event list
        def append(self, item):
            if len(self) % 1024 == 0:
                sample()
            super().append(item)

    class Parser(adafruit_midi_parser.MIDIParser):
        def clear(self):
            adafruit_midi_parser.MIDIParser.clear(self)
            self._events = SamplingList()

    p = _ada_parse(path, Parser())
    sample()
    while True:
        e = p.next_event
        if e is None:
            break
        sample()
        t = e["type"]
        if t == "tempo":
            yield e["absolute"], b"\xff\x51" + e["tempo"].to_bytes(3, "big")
        elif t in _ADA_STATUS:
            st = _ADA_STATUS[t] | e["channel"]
            if t in ("note_on", "note_off"):
                yield e["absolute"], _canon_channel(st, e["note"], e["velocity"])
            elif t == "controller":
                yield e["absolute"], _canon_channel(st, e["controller"], e["value"])
            elif t == "program_change":
                yield e["absolute"], _canon_channel(st, e["program"], 0)
            else:
                v = e["value"]
                yield e["absolute"], _canon_channel(st, v & 0x7F, v >> 7)


def _smf_open(path):
    import smf_lite

    return smf_lite.MidiFile(path)


def _smf_count(path):
    f = _smf_open(path)
    next_event = f.next_event
    n = 0
    while next_event() is not None:
        n += 1
    f.close()
    return n


def _smf_events(path, sample):
    f = _smf_open(path)
    for ev in f:
        sample()
        status = ev.status
        if status == 0xFF:
            if ev.meta_type == 0x51:
                yield ev.tick, b"\xff\x51" + ev.tempo.to_bytes(3, "big")
        elif status < 0xF0:
            yield ev.tick, _canon_channel(status, ev.data1, ev.data2)
    f.close()


def _next_item(f):
    # next expected event from the open .exp file (read as we go: the blob can be
    # larger than the heap under test)
    n = f.read(1)
    if not n:
        return None
    return f.read(n[0])


MODULE = {"smf_lite": "smf_lite", "umidiparser": "umidiparser", "adafruit_midi_parser": "adafruit_midi_parser"}

FILES = {
    "smf_lite": (_smf_count, _smf_events),
    "umidiparser": (_umidi_count, _umidi_events),
    "adafruit_midi_parser": (_ada_count, _ada_events),
}


def run_file(lib, path, exp_path, reps):
    count, events = FILES[lib]
    result = {"lib": lib, "file": path.split("/")[-1]}
    __import__(MODULE[lib])  # module code is not counted in the reader's heap peak
    peak = [0]
    gc.collect()
    base = gc.mem_alloc() if IS_MP else 0
    state = [0]

    def sample():
        # the live heap every 256 events (MicroPython): collect, then read what is left
        if IS_MP:
            state[0] += 1
            if state[0] & 255 == 0:
                gc.collect()
                live = gc.mem_alloc() - base
                if live > peak[0]:
                    peak[0] = live

    try:
        exp = open(exp_path, "rb")
        expected = 0
        got = 0
        same = 0
        first_wrong = None
        for tick, ev in events(path, sample):
            want = _next_item(exp)
            if want is not None:
                expected += 1
            # positional: the i-th event out must be the i-th expected event
            if want == tick.to_bytes(4, "big") + ev:
                same += 1
            elif first_wrong is None:
                first_wrong = [got, tick, ev.hex(), want.hex() if want else None]
            got += 1
        while _next_item(exp) is not None:
            expected += 1
        exp.close()
        result.update(
            {
                "expected": expected,
                "events_out": got,
                "in_order": same,
                "order_ok": same == expected == got,
                "first_wrong": first_wrong,
            }
        )
        if IS_MP:
            result["peak_live_heap"] = peak[0]
        result["events_walked"] = count(path)
        result["times_us"], result["passes"] = measure(lambda: count(path), reps)
    except MemoryError:
        result["error"] = "MemoryError"
    except Exception as e:  # a reader that cannot read the file: report, do not hide
        result["error"] = "%s: %s" % (type(e).__name__, e)
    return result


def main(argv):
    mode = argv[1]
    if mode == "input":
        result = run_input(argv[2], argv[3], argv[4], int(argv[5]))
    elif mode == "output":
        result = run_output(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif mode == "file":
        result = run_file(argv[2], argv[3], argv[4], int(argv[5]))
    elif mode == "drain":  # for callgrind: one pass, nothing else
        data = read_file(argv[4])
        port = StreamPort(data)
        result = {"messages": drain(INPUT[argv[2]][0](port), port.done)}
    elif mode == "idle":  # for callgrind: COUNT receive() calls on an empty port ("loop": the loop alone)
        receive = (lambda: None) if argv[2] == "loop" else INPUT[argv[2]][0](StreamPort(b""))
        result = {"calls": calls(receive, int(argv[3])) if argv[2] != "loop" else empty_loop(int(argv[3]))}
    elif mode == "calls":  # for callgrind: COUNT sends of one kind, nothing else
        result = {"calls": calls(OUTPUT[argv[2]](Sink())[argv[3]], int(argv[4]))}
    elif mode == "walk":  # for callgrind: read a file through once, nothing else
        result = {"events": FILES[argv[2]][0](argv[4])}
    else:
        raise SystemExit("unknown mode %r" % mode)
    result["clock"] = CLOCK
    print("RESULT " + dumps(result))


main(sys.argv)
