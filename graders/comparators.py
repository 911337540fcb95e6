"""Grader side: the judge's vocabulary. Each comparator reads an encoded value and compares it with the reference.

A comparator has two parts: `decode(encoded, options)` turns payload data into a Python value or raises `Invalid`
(wrong type or shape of answer), and `equal(student, reference, options)` returns a `Comparison`. Reasons and details
describe the student's answer only; they never contain reference values (graders.feedback turns them into text).
"""
from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from . import expressions


class Invalid(Exception):
    """The student's answer cannot be compared: wrong type, wrong shape family, unreadable."""

    def __init__(self, reason: str, **details: Any):
        super().__init__(reason)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class Comparison:
    ok: bool
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)


SAME = Comparison(True)


# ---------------------------------------------------------------- decoding payload data into values

def _real(v: Any) -> float:
    if isinstance(v, str):
        return {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}[v]
    return float(v)


def _type_name(enc: Any) -> str:
    if not isinstance(enc, dict):
        return "unreadable data"
    t = enc.get("t")
    return {"none": "None", "bool": "a boolean", "int": "an integer", "float": "a float", "complex": "a complex number",
            "str": "a string", "array": "a numpy array", "seq": "a list or tuple", "set": "a set", "dict": "a dict",
            "expr": "a sympy expression", "matrix": "a sympy Matrix", "calls": "a function"}.get(
        t, str(enc.get("type", t))[:60])


def number(enc: Any) -> complex:
    """A scalar answer: int, float, complex, a numpy scalar or 0-d array, or a constant sympy expression."""
    t = enc.get("t") if isinstance(enc, dict) else None
    try:
        if t == "int":
            if not expressions._digits(enc["v"]):  # _big would read any other string as infinity
                raise Invalid("unreadable")
            return complex(expressions._big(enc["v"]))
        if t == "float":
            return complex(_real(enc["v"]))
        if t == "complex":
            return complex(_real(enc["re"]), _real(enc["im"]))
        if t == "array" and enc["shape"] == [] and enc["dtype"] != "bool":
            return complex(array(enc).item())
        if t == "expr":
            if expressions.validate(enc["tree"]):
                raise Invalid("not_constant")
            return complex(expressions.evaluate(enc["tree"], {})[0])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise Invalid("unreadable") from exc
    except expressions.BadExpression as exc:
        raise Invalid(exc.reason, **exc.details) from exc
    raise Invalid("type", got=_type_name(enc), want="a number")


def array(enc: Any) -> np.ndarray:
    """An array answer, with its exact shape: numpy arrays, nested lists of numbers, constant sympy matrices."""
    t = enc.get("t") if isinstance(enc, dict) else None
    try:
        if t == "array":
            shape = tuple(int(n) for n in enc["shape"])
            data = enc["data"]
            if enc["dtype"] == "complex":
                flat = np.array([complex(_real(re), _real(im)) for re, im in data], dtype=complex)
            elif enc["dtype"] == "bool":
                raise Invalid("type", got="a boolean array", want="a numeric array")
            else:
                flat = np.array([_real(v) for v in data], dtype=float)
            return flat.reshape(shape)
        if t == "seq":
            items = [array(i) for i in enc["items"]]
            if not items:
                return np.zeros((0,))
            if len({i.shape for i in items}) != 1:
                raise Invalid("ragged")
            return np.stack(items)
        if t == "matrix":
            vals = [number({"t": "expr", "tree": tr}) for tr in enc["items"]]
            return np.array(vals).reshape(tuple(enc["shape"]))
        if t in ("int", "float", "complex") or (t == "expr"):
            return np.array(number(enc))
    except Invalid:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise Invalid("unreadable") from exc
    raise Invalid("type", got=_type_name(enc), want="an array")


def _simplest(a: np.ndarray) -> np.ndarray:
    """Drop a zero imaginary part so that shapes and messages read naturally."""
    if np.iscomplexobj(a) and np.all(np.abs(a.imag) <= 1e-12 * (1 + np.abs(a.real))):
        return a.real
    return a


# ---------------------------------------------------------------- comparators

def _close(s: np.ndarray, r: np.ndarray, o: dict) -> bool:
    rtol, atol = float(o.get("rtol", 1e-6)), float(o.get("atol", 1e-9))
    s, r = np.asarray(s, dtype=complex), np.asarray(r, dtype=complex)
    if s.shape != r.shape:
        return False
    with np.errstate(all="ignore"):
        both_nan = np.isnan(s) & np.isnan(r)
        same_inf = np.isinf(s) & np.isinf(r) & (s == r)
        ok = np.isfinite(r) & (np.abs(s - r) <= atol + rtol * np.abs(r))  # inf <= inf must not pass
    return bool(np.all(ok | both_nan | same_inf))


class Comparator:
    """Base: decode with `decode`, compare with `equal`."""

    decode: Callable[[Any, dict], Any] = staticmethod(lambda enc, o: enc)

    def equal(self, s: Any, r: Any, o: dict) -> Comparison:
        raise NotImplementedError


class Scalar(Comparator):
    """A number within relative tolerance `rtol` (default 1e-6) and absolute tolerance `atol` (1e-9)."""

    decode = staticmethod(lambda enc, o: number(enc))

    def equal(self, s, r, o):
        return SAME if _close(np.array(s), np.array(r), o) else Comparison(False, "value")


class Array(Comparator):
    """An array of the exact shape, every entry within tolerance."""

    decode = staticmethod(lambda enc, o: _simplest(array(enc)))

    def equal(self, s, r, o):
        if s.shape != r.shape:
            return Comparison(False, "shape", {"got": list(s.shape)})
        return SAME if _close(s, r, o) else Comparison(False, "value")


class ColumnsUpToSign(Array):
    """Same shape; each column equals the reference column or its negative (eigenvectors, singular vectors)."""

    def equal(self, s, r, o):
        if s.shape != r.shape:
            return Comparison(False, "shape", {"got": list(s.shape)})
        s2 = s.reshape(s.shape[0], -1)
        r2 = r.reshape(r.shape[0], -1)
        for j in range(r2.shape[1]):
            if not (_close(s2[:, j], r2[:, j], o) or _close(s2[:, j], -r2[:, j], o)):
                return Comparison(False, "value")
        return SAME


class UpToScale(Array):
    """Same shape; equal to c times the reference for some nonzero scalar c (directions, eigenvectors)."""

    def equal(self, s, r, o):
        if s.shape != r.shape:
            return Comparison(False, "shape", {"got": list(s.shape)})
        rv, sv = r.ravel().astype(complex), s.ravel().astype(complex)
        denom = np.vdot(rv, rv)
        if abs(denom) == 0 or not np.all(np.isfinite(sv)):
            return Comparison(False, "value")
        c = np.vdot(rv, sv) / denom
        if abs(c) < 1e-12:
            return Comparison(False, "zero")
        return SAME if _close(sv, c * rv, o) else Comparison(False, "value")


class GlobalPhase(UpToScale):
    """Quantum states and unitaries: equal up to a factor e^{iφ} (|c| = 1)."""

    def equal(self, s, r, o):
        res = super().equal(s, r, o)
        if not res.ok:
            return res
        rv, sv = r.ravel().astype(complex), s.ravel().astype(complex)
        c = np.vdot(rv, sv) / np.vdot(rv, rv)
        return SAME if abs(abs(c) - 1) <= float(o.get("rtol", 1e-6)) + 1e-9 else Comparison(False, "value")


def _rank(a: np.ndarray, tol: float) -> int:
    if a.size == 0:
        return 0
    sv = np.linalg.svd(a, compute_uv=False)
    return int(np.sum(sv > tol * max(1.0, sv[0] if sv.size else 1.0)))


class Span(Array):
    """Columns spanning the same subspace as the reference's columns; a basis (right column count) unless
    `basis=False`. Any basis is accepted."""

    def equal(self, s, r, o):
        if s.ndim != 2 or s.shape[0] != r.shape[0]:
            return Comparison(False, "shape", {"got": list(s.shape)})
        if not np.all(np.isfinite(s)):
            return Comparison(False, "value")
        tol = float(o.get("rtol", 1e-6))
        rr, rs, both = _rank(r, tol), _rank(s, tol), _rank(np.hstack([r, s]), tol)
        if o.get("basis", True) and s.shape[1] != rr:
            return Comparison(False, "not_a_basis", {"got": list(s.shape)})
        return SAME if rr == rs == both else Comparison(False, "span")


class Integer(Comparator):
    """An exact integer; integral floats (16.0) are accepted, booleans are not. A non-integral number (16.5) is
    a wrong answer, not an unreadable one, so known mistakes such as "forgot the floor" can still be named."""

    @staticmethod
    def decode(enc, o):
        t = enc.get("t") if isinstance(enc, dict) else None
        if t == "int":
            if not expressions._digits(enc.get("v")):
                raise Invalid("unreadable")
            return int(enc["v"])
        if t in ("float", "expr") or (t == "array" and enc.get("shape") == []):
            z = number(enc)
            if z.imag != 0 or not np.isfinite(z.real):
                raise Invalid("not_integer")
            return int(z.real) if float(z.real).is_integer() else float(z.real)
        raise Invalid("type", got=_type_name(enc), want="an integer")

    def equal(self, s, r, o):
        if s == r:
            return SAME
        return Comparison(False, "not_integer" if isinstance(s, float) else "value")


class Boolean(Comparator):
    """True or False."""

    @staticmethod
    def decode(enc, o):
        if isinstance(enc, dict) and enc.get("t") == "bool":
            return bool(enc["v"])
        raise Invalid("type", got=_type_name(enc), want="True or False")

    def equal(self, s, r, o):
        return SAME if s == r else Comparison(False, "value")


class Choice(Comparator):
    """One option label ("b") or a collection of labels ({"a", "c"}), compared case-insensitively as a set."""

    @staticmethod
    def decode(enc, o):
        t = enc.get("t") if isinstance(enc, dict) else None
        if t == "str":
            return frozenset([enc["v"].strip().lower()])
        if t in ("seq", "set"):
            items = enc["items"]
            if not all(isinstance(i, dict) and i.get("t") == "str" for i in items):
                raise Invalid("type", got="a collection that is not all strings", want="option labels (strings)")
            return frozenset(i["v"].strip().lower() for i in items)
        raise Invalid("type", got=_type_name(enc), want="an option label or a set of labels")

    def equal(self, s, r, o):
        if o.get("options") and not s <= {x.lower() for x in o["options"]}:
            return Comparison(False, "unknown_option")
        return SAME if s == r else Comparison(False, "value")


class NumberSet(Comparator):
    """An unordered collection of numbers (a multiset), each within tolerance."""

    @staticmethod
    def decode(enc, o):
        t = enc.get("t") if isinstance(enc, dict) else None
        if t in ("seq", "set"):
            return [number(i) for i in enc["items"]]
        if t == "array" and len(enc.get("shape", [])) == 1:
            return list(array(enc).astype(complex))
        raise Invalid("type", got=_type_name(enc), want="a collection of numbers")

    def equal(self, s, r, o):
        if len(s) != len(r):
            return Comparison(False, "count", {"got": len(s)})
        left = list(r)
        for x in s:
            for i, y in enumerate(left):
                if _close(np.array(x), np.array(y), o):
                    del left[i]
                    break
            else:
                return Comparison(False, "value")
        return SAME


class Symbolic(Comparator):
    """Symbolic equivalence by evaluation at random points of the declared domain `symbols` ({name: [lo, hi]}).

    Points where the reference is undefined are skipped; `rtol` (1e-6), `points` (40), `time_limit` seconds (2).
    Accepts every equivalent form (expanded, factored, exp vs cosh/tanh ...). Scalars and sympy matrices.
    """

    @staticmethod
    def decode(enc, o):
        t = enc.get("t") if isinstance(enc, dict) else None
        try:
            if t == "expr":
                trees, shape = [enc["tree"]], None
            elif t == "matrix":
                trees, shape = list(enc["items"]), tuple(enc["shape"])
                if len(shape) != 2 or not all(type(n) is int and n >= 0 for n in shape) \
                        or len(trees) != shape[0] * shape[1]:
                    raise Invalid("unreadable")
            elif t in ("int", "float"):
                trees, shape = [["Float", float(number(enc).real)]], None
            else:
                raise Invalid("type", got=_type_name(enc), want="a sympy expression")
            used: set[str] = set()
            for tree in trees:
                used |= expressions.validate(tree)
        except expressions.BadExpression as exc:
            raise Invalid(exc.reason, **exc.details) from exc
        except (KeyError, TypeError) as exc:
            raise Invalid("unreadable") from exc
        unknown = sorted(used - set((o.get("symbols") or {})))
        if unknown:
            raise Invalid("unknown_symbols", names=unknown[:5])
        return (shape, trees)

    def equal(self, s, r, o):
        (s_shape, s_trees), (r_shape, r_trees) = s, r
        if s_shape != r_shape:
            return Comparison(False, "shape", {"got": list(s_shape) if s_shape else "a scalar expression"})
        n = int(o.get("points", 40))
        seed = zlib.crc32(repr(sorted((o.get("symbols") or {}).items())).encode())
        env = expressions.sample_points(o.get("symbols") or {}, n, seed)
        deadline = time.monotonic() + float(o.get("time_limit", 2.0))
        for st, rt in zip(s_trees, r_trees):
            rv = expressions.evaluate(rt, env)
            sv = expressions.evaluate(st, env)
            if time.monotonic() > deadline:
                return Comparison(False, "too_slow")
            ok = np.isfinite(rv)
            if ok.sum() < min(8, n):
                return Comparison(False, "undecidable")
            if not _close(sv[ok], rv[ok], o):
                return Comparison(False, "value")
        return SAME


COMPARATORS: dict[str, Comparator] = {
    "scalar": Scalar(), "array": Array(), "columns_up_to_sign": ColumnsUpToSign(), "up_to_scale": UpToScale(),
    "global_phase": GlobalPhase(), "span": Span(), "integer": Integer(), "boolean": Boolean(), "choice": Choice(),
    "number_set": NumberSet(), "symbolic": Symbolic(),
}
