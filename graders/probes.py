"""Kernel side: probes called from the hidden part of test cells.

A probe evaluates the student's object (a value, or a function on chosen inputs) and publishes the result as plain
data under graders.model.PAYLOAD_MIME. It never knows the reference answer and never decides anything: the judge
does, outside the kernel. A probe never raises and never writes to stderr: the student's errors, warnings and prints
are captured and reported as data.

    report("q1.angle", lambda: theta, compare="scalar", rtol=1e-6,
           mistakes=[Mistake("That is in degrees; the problem asks for radians.", scale=180 / np.pi)])
    report_calls("q5", lambda: projector, inputs=[(B1,), (B2,)], compare="array",
                 mistakes=[Mistake("B Bᵀ is a projector only when B has orthonormal columns.", fn=lambda B: B @ B.T)])

When the key is built (environment variable PSETS_KEY_BUILD=1, set by graders.keys), a probe also reports its
specification (comparator, options, weight, known mistakes with their values). At grading time the specification
is not sent; if something sends one anyway, the judge ignores it: the key alone says how to compare.
"""
from __future__ import annotations

import contextlib
import copy
import io
import os
import warnings
from typing import Any, Callable, Iterable

from .encoding import EncodingLimit, describe_error, encode
from .model import PAYLOAD_MIME

KEY_BUILD_ENV = "PSETS_KEY_BUILD"
#: Set to "1" in every kernel that graders starts to grade or build a key (graders.execute, graders.keys): a
#: notebook's self-check cell (graders.check.check_here) then does nothing.
GRADING_ENV = "PSETS_GRADING"

_TRANSFORMS = ("negate", "scale", "add", "apply", "transpose", "flip", "value", "fn", "expr")


class Mistake:
    """A common wrong answer: exactly one transformation of the reference, and the message a student reads.

    negate=True, scale=c, add=c, apply="cos"|"sin"|"exp"|"log"|"sqrt"|"square"|"reciprocal"|"abs"|"log2"|"ln",
    transpose=True, flip=True (reverse the order of a 1-D result), value=<thunk or value>, fn=<a wrong version of the
    student's function: called on the probe's inputs, its output goes through the same `select`>,
    expr=<sympy expression>.
    """

    def __init__(self, message: str, **transform: Any):
        if len(transform) != 1 or next(iter(transform)) not in _TRANSFORMS:
            raise ValueError(f"Mistake needs exactly one of {', '.join(_TRANSFORMS)}; got {sorted(transform)}")
        self.message = message
        (self.kind, self.arg), = transform.items()

    def spec(self, inputs: list | None, select: Any) -> dict:
        """The transformation as plain data (evaluated only while the key is built)."""
        kind, arg = self.kind, self.arg
        if kind in ("negate", "transpose", "flip"):
            return {"kind": kind}
        if kind in ("scale", "add"):
            return {"kind": kind, "factor" if kind == "scale" else "offset": encode(arg)}
        if kind == "apply":
            return {"kind": "apply", "function": str(arg)}
        if kind == "fn":
            if inputs is None:
                raise ValueError("Mistake(fn=...) is for report_calls; use value= with report")
            return {"kind": "value", "value": _calls(arg, inputs, select)}
        value = arg() if (kind == "value" and callable(arg)) else arg
        return {"kind": "value", "value": encode(value)}


@contextlib.contextmanager
def _quiet():
    """Capture everything the student's code prints or warns while a probe runs it."""
    import numpy as np

    sink = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            yield


def _safe_encode(get: Callable[[], Any]) -> dict:
    try:
        return encode(get())
    except EncodingLimit as exc:
        return {"t": "invalid", "why": f"too large to check: {exc}"}
    except RecursionError:
        return {"t": "invalid", "why": "too deeply nested to check"}


def _select(out: Any, select: Any) -> Any:
    if select is None:
        return out
    try:
        return out[select]
    except Exception:
        raise _SelectError(type(out).__name__) from None


class _SelectError(Exception):
    pass


def _calls(fn: Any, inputs: Iterable, select: Any) -> dict:
    results = []
    for args in inputs:
        args = args if isinstance(args, tuple) else (args,)
        try:
            out = fn(*copy.deepcopy(args))
            results.append({"ok": _safe_encode(lambda: _select(out, select))})
        except _SelectError as exc:
            results.append({"ok": {"t": "invalid", "why": f"returned a {exc}, not a tuple of results"}})
        except BaseException as exc:  # noqa: BLE001 - the student's error is data, SystemExit included
            results.append({"raised": describe_error(exc)})
    return {"t": "calls", "results": results}


def _publish(check: str, value: dict, spec: dict | None) -> None:
    payload = {"check": check, "value": value}
    if spec is not None:
        payload["spec"] = spec
    try:
        from IPython.display import publish_display_data

        publish_display_data({PAYLOAD_MIME: payload, "text/plain": f"[reported {check}]"})
    except Exception:  # outside a kernel (or a broken display system): nothing to report to
        pass


def _plain(options: dict) -> dict:
    """Options as JSON data (numpy numbers and tuples become floats and lists)."""
    import json

    def default(o: Any) -> Any:
        try:
            return float(o)
        except Exception:
            return str(o)

    return json.loads(json.dumps(options, default=default))


def _spec(compare: str, weight: float, options: dict, mistakes: Iterable[Mistake], inputs, select) -> dict | None:
    if os.environ.get(KEY_BUILD_ENV) != "1":
        return None
    with _quiet():
        spec = {"compare": compare, "weight": float(weight), "options": _plain(options),
                "mistakes": [{"message": m.message, "transform": m.spec(inputs, select)} for m in mistakes]}
        if inputs is not None:  # kept in the key (never shown to students) for reports and the tests' cross-checks
            spec["inputs"] = [encode(list(a) if isinstance(a, tuple) else [a]) for a in inputs]
        return spec


def report(check: str, get: Callable[[], Any], *, compare: str, weight: float = 1.0,
           mistakes: Iterable[Mistake] = (), **options: Any) -> None:
    """Report the value `get()` (a zero-argument callable, so an undefined answer is reported, not raised)."""
    try:
        with _quiet():
            try:
                value = _safe_encode(get)
            except BaseException as exc:  # noqa: BLE001
                value = {"t": "missing", "error": describe_error(exc)}
        _publish(check, value, _spec(compare, weight, options, mistakes, None, None))
    except BaseException:  # noqa: BLE001 - a probe never raises into the cell
        pass


def report_calls(check: str, get_function: Callable[[], Any], inputs: Iterable, *, compare: str,
                 select: Any = None, weight: float = 1.0, mistakes: Iterable[Mistake] = (), **options: Any) -> None:
    """Call the student's function on each input (a tuple of positional arguments) and report the outputs.

    `select` picks one part of a tuple result (e.g. 0 for the eigenvalues of `(w, V)`); the comparator then
    applies to each output in turn and the check passes only if every output passes.
    """
    inputs = list(inputs)
    try:
        with _quiet():
            try:
                fn = get_function()
                value = _calls(fn, inputs, select) if callable(fn) else \
                    {"t": "invalid", "why": f"expected a function, got {type(fn).__name__}"}
            except BaseException as exc:  # noqa: BLE001
                value = {"t": "missing", "error": describe_error(exc)}
        _publish(check, value, _spec(compare, weight, options, mistakes, inputs, select))
    except BaseException:  # noqa: BLE001
        pass
