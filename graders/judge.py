"""Grader side: payloads + key -> verdicts -> a cell grade. Pure functions, no nbgrader, no kernel.

Trust flows one way: the key (built from the source notebook) says what is compared, how and for how many points;
a payload contributes only the student's value for a check id the key expects. Anything else in a payload is
ignored; two payloads for one check, or a malformed one, score 0.
"""
from __future__ import annotations

from typing import Any, Iterable

from .comparators import COMPARATORS, Comparator, Invalid
from .mistakes import UnknownTransform, transform
from .model import CellGrade, Check, Outcome, Verdict


def _compare(comp: Comparator, check: Check, s_enc: Any, r_enc: Any) -> tuple[Outcome, str, dict]:
    """Decode and compare one student value with one reference value."""
    if isinstance(s_enc, dict) and s_enc.get("t") == "invalid":  # the probe's own explanation, before decoding
        return Outcome.INVALID, "invalid", {"why": str(s_enc.get("why", ""))[:200]}
    try:
        student = comp.decode(s_enc, check.options)
    except Invalid as exc:
        return Outcome.INVALID, exc.reason, exc.details
    res = comp.equal(student, comp.decode(r_enc, check.options), check.options)
    return (Outcome.CORRECT if res.ok else Outcome.INCORRECT), res.reason, res.details


def _equal(comp: Comparator, check: Check, s_enc: Any, r_enc: Any, t: dict | None = None) -> bool:
    """Does the student's value equal the reference, or the reference under mistake transform `t`?"""
    try:
        student = comp.decode(s_enc, check.options)
        ref = comp.decode(r_enc, check.options) if r_enc is not None else None
        if t is not None:
            ref = transform(t, ref, comp, check.options)
        return comp.equal(student, ref, check.options).ok
    except (Invalid, UnknownTransform, ValueError, TypeError, KeyError, AttributeError):
        return False


def _is_mistake_on_calls(comp: Comparator, check: Check, outs: list, refs: list, t: dict) -> bool:
    """A function answer matches a mistake when every output matches the mistaken output."""
    if t.get("kind") == "value":
        alts = (t.get("value") or {}).get("results") or []
        return len(alts) == len(refs) and all(
            "ok" in s and "ok" in a and _equal(comp, check, s["ok"], a["ok"]) for s, a in zip(outs, alts))
    return all("ok" in s and _equal(comp, check, s["ok"], r.get("ok"), t) for s, r in zip(outs, refs))


def judge_value(check: Check, value: Any) -> Verdict:
    """The verdict on one reported value (already known to be the only payload for this check)."""
    comp = COMPARATORS.get(check.compare)
    if comp is None:
        return Verdict(check.id, Outcome.INVALID, "undecidable")
    if not isinstance(value, dict):
        return Verdict(check.id, Outcome.INVALID, "malformed_payload")
    if value.get("t") == "missing":
        return Verdict(check.id, Outcome.MISSING, "undefined", {"error": str(value.get("error", ""))[:300]})
    ref = check.reference or {}
    if ref.get("t") != "calls":
        outcome, reason, details = _compare(comp, check, value, ref)
        if outcome is Outcome.CORRECT or outcome is Outcome.INVALID:
            return Verdict(check.id, outcome, reason, details)
        for m in check.mistakes:
            if _equal(comp, check, value, ref, m.transform):
                return Verdict(check.id, Outcome.KNOWN_MISTAKE, "mistake", {}, m.message)
        return Verdict(check.id, outcome, reason, details)

    # A function answer: the student's outputs on the probe's inputs, compared one by one.
    if value.get("t") != "calls":
        if value.get("t") == "invalid":
            return Verdict(check.id, Outcome.INVALID, "invalid", {"why": str(value.get("why", ""))[:200]})
        return Verdict(check.id, Outcome.INVALID, "malformed_payload")
    refs, outs = ref["results"], value.get("results")
    if not isinstance(outs, list) or len(outs) != len(refs):
        return Verdict(check.id, Outcome.INVALID, "malformed_payload")
    first_failure: Verdict | None = None
    for i, (s, r) in enumerate(zip(outs, refs), start=1):
        where = {"on_input": [i, len(refs)]}
        if not isinstance(s, dict):
            return Verdict(check.id, Outcome.INVALID, "malformed_payload")
        if "raised" in s:
            first_failure = first_failure or Verdict(
                check.id, Outcome.RAISED, "raised", {"error": str(s["raised"])[:300], "input": i, "inputs": len(refs)})
            continue
        outcome, reason, details = _compare(comp, check, s.get("ok"), r.get("ok"))
        if outcome is not Outcome.CORRECT:
            first_failure = first_failure or Verdict(check.id, outcome, reason, {**details, **where})
    if first_failure is None:
        return Verdict(check.id, Outcome.CORRECT)
    if first_failure.outcome is not Outcome.INCORRECT and first_failure.outcome is not Outcome.INVALID:
        return first_failure
    for m in check.mistakes:
        if _is_mistake_on_calls(comp, check, outs, refs, m.transform):
            return Verdict(check.id, Outcome.KNOWN_MISTAKE, "mistake", {}, m.message)
    return first_failure


def judge_cell(grade_id: str, points: float, checks: Iterable[Check], payloads: Iterable[Any],
               failure: dict | None = None) -> CellGrade:
    """Grade one test cell. `payloads` are the raw payload objects found in the cell's outputs (untrusted);
    `failure` is what the executor recorded for this cell ({"reason": "timeout", "seconds": 30}, ...), or for
    the problem's answer cell ({"reason": "answer_kernel_died", "only_if_missing": True}): the latter explains
    an answer the probe found undefined, and changes nothing else."""
    checks = list(checks)
    by_id: dict[str, list[Any]] = {}
    for p in payloads:
        if isinstance(p, dict) and isinstance(p.get("check"), str):
            by_id.setdefault(p["check"], []).append(p.get("value"))
    verdicts = []
    for check in checks:
        got = by_id.get(check.id, [])
        if len(got) > 1:
            verdicts.append(Verdict(check.id, Outcome.INVALID, "duplicate"))
        elif not got:
            cell_failure = failure if failure and not failure.get("only_if_missing") else None
            reason = (cell_failure or {}).get("reason", "no_payload")
            details = {k: v for k, v in (cell_failure or {}).items() if k != "reason"}
            verdicts.append(Verdict(check.id, Outcome.MISSING, reason, details))
        else:
            try:
                verdict = judge_value(check, got[0])
            except Exception:  # noqa: BLE001 - a hostile payload must never stop the grading of others
                verdict = Verdict(check.id, Outcome.INVALID, "malformed_payload")
            if verdict.outcome in (Outcome.MISSING, Outcome.RAISED) and failure and failure.get("only_if_missing"):
                # the answer is undefined because its answer cell hung or crashed: say that, not just "NameError"
                verdict = Verdict(check.id, Outcome.MISSING, failure["reason"],
                                  {k: v for k, v in failure.items() if k not in ("reason", "only_if_missing")})
            verdicts.append(verdict)
    if not checks:
        return CellGrade(grade_id, points, 0.0, (), "no_key")
    total = sum(c.weight for c in checks) or 1.0
    earned = sum(c.weight for c, v in zip(checks, verdicts) if v.passed)
    score = round(min(max(points * earned / total, 0.0), points), 4)
    return CellGrade(grade_id, points, score, tuple(verdicts))
