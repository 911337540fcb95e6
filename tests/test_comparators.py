"""The comparators, through the judge: encode the student's answer as the probe would, judge it against a reference."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from graders.comparators import COMPARATORS
from graders.encoding import encode
from graders.judge import judge_value
from graders.model import Check, Outcome

C, I, M = Outcome.CORRECT, Outcome.INCORRECT, Outcome.INVALID
x = sp.Symbol("x")


def judge(compare, reference, student, **options):
    check = Check("q", "cell", compare, options, reference=encode(reference))
    return judge_value(check, encode(student))


def test_registry():
    """Does the registry hold exactly the documented comparators?"""
    assert set(COMPARATORS) == {"scalar", "array", "columns_up_to_sign", "up_to_scale", "global_phase", "span",
                                "integer", "boolean", "choice", "number_set", "symbolic"}


def test_unknown_comparator_is_undecidable():
    """Is a check naming a comparator that does not exist INVALID (and not a crash)?"""
    got = judge("fuzzy", 1.0, 1.0)
    assert (got.outcome, got.reason) == (M, "undecidable")


# ---------------------------------------------------------------- scalar

@pytest.mark.parametrize("student, expected, reason", [
    (0.5, C, ""),
    (np.float64(0.5), C, ""),
    (np.float32(0.5), C, ""),
    (np.array(0.5), C, ""),  # 0-d array
    (np.array(0.5, dtype=np.float32), C, ""),
    (0.5 + 0j, C, ""),
    (np.complex128(0.5), C, ""),
    (sp.Rational(1, 2), C, ""),
    (sp.S.Half, C, ""),
    (sp.Float(0.5), C, ""),
    (sp.sin(sp.pi / 6), C, ""),
    (sp.Integer(1) / 2, C, ""),
    (0.5 * (1 + 0.9e-6), C, ""),  # just inside rtol 1e-6
    (0.5 * (1 - 0.9e-6), C, ""),
    (0.5 * (1 + 1.1e-6), I, "value"),  # just outside
    (0.5 * (1 - 1.1e-6), I, "value"),
    (0.5 + 1e-3j, I, "value"),
    (-0.5, I, "value"),
    (0, I, "value"),
    (math.nan, I, "value"),
    (math.inf, I, "value"),
    (True, M, "type"),  # a bool is not a number here
    (False, M, "type"),
    (np.bool_(True), M, "type"),
    (np.array(True), M, "type"),
    ("0.5", M, "type"),
    (None, M, "type"),
    ([0.5], M, "type"),
    (np.array([0.5]), M, "type"),  # shape (1,) is not a scalar
    ((0.5,), M, "type"),
    (sp.Matrix([[0.5]]), M, "type"),
    (x / 2, M, "not_constant"),
    (sp.Function("f")(1), M, "unsupported_function"),
    (object(), M, "type"),
])
def test_scalar(student, expected, reason):
    """Is each form of 1/2 accepted (numpy scalars, 0-d arrays, sympy constants) and every non-number refused?"""
    got = judge("scalar", 0.5, student)
    assert (got.outcome, got.reason) == (expected, reason), got


@pytest.mark.parametrize("reference, student, expected", [
    (sp.pi / 4, math.pi / 4, C),
    (math.pi / 4, sp.pi / 4, C),
    (math.pi / 4, sp.atan(1), C),
    (math.pi / 4, 0.785, I),
    (3, 3.0, C),
    (3, np.int8(3), C),
    (3.0, 3, C),
    (10**30, 1e30, C),
    (1e30, 10**30, C),
    (1e30, 1.000002e30, I),
    (-2.5, sp.Rational(-5, 2), C),
    (1 + 2j, complex(1, 2), C),
    (1 + 2j, 1 - 2j, I),
    (1 + 2j, sp.Integer(1) + 2 * sp.I, C),
    (2.0, sp.sqrt(4), C),
    (math.sqrt(2), sp.sqrt(2), C),
    (math.e, sp.E, C),
    (math.e, sp.exp(1), C),
])
def test_scalar_values(reference, student, expected):
    """Are equal numbers accepted whatever their type, and unequal ones rejected?"""
    assert judge("scalar", reference, student).outcome is expected


@pytest.mark.parametrize("student, options, expected", [
    (0.9e-9, {}, C),  # reference 0: only atol (default 1e-9) applies
    (-0.9e-9, {}, C),
    (1.1e-9, {}, I),
    (-1.1e-9, {}, I),
    (0.9e-3, {"atol": 1e-3}, C),
    (1.1e-3, {"atol": 1e-3}, I),
    (0.0, {"atol": 0.0}, C),
    (1e-300, {"atol": 0.0}, I),
])
def test_scalar_atol_edges(student, options, expected):
    """Is a reference of 0 matched within atol, and not beyond?"""
    assert judge("scalar", 0.0, student, **options).outcome is expected


@pytest.mark.parametrize("student, rtol, expected", [
    (100.09, 1e-3, C),
    (99.91, 1e-3, C),
    (100.11, 1e-3, I),
    (99.89, 1e-3, I),
    (100.0 + 0.9e-4, 1e-6, C),  # 100 * 1e-6 = 1e-4
    (100.0 + 1.1e-4, 1e-6, I),
    (100.0 + 1e-12, 0.0, C),  # still within the default atol
    (100.0 + 1e-8, 0.0, I),
])
def test_scalar_rtol_edges(student, rtol, expected):
    """Is the relative tolerance measured against the reference, just inside accepted and just outside rejected?"""
    assert judge("scalar", 100.0, student, rtol=rtol).outcome is expected


@pytest.mark.parametrize("reference, student, expected", [
    (math.nan, math.nan, C),
    (math.nan, 0.0, I),
    (math.nan, math.inf, I),
    (0.0, math.nan, I),
    (math.inf, math.inf, C),
    (math.inf, sp.oo, C),
    (-math.inf, -math.inf, C),
    (-math.inf, -sp.oo, C),
    (math.inf, -math.inf, I),
    (-math.inf, math.inf, I),
    (math.inf, -sp.oo, I),
    (math.inf, 1e308, I),
    (math.inf, 0.0, I),  # a finite answer is never "within tolerance" of infinity
    (math.inf, math.nan, I),
    (1e308, math.inf, I),
    (1.0, math.inf, I),
    (complex(math.inf, 0), complex(1, 0), I),
    (complex(1, math.inf), complex(1, math.inf), C),
])
def test_scalar_nan_and_inf(reference, student, expected):
    """Do nan and ±inf match only themselves (with the same sign), never a finite number?"""
    assert judge("scalar", reference, student).outcome is expected


# ---------------------------------------------------------------- array

_V = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize("student, expected, reason, details", [
    (_V, C, "", {}),
    ([1, 2, 3], C, "", {}),  # a python list of the right shape
    ((1.0, 2.0, 3.0), C, "", {}),
    (np.array([1, 2, 3], dtype=np.int32), C, "", {}),
    (np.array([1, 2, 3], dtype=np.float32), C, "", {}),
    (np.array([1, 2, 3], dtype=complex), C, "", {}),
    ([np.float64(1), sp.Integer(2), 3.0], C, "", {}),
    (_V * (1 + 0.9e-6), C, "", {}),
    (_V * (1 + 1.1e-6), I, "value", {}),
    ([1, 2, 3.01], I, "value", {}),
    ([1, 2, 3 + 1e-3j], I, "value", {}),
    ([1, 2, math.nan], I, "value", {}),
    ([1, 2, math.inf], I, "value", {}),
    (_V.reshape(3, 1), I, "shape", {"got": [3, 1]}),  # (n, 1) is not (n,)
    (_V.reshape(1, 3), I, "shape", {"got": [1, 3]}),
    ([[1], [2], [3]], I, "shape", {"got": [3, 1]}),
    ([[1, 2, 3]], I, "shape", {"got": [1, 3]}),
    (sp.Matrix([1, 2, 3]), I, "shape", {"got": [3, 1]}),
    (sp.Matrix([[1, 2, 3]]), I, "shape", {"got": [1, 3]}),
    ([1, 2], I, "shape", {"got": [2]}),
    ([1, 2, 3, 4], I, "shape", {"got": [4]}),
    ([], I, "shape", {"got": [0]}),
    (2.0, I, "shape", {"got": []}),
    ([[1, 2], [3]], M, "ragged", {}),
    ([[1, 2], 3], M, "ragged", {}),
    ([1, "2", 3], M, "type", {"got": "a string", "want": "an array"}),
    ([1, None, 3], M, "type", {"got": "None", "want": "an array"}),
    (np.array([True, False, True]), M, "type", {"got": "a boolean array", "want": "a numeric array"}),
    ([True, False, True], M, "type", {"got": "a boolean", "want": "an array"}),
    ("1 2 3", M, "type", {"got": "a string", "want": "an array"}),
    ({1, 2, 3}, M, "type", {"got": "a set", "want": "an array"}),
    ({"a": 1}, M, "type", {"got": "a dict", "want": "an array"}),
    (None, M, "type", {"got": "None", "want": "an array"}),
    (sp.Matrix([[x, 2, 3]]), M, "not_constant", {}),
    (np.array(["1", "2", "3"]), M, "type", {"got": "numpy array of dtype <U1", "want": "an array"}),
])
def test_array_vector(student, expected, reason, details):
    """Is a vector of shape (3,) matched with its exact shape, lists accepted, and (3,1)/(1,3) rejected for shape?"""
    got = judge("array", _V, student)
    assert (got.outcome, got.reason, got.details) == (expected, reason, details), got


_A = np.array([[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("reference, student, expected, reason", [
    (_A, _A.tolist(), C, ""),
    (_A, [np.array([1, 2]), np.array([3, 4])], C, ""),
    (_A, sp.Matrix([[1, 2], [3, 4]]), C, ""),
    (_A, sp.Matrix([[1, 2], [3, 4]]) / 1, C, ""),
    (_A, _A.T, I, "value"),
    (_A, _A.ravel(), I, "shape"),
    (_A, _A[None], I, "shape"),
    (_A.reshape(4, 1), _A.ravel(), I, "shape"),
    (_V.reshape(3, 1), _V, I, "shape"),
    (_V.reshape(3, 1), [[1], [2], [3]], C, ""),
    (np.zeros((2, 0)), np.zeros((2, 0)), C, ""),
    (np.zeros((2, 0)), np.zeros((0, 2)), I, "shape"),
    (np.zeros((2, 0)), [[], []], C, ""),
    (np.zeros(0), [], C, ""),
    (np.array([1.0, math.nan]), [1.0, math.nan], C, ""),
    (np.array([1.0, math.nan]), [1.0, 2.0], I, "value"),
    (np.array([1.0, math.inf]), [1.0, 5.0], I, "value"),
    (np.array([1.0, -math.inf]), [1.0, -math.inf], C, ""),
    (np.array([1 + 1j, 2]), [1 + 1j, 2], C, ""),
    (np.array([1 + 1j, 2]), [1 - 1j, 2], I, "value"),
    (np.eye(2, dtype=int), np.eye(2), C, ""),
    (np.array(3.0), 3, C, ""),  # a 0-d reference
    (np.array(3.0), [3], I, "shape"),
    (np.ones((2, 2, 2)), np.ones((2, 2, 2)).tolist(), C, ""),
    (np.ones((2, 2, 2)), np.ones((2, 4)), I, "shape"),
])
def test_array_shapes_and_values(reference, student, expected, reason):
    """Are arrays compared with their exact shape (including empty and 0-d), and nan/inf entries only by identity?"""
    got = judge("array", reference, student)
    assert (got.outcome, got.reason) == (expected, reason), got


@pytest.mark.parametrize("student, options, expected", [
    ([1.0009, 2.0], {"rtol": 1e-3}, C),
    ([1.0011, 2.0], {"rtol": 1e-3}, I),
    ([1.0 + 0.9e-9, 2.0], {"rtol": 0.0}, C),
    ([1.0 + 1.1e-9, 2.0], {"rtol": 0.0}, I),
    ([1.0 + 0.9e-5, 2.0], {"rtol": 0.0, "atol": 1e-5}, C),
    ([1.0 + 1.1e-5, 2.0], {"rtol": 0.0, "atol": 1e-5}, I),
])
def test_array_tolerance_options(student, options, expected):
    """Are rtol and atol applied entry-wise (just inside accepted, just outside rejected)?"""
    assert judge("array", np.array([1.0, 2.0]), student, **options).outcome is expected


# ---------------------------------------------------------------- columns up to sign

_R = np.array([[np.cos(0.3), -np.sin(0.3)], [np.sin(0.3), np.cos(0.3)]])


@pytest.mark.parametrize("student, expected, reason", [
    (_R, C, ""),
    (-_R, C, ""),
    (_R * [1, -1], C, ""),
    (_R * [-1, 1], C, ""),
    (_R.tolist(), C, ""),
    (_R[:, ::-1], I, "value"),  # columns swapped
    (_R.T, I, "value"),
    (2 * _R, I, "value"),
    (_R * [1, 1j], I, "value"),
    (_R * [1, -1.0001], I, "value"),
    (_R[::-1], I, "value"),  # rows swapped
    (_R[:, :1], I, "shape"),
    (_R.ravel(), I, "shape"),
    (np.zeros((2, 2)), I, "value"),
    (True, M, "type"),
])
def test_columns_up_to_sign(student, expected, reason):
    """Is each column accepted up to its own sign, but not up to order, scale or another phase?"""
    got = judge("columns_up_to_sign", _R, student)
    assert (got.outcome, got.reason) == (expected, reason), got


@pytest.mark.parametrize("student, expected", [
    ([0.6, 0.8], C), ([-0.6, -0.8], C), ([0.6, -0.8], I), ([[0.6], [0.8]], I), ([1.2, 1.6], I),
])
def test_columns_up_to_sign_vector(student, expected):
    """Is a single vector accepted up to an overall sign only?"""
    assert judge("columns_up_to_sign", np.array([0.6, 0.8]), student).outcome is expected


# ---------------------------------------------------------------- up to scale

_D = np.array([1.0, 2.0, 2.0])


@pytest.mark.parametrize("student, expected, reason", [
    (_D, C, ""),
    (3 * _D, C, ""),
    (-0.5 * _D, C, ""),
    (_D / 3, C, ""),  # normalised
    (1e-6 * _D, C, ""),
    (1j * _D, C, ""),
    ((2 - 1j) * _D, C, ""),
    (_D.tolist(), C, ""),
    (np.zeros(3), I, "zero"),  # the zero vector is not a direction
    (1e-14 * _D, I, "zero"),
    ([1.0, 2.0, 3.0], I, "value"),
    ([1.0, 2.0, 2.001], I, "value"),
    ([2.0, 1.0, 2.0], I, "value"),
    ([1.0, 2.0, math.nan], I, "value"),
    ([1.0, 2.0, math.inf], I, "value"),
    (_D.reshape(3, 1), I, "shape"),
    (_D[:2], I, "shape"),
    ("v", M, "type"),
])
def test_up_to_scale(student, expected, reason):
    """Is any nonzero multiple of the reference direction accepted, and the zero vector rejected?"""
    got = judge("up_to_scale", _D, student)
    assert (got.outcome, got.reason) == (expected, reason), got


def test_up_to_scale_matrix():
    """Is a matrix accepted up to one common scale, but not with a different scale per column?"""
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert judge("up_to_scale", A, -2 * A).outcome is C
    assert judge("up_to_scale", A, A * [1, 2]).outcome is I


# ---------------------------------------------------------------- global phase

_PSI = np.array([1, 1j]) / np.sqrt(2)
_H = np.array([[1, 1], [1, -1]]) / np.sqrt(2)


@pytest.mark.parametrize("reference, student, expected", [
    (_PSI, _PSI, C),
    (_PSI, np.exp(0.7j) * _PSI, C),
    (_PSI, np.exp(-2.1j) * _PSI, C),
    (_PSI, -_PSI, C),
    (_PSI, 1j * _PSI, C),
    (_PSI, 2 * _PSI, I),  # |c| = 2 is not a phase
    (_PSI, 0.5 * _PSI, I),
    (_PSI, (1 + 1e-3) * _PSI, I),
    (_PSI, np.conj(_PSI), I),
    (_PSI, np.array([1, 0]), I),
    (_PSI, np.zeros(2), I),
    (_PSI, _PSI.reshape(2, 1), I),
    (_H, np.exp(1.3j) * _H, C),
    (_H, -_H, C),
    (_H, 2 * _H, I),
    (_H, _H @ np.diag([1, 1j]), I),  # a relative phase is not global
    (_H, sp.Matrix(_H.tolist()) * sp.exp(sp.I * sp.pi / 3), C),
])
def test_global_phase(reference, student, expected):
    """Is a state or unitary accepted up to a global factor e^{iφ}, but not up to a scale or a relative phase?"""
    assert judge("global_phase", reference, student).outcome is expected


# ---------------------------------------------------------------- span

_P = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])  # the plane spanned by e1 + e2 and e3


@pytest.mark.parametrize("student, options, expected, reason", [
    (_P, {}, C, ""),
    (_P[:, ::-1], {}, C, ""),
    (-_P, {}, C, ""),
    ([[2, 1], [2, 1], [1, -3]], {}, C, ""),  # another basis of the same plane
    (np.array([[1, 0], [1, 0], [0, 1]]) / [np.sqrt(2), 1], {}, C, ""),  # orthonormal
    ([[1, 1], [1, 1], [1, -1]], {}, C, ""),
    ([[1, 0], [0, 1], [0, 0]], {}, I, "span"),  # a different plane
    ([[1, 2], [1, 2], [0, 0]], {}, I, "span"),  # two dependent columns: a line
    ([[1, 0], [1, 0], [0, 1.001]], {}, C, ""),
    ([[1, 0], [1.001, 0], [0, 1]], {}, I, "span"),
    ([[1], [1], [0]], {}, I, "not_a_basis"),  # too few columns
    ([[1, 0, 1], [1, 0, 1], [0, 1, 1]], {}, I, "not_a_basis"),  # too many
    ([[1, 0, 1], [1, 0, 1], [0, 1, 1]], {"basis": False}, C, ""),  # a spanning set is enough
    ([[1, 0, 0], [1, 0, 0], [0, 1, 0]], {"basis": False}, C, ""),
    ([[1, 0, 1], [0, 1, 0], [0, 0, 0]], {"basis": False}, I, "span"),
    ([[1], [1], [0]], {"basis": False}, I, "span"),
    (np.eye(3), {}, I, "not_a_basis"),
    (np.eye(3), {"basis": False}, I, "span"),
    ([[1, 0], [1, 0]], {}, I, "shape"),
    (_P.T, {}, I, "shape"),
    ([1, 1, 0], {}, I, "shape"),  # a vector is not a (3, k) matrix
    ([[1, 0], [1, math.nan], [0, 1]], {}, I, "value"),
    ([[1, 0], [1, 0], [0, 1]], {"rtol": 1e-12}, C, ""),
])
def test_span(student, options, expected, reason):
    """Is any basis of the same subspace accepted, a different subspace rejected, and the column count checked?"""
    got = judge("span", _P, student, **options)
    assert (got.outcome, got.reason) == (expected, reason), got


@pytest.mark.parametrize("student, options, expected, reason", [
    (np.zeros((3, 0)), {}, C, ""),  # the empty basis of {0}
    (np.zeros((3, 1)), {}, I, "not_a_basis"),
    (np.zeros((3, 1)), {"basis": False}, C, ""),  # the zero vector spans {0}
    ([[1], [0], [0]], {}, I, "not_a_basis"),
    ([[1], [0], [0]], {"basis": False}, I, "span"),
    (np.zeros((2, 0)), {}, I, "shape"),
    ([], {}, I, "shape"),
])
def test_span_of_the_trivial_subspace(student, options, expected, reason):
    """Is the empty (3, 0) basis accepted for the trivial subspace, and a nonzero column rejected?"""
    got = judge("span", np.zeros((3, 0)), student, **options)
    assert (got.outcome, got.reason) == (expected, reason), got


def test_span_whole_space():
    """Is any invertible matrix accepted as a basis of the whole space?"""
    assert judge("span", np.eye(3), [[1, 1, 1], [0, 1, 1], [0, 0, 1]]).outcome is C
    assert judge("span", np.eye(3), [[1, 1, 2], [0, 1, 1], [0, 0, 0]]).outcome is I


# ---------------------------------------------------------------- integer

@pytest.mark.parametrize("student, expected, reason", [
    (16, C, ""),
    (16.0, C, ""),
    (np.int64(16), C, ""),
    (np.uint8(16), C, ""),
    (np.float32(16.0), C, ""),
    (np.array(16), C, ""),
    (np.array(16.0), C, ""),
    (sp.Integer(16), C, ""),
    (sp.sqrt(256), C, ""),
    (sp.Float(16.0), C, ""),
    (1.6e1, C, ""),
    (17, I, "value"),
    (-16, I, "value"),
    (15.0, I, "value"),
    (16.5, I, "not_integer"),  # a wrong answer (so a "forgot the floor" mistake can match), not an unreadable one
    (16.000001, I, "not_integer"),
    (sp.Rational(33, 2), I, "not_integer"),
    (math.nan, M, "not_integer"),
    (math.inf, M, "not_integer"),
    (True, M, "type"),  # True is not 1
    (np.bool_(True), M, "type"),
    ("16", M, "type"),
    (16 + 0j, M, "type"),
    ([16], M, "type"),
    (np.array([16]), M, "type"),
    (None, M, "type"),
    (x, M, "not_constant"),
])
def test_integer(student, expected, reason):
    """Are 16, 16.0 and their numpy/sympy forms accepted, 16.5 refused as not an integer, and True refused?"""
    got = judge("integer", 16, student)
    assert (got.outcome, got.reason) == (expected, reason), got


def test_a_non_integer_answer_can_match_a_known_mistake():
    """Can 16.5 (a size computed without the floor) be named as a known mistake of an integer answer?"""
    from graders.encoding import encode
    from graders.judge import judge_value
    from graders.model import Check, Mistake, Outcome

    c = Check("q", "c", "integer", {}, 1.0, encode(16), (Mistake("floor", {"kind": "value", "value": encode(16.5)}),))
    assert judge_value(c, encode(16.5)).outcome is Outcome.KNOWN_MISTAKE
    assert judge_value(c, encode(16.25)).outcome is Outcome.INCORRECT


def test_scaling_a_reference_with_infinities_keeps_them():
    """Does a scale mistake on an array holding inf (an infinite persistence bar) still match?"""
    from graders.encoding import encode
    from graders.judge import judge_value
    from graders.model import Check, Mistake, Outcome

    ref = np.array([1.0, 2.0, np.inf])
    c = Check("q", "c", "array", {}, 1.0, encode(ref), (Mistake("radius", {"kind": "scale", "factor": encode(0.5)}),))
    assert judge_value(c, encode(ref / 2)).outcome is Outcome.KNOWN_MISTAKE


@pytest.mark.parametrize("reference, student, expected", [
    (0, 0, C), (0, False, M), (1, True, M), (-3, -3.0, C), (10**300, 10**300, C), (10**300, 10**300 + 1, I),
    (2**53 + 1, 2**53 + 1, C), (2**53 + 1, 2**53, I),
])
def test_integer_exactness(reference, student, expected):
    """Are integers compared exactly, even beyond float precision?"""
    assert judge("integer", reference, student).outcome is expected


# ---------------------------------------------------------------- boolean

@pytest.mark.parametrize("reference, student, expected", [
    (True, True, C), (True, np.bool_(True), C), (False, False, C), (False, np.bool_(False), C),
    (True, False, I), (False, True, I),
    (True, 1, M), (False, 0, M), (True, "True", M), (True, None, M), (True, np.array(True), M),
    (True, sp.true, M), (True, [True], M),
])
def test_boolean(reference, student, expected):
    """Is only an actual bool (Python or numpy) accepted, never 1, 'True' or a 0-d array?"""
    assert judge("boolean", reference, student).outcome is expected


# ---------------------------------------------------------------- choice

_OPTS = {"options": ["a", "b", "c", "d"]}


@pytest.mark.parametrize("student, expected, reason", [
    ("b", C, ""),
    ("B", C, ""),  # case-insensitive
    (" b ", C, ""),
    (["b"], C, ""),
    (("B",), C, ""),
    ({"b"}, C, ""),
    ("c", I, "value"),
    (["b", "c"], I, "value"),
    ([], I, "value"),
    ("e", I, "unknown_option"),
    (["b", "z"], I, "unknown_option"),
    ("b)", I, "unknown_option"),
    ("", I, "unknown_option"),
    (2, M, "type"),
    ([2], M, "type"),
    (["b", 2], M, "type"),
    (None, M, "type"),
    (True, M, "type"),
])
def test_choice_single(student, expected, reason):
    """Is a single label matched case-insensitively, and a label outside the options reported as unknown?"""
    got = judge("choice", "b", student, **_OPTS)
    assert (got.outcome, got.reason) == (expected, reason), got


@pytest.mark.parametrize("student, expected, reason", [
    (["a", "c"], C, ""),
    (["c", "a"], C, ""),
    ({"a", "c"}, C, ""),
    (("C", "A"), C, ""),
    (frozenset({"a", "c"}), C, ""),
    (["a", "c", "a"], C, ""),  # a collection of labels is read as a set
    (["a"], I, "value"),
    (["a", "b", "c"], I, "value"),
    ("a", I, "value"),
    ("ac", I, "unknown_option"),
    ("a,c", I, "unknown_option"),
])
def test_choice_multiple(student, expected, reason):
    """Is a set of labels compared as a set, whether given as a list, tuple or set?"""
    got = judge("choice", {"a", "c"}, student, **_OPTS)
    assert (got.outcome, got.reason) == (expected, reason), got


def test_choice_without_declared_options():
    """Without declared options, is any other label simply incorrect?"""
    assert judge("choice", "b", "zz").reason == "value"


# ---------------------------------------------------------------- number set

@pytest.mark.parametrize("student, expected, reason", [
    ([1, 2, 2], C, ""),
    ([2, 1, 2], C, ""),
    ((2, 2, 1), C, ""),
    (np.array([2.0, 2.0, 1.0]), C, ""),
    ([2.0000001, 1, 2], C, ""),
    ([sp.Integer(2), sp.Integer(1), 2.0], C, ""),
    ([1, 2], I, "count"),
    ({1, 2}, I, "count"),  # a set cannot hold the repeated 2
    ([1, 2, 2, 2], I, "count"),
    ([1, 1, 2], I, "value"),  # multiplicities matter
    ([1, 2, 3], I, "value"),
    ([1, 2, 2.001], I, "value"),
    (np.array([[1, 2, 2]]), M, "type"),
    ([1, "2", 2], M, "type"),
    ([1, True, 2], M, "type"),
    ("1 2 2", M, "type"),
    (3, M, "type"),
])
def test_number_set(student, expected, reason):
    """Is a collection of numbers compared as a multiset, in any order, within tolerance?"""
    got = judge("number_set", [1.0, 2.0, 2.0], student)
    assert (got.outcome, got.reason) == (expected, reason), got


@pytest.mark.parametrize("reference, student, expected", [
    ([1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j], C),
    ([1 + 1j, 1 - 1j], [1 + 1j, 1 + 1j], I),
    ({sp.sqrt(2), -sp.sqrt(2)}, [-1.4142135623, 1.4142135623], C),
    ({sp.sqrt(2), -sp.sqrt(2)}, [-1.41, 1.41], I),
    ({3, 5}, {5, 3}, C),
    ({3, 5}, np.array([5, 3]), C),
    ([], [], C),
    ([], [0], I),
    ([math.nan, 1], [1, math.nan], C),
])
def test_number_set_values(reference, student, expected):
    """Are complex, symbolic and empty sets compared as multisets?"""
    assert judge("number_set", reference, student).outcome is expected


@pytest.mark.parametrize("payload", [
    {"t": "int", "v": "abc"}, {"t": "int", "v": "inf"}, {"t": "int", "v": "1e999"}, {"t": "int", "v": "--1"},
    {"t": "int", "v": ""}, {"t": "int", "v": "\u00b2"}, {"t": "int", "v": 5}, {"t": "int", "v": None},
    {"t": "int", "v": "9" * 600},
])
def test_forged_integer_payload_is_not_infinity(payload):
    """Is an integer payload whose digits are not digits refused, rather than read as infinity?"""
    for reference in (math.inf, 1.0):
        got = judge_value(Check("q", "cell", "scalar", reference=encode(reference)), payload)
        assert (got.outcome, got.reason) == (M, "unreadable"), (reference, got)
