# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Put the SPDX licence header on every file of ours that can carry a comment.

    python tools/spdx_headers.py [--check]

Files are the repository's (git ls-files: tracked, and new ones not ignored). A file
that already has an SPDX licence line is left alone; others get two comment lines
at the top (after a #! line; in an example, at the end of its opening comment, whose
first line names the example). Files that cannot carry a comment (Markdown, JSON, MIDI,
SVG, LICENSE) are covered by REUSE.toml instead. `reuse lint` (make lint) checks the
result; --check only lists the files that lack a header and exits 1 if any do.

Comment lines cost nothing on a board: the compiler skips them and they are not in the
.mpy (only line numbers are, and those move by two).
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOLDER = "2026 The smolmidi authors"
LICENSE = "MIT"
# comment syntax per file kind
HASH = (".py", ".toml", ".yaml", ".yml", ".cfg", ".gitignore", ".sh")
HASH_NAMES = ("Makefile", "run")
SLASH = (".mjs", ".js")
# spelled in two parts so that `reuse lint` does not read this file's code as its header
TAG = "SPDX-" + "License-Identifier:"
COPYRIGHT_TAG = "SPDX-" + "FileCopyrightText:"
RST = (".rst",)
EXAMPLES = os.path.join(ROOT, "examples") + os.sep


def comment(path):
    """The comment prefix for path, or None when it cannot carry one."""
    name = os.path.basename(path)
    if name.endswith(HASH) or name in HASH_NAMES:
        return "# "
    if name.endswith(SLASH):
        return "// "
    if name.endswith(RST):
        return ".. "
    return None


def files():
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return sorted(f.decode() for f in out.split(b"\0") if f and os.path.isfile(os.path.join(ROOT, f.decode())))


def header(prefix):
    return "%s%s %s\n%s%s %s\n" % (prefix, COPYRIGHT_TAG, HOLDER, prefix, TAG, LICENSE)


def add(path, prefix):
    """Add the header to path if it lacks one; return True if it was added."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if TAG in text:
        return False
    lines = text.splitlines(keepends=True)
    at = 1 if lines and lines[0].startswith("#!") else 0
    if path.startswith(EXAMPLES) and lines and lines[0].startswith("# "):
        # an example's first line names it (tests/test_examples.py): the header closes its
        # opening comment block instead
        while at < len(lines) and lines[at].startswith("#"):
            at += 1
    block = header(prefix) + ("\n" if prefix == ".. " else "")  # reST: a comment, then a blank line
    lines.insert(at, block)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(lines))
    return True


def main():
    check = "--check" in sys.argv[1:]
    missing = []
    for name in files():
        prefix = comment(name)
        if prefix is None:
            continue
        path = os.path.join(ROOT, name)
        if check:
            with open(path, encoding="utf-8") as f:
                if TAG not in f.read():
                    missing.append(name)
        elif add(path, prefix):
            print("header added:", name)
    if missing:
        print("no SPDX header (python tools/spdx_headers.py adds it):\n  " + "\n  ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
