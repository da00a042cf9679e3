"""Runs the test_* functions of one case module and reports each; used by every runtime.

One line per test, which tests/test_mp_cases.py reads back:
  PASS module.test                  it passed and made at least one real check
  PASS module.test [n/a: what; ...] it passed; the checks listed do not apply here
  SKIP module.test: reason          mptest.skip() was called, or every check was n/a
  FAIL module.test                  followed by the traceback
and a summary line "module: P passed, S skipped, F failed".
"""

import sys

import mptest


def _print_exception(e):
    if hasattr(sys, "print_exception"):
        sys.print_exception(e, sys.stdout)
    else:
        import traceback
        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stdout)


def main(module_name):
    """Import module_name, run its test_* functions in name order; return the failure count."""
    module = __import__(module_name)
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
            failed += 1
            print("FAIL %s" % label)
            _print_exception(e)
        else:
            na = record["na"]
            if na and not record["checks"]:
                skipped += 1
                print("SKIP %s: not applicable on %s/%s: %s" % (label, sys.implementation.name, sys.platform, "; ".join(na)))
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
