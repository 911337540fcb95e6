"""Kernel-side encoding: Python, numpy and sympy objects -> plain JSON data, with size caps."""
from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
import sympy as sp

from graders import comparators, expressions
from graders.encoding import (MAX_ARRAY_SIZE, MAX_INT_DIGITS, MAX_ITEMS, MAX_STR, EncodingLimit, describe_error,
                              encode, real)

x, y = sp.symbols("x y")


def _json_round_trip(enc: dict) -> dict:
    """What the judge receives: the payload after JSON serialisation (strict JSON: no NaN/Infinity tokens)."""
    return json.loads(json.dumps(enc, allow_nan=False))


# ---------------------------------------------------------------- scalars

@pytest.mark.parametrize("value, expected", [
    (None, {"t": "none"}),
    (True, {"t": "bool", "v": True}),
    (False, {"t": "bool", "v": False}),
    (np.bool_(True), {"t": "bool", "v": True}),
    (0, {"t": "int", "v": "0"}),
    (-7, {"t": "int", "v": "-7"}),
    (np.int8(-3), {"t": "int", "v": "-3"}),
    (np.uint64(2**64 - 1), {"t": "int", "v": str(2**64 - 1)}),
    (10**50, {"t": "int", "v": "1" + "0" * 50}),
    (1.5, {"t": "float", "v": 1.5}),
    (-0.0, {"t": "float", "v": -0.0}),
    (np.float32(0.5), {"t": "float", "v": 0.5}),
    (np.float64(2.25), {"t": "float", "v": 2.25}),
    (math.nan, {"t": "float", "v": "nan"}),
    (math.inf, {"t": "float", "v": "inf"}),
    (-math.inf, {"t": "float", "v": "-inf"}),
    (1 + 2j, {"t": "complex", "re": 1.0, "im": 2.0}),
    (np.complex64(1 - 2j), {"t": "complex", "re": 1.0, "im": -2.0}),
    (complex(math.nan, math.inf), {"t": "complex", "re": "nan", "im": "inf"}),
    ("", {"t": "str", "v": ""}),
    ("héllo", {"t": "str", "v": "héllo"}),
])
def test_scalar_encodings(value, expected):
    """Is each Python/numpy scalar encoded as the documented plain, strictly-JSON form?"""
    enc = encode(value)
    assert enc == expected
    assert _json_round_trip(enc) == expected


@pytest.mark.parametrize("value", [0, 1, -1, 3, 10**20, -(10**30), 0.5, -2.75, 1e-300, 1e300, 1 + 2j, -0.5j,
                                   np.float32(0.25), np.int16(-12), np.complex128(3 - 4j)])
def test_scalar_round_trip_through_the_judge(value):
    """Does a number survive encode -> JSON -> graders.comparators.number unchanged?"""
    got = comparators.number(_json_round_trip(encode(value)))
    assert got == complex(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_round_trip(value):
    """Do nan and ±inf survive the round trip (as strings in JSON) and decode back to the same float?"""
    got = comparators.number(_json_round_trip(encode(value)))
    assert got.imag == 0
    assert (math.isnan(got.real) and math.isnan(value)) or got.real == value


@pytest.mark.parametrize("value, expected", [(1.0, 1.0), (math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf"),
                                             (np.float32("inf"), "inf")])
def test_real(value, expected):
    """Does `real` map non-finite floats to the strings JSON can carry, and leave finite ones as floats?"""
    assert real(value) == expected


# ---------------------------------------------------------------- numpy arrays

@pytest.mark.parametrize("dtype, kind", [
    (np.int8, "int"), (np.int16, "int"), (np.int32, "int"), (np.int64, "int"),
    (np.uint8, "int"), (np.uint16, "int"), (np.uint32, "int"), (np.uint64, "int"),
    (np.float16, "float"), (np.float32, "float"), (np.float64, "float"),
    (np.complex64, "complex"), (np.complex128, "complex"),
])
@pytest.mark.parametrize("shape", [(), (0,), (3,), (3, 1), (1, 3), (2, 3), (2, 0), (2, 2, 2)])
def test_numeric_array_round_trip(dtype, kind, shape):
    """Does a numeric array of each dtype keep its exact shape and values through encode -> JSON -> decode?"""
    a = (np.arange(int(np.prod(shape))) % 7).reshape(shape).astype(dtype)
    if kind == "complex":
        a = a + 1j * a[::-1] if a.ndim else a + 1j
        a = np.asarray(a).astype(dtype)
    enc = _json_round_trip(encode(a))
    assert enc["t"] == "array" and enc["dtype"] == kind
    assert enc["shape"] == list(shape)
    back = comparators.array(enc)
    assert back.shape == a.shape
    np.testing.assert_array_equal(back, a.astype(complex if kind == "complex" else float))


def test_float_array_with_non_finite_values():
    """Are nan/±inf entries of a float array carried as strings and decoded back in place?"""
    a = np.array([[1.0, np.nan], [np.inf, -np.inf]])
    enc = _json_round_trip(encode(a))
    assert enc["data"] == [1.0, "nan", "inf", "-inf"]
    np.testing.assert_array_equal(comparators.array(enc), a)


def test_complex_array_with_non_finite_parts():
    """Are non-finite real and imaginary parts of a complex array both preserved?"""
    a = np.array([complex(np.nan, 1), complex(2, -np.inf)])
    enc = _json_round_trip(encode(a))
    assert enc["data"] == [["nan", 1.0], [2.0, "-inf"]]
    back = comparators.array(enc)
    assert np.isnan(back[0].real) and back[0].imag == 1
    assert back[1] == complex(2, -np.inf)


@pytest.mark.parametrize("shape", [(), (4,), (2, 2)])
def test_bool_array(shape):
    """Is a boolean array encoded as dtype 'bool' with its shape (and refused as a numeric array by the judge)?"""
    a = np.ones(shape, dtype=bool)
    enc = _json_round_trip(encode(a))
    assert enc == {"t": "array", "dtype": "bool", "shape": list(shape), "data": [True] * a.size}
    with pytest.raises(comparators.Invalid):
        comparators.array(enc)


def test_object_array_becomes_a_sequence_with_shape():
    """Is an object array encoded item by item, keeping its shape?"""
    a = np.array([1, None, "s", 2.5], dtype=object).reshape(2, 2)
    enc = encode(a)
    assert enc == {"t": "seq", "kind": "ndarray", "shape": [2, 2],
                   "items": [{"t": "int", "v": "1"}, {"t": "none"}, {"t": "str", "v": "s"}, {"t": "float", "v": 2.5}]}


@pytest.mark.parametrize("a", [np.array(["a", "b"]), np.array([b"a"]), np.array(["2020-01-01"], dtype="datetime64[D]"),
                               np.array([1], dtype="timedelta64[s]")])
def test_unsupported_array_dtypes(a):
    """Is an array of strings, bytes or dates reported as unsupported rather than guessed at?"""
    enc = encode(a)
    assert enc["t"] == "unsupported" and str(a.dtype) in enc["type"]


# ---------------------------------------------------------------- containers

@pytest.mark.parametrize("value, expected", [
    ([], {"t": "seq", "kind": "list", "items": []}),
    ((), {"t": "seq", "kind": "tuple", "items": []}),
    ([1, 2.5, "a"], {"t": "seq", "kind": "list",
                     "items": [{"t": "int", "v": "1"}, {"t": "float", "v": 2.5}, {"t": "str", "v": "a"}]}),
    ((True, None), {"t": "seq", "kind": "tuple", "items": [{"t": "bool", "v": True}, {"t": "none"}]}),
    ([[1], (2,)], {"t": "seq", "kind": "list", "items": [
        {"t": "seq", "kind": "list", "items": [{"t": "int", "v": "1"}]},
        {"t": "seq", "kind": "tuple", "items": [{"t": "int", "v": "2"}]}]}),
    ({"a": 1}, {"t": "dict", "items": [[{"t": "str", "v": "a"}, {"t": "int", "v": "1"}]]}),
    ({}, {"t": "dict", "items": []}),
    (set(), {"t": "set", "items": []}),
    (frozenset(["b"]), {"t": "set", "items": [{"t": "str", "v": "b"}]}),
])
def test_container_encodings(value, expected):
    """Are lists, tuples, dicts and sets encoded with their kind and items in order?"""
    enc = encode(value)
    assert enc == expected
    assert _json_round_trip(enc) == expected


def test_set_items_are_all_present():
    """Does a set keep every element (in some order)?"""
    enc = encode({1, 2, 3})
    assert enc["t"] == "set"
    assert sorted(int(i["v"]) for i in enc["items"]) == [1, 2, 3]


def test_tuple_subclass_is_a_tuple():
    """Is a namedtuple (a tuple subclass) encoded as a plain tuple, without its class name?"""
    from collections import namedtuple

    P = namedtuple("P", "a b")
    assert encode(P(1, 2)) == {"t": "seq", "kind": "tuple", "items": [{"t": "int", "v": "1"}, {"t": "int", "v": "2"}]}


def test_nested_list_round_trips_as_array():
    """Does a nested list of numbers decode to an array of the right shape?"""
    back = comparators.array(_json_round_trip(encode([[1, 2, 3], [4, 5, 6]])))
    assert back.shape == (2, 3)
    np.testing.assert_array_equal(back, [[1, 2, 3], [4, 5, 6]])


# ---------------------------------------------------------------- sympy

@pytest.mark.parametrize("expr, tree", [
    (x, ["Symbol", "x"]),
    (sp.Integer(3), ["Integer", "3"]),
    (sp.Integer(-3), ["Integer", "-3"]),
    (sp.Rational(-3, 4), ["Rational", "-3", "4"]),
    (sp.Float(0.25), ["Float", 0.25]),
    (sp.pi, ["Const", "pi"]),
    (sp.E, ["Const", "E"]),
    (sp.I, ["Const", "I"]),
    (sp.oo, ["Const", "oo"]),
    (-sp.oo, ["Const", "-oo"]),
    (sp.zoo, ["Const", "zoo"]),
    (sp.nan, ["Const", "nan"]),
    (sp.sin(x), ["sin", ["Symbol", "x"]]),
    (sp.exp(-x), ["exp", ["Mul", ["Integer", "-1"], ["Symbol", "x"]]]),
    (sp.sqrt(x), ["Pow", ["Symbol", "x"], ["Rational", "1", "2"]]),
])
def test_sympy_trees(expr, tree):
    """Is each sympy atom and simple expression encoded as the documented [head, *children] tree?"""
    assert encode(expr) == {"t": "expr", "tree": tree}


@pytest.mark.parametrize("expr", [
    x**2 + 3 * x - 1, sp.sin(x) * sp.cos(y), 1 / (1 + sp.exp(-x)), sp.sqrt(x**2 + 1), sp.Abs(x) + sp.sign(x),
    sp.atan2(y, x), sp.Max(x, y, 0), sp.Heaviside(x), sp.log(x) / sp.log(2), sp.tanh(x) ** 2, sp.erf(x) + sp.pi * x,
    sp.floor(x) + sp.ceiling(y), sp.exp(sp.I * x), sp.Float(1.5) * x**sp.Rational(3, 2),
    sp.sech(x) + sp.csch(y) * sp.coth(x), sp.sec(x) + sp.csc(y) - sp.cot(x), sp.asinh(x) * sp.atanh(y / 2),
])
def test_sympy_expression_round_trip(expr):
    """Does every supported expression survive encode -> JSON -> validate -> evaluate with the same values as sympy?"""
    enc = _json_round_trip(encode(expr))
    assert expressions.validate(enc["tree"]) == {s.name for s in expr.free_symbols}
    pts = {"x": np.array([0.3, 1.7, 2.2]), "y": np.array([-0.4, 0.9, 1.1])}
    env = {k: v.astype(complex) for k, v in pts.items() if k in {s.name for s in expr.free_symbols}}
    got = expressions.evaluate(enc["tree"], env) if env else expressions.evaluate(enc["tree"], {}) * np.ones(3)
    f = sp.lambdify((x, y), expr, modules=["numpy", "scipy"])
    want = np.array([complex(f(a, b)) for a, b in zip(pts["x"], pts["y"])])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("m, shape", [
    (sp.Matrix([[1, x]]), [1, 2]),
    (sp.Matrix([1, x]), [2, 1]),
    (sp.Matrix([[x, 0], [0, x**2]]), [2, 2]),
    (sp.ImmutableMatrix([[1, 2, 3]]), [1, 3]),
    (sp.zeros(2, 0), [2, 0]),
])
def test_sympy_matrices(m, shape):
    """Is a sympy Matrix encoded with its exact shape and its entries in row-major order?"""
    enc = _json_round_trip(encode(m))
    assert enc["t"] == "matrix" and enc["shape"] == shape
    assert enc["items"] == [encode(v)["tree"] for v in m]


def test_constant_sympy_matrix_decodes_to_array():
    """Does a constant sympy Matrix decode to a numeric array with the same shape?"""
    back = comparators.array(_json_round_trip(encode(sp.Matrix([[1, sp.Rational(1, 2)], [sp.pi, -2]]))))
    assert back.shape == (2, 2)
    np.testing.assert_allclose(back, [[1, 0.5], [np.pi, -2]])


def test_sympy_tuple_is_a_sequence():
    """Is a sympy Tuple encoded as a tuple of expressions?"""
    assert encode(sp.Tuple(1, x)) == {"t": "seq", "kind": "tuple", "items": [
        {"t": "expr", "tree": ["Integer", "1"]}, {"t": "expr", "tree": ["Symbol", "x"]}]}


@pytest.mark.parametrize("obj", [sp.Interval(0, 1), sp.Eq(x, 1), x > 1, sp.true, sp.FiniteSet(1, 2)])
def test_sympy_non_expressions_are_unsupported(obj):
    """Are sympy sets, relations and booleans reported as unsupported (they are not expressions)?"""
    enc = encode(obj)
    assert enc["t"] == "unsupported" and enc["type"].startswith("sympy ")


def test_sympy_function_heads_are_passed_through_by_name():
    """Does an undefined function or an Integral keep its name, so the judge can name what it refuses?"""
    f = sp.Function("f")
    assert encode(f(x))["tree"] == ["f", ["Symbol", "x"]]
    assert encode(sp.Integral(x, x))["tree"][0] == "Integral"


# ---------------------------------------------------------------- limits

def test_largest_allowed_sizes_encode():
    """Are objects exactly at each cap still encoded?"""
    assert encode("a" * MAX_STR)["t"] == "str"
    assert encode(10 ** (MAX_INT_DIGITS - 1))["v"] == "1" + "0" * (MAX_INT_DIGITS - 1)
    assert encode(-(10 ** (MAX_INT_DIGITS - 1)))["v"] == "-1" + "0" * (MAX_INT_DIGITS - 1)
    assert encode(np.zeros(MAX_ARRAY_SIZE))["shape"] == [MAX_ARRAY_SIZE]
    assert len(encode([0] * MAX_ITEMS)["items"]) == MAX_ITEMS
    assert len(encode(set(range(MAX_ITEMS)))["items"]) == MAX_ITEMS
    assert len(encode(dict.fromkeys(range(MAX_ITEMS)))["items"]) == MAX_ITEMS


@pytest.mark.parametrize("make", [
    pytest.param(lambda: "a" * (MAX_STR + 1), id="string"),
    pytest.param(lambda: 10**MAX_INT_DIGITS, id="int-401-digits"),
    pytest.param(lambda: -(10**MAX_INT_DIGITS), id="negative-int-401-digits"),
    pytest.param(lambda: 10**5000, id="int-past-python-str-limit"),
    pytest.param(lambda: 2**1_000_000, id="int-million-bits"),
    pytest.param(lambda: np.zeros(MAX_ARRAY_SIZE + 1), id="array"),
    pytest.param(lambda: np.zeros((600, 600)), id="array-2d"),
    pytest.param(lambda: [0] * (MAX_ITEMS + 1), id="list"),
    pytest.param(lambda: tuple(range(MAX_ITEMS + 1)), id="tuple"),
    pytest.param(lambda: set(range(MAX_ITEMS + 1)), id="set"),
    pytest.param(lambda: dict.fromkeys(range(MAX_ITEMS + 1)), id="dict"),
    pytest.param(lambda: [[0] * MAX_ITEMS] * MAX_ITEMS, id="nested-lists-1e8"),
    pytest.param(lambda: [np.zeros(MAX_ARRAY_SIZE)] * 50, id="list-of-big-arrays"),
    pytest.param(lambda: [1.5, ["x" * (MAX_STR + 1)]], id="nested-string"),
    pytest.param(lambda: {"k": [10**MAX_INT_DIGITS]}, id="nested-int"),
    pytest.param(lambda: sp.zeros(101, 100), id="sympy-matrix"),
    pytest.param(lambda: sp.Add(*[sp.Symbol(f"a{i}") for i in range(6000)]), id="sympy-too-many-nodes"),
    pytest.param(lambda: sp.Matrix([[sp.Add(*[sp.Symbol(f"a{i}") for i in range(j, j + 2000)]) for j in range(3)]]),
                 id="sympy-matrix-too-many-nodes"),
    pytest.param(lambda: sp.Integer(10**MAX_INT_DIGITS) * x, id="sympy-huge-integer"),
    pytest.param(lambda: sp.Rational(1, 10**MAX_INT_DIGITS + 1), id="sympy-huge-rational"),
])
def test_oversized_objects_raise_encoding_limit(make):
    """Does every oversized object raise EncodingLimit (not another error, and quickly)?"""
    obj = make()
    start = time.monotonic()
    with pytest.raises(EncodingLimit):
        encode(obj)
    assert time.monotonic() - start < 5


def test_deep_sympy_expression_raises_encoding_limit():
    """Is an expression nested deeper than the cap refused?"""
    e = x
    for _ in range(80):
        e = sp.sin(e)
    with pytest.raises(EncodingLimit):
        encode(e)


def test_sympy_expression_just_under_node_cap_encodes():
    """Is a 4000-node expression (below the cap) encoded completely?"""
    e = sp.Add(*[sp.sin(sp.Mul(k, x, evaluate=False), evaluate=False) for k in range(2, 1001)], evaluate=False)
    enc = encode(e)
    assert expressions.validate(enc["tree"]) == {"x"}


# ---------------------------------------------------------------- unsupported objects and errors

class _Thing:
    def __repr__(self):  # pragma: no cover - must never be called
        raise AssertionError("encode must not call repr")


@pytest.mark.parametrize("obj, name", [
    (_Thing(), "_Thing"), (range(3), "range"), (b"ab", "bytes"), (bytearray(b"a"), "bytearray"),
    (object(), "object"), (len, "builtin_function_or_method"), (lambda: 1, "function"), (Ellipsis, "ellipsis"),
    (type, "type"), (iter([1]), "list_iterator"),
])
def test_unsupported_objects(obj, name):
    """Is an object of an unknown type reported as {"t": "unsupported"} with its type name, without calling repr?"""
    assert encode(obj) == {"t": "unsupported", "type": name}


def test_unsupported_items_inside_containers():
    """Does an unsupported item inside a list stay local to that item?"""
    assert encode([1, object()])["items"][1] == {"t": "unsupported", "type": "object"}


@pytest.mark.parametrize("exc, text", [
    (ValueError("bad input"), "ValueError: bad input"),
    (ZeroDivisionError(), "ZeroDivisionError"),
    (KeyError("k"), "KeyError: 'k'"),
    (RuntimeError("first line\nsecond line"), "RuntimeError: first line"),
    (SystemExit(3), "SystemExit: 3"),
])
def test_describe_error(exc, text):
    """Is a student's exception described on one line as `ExcType: message`, without a traceback?"""
    assert describe_error(exc) == text


def test_describe_error_is_short():
    """Is a huge exception message truncated?"""
    assert len(describe_error(ValueError("x" * 10_000))) <= 300
