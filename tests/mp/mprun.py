"""Runs the test_* functions of one case module and reports each; used by every runtime."""

import sys


def _print_exception(e):
    if hasattr(sys, "print_exception"):
        sys.print_exception(e)
    else:
        import traceback
        traceback.print_exception(type(e), e, e.__traceback__)


def main(module_name):
    """Import module_name, run its test_* functions in name order; return the failure count."""
    module = __import__(module_name)
    names = sorted(name for name in dir(module) if name.startswith("test_"))
    failed = 0
    for name in names:
        try:
            getattr(module, name)()
        except Exception as e:  # report every case, then fail the file
            failed += 1
            print("FAIL %s.%s" % (module_name, name))
            _print_exception(e)
        else:
            print("PASS %s.%s" % (module_name, name))
    if not names:
        failed += 1
        print("FAIL %s: no test_* functions" % module_name)
    print("%s: %d cases passed, %d failed" % (module_name, len(names) - failed, failed))
    import mptest
    mptest.empty_tmp()  # files the cases wrote (a MIDI file can be 1 MB)
    return failed
