# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The commands and files the README names exist as it says (the quick starts themselves
are run by tests/test_examples.py): every `make` target, every `python -m host_shim`
command line (parsed by the runner's own parser) and option, every pip extra, every path
in the repository it points at, and every package it says `make test` installs."""

import json
import os
import re
import shlex
import sys
import tomllib

import pytest

from host_shim import runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
    README = f.read()
with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
    PROJECT = tomllib.load(f)["project"]
SH_LINES = [
    line.split("  #")[0].strip()
    for block in re.findall(r"```sh\n(.*?)```", README, re.S)
    for line in block.splitlines()
    if line.strip()
]


def make_targets():
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as f:
        return set(re.findall(r"^([a-z][\w-]*):", f.read(), re.M))


def test_every_make_target_the_readme_names_exists():
    named = set(re.findall(r"`make (\w+)`", README)) | {
        line.split()[1] for line in SH_LINES if line.startswith("make ")
    }
    assert named and named <= make_targets(), named - make_targets()


HOST_SHIM_LINES = [line for line in SH_LINES if "-m host_shim" in line]


@pytest.mark.parametrize("line", HOST_SHIM_LINES)
def test_every_host_shim_command_line_parses(line):
    argv = shlex.split(line.split("-m host_shim", 1)[1].replace("$USER", "me"))
    args = runner.make_parser().parse_args(argv)  # SystemExit (status 2) on a bad option
    assert args.list_ports or args.command in ("run", "deploy"), line


def options_of(parser):
    found = set()
    for action in parser._actions:
        found.update(o for o in action.option_strings if o.startswith("--"))
        if isinstance(action.choices, dict):  # the subcommands
            for sub in action.choices.values():
                found |= options_of(sub)
    return found


def test_every_host_shim_option_the_readme_names_exists():
    start = README.index("## Running a code.py on the desktop")
    section = README[start : README.index("\n## ", start + 5)]
    section += README[README.index("## Real ports") : README.index("\n## ", README.index("## Real ports") + 5)]
    named = set(re.findall(r"`(--[a-z][\w-]*)", section))
    assert len(named) >= 5 and named <= options_of(runner.make_parser()), named - options_of(runner.make_parser())


def test_every_pip_extra_the_readme_names_exists():
    extras = re.findall(r"pip install -e '\.\[(\w+)\]'", README)
    assert extras and set(extras) <= set(PROJECT["optional-dependencies"])


def test_every_repository_path_the_readme_names_exists():
    paths = set(re.findall(r"\]\(((?:examples|boards|tests|tools|bench|host_shim)/[^)#]*)\)", README))
    paths |= set(re.findall(r"`((?:examples|boards|tests|tools|bench|host_shim)/[\w./-]*)`", README))
    assert len(paths) >= 5
    missing = sorted(p for p in paths if not os.path.exists(os.path.join(ROOT, p)))
    assert not missing, missing


def test_what_the_readme_says_make_test_installs_it_installs():
    said = README[README.index("`make test` installs") :]
    said = said[: said.index("\n\n")]
    named = set(re.findall(r"`([@\w./-]+)`", said)) | set(re.findall(r"\b(pytest|hypothesis|mido)\b", said))
    named.discard("make test")
    named = {n for n in named if not n.startswith("tests/")}
    with open(os.path.join(ROOT, "tests", "wasm", "package.json"), encoding="utf-8") as f:
        npm = set(json.load(f).get("dependencies", {}))
    pip = {re.split(r"[<>=\[ ;]", r)[0].lower() for r in PROJECT["optional-dependencies"]["test"]}
    assert named and {n.lower() for n in named} <= pip | npm, {n.lower() for n in named} - pip - npm


# ---- signatures: every `Name(param, key=default, *, ...)` the README gives for one of our
# callables is that callable's signature (the names in order, the defaults as written) ------

import ast  # noqa: E402
import importlib  # noqa: E402
import inspect  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tools"))
import build_dist  # noqa: E402

SNIPPET = re.compile(r"`((?:[A-Za-z_]\w*\.)?[A-Za-z_]\w*)\(([^`()]*)\)")


def readme_signature_snippets():
    """(name, params text, ast args) of each signature-like snippet in the API sections: a
    name of ours with a parameter list that has a default or a `*` (calls with values, and
    the peers' column of the pygame table, are left out)."""
    found, section, peers = [], "", False
    for line in README.splitlines():
        if line.startswith("#"):
            section = line
        if line.strip() and not line.startswith("|"):
            peers = "Coming from" in line or "Migrating" in section
        if not ("API" in section or "Sending MIDI" in section):
            continue  # where the README gives signatures (elsewhere: calls, removed names)
        text = line.strip().strip("|").split("|")[-1] if line.startswith("|") and peers else line
        for name, params in SNIPPET.findall(text):
            if "=" not in params and "*" not in params:
                continue
            try:
                tree = ast.parse("def f(%s): pass" % params)
            except SyntaxError:
                continue  # a call with values, not a signature
            found.append((name, params, tree.body[0].args))
    return found


def our_callables(name):
    modules = [importlib.import_module(m) for m in build_dist.product_modules()]
    if "." in name:
        mod, attr = name.split(".", 1)
        return [getattr(m, attr) for m in modules if m.__name__ == mod and hasattr(m, attr)]
    found = []
    for m in modules:
        obj = m.__dict__.get(name)
        if obj is not None and callable(obj) and getattr(obj, "__module__", None) == m.__name__:
            found.append(obj)
        for cls in vars(m).values():
            if (
                inspect.isclass(cls)
                and cls.__module__ == m.__name__
                and name in vars(cls)
                and callable(vars(cls)[name])
            ):
                found.append(vars(cls)[name])
    return found


def matches(args, obj):
    try:
        real = [p for p in inspect.signature(obj).parameters.values() if p.name != "self"]
    except (TypeError, ValueError):
        return False
    given = [(a.arg, None, False) for a in args.posonlyargs + args.args]
    defaults = [None] * (len(given) - len(args.defaults)) + list(args.defaults)
    given = [(n, d, False) for (n, _, _), d in zip(given, defaults)]
    given += [(a.arg, d, True) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    by_name = {p.name: p for p in real}
    forwards = any(p.kind is p.VAR_KEYWORD for p in real)  # **options passed on to another
    if any(n not in by_name and not (forwards and d is not None) for n, d, _ in given):
        return False
    order = [n for n, _, _ in given if n in by_name]
    if order != [p.name for p in real if p.name in order]:
        return False
    for n, default, kwonly in given:
        p = by_name.get(n)
        if p is None:
            continue
        if default is not None and p.default != ast.literal_eval(default):
            return False
        if kwonly and p.kind is not p.KEYWORD_ONLY:
            return False
    required = {p.name for p in real if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)}
    return required <= set(order)


def test_every_signature_the_readme_gives_is_the_code_s():
    checked, wrong = [], []
    for name, params, args in readme_signature_snippets():
        candidates = our_callables(name)
        if not candidates:
            continue  # not ours (a peer's, or a call on a variable)
        checked.append(name)
        if not any(matches(args, obj) for obj in candidates):
            wrong.append("%s(%s)" % (name, params))
    assert len(checked) >= 5, checked
    assert not wrong, "README signatures that differ from the code: %s" % wrong
