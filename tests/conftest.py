"""Shared fixtures: a scratch nbgrader course with built problem sets, graded through nbgrader's own pipeline."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FAST = {"Execute": {"timeout": 6}}  # per-cell timeout for the tests' endless loops (the course default is 30 s)


@dataclass
class Graded:
    """What nbgrader recorded for one submission, and what the judge wrote."""
    success: bool
    message: str
    cells: dict  # grade_id -> (score, max_score, needs_manual_grade)
    verdicts: dict  # check id -> verdict json
    autograded: Path | None


def make_course(tmp: Path, sets: list[str]) -> Path:
    course = tmp / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    for ps in sets:
        shutil.copytree(ROOT / "source" / ps, course / "source" / ps)
    from graders.build import build

    report = build(course, sets, overrides=FAST, say=lambda m: None)
    assert not report.errors, report.errors
    return course


def submit(course: Path, ps: str, student: str, nb) -> Path:
    path = course / "submitted" / student / ps / f"{ps}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, str):
        path.write_text(nb)
    else:
        nbformat.write(nb, path)
    return path


def collect_results(course: Path, ps: str, outcomes) -> dict[str, Graded]:
    from nbgrader.api import Gradebook, MissingEntry

    from graders.course import load_config
    from graders.model import VERDICT_MIME

    cfg = load_config(course)
    out = {}
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        for o in outcomes:
            cells, verdicts = {}, {}
            try:
                nbsub = gb.find_submission_notebook(ps, ps, o.student)
                cells = {g.name: (g.score, g.max_score, g.needs_manual_grade) for g in nbsub.grades}
            except MissingEntry:
                pass
            path = course / "autograded" / o.student / ps / f"{ps}.ipynb"
            if path.exists():
                for cell in nbformat.read(path, as_version=4).cells:
                    for output in cell.get("outputs", []):
                        data = output.get("data", {})
                        if VERDICT_MIME in data:
                            for v in data[VERDICT_MIME]["verdicts"]:
                                verdicts[v["check_id"]] = v
            out[o.student] = Graded(o.success, o.message, cells, verdicts, path if path.exists() else None)
    return out


def key_checks(ps: str) -> dict:
    """check id -> Check of a problem set's answer key (built from source/ if needed), for the math tests."""
    from graders.keys import ensure_key

    key = ensure_key(ROOT, ps, ps)
    return {c.id: c for cell in key.cells.values() for c in cell.checks}


def array_or_none(enc):
    """A probe argument as a numpy array; None for one the probe could not encode (a function, a random
    Generator)."""
    from graders.comparators import array

    try:
        return array(enc)
    except Exception:  # noqa: BLE001 - encoded as unsupported
        return None


def reference_calls(check, arg=None, result=None) -> list:
    """(decoded argument list, decoded reference output) for each input of a function check in a key.

    `arg` and `result` decode one argument and the reference output (default: numpy arrays, and None for an
    argument that cannot be decoded); a set's math tests pass their own where they want floats or raw encodings."""
    from graders.comparators import array

    arg, result = arg or array_or_none, result or array
    return [([arg(a) for a in inp["items"]], result(res["ok"]))
            for inp, res in zip(check.inputs, check.reference["results"])]


class LoopbackListener:
    """A TCP server on 127.0.0.1 that records every connection it accepts (for the no-network tests)."""

    def __init__(self):
        import socket
        import threading

        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.accepted: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                self.accepted.append(self.server.accept())
            except OSError:
                continue

    def close(self):
        self._stop.set()
        self._thread.join()
        self.server.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
