"""Symbolic answers: equivalence by evaluation, the allowlist, size limits and hostile trees."""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp

from graders import expressions
from graders.encoding import encode
from graders.judge import judge_value
from graders.model import Check, Outcome

x, y, t = sp.symbols("x y t")
C, I, K, M = Outcome.CORRECT, Outcome.INCORRECT, Outcome.KNOWN_MISTAKE, Outcome.INVALID


def judge(reference, student, *, raw=False, **options):
    """The verdict on `student` for a symbolic check whose reference is `reference` (both sympy, or raw payloads)."""
    options.setdefault("symbols", {"x": [-3, 3]})
    check = Check("q.expr", "cell", "symbolic", options, reference=encode(reference))
    return judge_value(check, student if raw else encode(student))


# ---------------------------------------------------------------- equivalent forms

_sigma = 1 / (1 + sp.exp(-x))


@pytest.mark.parametrize("student, expected", [
    (_sigma * (1 - _sigma), C),
    (sp.exp(-x) / (1 + sp.exp(-x)) ** 2, C),
    (1 / (4 * sp.cosh(x / 2) ** 2), C),
    ((1 - sp.tanh(x / 2) ** 2) / 4, C),
    (sp.exp(x) / (1 + sp.exp(x)) ** 2, C),
    (1 / (2 + 2 * sp.cosh(x)), C),
    (sp.sech(x / 2) ** 2 / 4, C),
    (1 / (sp.coth(x / 2) ** 2 * 4 * sp.sinh(x / 2) ** 2), C),
    (sp.sech(x) ** 2 / 4, I),
    (sp.diff(_sigma, x), C),
    (sp.exp(-x) / (1 + sp.exp(-x)), I),  # σ(-x)·... missing a factor: 1 - σ
    (_sigma, I),
    (_sigma * (1 + _sigma), I),
    (1 / (4 * sp.cosh(x) ** 2), I),
    ((1 - sp.tanh(x) ** 2) / 4, I),
    (sp.Rational(1, 4), I),
    (_sigma * (1 - _sigma) * 1.0001, I),
])
def test_sigmoid_derivative_forms(student, expected):
    """Is every equivalent form of σ'(x) = σ(1-σ) accepted, and every different expression rejected?"""
    assert judge(_sigma * (1 - _sigma), student, symbols={"x": [-10, 10]}).outcome is expected


@pytest.mark.parametrize("reference, student, expected", [
    ((x + 1) ** 3, x**3 + 3 * x**2 + 3 * x + 1, C),
    (x**3 + 3 * x**2 + 3 * x + 1, (x + 1) ** 3, C),
    ((x + 1) ** 3, x**3 + 3 * x**2 + 3 * x, I),
    ((x + 1) ** 3, (x - 1) ** 3, I),
    ((x - y) * (x + y), x**2 - y**2, C),
    ((x - y) * (x + y), x**2 + y**2, I),
    ((x - y) ** 2, sp.expand((y - x) ** 2), C),
    (sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), C),
    (sp.cos(2 * x), 1 - 2 * sp.sin(x) ** 2, C),
    (sp.cos(2 * x), 1 - sp.sin(x) ** 2, I),
    (sp.exp(x + y), sp.exp(x) * sp.exp(y), C),
    (sp.log(x * y), sp.log(x) + sp.log(y), C),  # on the positive quadrant
    (sp.tanh(x), (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1), C),
    (sp.tanh(x), 2 / (1 + sp.exp(-2 * x)) - 1, C),
    (sp.tanh(x), sp.sinh(x) / sp.cosh(x) + sp.Float(1e-4), I),
    (sp.atan2(y, x), sp.atan(y / x), C),  # x > 0 on this domain
    (sp.exp(sp.I * x), sp.cos(x) + sp.I * sp.sin(x), C),
    (sp.exp(sp.I * x), sp.cos(x) - sp.I * sp.sin(x), I),
    (sp.Rational(1, 2), 0.5, C),
    (sp.Rational(1, 2), sp.Float(0.5), C),
    (sp.pi / 4, sp.atan(1), C),
    (sp.pi / 4, 0.785398, C),  # within the default rtol 1e-6 (error 1.6e-7)
    (sp.pi / 4, 0.7853, I),  # not within it
    (sp.Integer(2), 2, C),
])
def test_equivalent_forms(reference, student, expected):
    """Are algebraically equal expressions accepted and different ones rejected, whatever their form?"""
    got = judge(reference, student, symbols={"x": [0.1, 3], "y": [0.2, 2]})
    assert got.outcome is expected, got


@pytest.mark.parametrize("student, expected", [
    (sp.sqrt(x) * sp.sqrt(x + 1), C),
    (sp.sqrt(x * (x + 1)), C),
    (sp.sqrt(x**2 + x), C),
    ((x**2 + x) ** sp.Rational(1, 2), C),
    ((x**2 + x) ** 0.5, C),
    (sp.exp(sp.log(x**2 + x) / 2), C),
    (sp.sqrt(x) * (x + 1), I),
    (sp.sqrt(x**2 + 1), I),
    (x * sp.sqrt(1 + 1 / x), C),
])
def test_sqrt_forms(student, expected):
    """Are the different ways of writing sqrt(x(x+1)) accepted on a positive domain?"""
    assert judge(sp.sqrt(x * (x + 1)), student, symbols={"x": [0.5, 4]}).outcome is expected


@pytest.mark.parametrize("student, expected", [
    ((x + sp.Abs(x)) / 2, C),
    (x * sp.Heaviside(x), C),
    (sp.Max(0, x), C),
    (sp.Piecewise((x, x > 0), (0, True)), M),  # not in the allowlist
    (sp.Abs(x), I),
    (x, I),
    (sp.Max(x, 0.01 * x), I),  # leaky ReLU
])
def test_relu_forms(student, expected):
    """Are the ways of writing ReLU(x) = max(x, 0) accepted on a domain with both signs?"""
    assert judge(sp.Max(x, 0), student, symbols={"x": [-2, 2]}).outcome is expected


@pytest.mark.parametrize("reference, student, expected", [
    (sp.sqrt(x**2), sp.Abs(x), C),
    (sp.Abs(x), sp.sqrt(x**2), C),
    (sp.sqrt(x**2), x, I),  # differs for x < 0
    (1 / sp.sqrt(x**2 + 1), (x**2 + 1) ** sp.Rational(-1, 2), C),
    (1 / sp.sqrt(x**2 + 1), sp.sqrt(x**2 + 1) / (x**2 + 1), C),
    (1 / sp.sqrt(x**2 + 1), 1 / (x**2 + 1), I),
])
def test_sqrt_forms_on_a_domain_with_negatives(reference, student, expected):
    """Is sqrt(x²) treated as |x| (not x) on a domain that includes negative numbers?"""
    assert judge(reference, student, symbols={"x": [-2, 2]}).outcome is expected


@pytest.mark.parametrize("reference, student, domain, expected", [
    # log(x) is evaluated over the complex numbers on (-2, 0); the principal branch is used for both sides
    (sp.log(x), sp.log(x), [-2, 2], C),
    (sp.log(x), 2 * sp.log(sp.sqrt(x)), [-2, 2], C),
    (sp.log(x), sp.log(x) + 1, [-2, 2], I),
    (sp.log(x), sp.log(2 * x), [-2, 2], I),
    # 1/x around 0: large values, compared relatively
    (1 / x, (x + 1) / x - 1, [-1, 1], C),
    (1 / x, sp.Mul(x, x**-2, evaluate=False), [-1, 1], C),
    (1 / x, -1 / x, [-1, 1], I),
    (1 / x, 1 / x + 1e-3, [-1, 1], I),
    # the reference is infinite (overflows) on part of the domain: those points are skipped
    (sp.exp(sp.exp(x)), sp.exp(sp.cosh(x) + sp.sinh(x)), [0, 10], C),
    (sp.exp(sp.exp(x)), sp.exp(sp.exp(x)) + 1, [0, 10], I),
    (sp.exp(sp.exp(x)), 2 * sp.exp(sp.exp(x)), [0, 10], I),
    # the reference has poles on [0, 1): 1/floor(x) is undefined there
    (1 / sp.floor(x), 1 / sp.floor(x), [0, 3], C),
    (1 / sp.floor(x), sp.floor(x) / sp.floor(x) ** 2, [0, 3], C),
    (1 / sp.floor(x), 1 / sp.ceiling(x), [0, 3], I),
    (1 / sp.floor(x), sp.Integer(1), [0, 3], I),
])
def test_reference_undefined_at_some_points(reference, student, domain, expected):
    """Is an answer still judged when the reference is singular or non-finite on part of the domain?"""
    got = judge(reference, student, symbols={"x": domain})
    assert got.outcome is expected, got


def test_reference_undefined_almost_everywhere_is_undecidable():
    """Is a check whose reference overflows at (nearly) every point reported as undecidable rather than passed?"""
    got = judge(sp.exp(sp.exp(x)), sp.exp(sp.exp(x)), symbols={"x": [7, 10]})
    assert (got.outcome, got.reason) == (I, "undecidable")


# ---------------------------------------------------------------- matrices

@pytest.mark.parametrize("student, expected, reason", [
    (sp.Matrix([[x], [x**2]]), C, ""),
    (sp.Matrix([[x], [x * x]]), C, ""),
    (sp.Matrix([[x], [(x + 1) ** 2 - 2 * x - 1]]), C, ""),
    (sp.Matrix([[sp.Abs(x)], [x**2]]), I, "value"),  # differs for x < 0

    (sp.Matrix([[x, x**2]]), I, "shape"),  # 1x2 where 2x1 is expected
    (sp.Matrix([[x], [x**2], [0]]), I, "shape"),
    (sp.Matrix([[x**2], [x]]), I, "value"),
    (sp.Matrix([[x], [x**3]]), I, "value"),
    (x, I, "shape"),  # a scalar expression where a matrix is expected
    (sp.ImmutableMatrix([[x], [x**2]]), C, ""),
])
def test_matrix_of_expressions(student, expected, reason):
    """Is a sympy Matrix compared entry by entry, with its exact shape (2x1 vs 1x2 rejected)?"""
    got = judge(sp.Matrix([[x], [x**2]]), student)
    assert (got.outcome, got.reason) == (expected, reason)


def test_scalar_reference_rejects_a_matrix():
    """Is a 1x1 Matrix rejected (shape) where a scalar expression is expected?"""
    got = judge(x**2, sp.Matrix([[x**2]]))
    assert (got.outcome, got.reason, got.details) == (I, "shape", {"got": [1, 1]})


def test_matrix_with_fewer_entries_than_its_shape_is_invalid():
    """Is a forged matrix payload whose item count does not match its shape refused (not compared on a prefix)?"""
    forged = {"t": "matrix", "shape": [2, 2], "items": [["Symbol", "x"]]}
    got = judge(sp.Matrix([[x, 1], [2, 3]]), forged, raw=True)
    assert got.outcome is M


@pytest.mark.parametrize("shape", [[2], [2, 2, 1], ["2", 2], [-2, -2], [2.0, 2.0], None, "22"])
def test_matrix_with_a_malformed_shape_is_invalid(shape):
    """Is a matrix payload with a malformed shape refused without an exception?"""
    forged = {"t": "matrix", "shape": shape, "items": [["Symbol", "x"]] * 4}
    assert judge(sp.Matrix([[x, x], [x, x]]), forged, raw=True).outcome is M


# ---------------------------------------------------------------- symbols and functions outside the problem

@pytest.mark.parametrize("student, names", [
    (x + y, ["y"]),
    (sp.Symbol("alpha") * x, ["alpha"]),
    (sp.Symbol("z") + sp.Symbol("w"), ["w", "z"]),
    (sp.Matrix([[x, t]]), ["t"]),
])
def test_unknown_symbols(student, names):
    """Does an expression using symbols the problem does not define get INVALID 'unknown_symbols', naming them?"""
    reference = sp.Matrix([[x, x]]) if isinstance(student, sp.MatrixBase) else x
    got = judge(reference, student)
    assert (got.outcome, got.reason, got.details) == (M, "unknown_symbols", {"names": names})


_f = sp.Function("f")


@pytest.mark.parametrize("student, name", [
    (_f(x), "f"),
    (_f(x) + x, "f"),
    (sp.Integral(x**2, x), "Integral"),
    (sp.Integral(sp.exp(-t**2), (t, 0, x)), "Integral"),
    (sp.Derivative(_f(x), x), "Derivative"),
    (sp.gamma(x), "gamma"),
    (sp.Piecewise((x, x > 0), (0, True)), "Piecewise"),
    (sp.Sum(x**t, (t, 0, 3)), "Sum"),
    (sp.besselj(0, x), "besselj"),
])
def test_unsupported_functions(student, name):
    """Does an expression with a function outside the allowlist get INVALID 'unsupported_function', naming it?"""
    got = judge(x**2, student)
    assert (got.outcome, got.reason, got.details) == (M, "unsupported_function", {"name": name})


@pytest.mark.parametrize("student, reason", [
    (True, "type"), ("x**2", "type"), ([1, 2], "type"), (np.array([1.0]), "type"), (None, "type"),
    (sp.Eq(x, 1), "type"), (sp.Catalan * x, "unsupported_function"),
])
def test_non_expressions(student, reason):
    """Is an answer that is not an expression (a bool, a string, a list, an equation ...) INVALID?"""
    got = judge(x**2, student)
    assert (got.outcome, got.reason) == (M, reason)


# ---------------------------------------------------------------- size and depth

def _nested(head: str, depth: int) -> list:
    tree: list = ["Symbol", "x"]
    for _ in range(depth):
        tree = [head, tree]
    return tree


@pytest.mark.parametrize("tree, reason", [
    (["Add", *[["Symbol", "x"]] * 6000], "too_large"),
    (["Add", *[["Mul", ["Integer", "2"], ["Symbol", "x"]]] * 2000], "too_large"),
    (_nested("sin", 100), "too_deep"),
    (_nested("exp", 10_000), "too_deep"),
    (["Add", ["Symbol", "x"], _nested("cos", 81)], "too_deep"),
])
def test_huge_or_deep_trees_are_refused_quickly(tree, reason):
    """Is a too-large or too-deep tree refused as INVALID with the right reason, in well under a second?"""
    start = time.monotonic()
    got = judge(x, {"t": "expr", "tree": tree}, raw=True)
    assert (got.outcome, got.reason) == (M, reason)
    assert time.monotonic() - start < 1.0


def test_depth_limit_boundary():
    """Is a tree exactly at the depth limit accepted, and one level deeper refused?"""
    assert expressions.validate(_nested("sin", expressions.MAX_DEPTH)) == {"x"}
    with pytest.raises(expressions.BadExpression) as err:
        expressions.validate(_nested("sin", expressions.MAX_DEPTH + 1))
    assert err.value.reason == "too_deep"


def test_4000_node_expression_is_judged_in_time():
    """Is a 4000-node expression (below every limit) judged correctly, and fast?"""
    big = sp.Add(*[sp.sin(sp.Mul(k, x, evaluate=False), evaluate=False) for k in range(2, 1001)], evaluate=False)
    assert len(list(sp.preorder_traversal(big))) > 3900
    start = time.monotonic()
    assert judge(big, big).outcome is C
    assert judge(big, sp.Add(big, sp.sin(x), evaluate=False)).outcome is I
    assert time.monotonic() - start < 5.0


def test_time_limit_is_enforced():
    """Is an evaluation that ends after its deadline reported as 'too_slow' instead of being passed?"""
    got = judge(x**2, x**2, time_limit=-1)
    assert (got.outcome, got.reason) == (I, "too_slow")


# ---------------------------------------------------------------- hostile trees (not produced by encode)

_X = ["Symbol", "x"]
_HOSTILE = [
    pytest.param(["__import__", ["Symbol", "os"]], id="import"),
    pytest.param(["eval", ["Symbol", "x"]], id="eval"),
    pytest.param(["getattr", _X, ["Symbol", "__class__"]], id="getattr"),
    pytest.param(["Integer", "1" * 10**6], id="integer-million-digits"),
    pytest.param(["Rational", "1", "9" * 10**6], id="rational-million-digits"),
    pytest.param(["Rational", "1", "0"], id="rational-zero-denominator"),
    pytest.param(["Rational", "1", "-0"], id="rational-minus-zero-denominator"),
    pytest.param(["Rational", "\u00b2", "1"], id="rational-superscript-digit"),
    pytest.param(["Integer", "\u00b2"], id="integer-superscript-digit"),
    pytest.param(["Integer", "--5"], id="integer-double-minus"),
    pytest.param(["Integer", "-"], id="integer-minus-only"),
    pytest.param(["Integer", ""], id="integer-empty"),
    pytest.param(["Integer", 5], id="integer-not-string"),
    pytest.param(["Integer", "1", "2"], id="integer-arity"),
    pytest.param(["Rational", "1"], id="rational-arity"),
    pytest.param(["Float", "abc"], id="float-bad-string"),
    pytest.param(["Float", 10**400], id="float-huge-int"),
    pytest.param(["Float", None], id="float-none"),
    pytest.param(["Float", [1.0]], id="float-list"),
    pytest.param(["Const", "os"], id="const-unknown"),
    pytest.param(["Const", []], id="const-unhashable"),
    pytest.param(["Const", {"pi": 1}], id="const-dict"),
    pytest.param(["Symbol"], id="symbol-arity"),
    pytest.param(["Symbol", 5], id="symbol-not-string"),
    pytest.param(["Symbol", "x", "y"], id="symbol-arity-3"),
    pytest.param(["Pow", _X], id="pow-one-arg"),
    pytest.param(["Pow", _X, _X, _X], id="pow-three-args"),
    pytest.param(["atan2", _X], id="atan2-one-arg"),
    pytest.param(["exp", _X, _X], id="exp-two-args"),
    pytest.param(["sqrt", _X, _X], id="sqrt-two-args"),
    pytest.param(["Heaviside", _X, _X, _X], id="heaviside-three-args"),
    pytest.param(["Add"], id="add-no-args"),
    pytest.param(["Max"], id="max-no-args"),
    pytest.param(["sin"], id="sin-no-args"),
    pytest.param(["Add", _X, "x"], id="non-list-child"),
    pytest.param(["Add", _X, 5], id="number-child"),
    pytest.param(["Add", _X, None], id="none-child"),
    pytest.param(["Add", _X, []], id="empty-child"),
    pytest.param([["Symbol", "x"]], id="list-head"),
    pytest.param([5, _X], id="number-head"),
    pytest.param([], id="empty"),
    pytest.param("x", id="string"),
    pytest.param(5, id="number"),
    pytest.param(None, id="none"),
    pytest.param({"head": "Add"}, id="dict"),
]


@pytest.mark.parametrize("tree", _HOSTILE)
@pytest.mark.parametrize("compare, reference", [
    ("symbolic", encode(x**2)),
    ("scalar", encode(1.0)),
    ("integer", encode(1)),
    ("array", encode(np.ones((1, 1)))),
    ("number_set", encode([1.0])),
])
def test_hostile_trees_are_invalid_without_exceptions(tree, compare, reference):
    """Is a tree that encode could never produce refused as INVALID, with no exception escaping judge_value?"""
    enc = {"t": "expr", "tree": tree}
    if compare == "array":
        enc = {"t": "matrix", "shape": [1, 1], "items": [tree]}
    elif compare == "number_set":
        enc = {"t": "seq", "kind": "list", "items": [enc]}
    check = Check("q", "cell", compare, {"symbols": {"x": [0, 1]}}, reference=reference)
    got = judge_value(check, enc)
    assert got.outcome is M, got


@pytest.mark.parametrize("tree", _HOSTILE)
def test_validate_raises_only_bad_expression(tree):
    """Does validate refuse every hostile tree with BadExpression (never another exception)?"""
    with pytest.raises(expressions.BadExpression):
        expressions.validate(tree)


@pytest.mark.parametrize("tree", [
    ["Pow", ["Integer", "10"], ["Integer", "400"]],
    ["exp", ["Integer", "100000"]],
    ["Mul", ["Const", "oo"], ["Integer", "0"]],
    ["Pow", ["Integer", "0"], ["Integer", "-1"]],
    ["log", ["Integer", "0"]],
    ["Integer", "9" * 499],
    ["Rational", "9" * 499, "1"],
    ["Rational", "1", "9" * 499],
])
def test_overflowing_constants_are_incorrect_not_errors(tree):
    """Does a well-formed tree whose value overflows just count as a wrong answer?"""
    got = judge(x, {"t": "expr", "tree": tree}, raw=True)
    assert got.outcome is I


# ---------------------------------------------------------------- the evaluator itself

@pytest.mark.parametrize("tree, value", [
    (["Integer", "-7"], -7),
    (["Rational", "3", "4"], 0.75),
    (["Float", 2.5], 2.5),
    (["Float", "inf"], np.inf),
    (["Const", "pi"], np.pi),
    (["Const", "E"], np.e),
    (["Const", "I"], 1j),
    (["Const", "EulerGamma"], 0.5772156649015329),
    (["Add", ["Integer", "1"], ["Integer", "2"], ["Integer", "3"]], 6),
    (["Mul", ["Integer", "2"], ["Integer", "3"], ["Integer", "4"]], 24),
    (["Pow", ["Integer", "2"], ["Integer", "10"]], 1024),
    (["sqrt", ["Integer", "-4"]], 2j),
    (["Max", ["Integer", "1"], ["Integer", "5"], ["Integer", "3"]], 5),
    (["Min", ["Integer", "1"], ["Integer", "5"], ["Integer", "-3"]], -3),
    (["Heaviside", ["Integer", "0"]], 0.5),
    (["Heaviside", ["Integer", "0"], ["Integer", "1"]], 1),
    (["atan2", ["Integer", "1"], ["Integer", "-1"]], 3 * np.pi / 4),
    (["Abs", ["Integer", "-3"]], 3),
    (["sign", ["Integer", "-3"]], -1),
    (["floor", ["Float", -2.5]], -3),
    (["ceiling", ["Float", -2.5]], -2),
    (["erf", ["Integer", "0"]], 0),
    (["conjugate", ["Const", "I"]], -1j),
    (["re", ["Add", ["Integer", "2"], ["Const", "I"]]], 2),
    (["im", ["Add", ["Integer", "2"], ["Const", "I"]]], 1),
    (["sec", ["Integer", "0"]], 1),
    (["cot", ["Rational", "1", "1"]], 1 / np.tan(1)),
    (["sech", ["Integer", "0"]], 1),
    (["csch", ["Integer", "1"]], 1 / np.sinh(1)),
    (["coth", ["Integer", "1"]], 1 / np.tanh(1)),
])
def test_evaluate_constants(tree, value):
    """Does each allowed head evaluate to the mathematically expected value?"""
    assert expressions.validate(tree) == set()
    np.testing.assert_allclose(expressions.evaluate(tree, {}), [value], rtol=1e-12)


def test_evaluate_broadcasts_constants_over_points():
    """Is a constant sub-tree broadcast to the number of points?"""
    env = {"x": np.array([1, 2, 3], dtype=complex)}
    np.testing.assert_allclose(expressions.evaluate(["Add", ["Symbol", "x"], ["Integer", "1"]], env), [2, 3, 4])
    np.testing.assert_allclose(expressions.evaluate(["Integer", "1"], env), [1, 1, 1])


def test_sample_points_are_deterministic_and_in_range():
    """Are sample points reproducible for a seed and inside each symbol's interval?"""
    a = expressions.sample_points({"x": [-1, 2], "y": [5, 6]}, 50, seed=7)
    b = expressions.sample_points({"y": [5, 6], "x": [-1, 2]}, 50, seed=7)
    for k in "xy":
        np.testing.assert_array_equal(a[k], b[k])
    assert np.all((a["x"].real >= -1) & (a["x"].real <= 2)) and np.all(a["x"].imag == 0)
    assert np.all((a["y"].real >= 5) & (a["y"].real <= 6))
    assert not np.array_equal(a["x"], expressions.sample_points({"x": [-1, 2]}, 50, seed=8)["x"])


def test_judging_is_deterministic():
    """Does judging the same close-but-wrong answer give the same verdict every time?"""
    student = x**2 + 1e-7 * sp.sin(50 * x)
    verdicts = {judge(x**2, student, rtol=1e-9).outcome for _ in range(5)}
    assert verdicts == {I}


@pytest.mark.parametrize("rtol, expected", [(1e-2, C), (1e-9, I)])
def test_symbolic_rtol_option(rtol, expected):
    """Is the symbolic comparator's rtol honoured (a 1e-4 relative error passes at 1e-2 and fails at 1e-9)?"""
    assert judge(sp.exp(x), sp.exp(x) * 1.0001, rtol=rtol).outcome is expected
