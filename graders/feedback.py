"""Every sentence a student reads about their grade is written here.

Verdicts carry reason codes and student-side details only; this module turns them into text. It never receives a
reference value, so it cannot print one. Student errors are shown as `ExcType: message` (their own code's error),
never as a traceback.
"""
from __future__ import annotations

import html

from .model import CellGrade, Outcome, Verdict

REASONS: dict[str, str] = {
    # incorrect
    "value": "Your answer does not match the expected result.",
    "shape": "Your answer has shape {got}, which is not the shape the problem asks for (check the conventions "
             "in the statement: (n,) and (n, 1) are different).",
    "span": "Your columns do not span the required subspace.",
    "not_a_basis": "Your answer (shape {got}) does not have the number of columns a basis of this subspace needs.",
    "count": "Your answer has {got} elements, which is not the number expected.",
    "zero": "Your answer is zero, which is not a valid direction.",
    "unknown_option": "Your answer uses a label that is not one of the listed options.",
    "too_slow": "Your expression took too long to evaluate; simplify it and try again.",
    "undecidable": "This answer could not be checked automatically; your instructor has been told.",
    # invalid
    "type": "Your answer is {got}; the problem asks for {want}.",
    "not_constant": "Your answer still contains symbols; the problem asks for a number.",
    "not_integer": "Your answer is not a whole number; the problem asks for an integer.",
    "ragged": "Your answer is a list of rows of different lengths; use a rectangular array.",
    "unreadable": "Your answer could not be read as the kind of value the problem asks for.",
    "unsupported_function": "Your expression uses `{name}`, which the checker does not support; rewrite it with "
                            "elementary functions (exp, log, sqrt, trigonometric and hyperbolic functions).",
    "unknown_symbols": "Your expression uses the symbol(s) {names}, which this problem does not define.",
    "malformed": "Your expression could not be read.",
    "too_large": "Your expression is too large to check; simplify it.",
    "too_deep": "Your expression is nested too deeply to check; simplify it.",
    "invalid": "Your answer could not be checked: {why}.",
    "duplicate": "More than one answer was reported for this check, so none is accepted. Do not print or display "
                 "checker output from your own code.",
    "malformed_payload": "The report for this check was damaged, so it scores 0.",
    # missing
    "undefined": "No answer was found: {error}. Define it in the answer cell and run the notebook from the top.",
    "no_payload": "No answer was reported for this check: the test cell did not run to the end.",
    "timeout": "This cell was stopped after {seconds} seconds without finishing (an endless loop?).",
    "kernel_died": "The Python kernel crashed or exited while running this cell (os._exit, a segfault or "
                   "running out of memory); it was restarted for the rest of the notebook.",
    "answer_timeout": "No answer was found: your answer cell was stopped after {seconds} seconds without finishing "
                      "(an endless loop?), so nothing it defines exists. Make it finish, then run the notebook again.",
    "answer_kernel_died": "No answer was found: the Python kernel crashed or exited while running your answer cell "
                          "(os._exit, a segfault or running out of memory), so nothing it defines exists.",
    "not_run": "This cell was not run because the kernel failed too many times earlier in the notebook.",
    "no_key": "This test cell is not in the answer key; tell your instructor (they need to run `psets build`).",
    # raised
    "raised": "Your function raised {error} on hidden input {input} of {inputs}.",
}

SYMBOL = {Outcome.CORRECT: "\u2713", Outcome.KNOWN_MISTAKE: "\u2717", Outcome.INCORRECT: "\u2717",
          Outcome.INVALID: "\u2717", Outcome.RAISED: "\u2717", Outcome.MISSING: "\u2013"}


def _fmt(reason: str, details: dict) -> str:
    template = REASONS.get(reason, REASONS["unreadable"])
    safe = {k: (", ".join(map(str, v)) if isinstance(v, list) and k == "names" else
                (tuple(v) if isinstance(v, list) else v)) for k, v in details.items()}
    try:
        return template.format(**safe)
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].rstrip(" :") + "."


def describe(v: Verdict) -> str:
    """One sentence (or two) for one check."""
    if v.outcome is Outcome.CORRECT:
        return "Correct."
    if v.outcome is Outcome.KNOWN_MISTAKE:
        return v.hint
    text = _fmt(v.reason, v.details)
    where = v.details.get("on_input")
    if where and v.reason != "raised":
        text = f"On hidden input {where[0]} of {where[1]}: " + text[0].lower() + text[1:]
    return text


def _fmt_points(x: float) -> str:
    return f"{x:g}"


def lines(cell: CellGrade) -> list[str]:
    """Plain-text lines for a test cell: the score, then one line per check."""
    out = [f"Score: {_fmt_points(cell.score)} / {_fmt_points(cell.points)}"]
    if cell.note and not cell.verdicts:
        out.append(_fmt(cell.note, {}))
    for v in cell.verdicts:
        out.append(f"{SYMBOL[v.outcome]} {v.check_id}: {describe(v)}")
    return out


def as_text(cell: CellGrade) -> str:
    return "\n".join(lines(cell))


def as_html(cell: CellGrade) -> str:
    colour = "#1a7f37" if cell.score >= cell.points else ("#9a6700" if cell.score > 0 else "#cf222e")
    rows = "".join(f"<li>{html.escape(line)}</li>" for line in lines(cell)[1:])
    return (f'<div class="psets-verdict" style="border-left:4px solid {colour};padding-left:8px">'
            f"<strong>Score: {_fmt_points(cell.score)} / {_fmt_points(cell.points)}</strong>"
            f"<ul>{rows}</ul></div>")
