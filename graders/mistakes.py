"""Grader side: known mistakes as transformations of the (decoded) reference value.

A transform is plain data from the key, e.g. {"kind": "scale", "factor": <encoded number>}. It is applied to the
reference as the comparator decoded it (a number, an array, expression trees, a set ...); the judge then compares
the student's answer with the transformed reference using the same comparator and options.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .comparators import Comparator, number

_NUMERIC = {
    "cos": np.cos, "sin": np.sin, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "square": np.square, "reciprocal": lambda x: 1 / x, "abs": np.abs, "conj": np.conj, "real": np.real,
}
_TREE = {"cos": "cos", "sin": "sin", "tan": "tan", "exp": "exp", "log": "log", "abs": "Abs", "conj": "conjugate"}


def _plain(z: complex) -> complex | float:
    """A real factor stays real: inf * (0.5+0j) would be inf+nanj, and the mistake would never match."""
    return z.real if z.imag == 0 else z


class UnknownTransform(Exception):
    """The key declares a transformation this version does not know (an instructor error)."""


def _tree_map(trees: list, f) -> list:
    return [f(t) for t in trees]


def _expr_transform(kind: str, t: dict, ref: tuple) -> tuple:
    shape, trees = ref
    if kind == "negate":
        return shape, _tree_map(trees, lambda x: ["Mul", ["Integer", "-1"], x])
    if kind == "scale":
        c = number(t["factor"]).real
        return shape, _tree_map(trees, lambda x: ["Mul", ["Float", c], x])
    if kind == "add":
        c = number(t["offset"]).real
        return shape, _tree_map(trees, lambda x: ["Add", ["Float", c], x])
    if kind == "apply":
        fn = t["function"]
        if fn == "square":
            return shape, _tree_map(trees, lambda x: ["Pow", x, ["Integer", "2"]])
        if fn == "reciprocal":
            return shape, _tree_map(trees, lambda x: ["Pow", x, ["Integer", "-1"]])
        if fn == "sqrt":
            return shape, _tree_map(trees, lambda x: ["Pow", x, ["Rational", "1", "2"]])
        if fn in _TREE:
            return shape, _tree_map(trees, lambda x: [_TREE[fn], x])
    if kind == "transpose" and shape and len(shape) == 2:
        r, c = shape
        return (c, r), [trees[i * c + j] for j in range(c) for i in range(r)]
    raise UnknownTransform(kind)


def transform(t: dict[str, Any], reference: Any, comparator: Comparator, options: dict) -> Any:
    """The reference as the declared mistake would have it."""
    kind = t.get("kind")
    if kind == "value":
        return comparator.decode(t["value"], options)
    if isinstance(reference, tuple) and len(reference) == 2 and isinstance(reference[1], list):
        return _expr_transform(kind, t, reference)
    if isinstance(reference, (np.ndarray, complex, float, int)) and not isinstance(reference, bool):
        x = np.asarray(reference)
        if kind == "negate":
            y = -x
        elif kind == "scale":
            y = x * _plain(number(t["factor"]))
        elif kind == "add":
            y = x + _plain(number(t["offset"]))
        elif kind == "apply" and t.get("function") in _NUMERIC:
            with np.errstate(all="ignore"):
                y = _NUMERIC[t["function"]](x.astype(complex) if t["function"] in ("sqrt", "log") else x)
        elif kind == "transpose":
            y = np.swapaxes(x, -1, -2) if x.ndim >= 2 else x
        elif kind == "flip":
            y = x[..., ::-1] if x.ndim >= 1 else x
        else:
            raise UnknownTransform(kind)
        if isinstance(reference, np.ndarray):
            return y
        return int(np.real(y)) if isinstance(reference, int) and float(np.real(y)).is_integer() else complex(y)
    raise UnknownTransform(kind)
