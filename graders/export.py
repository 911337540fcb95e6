"""`psets export`: grades from the gradebook as nbgrader's CSV or as a Canvas gradebook import file.

Canvas layout: the columns Student, ID, SIS User ID, SIS Login ID, Section, then one column per problem set
headed "<name> (<max points>)"; the second row "Points Possible" holds each set's maximum. Students are matched by
SIS Login ID (the nbgrader student id). A missing submission is an empty cell (Canvas leaves it ungraded).
"""
from __future__ import annotations

import csv
from pathlib import Path

from .course import CourseError, load_config

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def in_gradebook(root: Path, sets: list[str]) -> list[str]:
    """The problem sets among `sets` that the gradebook knows (released or graded at least once)."""
    from nbgrader.api import Gradebook

    cfg = load_config(root)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        known = {a.name for a in gb.assignments}
    return [ps for ps in sets if ps in known]


def export(root: Path, sets: list[str], fmt: str, dest: Path) -> Path:
    from nbgrader.api import Gradebook, MissingEntry

    missing = sorted(set(sets) - set(in_gradebook(root, sets)))
    if missing or not sets:
        raise CourseError(f"no grades in the gradebook for {', '.join(missing) or 'any problem set'}: release and "
                          "grade a problem set first (nbgrader release_assignment PS, then psets grade PS)")
    cfg = load_config(root)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        if fmt == "csv":
            from nbgrader.plugins.export import CsvExportPlugin

            CsvExportPlugin(config=cfg, to=str(dest), assignment=list(sets)).export(gb)
            return dest
        maxima = {ps: float(gb.find_assignment(ps).max_score) for ps in sets}
        rows = [CANVAS_FIXED + [f"{ps} ({maxima[ps]:g})" for ps in sets],
                ["Points Possible", "", "", "", ""] + [f"{maxima[ps]:g}" for ps in sets]]
        for student in sorted(gb.students, key=lambda s: s.id):
            name = ", ".join(n for n in (student.last_name, student.first_name) if n) or student.id
            scores = []
            for ps in sets:
                try:
                    scores.append(f"{float(gb.find_submission(ps, student.id).score):g}")
                except MissingEntry:
                    scores.append("")
            rows.append([name, "", student.id, student.id, ""] + scores)
    with open(dest, "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return dest
