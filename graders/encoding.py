"""Kernel side: turn a student's Python, numpy or sympy object into plain JSON data.

Nothing here trusts or evaluates the object beyond reading it: no pickles, no code, no `repr` round trips.
Sympy expressions become nested lists ``[head, *children]`` that the grader rebuilds from an allowlist
(graders.expressions). Sizes are capped so a hostile object cannot make a huge payload.

Encoded forms (key ``"t"``): none, bool, int, float, complex, str, array, seq, set, dict, expr, matrix, calls,
missing, invalid, unsupported.
"""
from __future__ import annotations

import math
import sys
from typing import Any

MAX_ARRAY_SIZE = 250_000
MAX_ITEMS = 10_000
MAX_NODES = 5_000
MAX_DEPTH = 60
MAX_INT_DIGITS = 400
MAX_STR = 10_000
MAX_TOTAL = 250_000  #: values, array elements and expression nodes in one encoded object, nesting included


class EncodingLimit(Exception):
    """The object is too large or too deep to report."""


def real(x: float) -> float | str:
    """A float as JSON allows it: non-finite values become the strings 'nan', 'inf', '-inf'."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def _int(v: int) -> dict:
    v = int(v)
    if v.bit_length() > 4 * MAX_INT_DIGITS:  # str() of a huge int is slow, and refused past 4300 digits
        raise EncodingLimit(f"an integer of {v.bit_length()} bits")
    s = str(v)
    if len(s.lstrip("-")) > MAX_INT_DIGITS:
        raise EncodingLimit(f"an integer with {len(s)} digits")
    return {"t": "int", "v": s}


def _spend(budget: list[int], n: int) -> None:
    budget[0] -= n
    if budget[0] < 0:
        raise EncodingLimit(f"an object with more than {MAX_TOTAL} values in all")


def _array(a: Any, total: list[int]) -> dict:
    import numpy as np

    a = np.asarray(a)
    if a.size > MAX_ARRAY_SIZE:
        raise EncodingLimit(f"an array of {a.size} elements")
    _spend(total, max(a.size - 1, 0))  # the array itself was counted as one value
    kind = a.dtype.kind
    flat = a.ravel()
    if kind == "b":
        data, dtype = [bool(x) for x in flat], "bool"
    elif kind in "iu":
        data, dtype = [int(x) for x in flat], "int"
    elif kind == "f":
        data, dtype = [real(x) for x in flat], "float"
    elif kind == "c":
        data, dtype = [[real(x.real), real(x.imag)] for x in flat], "complex"
    elif kind == "O":
        return {"t": "seq", "kind": "ndarray", "shape": list(a.shape),
                "items": [encode(x, _total=total) for x in flat[:MAX_ITEMS]]}
    else:
        return {"t": "unsupported", "type": f"numpy array of dtype {a.dtype}"}
    return {"t": "array", "dtype": dtype, "shape": [int(n) for n in a.shape], "data": data}


def _sympy_tree(e: Any, budget: list[int], depth: int = 0) -> list:
    import sympy as sp

    budget[0] -= 1
    if budget[0] < 0:
        raise EncodingLimit("an expression with too many terms")
    if depth > MAX_DEPTH:
        raise EncodingLimit("an expression nested too deeply")
    if isinstance(e, sp.Symbol):
        return ["Symbol", str(e.name)]
    if isinstance(e, sp.Integer):
        return ["Integer", _int(int(e))["v"]]
    if isinstance(e, sp.Rational):
        return ["Rational", _int(int(e.p))["v"], _int(int(e.q))["v"]]
    if isinstance(e, sp.Float):
        return ["Float", real(float(e))]
    named = {sp.pi: "pi", sp.E: "E", sp.I: "I", sp.oo: "oo", -sp.oo: "-oo", sp.zoo: "zoo", sp.nan: "nan",
             sp.EulerGamma: "EulerGamma"}
    for const, name in named.items():
        if e is const or (isinstance(e, sp.Atom) and e == const):
            return ["Const", name]
    if isinstance(e, sp.Atom):
        return ["Unsupported", type(e).__name__]
    head = type(e).__name__
    return [head, *[_sympy_tree(a, budget, depth + 1) for a in e.args]]


def _sympy(x: Any, total: list[int]) -> dict | None:
    sp = sys.modules.get("sympy")
    if sp is None:
        return None
    if isinstance(x, sp.MatrixBase):
        if x.rows * x.cols > MAX_ITEMS:
            raise EncodingLimit(f"a {x.rows}x{x.cols} matrix")
        budget = [MAX_NODES]
        items = [_sympy_tree(v, budget) for v in x]
        _spend(total, MAX_NODES - budget[0])
        return {"t": "matrix", "shape": [int(x.rows), int(x.cols)], "items": items}
    if isinstance(x, sp.Basic):
        if isinstance(x, (sp.Tuple,)):
            return {"t": "seq", "kind": "tuple", "items": [encode(v, _total=total) for v in x.args]}
        if isinstance(x, (sp.Set, sp.logic.boolalg.Boolean, sp.Rel)) and not isinstance(x, sp.Expr):
            return {"t": "unsupported", "type": f"sympy {type(x).__name__}"}
        budget = [MAX_NODES]
        tree = _sympy_tree(x, budget)
        _spend(total, MAX_NODES - budget[0])
        return {"t": "expr", "tree": tree}
    return None


def encode(x: Any, *, _total: list[int] | None = None) -> dict:
    """Encode one value. Raises EncodingLimit for oversized objects; never evaluates student code paths
    beyond numpy/sympy's own accessors."""
    total = [MAX_TOTAL] if _total is None else _total
    _spend(total, 1)
    np = sys.modules.get("numpy")
    if x is None:
        return {"t": "none"}
    if isinstance(x, bool) or (np is not None and isinstance(x, np.bool_)):
        return {"t": "bool", "v": bool(x)}
    if isinstance(x, int) or (np is not None and isinstance(x, np.integer)):
        return _int(int(x))
    if isinstance(x, float) or (np is not None and isinstance(x, np.floating)):
        return {"t": "float", "v": real(x)}
    if isinstance(x, complex) or (np is not None and isinstance(x, np.complexfloating)):
        return {"t": "complex", "re": real(x.real), "im": real(x.imag)}
    if isinstance(x, str):
        if len(x) > MAX_STR:
            raise EncodingLimit(f"a string of {len(x)} characters")
        return {"t": "str", "v": x}
    if np is not None and isinstance(x, np.ndarray):
        return _array(x, total)
    sym = _sympy(x, total)
    if sym is not None:
        return sym
    if isinstance(x, (list, tuple)):
        if len(x) > MAX_ITEMS:
            raise EncodingLimit(f"a sequence of {len(x)} items")
        return {"t": "seq", "kind": type(x).__name__ if type(x) in (list, tuple) else "tuple",
                "items": [encode(v, _total=total) for v in x]}
    if isinstance(x, (set, frozenset)):
        if len(x) > MAX_ITEMS:
            raise EncodingLimit(f"a set of {len(x)} items")
        return {"t": "set", "items": [encode(v, _total=total) for v in x]}
    if isinstance(x, dict):
        if len(x) > MAX_ITEMS:
            raise EncodingLimit(f"a dict of {len(x)} items")
        return {"t": "dict", "items": [[encode(k, _total=total), encode(v, _total=total)] for k, v in x.items()]}
    return {"t": "unsupported", "type": type(x).__name__[:80]}


def describe_error(exc: BaseException) -> str:
    """`ExcType: message`, one line and short: the student's own error, never a traceback."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = type(exc).__name__ + (f": {msg}" if msg else "")
    return text[:300]
