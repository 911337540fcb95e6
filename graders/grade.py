"""`psets grade PS`: autograde every submission of a problem set through nbgrader's own pipeline.

Each submission is graded by nbgrader's Autograde converter with the course configuration (so the judge decides
every test cell); a submission that cannot be graded is reported and does not stop the others.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .course import load_config


@dataclass
class Outcome:
    student: str
    success: bool
    score: float | None
    max_score: float
    message: str = ""


def submitted_students(root: Path, ps: str) -> list[str]:
    base = root / "submitted"
    return sorted(d.name for d in base.iterdir() if (d / ps).is_dir()) if base.is_dir() else []


def _first_error(log: str) -> str:
    for line in (log or "").splitlines():
        if "[ERROR]" in line or "Error" in line:
            return line.split("]", 2)[-1].strip()[:200]
    return "nbgrader could not grade this submission (see its log)"


def grade(root: Path, ps: str, students: Iterable[str] | None = None, *, overrides: dict | None = None,
          progress: bool = True) -> list[Outcome]:
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI

    cfg = load_config(root, overrides)
    api = NbGraderAPI(config=cfg)
    todo = list(students) if students is not None else submitted_students(root, ps)
    outcomes: list[Outcome] = []
    bar = _progress(progress)
    with bar:
        task = bar.add_task(f"grading {ps}", total=len(todo))
        for student in todo:
            r = api.autograde(ps, student, force=True, create=True)
            outcomes.append(Outcome(student, bool(r["success"]), None, 0.0,
                                    "" if r["success"] else _first_error(r.get("error") or r.get("log"))))
            bar.advance(task)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for o in outcomes:
            try:
                sub = gb.find_submission(ps, o.student)
                o.score, o.max_score = float(sub.score), float(sub.max_score)
            except Exception:  # noqa: BLE001 - no submission row: grading failed before it was made
                o.score = None
    return outcomes


def _progress(enabled: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, \
        TimeElapsedColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task):  # notebooks per second
            return Text(f"{task.speed:.2f} nb/s" if task.speed else "– nb/s")

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
                    TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), disable=not enabled)
