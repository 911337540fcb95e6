"""`psets grade PS`: autograde every submission of a problem set through nbgrader's own pipeline.

Each submission is graded by nbgrader's Autograde converter with the course configuration (so the judge decides
every test cell); a submission that cannot be graded is reported and does not stop the others.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .course import load_config


@dataclass
class Outcome:
    student: str
    success: bool
    score: float | None
    max_score: float
    message: str = ""
    ran_on: str = ""  # "host:pid" of the worker that executed the notebooks; "" if executed in this process
    fallback: str = ""  # why a worker's execution failed, so that this process executed the notebooks


def submitted_students(root: Path, ps: str) -> list[str]:
    base = root / "submitted"
    return sorted(d.name for d in base.iterdir() if (d / ps).is_dir()) if base.is_dir() else []


def _first_error(log: str) -> str:
    for line in (log or "").splitlines():
        if "[ERROR]" in line or "Error" in line:
            return line.split("]", 2)[-1].strip()[:200]
    return "nbgrader could not grade this submission (see its log)"


def _unreadable(root: Path, ps: str, student: str) -> str:
    """Why a submission cannot be read, in words for the student ("" if every notebook is readable)."""
    import nbformat

    found = sorted((root / "submitted" / student / ps).glob("*.ipynb"))
    for path in found:
        try:
            nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001
            return (f"{path.name} is not a valid notebook file (damaged or edited outside Jupyter); "
                    "nothing in it could be graded")
    expected = sorted(p.name for p in (root / "release" / ps).glob("*.ipynb"))
    if expected and not {p.name for p in found} & set(expected):
        names = ", ".join(p.name for p in found) or "no notebook"
        return (f"the submission has {names} but the problem set's notebook is {', '.join(expected)}: "
                "nothing could be graded; rename the file to its released name and submit again")
    return ""


def grade(root: Path, ps: str, students: Iterable[str] | None = None, *, overrides: dict | None = None,
          progress: bool = True, workers: int = 1, scheduler: str | None = None,
          wait: bool = False) -> list[Outcome]:
    """Autograde submissions. With workers > 1 they execute in local worker processes, with a Dask scheduler
    address on that cluster's workers (graders.parallel, graders.cluster); either way this process alone runs
    nbgrader's pipeline and writes the gradebook, and a submission whose execution failed there is executed here.
    One run per course at a time: another one already running makes this call refuse with a CourseError (or wait,
    with wait=True)."""
    from .gradelock import grading_lock

    with grading_lock(root, ps, wait=wait), _unsynced_sqlite():
        outcomes = _grade(root, ps, students, overrides=overrides, progress=progress, workers=workers,
                          scheduler=scheduler)
    _fsync_gradebook(load_config(root, overrides).CourseDirectory.db_url)
    return outcomes


@contextmanager
def _unsynced_sqlite():
    """While this run grades, its SQLite connections skip the fsync after each of nbgrader's ~40 commits per
    notebook (PRAGMA synchronous=OFF: safe if the process is killed, since the data is in the OS already); the
    gradebook is synced to disk once at the end. Other processes' connections are unaffected."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def fast(dbapi_connection, _record):
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA synchronous=OFF")
            cur.close()

    event.listen(Engine, "connect", fast)
    try:
        yield
    finally:
        event.remove(Engine, "connect", fast)


def _fsync_gradebook(db_url: str) -> None:
    if db_url.startswith("sqlite:///"):
        path = db_url[len("sqlite:///"):]
        if os.path.exists(path):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _grade(root: Path, ps: str, students: Iterable[str] | None, *, overrides: dict | None, progress: bool,
           workers: int, scheduler: str | None) -> list[Outcome]:
    import warnings

    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI

    warnings.filterwarnings("ignore", module=r"nbgrader\..*")  # SQLAlchemy notices from nbgrader's own sessions
    warnings.filterwarnings("ignore", message=r".*not in session.*")
    cfg = load_config(root, overrides)
    todo = list(students) if students is not None else submitted_students(root, ps)
    runner = None
    if scheduler:
        from .cluster import DaskCluster

        runner = DaskCluster(scheduler)
    elif workers > 1 and len(todo) > 1:
        from .parallel import LocalPool

        runner = LocalPool(workers, cfg.SandboxedKernelManager.get("sandbox", "auto"))
    outcomes: dict[str, Outcome] = {}
    try:
        if runner is not None:
            from . import parallel

            cfg = parallel.coordinator_config(cfg)
            parallel.RESULTS.clear()  # never replay a result left over from an earlier run in this process
        api = NbGraderAPI(config=cfg)
        bar = _progress(progress)
        with bar:
            task = bar.add_task(f"grading {ps}", total=len(todo))
            for student, where, fallback in _executions(runner, root, ps, todo, cfg):
                r = api.autograde(ps, student, force=True, create=True)
                why = "" if r["success"] else (_unreadable(root, ps, student)
                                               or _first_error(r.get("error") or r.get("log")))
                outcomes[student] = Outcome(student, bool(r["success"]), None, 0.0, why, where, fallback)
                bar.advance(task)
    finally:
        if runner is not None:
            runner.close()
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for o in outcomes.values():
            if not o.success:
                _zero_ungradable(gb, ps, o.student)
            try:
                sub = gb.find_submission(ps, o.student)
                o.score, o.max_score = float(sub.score), float(sub.max_score)
            except Exception:  # noqa: BLE001 - no submission row: grading failed before it was made
                o.score = None
    return [outcomes[s] for s in todo]


def _executions(runner, root: Path, ps: str, todo: list[str], cfg) -> Iterator[tuple[str, str, str]]:
    """(student, where the notebooks were executed, why not remotely) in the order the coordinator can grade them.

    Without a runner every student is executed live, in order. With one, each submission is sanitized here and
    sent out; students with nothing to send come first (executed live), then each as its execution finishes. A
    failed execution (a dead worker, ...) leaves that student to be executed live."""
    if runner is None:
        yield from ((s, "", "") for s in todo)
        return
    from . import parallel

    config = parallel.executor_config(cfg)
    local = []
    for student in todo:
        job = parallel.prepare(root, ps, student, cfg)
        if job is None:
            local.append(student)
        else:
            runner.submit(job, config)
    yield from ((s, "", "") for s in local)
    for student, result, why in runner.completed():
        if result is None:
            yield student, "", why
            continue
        parallel.store(student, result)
        yield student, result.get("worker", ""), ""


def _zero_ungradable(gb, ps: str, student: str) -> None:
    """A submission nbgrader could not grade scores 0 on its auto-graded cells instead of waiting for manual
    grading (as nbgrader itself does for a missing notebook); hand-graded cells stay for the instructor."""
    try:
        sub = gb.find_submission(ps, student)
    except Exception:  # noqa: BLE001 - no row at all: nothing is waiting for a grader
        return
    for nb in sub.notebooks:
        for g in nb.grades:
            if g.cell.cell_type == "code" or not g.needs_manual_grade:
                g.auto_score, g.needs_manual_grade = 0, False
    gb.db.commit()


def _progress(enabled: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, \
        TimeElapsedColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task):  # notebooks per second
            return Text(f"{task.speed:.2f} nb/s" if task.speed else "– nb/s")

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
                    TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), disable=not enabled)
