"""`psets demo`: the whole course lifecycle on a simulated class, in a scratch course, with nbgrader itself.

build (lint, release/, keys) -> release to the exchange -> 12 students fetch, answer and submit through the
exchange -> collect -> autograde (the judge decides) -> feedback -> CSV export -> the gradebook, printed.
Runs on SQLite and local folders; nothing outside the scratch folder is touched.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from .course import CourseError, load_config, resolve_sets


def _say(msg: str) -> None:
    from rich.console import Console

    Console().print(msg)


def _scratch_course(repo: Path, dest: Path, sets: list[str]) -> Path:
    if dest.exists():
        if not (dest / ".psets-demo").exists():
            raise CourseError(f"{dest} exists and is not a demo course; choose another --dir")
        shutil.rmtree(dest)
    (dest / "source").mkdir(parents=True)
    (dest / ".psets-demo").write_text("scratch course made by `psets demo`; safe to delete\n")
    shutil.copy2(repo / "nbgrader_config.py", dest / "nbgrader_config.py")
    for ps in sets:
        shutil.copytree(repo / "source" / ps, dest / "source" / ps)
    return dest


def _submit_through_exchange(course: Path, cfg, ps: str, students: dict) -> None:
    """Each simulated student fetches the release, writes answers and submits, as nbgrader's student commands do."""
    import nbformat
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

    for sid, (nb, _what) in students.items():
        home = course / "students" / sid
        home.mkdir(parents=True, exist_ok=True)
        cd = CourseDirectory(config=cfg)
        cd.assignment_id, cd.student_id = ps, sid
        auth = Authenticator(config=cfg)
        ExchangeFetchAssignment(coursedir=cd, authenticator=auth, config=cfg, assignment_dir=str(home)).start()
        folder = home / cd.course_id / ps if cfg.Exchange.get("path_includes_course", False) else home / ps
        target = folder / f"{ps}.ipynb"
        if sid.endswith("invalid_json"):
            target.write_text('{"cells": [ this is not json')
        else:
            nbformat.write(nb, target)
        ExchangeSubmit(coursedir=cd, authenticator=auth, config=cfg, assignment_dir=str(home)).start()


#: The demo's endless-loop student waits for this per-cell timeout (the course default is 30 s).
DEMO_TIMEOUT = {"Execute": {"timeout": 10}}


def run_demo(dest: Path, names: list[str] | None, *, repo: Path) -> int:
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.plugins.export import CsvExportPlugin

    from .build import build
    from .classroom import simulated_class
    from .grade import grade
    from .report_text import print_grades

    t0 = time.monotonic()
    sets = resolve_sets(repo, names)
    course = _scratch_course(repo, Path(dest).resolve(), sets)
    _say(f"[bold]psets demo[/bold]: scratch course in {course} with {', '.join(sets)} "
         f"(cell timeout {DEMO_TIMEOUT['Execute']['timeout']} s for the demo)")
    report = build(course, sets, say=lambda m: _say("  " + m))
    if report.errors:
        for e in report.errors:
            _say(f"[red]error:[/red] {e}")
        return 1
    cfg = load_config(course)
    api = NbGraderAPI(config=cfg)
    timings = {}
    for ps in sets:
        res = api.release_assignment(ps)
        if not res["success"]:
            _say(f"[red]release failed[/red]: {res.get('error')}")
            return 1
        src = nbformat.read(course / "source" / ps / f"{ps}.ipynb", as_version=4)
        rel = nbformat.read(course / "release" / ps / f"{ps}.ipynb", as_version=4)
        students = simulated_class(repo, ps, src, rel)
        students["s13_invalid_json"] = (None, "a notebook that is not valid JSON")
        _say(f"{ps}: released; {len(students)} simulated students fetch, answer and submit")
        for sid, (_nb, what) in students.items():
            _say(f"  {sid:22s} {what}")
        _submit_through_exchange(course, cfg, ps, students)
        res = api.collect(ps)
        if not res["success"]:
            _say(f"[red]collect failed[/red]: {res.get('error')}")
            return 1
        t = time.monotonic()
        outcomes = grade(course, ps, overrides=DEMO_TIMEOUT, workers=os.cpu_count() or 1)
        timings[ps] = time.monotonic() - t
        print_grades(ps, outcomes)
        api.generate_feedback(ps)
        _say(f"{ps}: feedback written to {course / 'feedback'}/<student>/{ps}/")
    csv = course / "grades.csv"
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        CsvExportPlugin(config=cfg, to=str(csv)).export(gb)
        _print_gradebook(gb, sets)
    _say(f"grades exported to {csv}")
    for ps, secs in timings.items():
        _say(f"grading {ps}: {secs:.1f} s")
    _say(f"[bold]demo finished in {time.monotonic() - t0:.1f} s[/bold]")
    return 0


def _print_gradebook(gb, sets: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    for ps in sets:
        a = gb.find_assignment(ps)
        cells = [gc.name for nb in a.notebooks for gc in nb.grade_cells]
        t = Table(title=f"gradebook: {ps}")
        t.add_column("student")
        for c in cells:
            t.add_column(c.removesuffix("_test"), justify="right")
        t.add_column("total", justify="right")
        for sub in sorted(a.submissions, key=lambda s: s.student.id):
            row = []
            by_name = {g.name: g for nb in sub.notebooks for g in nb.grades}
            for c in cells:
                g = by_name.get(c)
                row.append("?" if g is None or g.score is None or g.needs_manual_grade else f"{g.score:g}")
            t.add_row(sub.student.id, *row, f"{sub.score:g}/{sub.max_score:g}")
        Console().print(t)
