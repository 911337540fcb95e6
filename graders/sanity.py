"""Kernel side: the visible sanity checks a student runs in place.

Each check prints one short line (a tick or a cross and what to look at). `done()` raises `SanityCheckFailed`
when a check failed, so nbgrader's Validate reports the problem, and IPython shows only the friendly lines
(no traceback from this module). Sanity checks test types, shapes and properties: never the answer itself.

    s = Sanity("Problem 3")
    s.is_number(theta, "theta")
    s.has_shape(P, (4, 4), "P")
    s.holds(lambda: np.allclose(P @ P, P), "P @ P equals P (a projector is idempotent)")
    s.done()
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

OK, BAD = "\u2713", "\u2717"


class SanityCheckFailed(AssertionError):
    """Raised by Sanity.done() when a visible check failed; IPython renders only its message lines."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines

    def _render_traceback_(self) -> list[str]:  # IPython hook: replaces the traceback
        return self.lines


class Sanity:
    """A list of visible checks for one problem."""

    def __init__(self, title: str):
        self.title = title
        self.failed: list[str] = []

    def _line(self, ok: bool, text: str) -> bool:
        print(f"{OK if ok else BAD} {text}")
        if not ok:
            self.failed.append(text)
        return ok

    def defined(self, get: Callable[[], Any], name: str) -> bool:
        try:
            get()
        except NameError:
            return self._line(False, f"`{name}` is not defined yet: run your answer cell first")
        except Exception as exc:  # noqa: BLE001
            return self._line(False, f"evaluating `{name}` raised {type(exc).__name__}: {exc}")
        return self._line(True, f"`{name}` is defined")

    def is_number(self, value: Any, name: str) -> bool:
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
        return self._line(ok, f"`{name}` is a real number" if ok else
                          f"`{name}` should be a real number (int or float), not {type(value).__name__}")

    def has_shape(self, value: Any, shape: tuple, name: str) -> bool:
        got = getattr(value, "shape", None)
        ok = got is not None and tuple(got) == tuple(shape)
        return self._line(ok, f"`{name}` has shape {tuple(shape)}" if ok else
                          f"`{name}` should be a numpy array of shape {tuple(shape)}, got "
                          + (f"shape {tuple(got)}" if got is not None else type(value).__name__))

    def is_instance(self, value: Any, types: type | tuple, name: str, what: str) -> bool:
        ok = isinstance(value, types)
        return self._line(ok, f"`{name}` is {what}" if ok else f"`{name}` should be {what}, not {type(value).__name__}")

    def holds(self, predicate: Callable[[], Any], description: str) -> bool:
        try:
            ok = bool(predicate())
        except Exception as exc:  # noqa: BLE001 - report the student's error as a line, not a traceback
            return self._line(False, f"could not check that {description}: {type(exc).__name__}: {exc}")
        return self._line(ok, description if ok else f"expected: {description}")

    def done(self) -> None:
        if self.failed:
            n = len(self.failed)
            raise SanityCheckFailed([f"{self.title}: {n} visible check{'s' if n > 1 else ''} failed "
                                     "(see the lines above). Passing them does not guarantee full marks."])
        print(f"{self.title}: visible checks passed (the hidden tests check more).")
