# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Sphinx configuration for smolmidi's API reference (`make docs`, warnings are errors).

Before reading, it writes docs/_generated/ (git-ignored): one page per module (every
product module and every host_shim module), each with the README's quick start for it
and the autodoc of its docstrings; CHANGELOG and CONTRIBUTING as pages; and the pictures
from docs/figures.py. The README stays the one place the quick starts are written.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GENERATED = os.path.join(HERE, "_generated")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)

import build_dist  # noqa: E402
import figures  # noqa: E402

project = "smolmidi"
author = "smolmidi contributors"
copyright = "2026, smolmidi contributors"
release = version = build_dist.version()
extensions = ["sphinx.ext.autodoc"]
default_role = "code"  # `name` in docstrings and the README is code, as in Markdown
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": True}
autodoc_mock_imports = ["serial", "rtmidi", "mido"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = "smolmidi %s" % release
suppress_warnings = []

# README sections quoted on a module's page: (module, README heading)
QUICK_STARTS = {
    "smolmidi": ["Quick start: input"],
    "smolmidi_out": ["Quick start: output", "Sending MIDI: `smolmidi_out`"],
    "smf_lite": ["Quick start: playing a MIDI file"],
    "host_shim.runner": ["Running a code.py on the desktop", "Real ports, Blinka, deploy and mip"],
}
HOST_SKIP = {"__init__", "__main__"}


def host_modules():
    names = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "host_shim")) if f.endswith(".py"))
    return ["host_shim"] + ["host_shim." + n for n in names if n not in HOST_SKIP]


def readme_section(heading):
    """The Markdown of one `## heading` section of README.md (up to the next ## heading)."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^## %s\n(.*?)(?=^## |\Z)" % re.escape(heading), text, re.M | re.S)
    if not m:
        raise ValueError("README.md has no section '## %s' (docs/conf.py QUICK_STARTS)" % heading)
    return m.group(1)


def md_to_rst(md, level_chars="=-~^"):
    """The little Markdown the README and CHANGELOG use, as reST: headings, code fences,
    links, lists and paragraphs; a table becomes a preformatted block."""
    out, lines, i = [], md.splitlines(), 0
    link = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")

    def inline(s):
        def repl(m):
            url = m.group(2)
            if url.startswith(("http://", "https://")):
                return "`%s <%s>`__" % (m.group(1).strip("`"), url)
            return m.group(1)

        return link.sub(repl, s)

    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^```(\w*)", line)
        heading = re.match(r"^(#+) (.*)", line)
        if fence:
            lang = {"sh": "sh", "python": "python"}.get(fence.group(1), "text")
            out += ["", ".. code-block:: %s" % lang, ""]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append("   " + lines[i] if lines[i] else "")
                i += 1
            out.append("")
        elif heading:
            title = inline(heading.group(2)).replace("`", "")
            out += ["", title, level_chars[min(len(heading.group(1)), len(level_chars)) - 1] * len(title), ""]
        elif line.startswith("|"):
            out += ["", "::", ""]
            while i < len(lines) and lines[i].startswith("|"):
                if not re.match(r"^\|[-| ]+\|$", lines[i]):
                    out.append("   " + lines[i])
                i += 1
            out.append("")
            continue
        else:
            out.append(inline(line))
        i += 1
    return "\n".join(out) + "\n"


def module_page(name):
    title = name
    parts = [title, "=" * len(title), ""]
    for heading in QUICK_STARTS.get(name, []):
        parts.append(md_to_rst("### " + heading + "\n" + readme_section(heading), level_chars="=-~^"))
        parts.append("*(from the README)*\n")
    parts += ["Reference", "---------", "", ".. automodule:: %s" % name, ""]
    return "\n".join(parts)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if old != text:  # unchanged pages keep their mtime, so Sphinx does not reread them
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def generate():
    boards = build_dist.product_modules()
    hosts = host_modules()
    for name in boards + hosts:
        write(os.path.join(GENERATED, "api", name + ".rst"), module_page(name))
    write(
        os.path.join(GENERATED, "board_modules.inc"),
        ".. toctree::\n   :maxdepth: 1\n\n" + "".join("   _generated/api/%s\n" % n for n in boards),
    )
    write(
        os.path.join(GENERATED, "host_modules.inc"),
        ".. toctree::\n   :maxdepth: 1\n\n" + "".join("   _generated/api/%s\n" % n for n in hosts),
    )
    for name in ("CHANGELOG", "CONTRIBUTING"):
        with open(os.path.join(ROOT, name + ".md"), encoding="utf-8") as f:
            write(os.path.join(GENERATED, name.lower() + ".rst"), md_to_rst(f.read()))
    figures.build(GENERATED)


def plain_docstring(app, what, name, obj, options, lines):
    """Docstrings are plain text: a word ending in _ (continue_) is not a reST link."""
    lines[:] = [re.sub(r"(?<=\w)_(?=[\s,.;:)]|$)", r"\\_", line) for line in lines]


def setup(app):
    app.connect("autodoc-process-docstring", plain_docstring)


generate()
