"""Grader side: rebuild sympy-expression trees from payload data and evaluate them numerically.

A tree is ``[head, *children]`` as written by graders.encoding. Only the heads in ALLOWED are accepted and the tree
is never turned back into code: it is evaluated directly with numpy over complex numbers, so the cost is bounded by
the number of nodes times the number of points. Sympy itself is not imported here.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

MAX_NODES = 5_000
MAX_DEPTH = 80


class BadExpression(Exception):
    """The tree is malformed or uses something outside the allowlist."""

    def __init__(self, reason: str, **details: Any):
        super().__init__(reason)
        self.reason = reason
        self.details = details


def _erf(z: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return erf(z.real) + 0j


def _real_op(f: Callable) -> Callable:
    return lambda *zs: f(*[z.real for z in zs]) + 0j


_UNARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "asinh": np.arcsinh, "acosh": np.arccosh, "atanh": np.arctanh, "Abs": lambda z: np.abs(z) + 0j,
    "sign": _real_op(np.sign), "erf": _erf, "conjugate": np.conj, "re": lambda z: z.real + 0j,
    "im": lambda z: z.imag + 0j, "sec": lambda z: 1 / np.cos(z), "csc": lambda z: 1 / np.sin(z),
    "cot": lambda z: 1 / np.tan(z), "floor": _real_op(np.floor), "ceiling": _real_op(np.ceil),
    "sech": lambda z: 1 / np.cosh(z), "csch": lambda z: 1 / np.sinh(z), "coth": lambda z: 1 / np.tanh(z),
}
_CONSTS = {"pi": math.pi, "E": math.e, "I": 1j, "oo": math.inf, "-oo": -math.inf, "zoo": complex("nan+nanj"),
           "nan": complex("nan+nanj"), "EulerGamma": 0.5772156649015329}
ALLOWED = set(_UNARY) | {"Add", "Mul", "Pow", "Symbol", "Integer", "Rational", "Float", "Const", "Max", "Min",
                         "Heaviside", "atan2", "sqrt"}
#: (min, max) number of children of each non-leaf head; heads not listed take one or more (Add, Mul, Max, Min).
_ARITY = {**{h: (1, 1) for h in _UNARY}, "sqrt": (1, 1), "Pow": (2, 2), "atan2": (2, 2), "Heaviside": (1, 2)}


def _digits(d: Any) -> bool:
    """An integer literal: ASCII digits with an optional leading minus, shorter than 500 characters."""
    if not isinstance(d, str) or len(d) >= 500:
        return False
    body = d[1:] if d.startswith("-") else d
    return body.isascii() and body.isdigit()


def _big(digits: str) -> float:
    try:
        return float(int(digits))
    except (OverflowError, ValueError):
        return math.inf if not digits.startswith("-") else -math.inf


def validate(tree: Any) -> set[str]:
    """Check a tree against the allowlist and size limits; return its free symbols."""
    symbols: set[str] = set()
    count = 0

    def walk(node: Any, depth: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise BadExpression("too_large")
        if depth > MAX_DEPTH:
            raise BadExpression("too_deep")
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise BadExpression("malformed")
        head = node[0]
        if head not in ALLOWED:
            raise BadExpression("unsupported_function", name=head[:40])
        if head == "Symbol":
            if len(node) != 2 or not isinstance(node[1], str):
                raise BadExpression("malformed")
            symbols.add(node[1])
        elif head in ("Integer", "Rational"):
            if not all(_digits(d) for d in node[1:]) or len(node) != (2 if head == "Integer" else 3) \
                    or (head == "Rational" and int(node[2]) == 0):
                raise BadExpression("malformed")
        elif head == "Float":
            if len(node) != 2 or not isinstance(node[1], (int, float, str)):
                raise BadExpression("malformed")
            try:
                float(node[1])
            except (ValueError, OverflowError):
                raise BadExpression("malformed") from None
        elif head == "Const":
            if len(node) != 2 or not isinstance(node[1], str) or node[1] not in _CONSTS:
                raise BadExpression("malformed")
        else:
            lo, hi = _ARITY.get(head, (1, len(node)))
            if not lo <= len(node) - 1 <= hi:
                raise BadExpression("malformed")
            for child in node[1:]:
                walk(child, depth + 1)

    walk(tree, 0)
    return symbols


def evaluate(tree: list, env: dict[str, np.ndarray]) -> np.ndarray:
    """Evaluate a validated tree at the points in `env` (symbol name -> complex array)."""
    n = len(next(iter(env.values()))) if env else 1

    def ev(node: list) -> np.ndarray:
        head = node[0]
        if head == "Symbol":
            return env[node[1]]
        if head == "Integer":
            return np.full(n, _big(node[1]), dtype=complex)
        if head == "Rational":
            p, q = int(node[1]), int(node[2])
            try:
                return np.full(n, p / q, dtype=complex)
            except OverflowError:
                return np.full(n, complex("nan+nanj"))
        if head == "Float":
            return np.full(n, float(node[1]), dtype=complex)
        if head == "Const":
            return np.full(n, _CONSTS[node[1]], dtype=complex)
        args = [ev(c) for c in node[1:]]
        if head == "Add":
            return np.sum(args, axis=0)
        if head == "Mul":
            return np.prod(args, axis=0)
        if head == "Pow":
            base, exp = args
            return np.power(base, exp)
        if head == "sqrt":
            return np.sqrt(args[0])
        if head in ("Max", "Min"):
            stacked = np.real(np.array(args))
            return (np.max if head == "Max" else np.min)(stacked, axis=0) + 0j
        if head == "Heaviside":
            return np.heaviside(args[0].real, 0.5 if len(args) < 2 else args[1].real) + 0j
        if head == "atan2":
            return np.arctan2(args[0].real, args[1].real) + 0j
        return _UNARY[head](args[0])

    with np.errstate(all="ignore"):
        # broadcast, not multiply: (inf+0j) * 1 would be inf+nanj
        return np.broadcast_to(np.asarray(ev(tree), dtype=complex), (n,)).copy()


def sample_points(domain: dict[str, list], n: int, seed: int) -> dict[str, np.ndarray]:
    """Random points, uniform in each symbol's [low, high] interval; deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(float(lo), float(hi), size=n).astype(complex) for name, (lo, hi) in sorted(domain.items())}
