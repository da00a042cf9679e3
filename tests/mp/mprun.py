# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Runs the test_* functions of one case module and reports each; used by every runtime.

One line per test, which tests/test_mp_cases.py reads back:
  PASS module.test                  it passed and made at least one real check
  PASS module.test [n/a: what; ...] it passed; the checks listed do not apply here
  SKIP module.test: reason          mptest.skip() was called, or every check was n/a
  FAIL module.test                  followed by the traceback
and a summary line "module: P passed, S skipped, F failed".

On a board (mptest.ON_BOARD) a test that runs out of heap or of flash, or meets a
read-only drive, is a SKIP saying so, not a FAIL: the board is too small for that
case, which the host runtimes check. So is a case file the board cannot load
("SKIP module.*: reason").
"""

import sys

import mptest


# modules a small board's build may lack (SAMD21 CircuitPython has no io, for one)
OPTIONAL_BUILTINS = ("io", "array", "struct", "errno", "collections", "json", "re", "binascii")


def _print_exception(e):
    if hasattr(sys, "print_exception"):  # MicroPython, CircuitPython
        sys.print_exception(e, sys.stdout)
    else:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stdout)


def too_big_for_board(e):
    """Why e means "this board is too small" (None if it does not, or not on a board)."""
    if not mptest.ON_BOARD:
        return None
    if isinstance(e, MemoryError):
        import gc

        gc.collect()
        return "needs more heap than this board has (MemoryError; %d bytes free now)" % gc.mem_free()
    if isinstance(e, OSError) and e.args:
        if e.args[0] == 28:  # ENOSPC (errno is missing on small builds)
            return "the board's drive is full (OSError 28)"
        if e.args[0] == 30:  # EROFS
            return "the board's drive is read-only to code (OSError 30; CircuitPython: boot.py can remount it)"
    if isinstance(e, ImportError):
        for name in OPTIONAL_BUILTINS:
            if str(e).endswith("'%s'" % name) or str(e).endswith(" " + name):
                return "this build has no module %s" % name
    return None


def _load(module_name):
    try:
        return __import__(module_name)
    except Exception as e:
        reason = too_big_for_board(e)
        if reason is None:
            raise
        print("SKIP %s.*: %s" % (module_name, reason))
        print("%s: 0 passed, 1 skipped, 0 failed" % module_name)
        return None


def main(module_name):
    """Import module_name, run its test_* functions in name order; return the failure count."""
    module = _load(module_name)
    if module is None:
        return 0
    names = sorted(name for name in dir(module) if name.startswith("test_"))
    failed = skipped = 0
    record = mptest.RECORD
    for name in names:
        record["checks"] = 0
        record["na"] = []
        label = "%s.%s" % (module_name, name)
        try:
            getattr(module, name)()
        except mptest.Skip as e:
            skipped += 1
            print("SKIP %s: %s" % (label, e.args[0] if e.args else "not applicable"))
        except Exception as e:  # report every case, then fail the file
            reason = too_big_for_board(e)
            if reason is not None:
                skipped += 1
                print("SKIP %s: %s" % (label, reason))
                continue
            failed += 1
            print("FAIL %s" % label)
            _print_exception(e)
        else:
            na = record["na"]
            if na and not record["checks"]:
                skipped += 1
                print(
                    "SKIP %s: not applicable on %s/%s: %s"
                    % (label, sys.implementation.name, sys.platform, "; ".join(na))
                )
            elif na:
                print("PASS %s [n/a: %s]" % (label, "; ".join(na)))
            else:
                print("PASS %s" % label)
    if not names:
        failed += 1
        print("FAIL %s: no test_* functions" % module_name)
    print("%s: %d passed, %d skipped, %d failed" % (module_name, len(names) - failed - skipped, skipped, failed))
    mptest.empty_tmp()  # files the cases wrote (a MIDI file can be 1 MB)
    return failed
