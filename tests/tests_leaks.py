"""Helpers for leak tests: the distinctive printed forms of a key's reference values."""
from __future__ import annotations

import math

from graders.comparators import Invalid, array


def _forms(x: float) -> set[str]:
    if not math.isfinite(x) or abs(x - round(x)) < 1e-3 or abs(x) < 1e-3:
        return set()  # small integers and round numbers appear everywhere; they prove nothing
    forms = {f"{x:.4f}", f"{x:.6f}", repr(float(x))[:10]}
    return {f for f in forms if len(f.lstrip("-")) >= 6}  # "0.5" or "1.25" appear in any notebook; "0.9078" does not


def reference_strings(key) -> set[str]:
    out: set[str] = set()
    for cell in key.cells.values():
        for chk in cell.checks:
            refs = chk.reference["results"] if chk.reference.get("t") == "calls" else [{"ok": chk.reference}]
            for r in refs:
                try:
                    vals = array(r["ok"]).ravel()
                except (Invalid, KeyError, TypeError, ValueError):
                    continue
                for v in vals[:50]:
                    for part in (complex(v).real, complex(v).imag):
                        out |= _forms(part)
    return out
