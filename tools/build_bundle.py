# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""`make bundle`: one CircuitPython Community Bundle library per product module, checked
with the bundle's own build tools.

The bundle's build tools (circuitpython-build-tools, build.get_package_info) take one
module or one package per library: a pyproject.toml that lists more than one py-module,
or py-modules and packages together, is refused. smolmidi is many small modules on
purpose (a board copies only the files it imports; a package's __init__ would cost every
board heap), so each module becomes a library of its own:

    build/bundle/<module>/<module>.py          the module as it is
    build/bundle/<module>/pyproject.toml       name circuitpython-<module>, py-modules = [<module>]
    build/bundle/<module>/requirements.txt     the libraries of ours it imports
    build/bundle/<module>/examples/            the examples whose most specific import it is
    build/bundle/<module>/README.rst, LICENSE

Each folder is a git repository tagged v<VERSION>, as a published library would be, so
the tools read the version from git as they do in the bundle. With --check TOOLS_BIN
(the folder holding circuitpython-build-bundles), each library is built by the tools'
own `circuitpython-build-bundles --only py --only json` (offline: the .mpy builds fetch
CircuitPython's mpy-cross, so `make dist` makes those) and the zip and json are checked.

usage: python tools/build_bundle.py [OUT_DIR] [--check TOOLS_BIN]
"""

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import build_dist  # noqa: E402

PREFIX = "circuitpython-"


def pypi_name(module):
    return PREFIX + module.replace("_", "-")


def summary(module):
    """First line of the module's docstring."""
    with open(os.path.join(ROOT, module + ".py"), encoding="utf-8") as f:
        doc = ast.get_docstring(ast.parse(f.read())) or module
    return doc.splitlines()[0].rstrip(".")


def depth(module):
    """How many of our modules module needs, directly or through others."""
    seen, todo = set(), [module]
    while todo:
        for dep in build_dist.requires(todo.pop()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return len(seen)


def examples_of():
    """{module: [example files]}: each example goes to the product module its top level
    imports that needs the most others (ties: name order; none: smolmidi), so it lands in
    exactly one library."""
    modules = build_dist.product_modules()
    found = {m: [] for m in modules}
    folder = os.path.join(ROOT, "examples")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        ours = set()
        for node in tree.body:  # what it imports to run at all, not what a branch adds
            if isinstance(node, ast.Import):
                ours.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom) and node.module in modules:
                ours.add(node.module)
        found[max(sorted(ours), key=depth) if ours else "smolmidi"].append(path)
    return found


PYPROJECT = """[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "{description}"
readme = "README.rst"
license = "MIT"
requires-python = ">=3.11"
dependencies = [{dependencies}]

[tool.setuptools]
py-modules = ["{module}"]
"""

README = """{module}
{underline}

{description}. Part of smolmidi: small, spec-exact, allocation-free MIDI for
CircuitPython and MicroPython. Copy ``{module}.mpy`` (or ``.py``) into ``CIRCUITPY/lib/``{deps}.
"""


def git(folder, *args):
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=smolmidi",
            "-c",
            "user.email=build@smolmidi.invalid",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def build(out=os.path.join(ROOT, "build", "bundle")):
    """Write one library folder per product module under out; return {module: folder}."""
    if os.path.exists(out):
        shutil.rmtree(out)
    version = build_dist.version()
    made = {}
    examples = examples_of()
    for module in build_dist.product_modules():
        lib = os.path.join(out, module)
        os.makedirs(os.path.join(lib, "examples"))
        shutil.copy2(os.path.join(ROOT, module + ".py"), lib)
        shutil.copy2(os.path.join(ROOT, "LICENSE"), lib)
        deps = [pypi_name(d) for d in build_dist.requires(module)]
        with open(os.path.join(lib, "pyproject.toml"), "w", encoding="utf-8") as f:
            f.write(
                PYPROJECT.format(
                    name=pypi_name(module),
                    version=version,
                    module=module,
                    description=summary(module).replace('"', "'"),
                    dependencies=", ".join('"%s"' % d for d in deps),
                )
            )
        with open(os.path.join(lib, "requirements.txt"), "w", encoding="utf-8") as f:
            f.write("".join(d + "\n" for d in deps))
        with open(os.path.join(lib, "README.rst"), "w", encoding="utf-8") as f:
            needs = build_dist.requires(module)
            f.write(
                README.format(
                    module=module,
                    underline="=" * len(module),
                    description=summary(module),
                    deps=" with " + ", ".join(needs) if needs else "",
                )
            )
        for path in examples[module]:
            shutil.copy2(path, os.path.join(lib, "examples", "%s_%s" % (module, os.path.basename(path))))
            for data in _data_files(path):
                shutil.copy2(data, os.path.join(lib, "examples"))
        git(lib, "init", "-q")
        git(lib, "add", ".")
        git(lib, "commit", "-q", "-m", "%s %s from smolmidi" % (module, version))
        git(lib, "tag", version)
        git(lib, "remote", "add", "origin", "https://github.com/OWNER/%s.git" % pypi_name(module))
        made[module] = lib
    return made


def _data_files(example):
    sys.path.insert(0, ROOT)
    from host_shim import deploy

    return deploy.data_files(example)


def check(made, tools_bin, work):
    """Build each library with the bundle's tools; raise SystemExit naming what is wrong."""
    version = build_dist.version()
    problems = []
    for module, lib in sorted(made.items()):
        dest = os.path.join(work, module)
        cmd = [
            os.path.join(os.path.abspath(tools_bin), "circuitpython-build-bundles"),
            "--filename_prefix",
            pypi_name(module),
            "--library_location",
            lib,
            "--output_directory",
            dest,
            "--only",
            "py",
            "--only",
            "json",
        ]
        proc = subprocess.run(cmd, cwd=lib, capture_output=True, text=True)
        if proc.returncode != 0:
            problems.append("%s: build tools failed:\n%s%s" % (module, proc.stdout[-2000:], proc.stderr[-2000:]))
            continue
        top = "%s-py-%s" % (pypi_name(module), version)
        with zipfile.ZipFile(os.path.join(dest, top + ".zip")) as z:
            names = set(z.namelist())
        if "%s/lib/%s.py" % (top, module) not in names:
            problems.append("%s: %s.zip lacks lib/%s.py: %s" % (module, top, module, sorted(names)))
        with open(os.path.join(dest, "%s-%s.json" % (pypi_name(module), version)), encoding="utf-8") as f:
            entry = json.load(f)[module]
        want = sorted(pypi_name(d) for d in build_dist.requires(module))
        if (
            entry["version"] != version
            or entry["path"] != "lib/" + module
            or entry["package"]
            or sorted(entry["external_dependencies"]) != want
        ):
            problems.append("%s: bundle json says %r" % (module, entry))
    if problems:
        raise SystemExit("\n".join(problems))
    return sorted(made)


def main():
    args = sys.argv[1:]
    tools_bin = None
    if "--check" in args:
        i = args.index("--check")
        tools_bin = args[i + 1]
        del args[i : i + 2]
    out = os.path.abspath(args[0]) if args else os.path.join(ROOT, "build", "bundle")
    made = build(out)
    for module, lib in sorted(made.items()):
        print("%s: %s" % (module, " ".join(sorted(os.listdir(lib)))))
    if tools_bin:
        work = out + "-check"
        shutil.rmtree(work, ignore_errors=True)
        checked = check(made, tools_bin, work)
        print("the bundle's build tools take all %d libraries: %s" % (len(checked), ", ".join(checked)))


if __name__ == "__main__":
    main()
