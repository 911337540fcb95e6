"""No lost data: a `psets grade` killed with SIGKILL halfway and run again gives the gradebook of an uninterrupted
run; a second run on the same course refuses while the first holds the gradebook; submissions stay byte-identical."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import FAST, collect_results, make_course, submit
from graders.classroom import fill, reference_answers

pytestmark = pytest.mark.e2e
PS = "ps02_linear_algebra"


def _class(course: Path) -> None:
    src = nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    ref = reference_answers(src)
    loop = "import time\nwhile True:\n    time.sleep(0.05)"
    answers = {"a_reference": ref, "b_blank": {}, "c_half": {k: v for i, (k, v) in enumerate(ref.items()) if i % 2},
               "d_loop": {**ref, "q3_answer": loop}, "e_crash": {**ref, "q5_answer": "import os\nos._exit(1)"},
               "f_loop": {**ref, "q7_answer": loop}, "g_reference": ref}
    for student, a in answers.items():
        submit(course, PS, student, fill(rel, a))


def _graded_count(course: Path) -> int:
    db = course / "gradebook.db"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("select count(*) from submitted_assignment").fetchone()[0]
    except sqlite3.Error:
        return 0


def _submissions(course: Path) -> dict[str, str]:
    return {str(p.relative_to(course)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((course / "submitted").rglob("*")) if p.is_file()}


def _psets(course: Path, *args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PSETS_CELL_TIMEOUT": str(FAST["Execute"]["timeout"])}
    return subprocess.Popen([sys.executable, "-m", "graders.cli", "--course", str(course), "grade", PS, *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kw)


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    base = tmp_path_factory.mktemp("nolost")
    killed = make_course(base / "k", [PS])
    _class(killed)
    whole = base / "whole"
    shutil.copytree(killed, whole)
    return killed, whole


def test_killed_run_then_rerun_equals_an_uninterrupted_run_and_a_second_run_refuses(courses):
    """SIGKILL halfway, run again: same gradebook as an uninterrupted run? A concurrent run refuses plainly?"""
    from graders.grade import grade

    killed, whole = courses
    before = _submissions(killed)
    first = _psets(killed, "--workers", "2")
    try:
        deadline = time.monotonic() + 240
        while _graded_count(killed) < 2 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert first.poll() is None, "the run ended before it could be interrupted"
        assert _graded_count(killed) >= 2
        # a second run while the first one holds the course: refuses with a clear message, changes nothing
        second = _psets(killed, "--workers", "1")
        out, err = second.communicate(timeout=120)
        assert second.returncode == 2, (out, err)
        assert "already being graded" in err and "Traceback" not in err
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    assert _graded_count(killed) < 7  # it really was interrupted halfway
    outcomes = grade(killed, PS, overrides=FAST, progress=False, workers=2)  # the lock was released by the kill
    resumed = collect_results(killed, PS, outcomes)
    uninterrupted = collect_results(whole, PS, grade(whole, PS, overrides=FAST, progress=False, workers=1))
    assert set(resumed) == set(uninterrupted)
    for student in uninterrupted:
        assert resumed[student].cells == uninterrupted[student].cells, student
    assert _submissions(killed) == before  # grading never touched a submission
    # no half-written rows: every submission has every grade row, each with a score
    with sqlite3.connect(killed / "gradebook.db") as con:
        rows = con.execute("select count(*), sum(auto_score is null and manual_score is null and "
                           "needs_manual_grade = 0) from grade").fetchone()
    assert rows[0] == 7 * 11 and rows[1] == 0, rows


def test_wait_queues_behind_a_running_grading(courses, tmp_path):
    """With --wait, does a second run wait for the first and then grade?"""
    from graders.gradelock import grading_lock

    killed, _ = courses
    with grading_lock(killed, "test holder"):
        waiting = _psets(killed, "--student", "a_reference", "--workers", "1", "--wait")
        time.sleep(1.0)
        assert waiting.poll() is None  # still waiting while the lock is held
    out, err = waiting.communicate(timeout=240)
    assert waiting.returncode == 0, (out, err)
