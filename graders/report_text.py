"""Terminal output of `psets check` and `psets grade`: rich tables on a terminal, plain wrapped text (no colour, no
escape codes) when the output is not a terminal (a pipe, a file, `!psets check` or the self-check in a notebook)."""
from __future__ import annotations

import sys
import textwrap

from . import feedback

MAX_WIDTH = 100


def _console():
    from rich.console import Console

    probe = Console()
    return Console(width=min(probe.width, MAX_WIDTH), no_color=not probe.is_terminal)


def check_text(result, width: int = 88) -> str:
    """`psets check` as plain text: a heading, then per problem its points and one wrapped line per check."""
    out = [f"{result.notebook}: {result.score:g} / {result.points:g} points (auto-graded part)", ""]
    for g in result.grades:
        out.append(f"{g.grade_id.removesuffix('_test')}: {g.score:g} / {g.points:g}")
        for line in feedback.lines(g)[1:]:
            out += textwrap.wrap(line, width=width, initial_indent="  ", subsequent_indent="    ")
    for gid, pts in result.manual:
        out.append(f"{gid}: - / {pts:g}, graded by hand (not checked here)")
    return "\n".join(out)


def print_check(result) -> None:
    if not sys.stdout.isatty():
        print(check_text(result))
        return
    from rich.table import Table

    t = Table(title=f"{result.notebook}: {result.score:g} / {result.points:g} points (auto-graded part)",
              show_lines=True)
    t.add_column("problem")
    t.add_column("points", justify="right")
    t.add_column("verdict and hint")
    for g in result.grades:
        text = "\n".join(feedback.lines(g)[1:]) or "–"
        t.add_row(g.grade_id.removesuffix("_test"), f"{g.score:g} / {g.points:g}", text)
    for gid, pts in result.manual:
        t.add_row(gid, f"– / {pts:g}", "graded by hand (not checked here)")
    _console().print(t)


def print_grades(ps: str, outcomes) -> None:
    from rich.table import Table

    t = Table(title=f"{ps}: autograded submissions")
    t.add_column("student")
    t.add_column("score", justify="right")
    t.add_column("note")
    for o in outcomes:
        score = "–" if o.score is None else f"{o.score:g} / {o.max_score:g}"
        note = "" if o.success else f"not graded: {o.message}"
        if getattr(o, "fallback", ""):
            note = "; ".join(filter(None, [note, f"executed here, its worker failed ({o.fallback})"]))
        t.add_row(o.student, score, note)
    graded = [o.score for o in outcomes if o.score is not None]
    mean = sum(graded) / len(graded) if graded else 0.0
    failed = sum(1 for o in outcomes if not o.success)
    t.caption = f"{len(outcomes)} students, mean {mean:.2f}, {failed} could not be graded"
    remote = [o.ran_on for o in outcomes if o.ran_on]
    if remote:
        hosts = sorted({r.rsplit(":", 1)[0] for r in remote})
        t.caption += (f"; {len(remote)} executed by {len(set(remote))} worker process(es) on {', '.join(hosts)}, "
                      f"{len(outcomes) - len(remote)} here")
    _console().print(t)
