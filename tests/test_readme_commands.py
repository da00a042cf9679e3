"""The commands and files the README names exist as it says (the quick starts themselves
are run by tests/test_examples.py): every `make` target, every `python -m host_shim`
command line (parsed by the runner's own parser) and option, every pip extra, every path
in the repository it points at, and every package it says `make test` installs."""

import json
import os
import re
import shlex
import tomllib

import pytest

from host_shim import runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
    README = f.read()
with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
    PROJECT = tomllib.load(f)["project"]
SH_LINES = [line.split("  #")[0].strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)
            for line in block.splitlines() if line.strip()]


def make_targets():
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as f:
        return set(re.findall(r"^([a-z][\w-]*):", f.read(), re.M))


def test_every_make_target_the_readme_names_exists():
    named = set(re.findall(r"`make (\w+)`", README)) | {line.split()[1] for line in SH_LINES
                                                        if line.startswith("make ")}
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
    section = README[start:README.index("\n## ", start + 5)]
    section += README[README.index("## Real ports"):README.index("\n## ", README.index("## Real ports") + 5)]
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
    said = README[README.index("`make test` installs"):]
    said = said[:said.index("\n\n")]
    named = set(re.findall(r"`([@\w./-]+)`", said)) | set(re.findall(r"\b(pytest|hypothesis|mido)\b", said))
    named.discard("make test")
    named = {n for n in named if not n.startswith("tests/")}
    with open(os.path.join(ROOT, "tests", "wasm", "package.json"), encoding="utf-8") as f:
        npm = set(json.load(f).get("dependencies", {}))
    pip = {re.split(r"[<>=\[ ;]", r)[0].lower() for r in PROJECT["optional-dependencies"]["test"]}
    assert named and {n.lower() for n in named} <= pip | npm, {n.lower() for n in named} - pip - npm
