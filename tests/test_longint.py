# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""No long ints on paths a board runs: on 32-bit boards an int outside [-2**30, 2**30)
is a heap object, and on SAMD21 CircuitPython builds (no long-int support) it raises.

Two checks over every product module (tools/build_dist.product_modules):

1. Source scan (AST): integer literals, and expressions made only of literals (such as
   `1 << 30`, `2 ** 31`, `-0x40000001`, folded as the compiler would), whose value is
   outside the range. It catches constants wherever they are, run or not. It cannot see
   values computed at run time from variables.

2. Guarded run: the case files of the core modules' main paths (CASES) are run on
   CPython with a sys.settrace hook that, when a frame of a product module returns, looks
   at the frame's locals, its return value, the attributes of `self`, and the items of
   any list or tuple among those (one level deep), and records each int outside the
   range that the caller did not hand in (tests pass note=2**40 on purpose, to see it
   rejected). It catches a long int that a tested path leaves in a local, an attribute
   or a return value. It cannot catch: a value overwritten before the frame returns
   (Guard(lines=True) looks after every line too, but makes the run minutes long), an
   intermediate inside one expression that is never stored (`a * b // c` with `a * b`
   >= 2**30: compute in pieces, and check by reading); values in dicts, nested
   containers or other objects' attributes; paths no case file in CASES runs; values
   only a real board's clock produces (the tests use the shim's clocks); a frame that
   ends by raising; calls between the samples (after a function's first 1,000 calls,
   only every 7th is looked at); the case tests named for allocation (they repeat, 10,000 times,
   paths the other tests run).
"""

import ast
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import build_dist  # noqa: E402
import mptest  # noqa: E402  (tests/mp is on the path: tests/conftest.py)

LIMIT = 1 << 30
PRODUCT = build_dist.product_modules()
# case files that run product code (the others test the shim and boards)
# the case files of the three core modules' main paths (all of tests/mp takes minutes traced)
CASES = ["case_smolmidi", "case_out", "case_smf", "case_smf_player"]


# ---- 1. source scan ---------------------------------------------------------------


def _fold(node):
    """The value of an expression made only of int literals, or None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Invert)):
        v = _fold(node.operand)
        if v is None:
            return None
        return -v if isinstance(node.op, ast.USub) else (~v if isinstance(node.op, ast.Invert) else v)
    if isinstance(node, ast.BinOp):
        a, b = _fold(node.left), _fold(node.right)
        if a is None or b is None:
            return None
        op = type(node.op)
        if op is ast.Pow and (b < 0 or b > 256):
            return None
        if op is ast.LShift and (b < 0 or b > 256):
            return None
        ops = {
            ast.Add: lambda: a + b,
            ast.Sub: lambda: a - b,
            ast.Mult: lambda: a * b,
            ast.LShift: lambda: a << b,
            ast.RShift: lambda: a >> b if b >= 0 else None,
            ast.BitOr: lambda: a | b,
            ast.BitAnd: lambda: a & b,
            ast.BitXor: lambda: a ^ b,
            ast.Pow: lambda: a**b,
            ast.FloorDiv: lambda: a // b if b else None,
            ast.Mod: lambda: a % b if b else None,
        }
        return ops[op]() if op in ops else None
    return None


def long_constants(source):
    """[(line, value)] for each maximal literal expression outside [-2**30, 2**30)."""
    found = []

    def visit(node):
        value = _fold(node)
        if value is not None:
            if not -LIMIT <= value < LIMIT:
                found.append((node.lineno, value))
            return  # a folded expression is judged whole, not by its parts
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def test_the_scan_flags_long_constants_and_passes_small_ones():
    src = (
        "a = 1 << 30\nb = 0x40000000\nc = 2 ** 31\nd = -(1 << 30) - 1\ne = x * 3000000000\n"
        "ok1 = 0x3FFFFFFF\nok2 = -(1 << 30)\nok3 = (1 << 29) - 1\nok4 = x << 40\n"
    )
    assert [line for line, _ in long_constants(src)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("module", PRODUCT)
def test_no_long_int_constants_in_the_source(module):
    with open(os.path.join(ROOT, module + ".py")) as f:
        found = long_constants(f.read())
    assert not found, "%s.py: constants a 32-bit board stores as long ints: %s" % (
        module,
        ", ".join("line %d: %d" % item for item in found),
    )


# ---- 2. guarded run ---------------------------------------------------------------


class Guard:
    """A sys.settrace hook recording ints outside the small-int range in watched files."""

    def __init__(self, files, lines=False):
        self.files = set(files)
        self.lines = lines
        self.found = {}
        self.calls = {}

    @staticmethod
    def _big(value):
        """The long ints in value (an int, or a list or tuple of them, one level)."""
        if type(value) is int:
            return [value] if not -LIMIT <= value < LIMIT else []
        if type(value) in (list, tuple):
            return [v for v in value if type(v) is int and not -LIMIT <= v < LIMIT]
        return []

    def _values(self, frame):
        for name, value in frame.f_locals.items():
            yield name, value
        attrs = getattr(frame.f_locals.get("self"), "__dict__", None)
        if attrs:
            for name, value in attrs.items():
                yield "self." + name, value

    def __call__(self, frame, event, arg):
        code = frame.f_code
        if code.co_filename not in self.files:
            return None
        # every call of a function up to its 1,000th, then every 7th (a loop of 50,000
        # Player.update() calls would otherwise take minutes)
        n = self.calls[code] = self.calls.get(code, 0) + 1
        if n > 1000 and n % 7:
            return None
        # long ints the caller handed in (a test's hostile argument, such as note=2**40,
        # which the call must reject) are the caller's, not made on this path
        given = set()
        for _, value in self._values(frame):
            given.update(self._big(value))
        frame.f_trace_lines = self.lines  # False: look only when the frame returns (fast)

        def local(frame, event, arg):
            values = list(self._values(frame))
            if event == "return":
                values.append(("return value", arg))
            for name, value in values:
                for big in self._big(value):
                    if big not in given:
                        key = (os.path.basename(frame.f_code.co_filename), frame.f_lineno, name)
                        self.found.setdefault(key, big)
            return local

        return local

    def __enter__(self):
        self._old = sys.gettrace()
        sys.settrace(self)
        return self

    def __exit__(self, *exc):
        sys.settrace(self._old)

    def report(self):
        return "\n".join("%s:%d %s = %d" % (key + (value,)) for key, value in sorted(self.found.items()))


def product_files():
    return [os.path.join(ROOT, m + ".py") for m in PRODUCT]


def test_the_guard_sees_a_long_int_in_a_local_an_attribute_and_a_return(tmp_path):
    path = tmp_path / "watched.py"
    path.write_text(
        "class T:\n    def __init__(self):\n        self.big = [1, 3 << 29]\n\n"
        "def f(x):\n    y = x << 30\n    return y >> 30\n\ndef g():\n    return 1 << 31\n"
    )
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    with Guard([str(path)]) as guard:
        namespace["f"](3)
        namespace["g"]()
        namespace["T"]()
        namespace["f"](1 << 40)  # handed in by the caller: not this path's own
    where = {key[2] for key in guard.found}
    assert where == {"y", "return value", "self.big"}, guard.report()
    assert 1 << 40 not in guard.found.values()


def test_only_the_line_by_line_guard_sees_a_value_overwritten_before_return(tmp_path):
    path = tmp_path / "watched2.py"
    path.write_text("def h():\n    t = 1 << 31\n    t = 0\n    return t\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    with Guard([str(path)]) as fast:
        namespace["h"]()
    with Guard([str(path)], lines=True) as slow:
        namespace["h"]()
    assert not fast.found and [key[2] for key in slow.found] == ["t"], (fast.report(), slow.report())


def guarded_run(case):
    """Run case's tests (but the allocation ones: 10,000 repeats of paths the others run)
    under a Guard; return (guard, {test name: error})."""
    import importlib

    module = importlib.import_module(case)
    errors = {}
    with Guard(product_files()) as guard:
        for name in sorted(n for n in dir(module) if n.startswith("test_") and "alloc" not in n):
            try:
                getattr(module, name)()
            except mptest.Skip:
                pass  # a MicroPython-only check (heap frames): nothing of it runs here
            except Exception as e:  # noqa: BLE001 - reported below
                errors[name] = "%s: %s" % (type(e).__name__, str(e)[:300])
    return guard, errors


@pytest.mark.parametrize("case", CASES)
def test_case_file_runs_without_long_ints(case):
    if not os.path.exists(os.path.join(ROOT, "tests", "mp", case + ".py")):
        pytest.skip("%s is gone" % case)
    guard, errors = guarded_run(case)
    assert not guard.found, "ints outside [-2**30, 2**30) in product code while running %s:\n%s" % (
        case,
        guard.report(),
    )
    assert not errors, "%s: tests failed under the guard, so their paths went unchecked:\n%s" % (
        case,
        "\n".join("%s: %s" % item for item in sorted(errors.items())),
    )
