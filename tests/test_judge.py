"""The judge: known mistakes, function checks, cell grades (weights, duplicates, forgeries, failures) and feedback."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from graders import feedback
from graders.encoding import encode
from graders.judge import judge_cell, judge_value
from graders.model import CellGrade, Check, Mistake, Outcome, Verdict

C, I, K, M = Outcome.CORRECT, Outcome.INCORRECT, Outcome.KNOWN_MISTAKE, Outcome.INVALID
R, MISS = Outcome.RAISED, Outcome.MISSING
x = sp.Symbol("x")
MSG = "That is the declared mistake."


def check(compare, reference, *mistakes, id="q", cell="cell", weight=1.0, encoded=False, **options):
    """A Check whose mistakes are (message, transform) pairs or bare transforms (then with MSG)."""
    ms = tuple(Mistake(*m) if isinstance(m, tuple) else Mistake(MSG, m) for m in mistakes)
    return Check(id, cell, compare, options, weight, reference if encoded else encode(reference), ms)


def calls(*outputs):
    """An encoded function answer: each output is a value, or an exception text for a raised call."""
    return {"t": "calls", "results": [{"raised": o.text} if isinstance(o, Raised) else {"ok": encode(o)}
                                      for o in outputs]}


class Raised:
    def __init__(self, text):
        self.text = text


# ---------------------------------------------------------------- known mistakes on scalars

_FNS = {"cos": np.cos, "sin": np.sin, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
        "square": np.square, "reciprocal": lambda v: 1 / v, "abs": np.abs, "conj": np.conj, "real": np.real}


@pytest.mark.parametrize("reference, transform, student", [
    (0.7, {"kind": "negate"}, -0.7),
    (0.7, {"kind": "scale", "factor": encode(2.0)}, 1.4),
    (0.7, {"kind": "scale", "factor": encode(180 / math.pi)}, 0.7 * 180 / math.pi),  # degrees for radians
    (0.7, {"kind": "scale", "factor": encode(1j)}, 0.7j),
    (0.7, {"kind": "add", "offset": encode(1)}, 1.7),
    (0.7, {"kind": "add", "offset": encode(-0.2)}, 0.5),
    (0.7, {"kind": "value", "value": encode(200.0)}, 200.0),
    (0.7, {"kind": "value", "value": encode(sp.pi)}, math.pi),
    *[(0.7, {"kind": "apply", "function": f}, _FNS[f](0.7))
      for f in ("cos", "sin", "tan", "exp", "log", "sqrt", "square", "reciprocal")],
    (-0.7, {"kind": "apply", "function": "abs"}, 0.7),
    (-0.7, {"kind": "apply", "function": "sqrt"}, np.sqrt(-0.7 + 0j)),
    (-0.7, {"kind": "apply", "function": "log"}, np.log(-0.7 + 0j)),
    (0.3 + 0.4j, {"kind": "apply", "function": "conj"}, 0.3 - 0.4j),
    (0.3 + 0.4j, {"kind": "apply", "function": "real"}, 0.3),
    (0.3 + 0.4j, {"kind": "apply", "function": "abs"}, 0.5),
])
def test_scalar_mistakes(reference, transform, student):
    """Does each transform kind applied to a scalar reference yield KNOWN_MISTAKE with the declared message?"""
    got = judge_value(check("scalar", reference, (f"hint for {transform['kind']}", transform)), encode(student))
    assert (got.outcome, got.reason, got.hint) == (K, "mistake", f"hint for {transform['kind']}"), got


@pytest.mark.parametrize("transform, student", [
    ({"kind": "negate"}, -16),
    ({"kind": "scale", "factor": encode(2)}, 32),
    ({"kind": "scale", "factor": encode(0.5)}, 8),
    ({"kind": "add", "offset": encode(1)}, 17),
    ({"kind": "add", "offset": encode(-1.0)}, 15.0),
    ({"kind": "apply", "function": "square"}, 256),
    ({"kind": "apply", "function": "sqrt"}, 4),
    ({"kind": "value", "value": encode(15)}, 15),
    ({"kind": "value", "value": encode(16.5)}, 16.5),  # a non-integral answer can still be a known mistake
    ({"kind": "scale", "factor": encode(1.03125)}, 16.5),
    ({"kind": "add", "offset": encode(0.5)}, sp.Rational(33, 2)),
])
def test_integer_mistakes(transform, student):
    """Do transforms of an integer reference match integer answers as known mistakes (without numpy warnings)?"""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. ComplexWarning from casting a complex result to int
        got = judge_value(check("integer", 16, transform), encode(student))
    assert (got.outcome, got.hint) == (K, MSG), got


# ---------------------------------------------------------------- known mistakes on arrays

_A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


@pytest.mark.parametrize("reference, transform, student", [
    (_A, {"kind": "negate"}, -_A),
    (_A, {"kind": "scale", "factor": encode(2)}, 2 * _A),
    (_A, {"kind": "add", "offset": encode(1.5)}, _A + 1.5),
    (_A, {"kind": "transpose"}, _A.T),  # a different shape: still recognised
    (_A, {"kind": "flip"}, _A[:, ::-1]),
    (_A, {"kind": "value", "value": encode(np.zeros((2, 3)))}, np.zeros((2, 3))),
    (_A, {"kind": "value", "value": encode(np.zeros((3, 2)))}, np.zeros((3, 2)).tolist()),
    *[(_A, {"kind": "apply", "function": f}, _FNS[f](_A))
      for f in ("cos", "sin", "tan", "exp", "log", "sqrt", "square", "reciprocal")],
    (-_A, {"kind": "apply", "function": "abs"}, _A),
    (-_A, {"kind": "apply", "function": "sqrt"}, np.sqrt(-_A + 0j)),
    (_A + 1j, {"kind": "apply", "function": "conj"}, _A - 1j),
    (_A + 1j, {"kind": "apply", "function": "real"}, _A),
    (np.array([3.0, 1.0, 2.0]), {"kind": "flip"}, [2.0, 1.0, 3.0]),  # eigenvalues in the wrong order
    (np.array([3.0, 1.0, 2.0]), {"kind": "negate"}, [-3.0, -1.0, -2.0]),
])
def test_array_mistakes(reference, transform, student):
    """Does each transform kind applied to an array reference yield KNOWN_MISTAKE with the declared message?"""
    got = judge_value(check("array", reference, transform), encode(student))
    assert (got.outcome, got.hint) == (K, MSG), got


@pytest.mark.parametrize("compare, reference, transform, student", [
    ("columns_up_to_sign", np.array([[0.6, -0.8], [0.8, 0.6]]), {"kind": "transpose"}, [[0.6, -0.8], [-0.8, -0.6]]),
    ("columns_up_to_sign", np.array([[0.6, -0.8], [0.8, 0.6]]), {"kind": "flip"}, [[0.8, 0.6], [-0.6, 0.8]]),
    ("up_to_scale", np.array([1.0, 2.0]), {"kind": "flip"}, [4.0, 2.0]),
    ("span", np.array([[1.0], [1.0], [0.0]]), {"kind": "value", "value": encode(np.array([[1.0], [0.0], [0.0]]))},
     [[3.0], [0.0], [0.0]]),
    ("number_set", [1.0, 2.0], {"kind": "value", "value": encode([1.0, -2.0])}, [-2.0, 1.0]),
    ("boolean", True, {"kind": "value", "value": encode(False)}, False),
    ("choice", {"a", "c"}, {"kind": "value", "value": encode("a")}, ["A"]),
])
def test_mistakes_for_other_comparators(compare, reference, transform, student):
    """Are mistakes compared with the check's own comparator (up to sign, scale, span, as a set ...)?"""
    got = judge_value(check(compare, reference, transform, options=["a", "b", "c"]), encode(student))
    assert (got.outcome, got.hint) == (K, MSG), got


# ---------------------------------------------------------------- known mistakes on expressions

_DOM = {"symbols": {"x": [0.5, 2.0]}}
_E = x**2 + 1


@pytest.mark.parametrize("reference, transform, student", [
    (_E, {"kind": "negate"}, -x**2 - 1),
    (_E, {"kind": "scale", "factor": encode(2)}, 2 * x**2 + 2),
    (_E, {"kind": "scale", "factor": encode(sp.Rational(1, 2))}, (x**2 + 1) / 2),
    (_E, {"kind": "add", "offset": encode(3)}, x**2 + 4),
    (_E, {"kind": "value", "value": encode(x**2)}, x * x),
    (_E, {"kind": "apply", "function": "cos"}, sp.cos(x**2 + 1)),
    (_E, {"kind": "apply", "function": "sin"}, sp.sin(x**2 + 1)),
    (_E, {"kind": "apply", "function": "tan"}, sp.tan(x**2 + 1)),
    (_E, {"kind": "apply", "function": "exp"}, sp.exp(x**2) * sp.E),
    (_E, {"kind": "apply", "function": "log"}, sp.log(x**2 + 1)),
    (_E, {"kind": "apply", "function": "square"}, x**4 + 2 * x**2 + 1),
    (_E, {"kind": "apply", "function": "reciprocal"}, 1 / (x**2 + 1)),
    (_E, {"kind": "apply", "function": "sqrt"}, sp.sqrt(x**2 + 1)),
    (x - 1, {"kind": "apply", "function": "abs"}, sp.Abs(1 - x)),
    (sp.exp(sp.I * x), {"kind": "apply", "function": "conj"}, sp.cos(x) - sp.I * sp.sin(x)),
    (sp.Matrix([[x], [x**2]]), {"kind": "transpose"}, sp.Matrix([[x, x**2]])),
    (sp.Matrix([[1, x, 2], [x, 3, x**2]]), {"kind": "transpose"}, sp.Matrix([[1, x], [x, 3], [2, x**2]])),
    (sp.Matrix([[x], [x**2]]), {"kind": "negate"}, sp.Matrix([[-x], [-x**2]])),
    (sp.Matrix([[x], [x**2]]), {"kind": "scale", "factor": encode(3.0)}, sp.Matrix([[3 * x], [3 * x**2]])),
])
def test_symbolic_mistakes(reference, transform, student):
    """Does each transform supported on expression trees yield KNOWN_MISTAKE with the declared message?"""
    got = judge_value(check("symbolic", reference, transform, **_DOM), encode(student))
    assert (got.outcome, got.hint) == (K, MSG), got


@pytest.mark.parametrize("compare, reference, transform, student", [
    ("symbolic", _E, {"kind": "apply", "function": "real"}, x**2 + 1.5),
    ("symbolic", _E, {"kind": "flip"}, x**2 + 1.5),
    ("symbolic", _E, {"kind": "transpose"}, x**2 + 1.5),  # a scalar expression has no transpose
    ("scalar", 0.7, {"kind": "apply", "function": "gamma"}, 1.2980553326),
    ("scalar", 0.7, {"kind": "frobnicate"}, -0.7),
    ("scalar", 0.7, {}, -0.7),
    ("scalar", 0.7, {"kind": "scale"}, 1.4),  # no factor
    ("scalar", 0.7, {"kind": "scale", "factor": "2"}, 1.4),  # factor not encoded
    ("scalar", 0.7, {"kind": "value", "value": None}, 1.4),
    ("scalar", 0.7, {"kind": "value"}, 1.4),
    ("boolean", True, {"kind": "negate"}, False),
    ("choice", "a", {"kind": "flip"}, "b"),
    ("number_set", [1, 2], {"kind": "negate"}, [-1, -2]),
])
def test_unknown_or_broken_transforms_are_ignored(compare, reference, transform, student):
    """Is a transform this version cannot apply simply skipped (the answer stays INCORRECT, no exception)?"""
    got = judge_value(check(compare, reference, transform, **_DOM), encode(student))
    assert got.outcome is I, got


@pytest.mark.parametrize("mistakes, hint", [
    ((("negated", {"kind": "negate"}), ("times -1", {"kind": "scale", "factor": encode(-1)})), "negated"),
    ((("times -1", {"kind": "scale", "factor": encode(-1)}), ("negated", {"kind": "negate"})), "times -1"),
    ((("doubled", {"kind": "scale", "factor": encode(2)}), ("negated", {"kind": "negate"})), "negated"),
    ((("broken", {"kind": "frobnicate"}), ("negated", {"kind": "negate"})), "negated"),
    ((("value", {"kind": "value", "value": encode(-0.7)}), ("negated", {"kind": "negate"})), "value"),
])
def test_first_matching_mistake_wins(mistakes, hint):
    """When several declared mistakes match, is the first one in declaration order reported?"""
    got = judge_value(check("scalar", 0.7, *mistakes), encode(-0.7))
    assert (got.outcome, got.hint) == (K, hint)


@pytest.mark.parametrize("compare, reference, transform, student", [
    ("scalar", 0.7, {"kind": "flip"}, 0.7),  # identity on a scalar
    ("scalar", 0.7, {"kind": "transpose"}, 0.7),
    ("scalar", 0.7, {"kind": "scale", "factor": encode(1)}, 0.7),
    ("scalar", 0.7, {"kind": "scale", "factor": encode(1.0000001)}, 0.7),
    ("scalar", 0.7, {"kind": "add", "offset": encode(0)}, 0.7),
    ("scalar", 0.7, {"kind": "apply", "function": "abs"}, 0.7),
    ("scalar", 0.7, {"kind": "value", "value": encode(0.7)}, 0.7000000001),
    ("scalar", 0.0, {"kind": "negate"}, 0.0),
    ("array", np.array([1.0, 2.0, 1.0]), {"kind": "flip"}, [1, 2, 1]),  # a palindrome
    ("array", np.eye(2), {"kind": "transpose"}, np.eye(2)),
    ("integer", 1, {"kind": "apply", "function": "square"}, 1),
    ("symbolic", sp.cos(x), {"kind": "value", "value": encode(sp.cos(-x))}, sp.cos(x)),
    ("symbolic", sp.Matrix([[x, 1], [1, x]]), {"kind": "transpose"}, sp.Matrix([[x, 1], [1, x]])),
    ("choice", "a", {"kind": "value", "value": encode("a")}, "A"),
])
def test_correct_answer_never_reports_a_mistake(compare, reference, transform, student):
    """Is a correct answer CORRECT even when a declared mistake coincides with the reference?"""
    got = judge_value(check(compare, reference, transform, **_DOM), encode(student))
    assert (got.outcome, got.hint) == (C, "")


@pytest.mark.parametrize("student, reason", [(True, "type"), ("-0.7", "type"), ([-0.7], "type"), (x, "not_constant")])
def test_invalid_answer_is_never_a_mistake(student, reason):
    """Is an answer of the wrong type INVALID, even with a mistake that would match its value?"""
    got = judge_value(check("scalar", 0.7, {"kind": "negate"}, {"kind": "value", "value": encode(True)}),
                      encode(student))
    assert (got.outcome, got.reason, got.hint) == (M, reason, "")


def test_wrong_answer_without_matching_mistake_keeps_its_reason():
    """Does a wrong answer that matches no mistake keep its own reason (e.g. the shape) and no hint?"""
    got = judge_value(check("array", _A, {"kind": "negate"}), encode(_A.ravel()))
    assert (got.outcome, got.reason, got.details, got.hint) == (I, "shape", {"got": [6]}, "")


# ---------------------------------------------------------------- function checks (calls)

_IN1, _IN2 = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[2.0, 0.0, 1.0]])
_REF_CALLS = calls(_IN1 @ _IN1.T, _IN2 @ _IN2.T)


def calls_check(*mistakes, compare="array"):
    return check(compare, _REF_CALLS, *mistakes, encoded=True)


@pytest.mark.parametrize("student, expected, reason, details", [
    (calls(_IN1 @ _IN1.T, _IN2 @ _IN2.T), C, "", {}),
    (calls((_IN1 @ _IN1.T).tolist(), [[5.0]]), C, "", {}),
    (calls(_IN1 @ _IN1.T, np.array([[5.1]])), I, "value", {"on_input": [2, 2]}),
    (calls(_IN1.T @ _IN1, _IN2 @ _IN2.T), I, "value", {"on_input": [1, 2]}),
    (calls(_IN1 @ _IN1.T, np.array([5.0])), I, "shape", {"got": [1], "on_input": [2, 2]}),
    (calls(_IN1 @ _IN1.T, True), M, "type", {"got": "a boolean", "want": "an array", "on_input": [2, 2]}),
    (calls(Raised("ValueError: shapes (1,3) and (1,3) not aligned"), _IN2 @ _IN2.T), R, "raised",
     {"error": "ValueError: shapes (1,3) and (1,3) not aligned", "input": 1, "inputs": 2}),
    (calls(np.zeros((2, 2)), Raised("ZeroDivisionError")), I, "value", {"on_input": [1, 2]}),  # first failure wins
    (calls(_IN1 @ _IN1.T), M, "malformed_payload", {}),  # one result for two inputs
    (calls(_IN1 @ _IN1.T, _IN2 @ _IN2.T, 0), M, "malformed_payload", {}),
    ({"t": "calls", "results": [None, None]}, M, "malformed_payload", {}),
    ({"t": "calls", "results": "many"}, M, "malformed_payload", {}),
    ({"t": "calls"}, M, "malformed_payload", {}),
    (encode(_IN1 @ _IN1.T), M, "malformed_payload", {}),  # a value where a function is expected
    ({"t": "invalid", "why": "expected a function, got int"}, M, "invalid", {"why": "expected a function, got int"}),
    ({"t": "missing", "error": "NameError: name 'projector' is not defined"}, MISS, "undefined",
     {"error": "NameError: name 'projector' is not defined"}),
    ({"t": "calls", "results": [{"ok": {"t": "invalid", "why": "returned a int, not a tuple of results"}},
                                {"ok": encode(_IN2 @ _IN2.T)}]},
     M, "invalid", {"why": "returned a int, not a tuple of results", "on_input": [1, 2]}),
    ({"t": "calls", "results": [{}, {"ok": encode(_IN2 @ _IN2.T)}]}, M, "type",
     {"got": "unreadable data", "want": "an array", "on_input": [1, 2]}),
])
def test_function_checks(student, expected, reason, details):
    """Is a function answer judged output by output, with the first failure (and its input number) reported?"""
    got = judge_value(calls_check(), student)
    assert (got.outcome, got.reason, got.details) == (expected, reason, details), got


@pytest.mark.parametrize("mistake, student, expected", [
    ({"kind": "value", "value": calls(_IN1.T @ _IN1, _IN2.T @ _IN2)}, calls(_IN1.T @ _IN1, _IN2.T @ _IN2), K),
    ({"kind": "value", "value": calls(_IN1.T @ _IN1, _IN2.T @ _IN2)}, calls((_IN1.T @ _IN1).tolist(), _IN2.T @ _IN2),
     K),
    # matches the mistaken function on one input only: not that mistake
    ({"kind": "value", "value": calls(_IN1.T @ _IN1, _IN2.T @ _IN2)}, calls(_IN1.T @ _IN1, _IN2 @ _IN2.T), I),
    ({"kind": "value", "value": calls(_IN1.T @ _IN1, _IN2.T @ _IN2)}, calls(_IN1.T @ _IN1, np.zeros((1, 1))), I),
    # the mistaken function raised on an input the student's function answered: not that mistake
    ({"kind": "value", "value": calls(_IN1.T @ _IN1, Raised("ValueError: x"))}, calls(_IN1.T @ _IN1, np.eye(3)), I),
    ({"kind": "value", "value": calls(_IN1.T @ _IN1)}, calls(_IN1.T @ _IN1, _IN2.T @ _IN2), I),  # wrong length
    ({"kind": "value", "value": {"t": "calls"}}, calls(_IN1.T @ _IN1, _IN2.T @ _IN2), I),
    ({"kind": "negate"}, calls(-(_IN1 @ _IN1.T), -(_IN2 @ _IN2.T)), K),
    ({"kind": "negate"}, calls(-(_IN1 @ _IN1.T), _IN2 @ _IN2.T), I),
    ({"kind": "scale", "factor": encode(2)}, calls(2 * _IN1 @ _IN1.T, 2 * _IN2 @ _IN2.T), K),
    ({"kind": "transpose"}, calls(_IN1 @ _IN1.T, _IN2 @ _IN2.T), C),  # symmetric outputs: the answer is right
    ({"kind": "negate"}, calls(Raised("ValueError: x"), -(_IN2 @ _IN2.T)), R),  # a raise is never a mistake
])
def test_function_check_mistakes(mistake, student, expected):
    """Is a function answer a known mistake only when every output matches the mistaken function's output?"""
    got = judge_value(calls_check(("mistaken function", mistake)), student)
    assert got.outcome is expected, got
    assert got.hint == ("mistaken function" if expected is K else "")


def test_function_check_mistake_on_eigenvalue_order():
    """Is 'ascending instead of descending' recognised on every input through a flip transform?"""
    ref = calls(np.array([3.0, 1.0, -2.0]), np.array([5.0, 4.0]))
    c = check("array", ref, ("sort descending", {"kind": "flip"}), encoded=True)
    assert judge_value(c, calls([-2.0, 1.0, 3.0], [4.0, 5.0])).hint == "sort descending"
    assert judge_value(c, calls([3.0, 1.0, -2.0], [5.0, 4.0])).outcome is C


def test_function_check_with_a_scalar_comparator():
    """Are function outputs decoded by the check's comparator (here: scalars, one of them a sympy constant)?"""
    c = check("scalar", calls(0.5, math.pi), encoded=True)
    assert judge_value(c, calls(sp.Rational(1, 2), sp.pi)).outcome is C
    assert judge_value(c, calls(0.5, 3.14)).details == {"on_input": [2, 2]}


# ---------------------------------------------------------------- judge_cell

def _three_checks():
    return [check("scalar", 1.0, id="a", weight=1), check("scalar", 2.0, id="b", weight=2),
            check("scalar", 3.0, id="c", weight=1)]


def _payloads(correct: set[str]):
    return [{"check": cid, "value": encode(v if cid in correct else -v)} for cid, v in (("a", 1.0), ("b", 2.0),
                                                                                         ("c", 3.0))]


@pytest.mark.parametrize("correct, score", [
    (set(), 0.0), ({"a"}, 1.0), ({"b"}, 2.0), ({"c"}, 1.0), ({"a", "c"}, 2.0), ({"a", "b"}, 3.0),
    ({"a", "b", "c"}, 4.0),
])
def test_weights_and_partial_credit(correct, score):
    """Is the score points × (passed weight / total weight)?"""
    grade = judge_cell("cell", 4, _three_checks(), _payloads(correct))
    assert grade.score == score
    assert [v.check_id for v in grade.verdicts] == ["a", "b", "c"]
    assert {v.check_id for v in grade.verdicts if v.passed} == correct
    assert grade.note == ""


@pytest.mark.parametrize("points, correct", [(3, {"a"}), (1, {"b"}), (0.5, {"a", "c"}), (7, set()), (0, {"a"}),
                                             (2.5, {"a", "b", "c"})])
def test_score_is_within_bounds(points, correct):
    """Is the score always within [0, points], rounded to 4 decimals?"""
    grade = judge_cell("cell", points, _three_checks(), _payloads(correct))
    assert 0 <= grade.score <= points
    assert grade.score == round(points * sum({"a": 1, "b": 2, "c": 1}[k] for k in correct) / 4, 4)


def test_zero_weight_checks():
    """Does a zero-weight check not count, and do all-zero weights give 0 without dividing by zero?"""
    checks = [check("scalar", 1.0, id="a", weight=1), check("scalar", 2.0, id="z", weight=0)]
    assert judge_cell("cell", 2, checks, [{"check": "a", "value": encode(1.0)}]).score == 2
    zero = [check("scalar", 1.0, id="a", weight=0)]
    assert judge_cell("cell", 2, zero, [{"check": "a", "value": encode(1.0)}]).score == 0


@pytest.mark.parametrize("second", [encode(1.0), encode(-1.0), None, "junk"])
def test_duplicate_payloads(second):
    """Do two payloads for one check make it INVALID 'duplicate' (0 for it), whatever the second one says?"""
    payloads = _payloads({"a", "b", "c"}) + [{"check": "a", "value": second}]
    grade = judge_cell("cell", 4, _three_checks(), payloads)
    va = grade.verdicts[0]
    assert (va.check_id, va.outcome, va.reason) == ("a", M, "duplicate")
    assert grade.score == 3.0


def test_payloads_for_unknown_checks_are_ignored():
    """Are payloads for check ids the key does not have ignored?"""
    payloads = _payloads({"a"}) + [{"check": "zz", "value": encode(1.0)}, {"check": "A", "value": encode(2.0)},
                                   {"check": "a ", "value": encode(1.0)}]
    grade = judge_cell("cell", 4, _three_checks(), payloads)
    assert [v.check_id for v in grade.verdicts] == ["a", "b", "c"]
    assert grade.score == 1.0


@pytest.mark.parametrize("extra", [
    {"spec": {"compare": "scalar", "options": {"rtol": 10.0, "atol": 10.0}}},
    {"spec": {"compare": "boolean", "weight": 100, "mistakes": []}},
    {"spec": {"compare": "nonexistent"}},
    {"compare": "scalar", "options": {"rtol": 10.0}, "reference": encode(-2.0)},
    {"weight": 1000, "points": 1000, "score": 1000},
    {"verdict": {"check_id": "b", "outcome": "correct"}},
])
def test_forged_specifications_change_nothing(extra):
    """Does a payload claiming its own comparator, tolerance, reference or weight change nothing?"""
    payloads = [{"check": "a", "value": encode(1.0)}, {"check": "b", "value": encode(-2.0), **extra},
                {"check": "c", "value": encode(3.1)}]
    grade = judge_cell("cell", 4, _three_checks(), payloads)
    assert [v.outcome for v in grade.verdicts] == [C, I, I]
    assert grade.score == 1.0


@pytest.mark.parametrize("value_extra", [{"rtol": 10}, {"options": {"rtol": 10}}, {"spec": {"atol": 5}}])
def test_forged_options_inside_the_value_change_nothing(value_extra):
    """Are options smuggled inside the encoded value itself ignored?"""
    c = [check("scalar", 2.0, id="b")]
    grade = judge_cell("cell", 1, c, [{"check": "b", "value": {**encode(2.5), **value_extra}}])
    assert (grade.verdicts[0].outcome, grade.score) == (I, 0.0)


_ALL_COMPARATORS = [
    ("scalar", 1.0), ("array", np.eye(2)), ("columns_up_to_sign", np.eye(2)), ("up_to_scale", np.ones(2)),
    ("global_phase", np.ones(2) / np.sqrt(2)), ("span", np.eye(3)[:, :2]), ("integer", 3), ("boolean", True),
    ("choice", "a"), ("number_set", [1.0, 2.0]), ("symbolic", x),
]
_MALFORMED_VALUES = [
    None, 1, 1.0, "1.0", [], [1], True, {}, {"t": None}, {"t": 5}, {"t": "nonsense"},
    {"t": "int"}, {"t": "int", "v": "abc"}, {"t": "int", "v": None}, {"t": "int", "v": []},
    {"t": "float"}, {"t": "float", "v": "abc"}, {"t": "float", "v": None}, {"t": "float", "v": {}},
    {"t": "complex", "re": 1}, {"t": "bool"}, {"t": "str"}, {"t": "str", "v": 5},
    {"t": "array"}, {"t": "array", "shape": "ab", "dtype": "float", "data": []},
    {"t": "array", "shape": [2], "dtype": "float", "data": [1]},
    {"t": "array", "shape": [2], "dtype": "complex", "data": [1, 2]},
    {"t": "array", "shape": None, "dtype": "float", "data": None},
    {"t": "array", "shape": [10**9, 10**9], "dtype": "float", "data": []},
    {"t": "array", "shape": [1], "dtype": "float", "data": ["x"]},
    {"t": "seq"}, {"t": "seq", "items": 5}, {"t": "seq", "items": [5]}, {"t": "seq", "items": "ab"},
    {"t": "set", "items": None}, {"t": "set", "items": [{"t": "str"}]}, {"t": "seq", "items": [{"t": "str", "v": 5}]},
    {"t": "matrix"}, {"t": "matrix", "shape": [2], "items": []}, {"t": "matrix", "shape": [1, 1], "items": None},
    {"t": "expr"}, {"t": "expr", "tree": None}, {"t": "expr", "tree": ["Const", []]},
    {"t": "calls", "results": None}, {"t": "calls", "results": [None]},
    {"t": "invalid", "why": 5}, {"t": "unsupported", "type": "socket"},
]


@pytest.mark.parametrize("compare, reference", _ALL_COMPARATORS, ids=[c for c, _ in _ALL_COMPARATORS])
def test_malformed_values_score_zero(compare, reference):
    """Does every malformed value score 0 as INVALID for every comparator, with no exception from judge_cell?"""
    c = check(compare, reference, symbols={"x": [0, 1]}, options=["a", "b"])
    for value in _MALFORMED_VALUES:
        grade = judge_cell("cell", 1, [c], [{"check": "q", "value": value}])
        assert grade.score == 0, value
        assert grade.verdicts[0].outcome is M, (value, grade.verdicts[0])


@pytest.mark.parametrize("payload, outcome, reason", [
    (None, MISS, "no_payload"),
    (42, MISS, "no_payload"),
    ("q", MISS, "no_payload"),
    (["q", encode(1.0)], MISS, "no_payload"),
    ({}, MISS, "no_payload"),
    ({"value": encode(1.0)}, MISS, "no_payload"),  # no check id
    ({"check": 5, "value": encode(1.0)}, MISS, "no_payload"),
    ({"check": ["q"], "value": encode(1.0)}, MISS, "no_payload"),
    ({"check": None, "value": encode(1.0)}, MISS, "no_payload"),
    ({"check": "q"}, M, "malformed_payload"),  # no value
    ({"check": "q", "value": None}, M, "malformed_payload"),
    ({"check": "q", "value": "1.0"}, M, "malformed_payload"),
    ({"check": "q", "value": [1.0]}, M, "malformed_payload"),
    ({"check": "q", "value": {"t": "float"}}, M, "unreadable"),
    ({"check": "q", "value": {"t": "float", "v": [1]}}, M, "unreadable"),
])
def test_malformed_payloads(payload, outcome, reason):
    """Is a malformed payload (not a dict, missing keys, value of the wrong type) worth 0, without an exception?"""
    grade = judge_cell("cell", 1, [check("scalar", 1.0)], [payload])
    assert grade.score == 0
    assert (grade.verdicts[0].outcome, grade.verdicts[0].reason) == (outcome, reason)


def test_hostile_payload_does_not_stop_other_checks():
    """Does one hostile payload leave the grading of the cell's other checks intact?"""
    payloads = [{"check": "a", "value": {"t": "expr", "tree": ["Rational", "1", "0"]}},
                {"check": "b", "value": encode(2.0)}, {"check": "c", "value": {"t": "int", "v": "x"}}]
    grade = judge_cell("cell", 4, _three_checks(), payloads)
    assert [v.outcome for v in grade.verdicts] == [M, C, M]
    assert grade.score == 2.0


@pytest.mark.parametrize("failure, reason, details", [
    ({"reason": "timeout", "seconds": 30}, "timeout", {"seconds": 30}),
    ({"reason": "kernel_died"}, "kernel_died", {}),
    ({"reason": "not_run"}, "not_run", {}),
    (None, "no_payload", {}),
    ({}, "no_payload", {}),
])
def test_missing_payload_with_failure(failure, reason, details):
    """Is a check without a payload MISSING with the executor's failure reason and details?"""
    grade = judge_cell("cell", 2, [check("scalar", 1.0)], [], failure)
    v = grade.verdicts[0]
    assert (v.outcome, v.reason, v.details, grade.score) == (MISS, reason, details, 0.0)


def test_timeout_after_some_checks_reported():
    """After a timeout, are the checks that did report still graded and the others MISSING with 'timeout'?"""
    grade = judge_cell("cell", 4, _three_checks(), _payloads({"a", "b", "c"})[:2], {"reason": "timeout", "seconds": 30})
    assert [(v.outcome, v.reason) for v in grade.verdicts] == [(C, ""), (C, ""), (MISS, "timeout")]
    assert grade.score == 3.0
    assert "30 seconds" in feedback.as_text(grade)


@pytest.mark.parametrize("payloads", [[], [{"check": "q", "value": encode(1.0)}]])
def test_no_checks(payloads):
    """Is a test cell without checks in the key scored 0 with the note 'no_key'?"""
    grade = judge_cell("cell", 3, [], payloads)
    assert (grade.score, grade.verdicts, grade.note) == (0.0, (), "no_key")
    assert "psets build" in feedback.as_text(grade)


def test_missing_answer_payload():
    """Is an undefined answer (the probe's 'missing' value) MISSING 'undefined' with the student's NameError?"""
    grade = judge_cell("cell", 1, [check("scalar", 1.0)],
                       [{"check": "q", "value": {"t": "missing", "error": "NameError: name 'theta' is not defined"}}])
    v = grade.verdicts[0]
    assert (v.outcome, v.reason, v.details) == (MISS, "undefined", {"error": "NameError: name 'theta' is not defined"})


def test_cell_grade_json_round_trip():
    """Does a CellGrade (with verdicts of every outcome) survive to_json/from_json?"""
    grade = judge_cell("cell", 4, _three_checks() + [check("scalar", 1.0, id="d", weight=0)],
                       [{"check": "a", "value": encode(1.0)}, {"check": "b", "value": encode(True)},
                        {"check": "c", "value": encode(-3.0)}])
    assert CellGrade.from_json(grade.to_json()) == grade


def test_check_json_round_trip():
    """Does a Check with mistakes survive to_json/from_json?"""
    c = check("scalar", 0.7, ("neg", {"kind": "negate"}), weight=2.5, rtol=1e-3)
    assert Check.from_json(c.to_json()) == c


# ---------------------------------------------------------------- feedback

_SECRETS = ("0.90782", "0.9078", "123.456", "123.45", "1.23456", "123456")
_REF_A = 0.907820
_REF_B = 123.456


def _feedback_cases():
    """(check, student value) pairs covering every outcome and reason the judge can produce."""
    sc = check("scalar", _REF_A, ("Mind the sign.", {"kind": "negate"}), id="scalar")
    arr = check("array", np.array([_REF_A, _REF_B]), id="array")
    col = check("columns_up_to_sign", np.array([[_REF_A], [_REF_B]]), id="cols")
    sca = check("up_to_scale", np.array([_REF_A, _REF_B]), id="scale")
    gp = check("global_phase", np.array([_REF_A, _REF_B]), id="phase")
    spn = check("span", np.array([[_REF_A], [_REF_B], [0.0]]), id="span")
    integ = check("integer", 123456, id="int")
    ns = check("number_set", [_REF_A, _REF_B], id="set")
    ch = check("choice", "a", id="choice", options=["a", "b"])
    sym = check("symbolic", sp.Float(_REF_B) * x + sp.Float(_REF_A), id="sym", symbols={"x": [0, 1]})
    symm = check("symbolic", sp.Matrix([[_REF_B * x], [_REF_A]]), id="symm", symbols={"x": [0, 1]})
    fn = check("array", calls(np.array([_REF_A]), np.array([_REF_B])), id="fn", encoded=True)
    return [
        (sc, encode(1.0)), (sc, encode(-_REF_A)), (sc, encode(True)), (sc, encode(x)), (sc, encode([1.0])),
        (sc, encode(_REF_A)), (sc, {"t": "missing", "error": "NameError: name 'theta' is not defined"}),
        (sc, {"t": "invalid", "why": "too large to check: an array of 300000 elements"}), (sc, "junk"),
        (arr, encode([1.0, 2.0])), (arr, encode([[1.0], [2.0]])), (arr, encode([[1.0, 2.0], [3.0]])),
        (arr, encode(np.array([True, False]))), (arr, encode(np.zeros(7))),
        (col, encode([[1.0], [2.0]])), (col, encode([1.0, 2.0])),
        (sca, encode(np.zeros(2))), (sca, encode([1.0, 1.0])),
        (gp, encode([2 * _REF_A, 2 * _REF_B])),
        (spn, encode([[1.0], [0.0], [0.0]])), (spn, encode(np.eye(3))), (spn, encode(np.eye(2))),
        (integ, encode(123457)), (integ, encode(123456.5)), (integ, encode(True)),
        (ns, encode([1.0])), (ns, encode([1.0, 2.0])), (ns, encode(["a"])),
        (ch, encode("z")), (ch, encode("b")), (ch, encode(3)),
        (sym, encode(x)), (sym, encode(x + sp.Symbol("y"))), (sym, encode(sp.Function("f")(x))),
        (sym, encode(sp.gamma(x))), (sym, {"t": "expr", "tree": ["sin"] * 1 + [["Symbol", "x"]] * 2}),
        (sym, {"t": "expr", "tree": ["Add", *[["Symbol", "x"]] * 6000]}), (sym, encode(sp.Matrix([[x]]))),
        (symm, encode(sp.Matrix([[x, 1]]))), (symm, encode(x)), (symm, encode(sp.Matrix([[x], [1]]))),
        (fn, calls(np.array([1.0]), np.array([2.0]))), (fn, calls(Raised("ValueError: bad input"), [1.0])),
        (fn, calls(np.array([[1.0]]), [1.0])), (fn, encode(1.0)),
    ]


_CASES = _feedback_cases()


@pytest.mark.parametrize("case", range(len(_CASES)))
def test_feedback_never_reveals_the_reference(case):
    """Does the feedback for every kind of wrong answer avoid the reference value and any traceback?"""
    c, value = _CASES[case]
    verdict = judge_value(c, value)
    grade = CellGrade("cell", 2, 0.0, (verdict,))
    texts = [feedback.describe(verdict), feedback.as_text(grade), feedback.as_html(grade), *feedback.lines(grade)]
    for text in texts:
        assert text.strip()
        assert "Traceback" not in text
        assert "{" not in text and "}" not in text  # no unformatted template fields
        for secret in _SECRETS:
            assert secret not in text, (verdict, text)


def test_feedback_cases_cover_every_outcome():
    """Do the feedback cases above exercise every outcome the judge has?"""
    assert {judge_value(c, v).outcome for c, v in _CASES} == set(Outcome)


def test_feedback_for_a_whole_cell():
    """Does the text of a graded cell show the score, one line per check, and no reference value?"""
    checks = [check("scalar", _REF_A, ("Mind the sign.", {"kind": "negate"}), id="q1.a"),
              check("array", np.array([_REF_B, 1.0]), id="q1.b"), check("integer", 123456, id="q1.c"),
              check("symbolic", _REF_B * x, id="q1.d", symbols={"x": [0, 1]})]
    payloads = [{"check": "q1.a", "value": encode(-_REF_A)}, {"check": "q1.b", "value": encode([[1.0, 2.0]])},
                {"check": "q1.c", "value": encode(123456)}]
    grade = judge_cell("cell", 4, checks, payloads, {"reason": "timeout", "seconds": 30})
    text, page = feedback.as_text(grade), feedback.as_html(grade)
    assert text.splitlines() == [
        "Score: 1 / 4",
        "\u2717 q1.a: Mind the sign.",
        "\u2717 q1.b: Your answer has shape (1, 2), which is not the shape the problem asks for (check the "
        "conventions in the statement: (n,) and (n, 1) are different).",
        "\u2713 q1.c: Correct.",
        "\u2013 q1.d: This cell was stopped after 30 seconds without finishing (an endless loop?).",
    ]
    for secret in _SECRETS:
        assert secret not in text and secret not in page
    assert "Traceback" not in text + page


@pytest.mark.parametrize("verdict, expected", [
    (Verdict("q", C), "Correct."),
    (Verdict("q", K, "mistake", {}, "Mind the sign."), "Mind the sign."),
    (Verdict("q", I, "value"), "Your answer does not match the expected result."),
    (Verdict("q", I, "value", {"on_input": [2, 3]}), "On hidden input 2 of 3: your answer does not match the "
                                                     "expected result."),
    (Verdict("q", M, "unknown_symbols", {"names": ["y", "z"]}),
     "Your expression uses the symbol(s) y, z, which this problem does not define."),
    (Verdict("q", M, "type", {"got": "a boolean", "want": "a number"}),
     "Your answer is a boolean; the problem asks for a number."),
    (Verdict("q", M, "type", {}), "Your answer is."),  # details missing: the template is cut, never left raw
    (Verdict("q", R, "raised", {"error": "ValueError: bad", "input": 1, "inputs": 2}),
     "Your function raised ValueError: bad on hidden input 1 of 2."),
    (Verdict("q", MISS, "timeout", {"seconds": 30}),
     "This cell was stopped after 30 seconds without finishing (an endless loop?)."),
    (Verdict("q", M, "some_future_reason"), "Your answer could not be read as the kind of value the problem asks for."),
])
def test_describe(verdict, expected):
    """Is each verdict turned into the documented sentence?"""
    assert feedback.describe(verdict) == expected


@pytest.mark.parametrize("reason", sorted(feedback.REASONS))
def test_every_reason_formats_without_details(reason):
    """Does every reason code format even with no details (no KeyError, no raw template fields)?"""
    text = feedback.describe(Verdict("q", M, reason))
    assert text and "{" not in text and "}" not in text


def test_html_escapes_student_text():
    """Is student-controlled text (an exception message) HTML-escaped in the HTML feedback?"""
    v = Verdict("q", R, "raised", {"error": "ValueError: <script>alert(1)</script>", "input": 1, "inputs": 1})
    page = feedback.as_html(CellGrade("cell", 1, 0.0, (v,)))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_crashed_answer_cell_explains_a_missing_answer_and_nothing_else():
    """Does an answer cell that killed the kernel explain its problem's missing answer, without touching a
    correct one?"""
    from graders.encoding import encode
    from graders.judge import judge_cell
    from graders.model import Check, Outcome

    chk = Check("q.x", "q_test", "scalar", {}, 1.0, encode(2.0))
    crashed = {"reason": "answer_kernel_died", "only_if_missing": True}
    missing = {"check": "q.x", "value": {"t": "missing", "error": "NameError: name 'x' is not defined"}}
    g = judge_cell("q_test", 2, [chk], [missing], crashed)
    assert g.verdicts[0].outcome is Outcome.MISSING and g.verdicts[0].reason == "answer_kernel_died"
    assert judge_cell("q_test", 2, [chk], [], crashed).verdicts[0].reason == "no_payload"
    ok = judge_cell("q_test", 2, [chk], [{"check": "q.x", "value": encode(2.0)}], crashed)
    assert ok.score == 2 and ok.verdicts[0].outcome is Outcome.CORRECT
