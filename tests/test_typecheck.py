# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Every call the product modules, examples/ and boards/ make into the board exists in
CircuitPython with that signature: a mypy check against the circuitpython-stubs package,
plus an import check against the module lists of the boards smolmidi targets.

mypy runs with check_untyped_defs (the code has no annotations, so without it nothing
inside a function would be checked). A few stubs are laid over circuitpython-stubs in
a temporary folder, each for a stated reason (see overlay()): `board` becomes the pins
of any target board (for the product modules and examples) or of one board (for each
boards/ config, from its name), `usb_midi.ports` is typed as the (PortIn, PortOut) pair
it is by default, PortIn.readinto returns a count, `__exit__` of busio and
adafruit_bus_device objects takes the arguments `with` passes, `micropython.const`
takes the plain one-argument form the modules fall back to, and `time` and `gc` are
CircuitPython's (the stubs leave them to CPython's typeshed, which would accept
time.perf_counter or reject gc.mem_free).
"""

import ast
import glob
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# every top-level module is product: the three core ones and the optional ones beside them
PRODUCT = sorted(f for f in os.listdir(ROOT) if f.endswith(".py") and f not in ("setup.py", "conftest.py"))
# RP2040/RP2350, SAMD21, SAMD51, ESP32-S2/S3, nRF52840 (DESIGN.md's boards)
TARGET_BOARDS = (
    "raspberry_pi_pico",
    "raspberry_pi_pico2",
    "adafruit_feather_rp2040",
    "adafruit_qtpy_rp2040",
    "seeeduino_xiao_rp2040",
    "feather_m0_express",
    "qtpy_m0",
    "trinket_m0",
    "seeeduino_xiao",
    "feather_m4_express",
    "itsybitsy_m4_express",
    "adafruit_feather_esp32s2",
    "adafruit_feather_esp32s3_nopsram",
    "feather_nrf52840_express",
)
# core modules every CircuitPython build has, not listed among a board's modules
CORE_MODULES = {"gc", "micropython", "builtins", "sys"}
# codes about how a variable's type is inferred, not about a call into the board
DISABLED_CODES = ("assignment", "var-annotated")

WITH_EXIT_FIXED = ("busio", "adafruit_bus_device")

mypy = pytest.importorskip("mypy.api", reason="mypy comes with the test extra")


def stubs_dir():
    """The site-packages folder holding circuitpython-stubs' *-stubs packages."""
    for path in sys.path:
        if os.path.isfile(os.path.join(path, "usb_midi-stubs", "__init__.pyi")):
            return path
    pytest.fail("circuitpython-stubs is not installed (it comes with the test extra)")


def board_definition(board_id):
    with open(os.path.join(stubs_dir(), "board_definitions", board_id, "__init__.pyi")) as f:
        return f.read()


def board_modules(board_id):
    """The modules a board's CircuitPython build includes (from its stub's docstring)."""
    line = re.search(r"Included modules: (.*)", board_definition(board_id)).group(1)
    return {name.strip() for name in line.split(",")} | CORE_MODULES


TIME_STUB = '''"""CircuitPython's time module (shared-bindings/time): no ticks_*, no perf_counter."""
class struct_time:
    def __init__(self, time_tuple: tuple[int, int, int, int, int, int, int, int, int]) -> None: ...
    tm_year: int
    tm_mon: int
    tm_mday: int
    tm_hour: int
    tm_min: int
    tm_sec: int
    tm_wday: int
    tm_yday: int
    tm_isdst: int
def monotonic() -> float: ...
def monotonic_ns() -> int: ...
def sleep(seconds: float) -> None: ...
def time() -> int: ...
def localtime(secs: int = ...) -> struct_time: ...
def mktime(t: struct_time) -> int: ...
'''

GC_STUB = '''"""CircuitPython's gc module."""
def collect() -> None: ...
def enable() -> None: ...
def disable() -> None: ...
def isenabled() -> bool: ...
def mem_alloc() -> int: ...
def mem_free() -> int: ...
'''

# the modules' fallback is `def const(x): return x`; mypy wants both spellings alike
MICROPYTHON_STUB = '''"""CircuitPython's micropython module: only const."""
def const(x): ...
'''


def union_board_stub():
    """A `board` with every pin and bus function of any target board."""
    pins, buses = {}, {}
    for board_id in TARGET_BOARDS:
        text = board_definition(board_id)
        for name in re.findall(r"^(\w+): microcontroller\.Pin", text, re.M):
            pins.setdefault(name, board_id)
        for name, kind in re.findall(r"^def (\w+)\(\) -> busio\.(\w+):", text, re.M):
            buses.setdefault(name, kind)
    lines = [
        '"""Pins of the boards smolmidi targets (from circuitpython-stubs board_definitions)."""',
        "import busio",
        "import microcontroller",
        "board_id: str",
    ]
    lines += ["%s: microcontroller.Pin  # %s" % (name, pins[name]) for name in sorted(pins)]
    lines += ["def %s() -> busio.%s: ..." % (name, buses[name]) for name in sorted(buses)]
    return "\n".join(lines) + "\n"


def board_stub(board_id):
    """`board` for one board: its own definition from circuitpython-stubs."""
    return board_definition(board_id)


def overlay(folder, board_text):
    """Write the stubs laid over circuitpython-stubs into folder; return it."""
    with open(os.path.join(stubs_dir(), "usb_midi-stubs", "__init__.pyi")) as f:
        usb_midi = f.read()
    # usb_midi.ports is (PortIn, PortOut) unless boot.py changes it: type it so,
    # or every ports[0].readinto would be flagged as "PortOut has no readinto"
    typed = "ports: Tuple[Union[PortIn, PortOut], ...]"
    # PortIn.readinto returns a count (the stub says bytes: a slip in its docs)
    counted = "self, buf: WriteableBuffer, nbytes: Optional[int] = None\n    ) -> Optional[bytes]:"
    for text in (typed, counted):
        assert usb_midi.count(text) == 1, "circuitpython-stubs changed usb_midi (%r); revisit" % text
    usb_midi = usb_midi.replace(typed, "ports: Tuple[PortIn, PortOut]")
    usb_midi = usb_midi.replace(counted, counted.replace("Optional[bytes]", "Optional[int]"))
    stubs = {
        "usb_midi": usb_midi,
        "board": board_text,
        "time": TIME_STUB,
        "gc": GC_STUB,
        "micropython": MICROPYTHON_STUB,
    }
    # the stubs write every __exit__ as taking no arguments, so each `with busio.I2C(...)`
    # or `with I2CDevice(...)` would be flagged; the `with` statement passes three
    for package in WITH_EXIT_FIXED:
        top = os.path.join(stubs_dir(), package + "-stubs")
        for dirpath, _, files in os.walk(top):
            for name in files:
                if name.endswith(".pyi"):
                    with open(os.path.join(dirpath, name)) as f:
                        text = f.read()
                    module = os.path.relpath(os.path.join(dirpath, name[:-4]), top).replace(os.sep, "/")
                    module = package + ("" if module == "__init__" else "/" + module[: -len("/__init__")])
                    stubs[module] = text.replace(
                        "def __exit__(self) -> None:", "def __exit__(self, *exc: object) -> None:"
                    )
    for name, text in stubs.items():
        os.makedirs(os.path.join(folder, name), exist_ok=True)
        with open(os.path.join(folder, name, "__init__.pyi"), "w") as f:
            f.write(text)
    return folder


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    """check(files, board=None, cwd=ROOT) runs mypy with the CircuitPython stubs and
    returns {file: [error lines]}; board=None means the pins of every target board."""
    cache = str(tmp_path_factory.mktemp("mypy_cache"))
    folders = {}

    def check(files, board=None, cwd=ROOT):
        if board not in folders:
            text = union_board_stub() if board is None else board_stub(board)
            folders[board] = overlay(str(tmp_path_factory.mktemp("cp_stubs")), text)
        args = [
            "--check-untyped-defs",
            "--no-error-summary",
            "--show-error-codes",
            "--python-version",
            "3.11",
            "--cache-dir",
            cache,
            "--explicit-package-bases",
            "--follow-imports",
            "silent",
        ]
        for code in DISABLED_CODES:
            args += ["--disable-error-code", code]
        env_path = os.environ.get("MYPYPATH")
        os.environ["MYPYPATH"] = folders[board]
        old = os.getcwd()
        os.chdir(cwd)
        try:
            out, err, status = mypy.run(args + files)
        finally:
            os.chdir(old)
            if env_path is None:
                del os.environ["MYPYPATH"]
            else:
                os.environ["MYPYPATH"] = env_path
        assert "error: " not in err, err
        errors = {}
        for line in out.splitlines():
            if ": error: " in line or ": note: " in line:
                errors.setdefault(line.split(":", 1)[0], []).append(line)
        return errors

    return check


def board_code():
    """The files that run on any board: product modules and examples."""
    files = [f for f in PRODUCT if os.path.isfile(os.path.join(ROOT, f))]
    return files + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "examples", "*.py")))


def board_files():
    """{boards/NAME.py: board_id} for the CircuitPython board configs (MicroPython ones,
    which import machine, are left out: circuitpython-stubs does not describe them)."""
    ids = set(os.listdir(os.path.join(stubs_dir(), "board_definitions")))
    found = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "boards", "*.py"))):
        rel = os.path.relpath(path, ROOT)
        if "machine" in unguarded_imports(rel):
            continue
        stem = os.path.splitext(os.path.basename(path))[0]
        names = [stem, "adafruit_" + stem, stem + "_express", "raspberry_pi_" + stem]
        matches = [n for n in names if n in ids]
        assert matches, "%s: no circuitpython-stubs board definition named like it (%s)" % (rel, names)
        found[rel] = matches[0]
    return found


def test_board_code_type_checks_against_circuitpython_stubs(checker):
    files = board_code()
    assert "smolmidi.py" in files and any(f.startswith("examples/") for f in files)
    errors = checker(files)
    assert errors == {}, "\n" + "\n".join(line for lines in errors.values() for line in lines)


def test_each_board_config_type_checks_against_its_own_board(checker):
    configs = board_files()
    assert configs, "no CircuitPython board configs found in boards/"
    failures = []
    for path, board_id in configs.items():
        errors = checker([path], board=board_id)
        failures += ["%s (checked as %s)" % (line, board_id) for lines in errors.values() for line in lines]
    assert not failures, "\n" + "\n".join(failures)


def test_board_check_fails_on_a_pin_the_board_lacks(checker, tmp_path):
    # the Pico has no board.TX: a config written for a Feather must fail as a Pico's
    (tmp_path / "cfg.py").write_text("import board, busio\nu = busio.UART(board.TX, board.RX, baudrate=31250)\n")
    assert checker(["cfg.py"], board="adafruit_feather_rp2040", cwd=str(tmp_path)) == {}
    errors = checker(["cfg.py"], board="raspberry_pi_pico", cwd=str(tmp_path))
    assert 'Module has no attribute "TX"' in "\n".join(errors["cfg.py"])


# Each case is a call that runs on CPython or MicroPython but not on CircuitPython (or
# a CircuitPython return value used as if it could not be None); the check must say so.
NOT_ON_CIRCUITPYTHON = [
    ("import time\nt = time.ticks_ms()\n", 'Module has no attribute "ticks_ms"'),
    ("import time\nt = time.perf_counter()\n", 'Module has no attribute "perf_counter"'),
    ("import supervisor\nt = supervisor.ticks_us()\n", 'Module has no attribute "ticks_us"'),
    (
        "import usb_midi\nbuf = bytearray(4)\nusb_midi.ports[0].readinto(buf, 1, 2)\n",
        'Too many arguments for "readinto" of "PortIn"',
    ),
    ("import usb_midi\nusb_midi.ports[1].readinto(bytearray(4))\n", '"PortOut" has no attribute "readinto"'),
    (
        "import board, busio\nu = busio.UART(board.TX, board.RX, baudrate=31250)\nu.readinto(bytearray(4), 4)\n",
        'Too many arguments for "readinto" of "UART"',
    ),
    (
        "import board, busio\nu = busio.UART(board.TX, board.RX, baudrate=31250)\nn = 0\nn += u.readinto(bytearray(4))\n",
        'Unsupported operand types for + ("int" and "None")',
    ),
    (
        "import board, busio\nu = busio.UART(board.TX, board.RX, baud=31250)\n",
        'Unexpected keyword argument "baud" for "UART"',
    ),
    ("import board\np = board.GP99\n", 'Module has no attribute "GP99"'),
    (
        "import board, busio\ni2c = busio.I2C(board.SCL, board.SDA)\ni2c.readfrom_into(0x48, bytearray(4), 0, 2)\n",
        'Too many positional arguments for "readfrom_into" of "I2C"',
    ),
    ("import microcontroller\nt = microcontroller.cpu.temperature_f\n", '"Processor" has no attribute "temperature_f"'),
]


def test_the_check_fails_on_calls_circuitpython_lacks(checker, tmp_path):
    files = []
    for i, (code, _) in enumerate(NOT_ON_CIRCUITPYTHON):
        name = "snippet_%02d.py" % i
        (tmp_path / name).write_text(code)
        files.append(name)
    # the same calls written the CircuitPython way pass
    (tmp_path / "fine.py").write_text(
        "import time, supervisor, usb_midi, board, busio, microcontroller, gc\n"
        "t = supervisor.ticks_ms() + time.monotonic_ns()\n"
        "buf = bytearray(4)\n"
        "n = gc.mem_free() + len(buf)\n"
        "got = usb_midi.ports[0].readinto(buf, 2)\n"
        "if got:\n    n += got\n"
        "usb_midi.ports[1].write(buf)\n"
        "u = busio.UART(board.GP0, board.GP1, baudrate=31250, timeout=0, receiver_buffer_size=256)\n"
        "got = u.readinto(buf)\n"
        "if got:\n    n += got\n"
        "temperature = microcontroller.cpu.temperature\n"
        "from adafruit_bus_device.i2c_device import I2CDevice\n"
        "with busio.I2C(board.SCL, board.SDA) as i2c:\n"
        "    with I2CDevice(i2c, 0x48) as adc:\n"
        "        adc.write_then_readinto(bytes([0]), buf, in_end=2)\n"
    )
    errors = checker(files + ["fine.py"], cwd=str(tmp_path))
    assert "fine.py" not in errors, errors.get("fine.py")
    for name, (code, expected) in zip(files, NOT_ON_CIRCUITPYTHON):
        reported = "\n".join(errors.get(name, []))
        assert expected in reported, "%s\n%s\nreported: %s" % (name, code, reported or "nothing")


# ---- imports: only modules CircuitPython has --------------------------------------


def unguarded_imports(path):
    """Top-level module names imported outside `try: ... except ImportError`."""
    with open(os.path.join(ROOT, path)) as f:
        tree = ast.parse(f.read())
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError") for h in node.handlers
        ):
            for inner in node.body:
                guarded.update(id(n) for n in ast.walk(inner))
    names = set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def local_modules():
    return (
        {os.path.splitext(f)[0] for f in PRODUCT}
        | {"boards"}
        | {os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(ROOT, "boards", "*.py"))}
    )


def test_product_modules_import_only_what_every_target_board_has():
    everywhere = set.intersection(*(board_modules(b) for b in TARGET_BOARDS))
    for path in [f for f in PRODUCT if os.path.isfile(os.path.join(ROOT, f))]:
        missing = unguarded_imports(path) - everywhere - local_modules()
        assert not missing, "%s imports %s, missing on some target boards (guard with try/except ImportError)" % (
            path,
            sorted(missing),
        )


def test_examples_import_only_what_some_target_board_has():
    somewhere = set.union(*(board_modules(b) for b in TARGET_BOARDS))
    # libraries a maker copies into lib/ from the Adafruit bundle
    bundle = {"adafruit_bus_device", "adafruit_midi"}
    examples = [os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "examples", "*.py"))]
    for path in examples + list(board_files()):
        missing = unguarded_imports(path) - somewhere - local_modules() - bundle
        assert not missing, "%s imports %s, which no target board has" % (path, sorted(missing))


@pytest.mark.parametrize(
    "code, module",
    [
        ("import typing\n", "typing"),
        ("from enum import IntEnum\n", "enum"),
        ("import io\n", "io"),  # not on SAMD21 builds
    ],
)
def test_import_check_catches_modules_missing_on_the_board(tmp_path, monkeypatch, code, module):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", str(tmp_path))
    (tmp_path / "x.py").write_text(code + "try:\n    import ulab\nexcept ImportError:\n    ulab = None\n")
    everywhere = set.intersection(*(board_modules(b) for b in TARGET_BOARDS))
    assert unguarded_imports("x.py") - everywhere == {module}
