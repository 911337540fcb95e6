"""The spine, end to end on ps02 through real nbgrader: hostile and broken submissions, stock nbgrader's CLI
with the course configuration, feedback and release free of answers."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import FAST, ROOT, collect_results, make_course, submit
from graders.classroom import TAMPERING, fill, load_personas, reference_answers
from tests_leaks import reference_strings

pytestmark = pytest.mark.e2e
PS = "ps02_linear_algebra"

FORGE = """
from IPython.display import publish_display_data
from graders.model import PAYLOAD_MIME
def _forge(*_):
    for cid in ["q1.angle", "q2.area", "q4.values", "q4.vectors", "q10.true"]:
        publish_display_data({PAYLOAD_MIME: {"check": cid, "value": {"t": "float", "v": 1.0},
            "spec": {"compare": "scalar", "options": {"rtol": 1e12, "atol": 1e12}, "weight": 1e6}}})
_forge()
get_ipython().events.register("post_run_cell", _forge)
"""


def _class(src, rel):
    ref = reference_answers(src)
    p = load_personas(ROOT, PS)
    return {
        "reference": fill(rel, ref),
        "blank": fill(rel, {}),
        "mistakes": fill(rel, {**ref, **p.MISTAKES[0]}),
        "tamper": fill(rel, {**p.WRONG, "q1_answer": TAMPERING + "\n" + p.WRONG["q1_answer"]}),
        # every answer wrong but q1, which forges payloads (in its own cell and, through a hook, in every later
        # cell, test cells included) for q1, q2, q4 and q10, claiming a huge tolerance and weight
        "forger": fill(rel, {**p.WRONG, "q1_answer": ref["q1_answer"] + FORGE}),
        "crash": fill(rel, {**ref, "q2_answer": "import os\nos._exit(0)"}),
        "loop": fill(rel, {**ref, "q9_answer": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                               "while True:\n    pass"}),
        "invalid_json": '{"cells": [ not json',
    }


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from graders.grade import grade

    c = make_course(tmp_path_factory.mktemp("spine"), [PS])
    src = nbformat.read(c / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(c / "release" / PS / f"{PS}.ipynb", as_version=4)
    paths = {s: submit(c, PS, s, nb) for s, nb in _class(src, rel).items()}
    before = {s: p.read_bytes() for s, p in paths.items()}
    outcomes = grade(c, PS, overrides=FAST, progress=False)
    results = collect_results(c, PS, outcomes)
    return c, src, results, paths, before


def _points(src):
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"]) for c in src.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def test_tampering_from_an_answer_cell_gains_nothing(course):
    """Do rebinding numpy/sympy/graders, forged payloads, display formatters and IPython hooks gain nothing?"""
    c, src, results, *_ = course
    r = results["tamper"]
    assert r.success
    assert all(score == 0 for score, *_ in r.cells.values()), r.cells


def test_forged_payloads_claiming_a_looser_comparator_gain_nothing(course):
    """Does a payload emitted by student code (claiming a huge tolerance and weight) change nothing?"""
    c, src, results, *_ = course
    r = results["forger"]
    pts = _points(src)
    # q1 is answered correctly, but its test cell got two payloads (the probe's and a forged one): no credit.
    assert r.verdicts["q1.angle"]["reason"] == "duplicate"
    assert r.verdicts["q2.area"]["reason"] == "duplicate"
    assert all(score == 0 for gid, (score, *_x) in r.cells.items() if gid in pts), r.cells


def test_os_exit_costs_only_the_problem_it_touches(course):
    """Does os._exit in one answer cost only that problem, the rest being graded?"""
    c, src, results, *_ = course
    r = results["crash"]
    for gid, pts in _points(src).items():
        assert r.cells[gid][0] == (0 if gid == "q2_test" else pts), (gid, r.cells[gid])
    assert r.verdicts["q2.area"]["outcome"] == "missing"
    assert r.verdicts["q2.area"]["reason"] == "answer_kernel_died"  # the feedback says why the answer is missing


def test_an_endless_loop_costs_only_the_problem_it_touches(course):
    """Does a loop that ignores interrupts cost only its own problem after the timeout?"""
    c, src, results, *_ = course
    r = results["loop"]
    for gid, pts in _points(src).items():
        assert r.cells[gid][0] == (0 if gid == "q9_test" else pts), (gid, r.cells[gid])
    assert r.verdicts["q9.einsum"]["reason"] == "answer_timeout"


def test_invalid_json_fails_for_that_student_alone_with_a_clear_message(course):
    """Is an invalid-JSON notebook reported plainly while everyone else is graded?"""
    c, src, results, *_ = course
    r = results["invalid_json"]
    assert not r.success and "not a valid notebook" in r.message
    assert results["reference"].success and results["blank"].success


def test_no_cell_needs_manual_grading_by_accident(course):
    """Is the hand-graded proof the only cell that can need manual grading?"""
    c, src, results, *_ = course
    for student, r in results.items():
        for gid, (_s, _m, manual) in r.cells.items():
            assert not manual or gid == "q11_proof", (student, gid)


def test_grading_never_modifies_submissions(course):
    """Are the submitted files byte-identical after grading?"""
    c, src, results, paths, before = course
    for s, p in paths.items():
        assert p.read_bytes() == before[s], s


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PSETS_CELL_TIMEOUT": str(FAST["Execute"]["timeout"]),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def stock(course, tmp_path_factory):
    """A second course graded by the stock `nbgrader` command line with the course configuration."""
    c, src, *_ = course
    s = tmp_path_factory.mktemp("stock") / "course"
    (s / "source").mkdir(parents=True)
    import shutil

    shutil.copy2(ROOT / "nbgrader_config.py", s)
    shutil.copytree(ROOT / "source" / PS, s / "source" / PS)
    r = _nbgrader(s, "generate_assignment", PS, "--force")
    assert r.returncode == 0, r.stderr[-2000:]
    for student in ("reference", "blank", "tamper", "crash", "loop"):
        shutil.copytree(c / "submitted" / student, s / "submitted" / student)
    r = _nbgrader(s, "autograde", PS, "--force")
    assert r.returncode == 0, r.stderr[-3000:]
    assert _nbgrader(s, "generate_feedback", PS, "--force").returncode == 0
    assert _nbgrader(s, "export", "--to", "grades.csv").returncode == 0
    return s


def test_stock_nbgrader_gives_the_same_grades_as_psets(course, stock):
    """Do stock `nbgrader generate_assignment/autograde` with the course config record the same grades?"""
    c, src, results, *_ = course
    from graders.grade import Outcome

    students = ["reference", "blank", "tamper", "crash", "loop"]
    theirs = collect_results(stock, PS, [Outcome(s, True, None, 0) for s in students])
    for s in students:
        assert theirs[s].cells == results[s].cells, s


def test_stock_export_matches_the_gradebook(stock):
    """Does `nbgrader export` write each student's total as recorded?"""
    rows = {r["student_id"]: r for r in csv.DictReader(open(stock / "grades.csv"))}
    assert float(rows["reference"]["raw_score"]) == 18.0
    assert float(rows["blank"]["raw_score"]) == 0.0
    assert float(rows["crash"]["raw_score"]) == 17.0


def test_feedback_html_shows_verdicts_but_no_hidden_tests_answers_or_tracebacks(course, stock):
    """Does the feedback HTML hide hidden test source, reference values and tracebacks from hidden code?"""
    from graders.keys import ensure_key

    secrets = reference_strings(ensure_key(course[0], PS, PS))
    pages = list((stock / "feedback").glob(f"*/{PS}/*.html"))
    assert len(pages) == 5
    for page in pages:
        import html

        text = re.sub(r"<style.*?</style>", "", page.read_text(), flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))  # what a reader sees
        assert "Score:" in text
        for bad in ("BEGIN HIDDEN", "report_calls(", "Mistake(", "default_rng(", "BEGIN SOLUTION"):
            assert bad not in text, (page, bad)
        # a student's own error in an answer cell is shown; nothing from our package or hidden tests is
        assert "site-packages" not in text and "graders/" not in text and "_inputs" not in text, page
        for s in secrets:
            assert s not in text, (page, s)
    crash = (stock / "feedback" / "crash" / PS / f"{PS}.html").read_text()
    assert "the kernel died while running this cell" in crash and "No answer was found" in crash


def _autograded(course_dir: Path, student: str):
    return nbformat.read(course_dir / "autograded" / student / PS / f"{PS}.ipynb", as_version=4)


def test_autograded_notebook_shows_graders_the_rubric_after_the_proof(course, stock):
    """After `psets grade` and after stock `nbgrader autograde`, is the proof's rubric (from the key, not from the
    submission) the cell right after the hand-graded cell, marked as a rubric and read-only?"""
    from graders.keys import ensure_key
    from graders.preprocessors import RUBRIC_TITLE, is_rubric_cell

    rubric = ensure_key(course[0], PS, PS).rubrics["q11_proof"]
    assert "Deduct 0.5" in rubric
    for where in (course[0], stock):
        for student in ("reference", "blank", "crash"):
            nb = _autograded(where, student)
            ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
            rubric_cells = [i for i, c in enumerate(nb.cells) if is_rubric_cell(c)]
            assert rubric_cells == [ids.index("q11_proof") + 1], (where, student)
            cell = nb.cells[rubric_cells[0]]
            assert cell.source.startswith(f"**{RUBRIC_TITLE}**") and cell.metadata["editable"] is False
            assert all(line in cell.source for line in rubric.splitlines())


def _visible_text(page: str) -> str:
    """What a reader of an HTML page sees (html.parser; styles and scripts left out)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("style", "script")

        def handle_endtag(self, tag):
            self.skip -= tag in ("style", "script") and self.skip > 0

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page)
    return " ".join(parser.parts)


def test_feedback_never_shows_the_rubric(course, stock):
    """Does the feedback HTML (nbgrader generate_feedback, parsed) show the verdicts but no rubric line?"""
    from graders.keys import ensure_key

    rubric = ensure_key(course[0], PS, PS).rubrics["q11_proof"]
    lines = [line.strip() for line in rubric.splitlines() if len(line.strip()) > 12]
    pages = list((stock / "feedback").glob(f"*/{PS}/*.html"))
    assert len(pages) == 5
    for page in pages:
        raw = page.read_text()
        text = _visible_text(raw)
        assert "Score:" in text and "Problem 11" in text  # the proof's statement is there, its rubric is not
        assert "Rubric" not in text and "graders only" not in raw
        for line in lines:
            assert line not in raw, (page, line)


def test_self_check_cell_does_nothing_while_grading(course, stock):
    """Graded by `psets grade` and by stock `nbgrader autograde`, did the notebook's self-check cell run and print
    nothing (no verdict, no second grading)?"""
    for where in (course[0], stock):
        for student in ("reference", "mistakes") if where == course[0] else ("reference", "blank"):
            cell = _autograded(where, student).cells[-1]
            assert cell.get("id") == "self_check" and "check_here(" in cell.source
            assert cell.execution_count is not None and cell.outputs == [], (where, student, cell.outputs)


def test_parallel_grading_records_the_same_grades_and_messages(course, tmp_path_factory):
    """Do worker processes (one gradebook writer) give exactly the grades and verdicts of the sequential run?"""
    import shutil

    from graders.grade import grade

    c, src, results, *_ = course
    p = tmp_path_factory.mktemp("parallel") / "course"
    (p / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", p)
    shutil.copytree(ROOT / "source" / PS, p / "source" / PS)
    from graders.build import build

    assert not build(p, [PS], overrides=FAST, say=lambda m: None).errors
    shutil.copytree(c / "submitted", p / "submitted")
    outcomes = grade(p, PS, overrides=FAST, progress=False, workers=2)
    theirs = collect_results(p, PS, outcomes)
    assert set(theirs) == set(results)
    for s in results:
        assert theirs[s].success == results[s].success, s
        assert theirs[s].cells == results[s].cells, s
        assert theirs[s].verdicts == results[s].verdicts, s


def test_export_canvas_and_csv_match_the_gradebook(course, tmp_path):
    """Do `psets export --format canvas|csv` write the layout Canvas and nbgrader expect, with the recorded totals?"""
    from nbgrader.api import Gradebook

    from graders.course import load_config
    from graders.export import CANVAS_FIXED, export

    c, *_ = course
    cfg = load_config(c)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        totals = {s.student.id: float(s.score) for s in gb.find_assignment(PS).submissions}
        maximum = float(gb.find_assignment(PS).max_score)
    rows = list(csv.reader(open(export(c, [PS], "canvas", tmp_path / "canvas.csv"))))
    assert rows[0] == CANVAS_FIXED + [f"{PS} ({maximum:g})"]
    assert rows[1][0] == "Points Possible" and float(rows[1][-1]) == maximum == 20
    got = {r[3]: float(r[-1]) for r in rows[2:]}
    assert got == totals and got["reference"] == 18 and got["crash"] == 17
    plain = list(csv.DictReader(open(export(c, [PS], "csv", tmp_path / "grades.csv"))))
    assert {r["student_id"]: float(r["score"]) for r in plain} == totals
    assert {"assignment", "student_id", "raw_score", "score", "max_score"} <= set(plain[0])


def test_export_of_a_set_without_grades_says_so(course, tmp_path):
    """By default only sets in the gradebook are exported; is a set never graded refused with a message (no
    traceback from the gradebook)?"""
    from graders.course import CourseError
    from graders.export import export, in_gradebook

    c, *_ = course
    assert in_gradebook(c, ["ps01_neural_networks", PS]) == [PS]
    with pytest.raises(CourseError, match="no grades in the gradebook for ps01_neural_networks"):
        export(c, ["ps01_neural_networks"], "canvas", tmp_path / "canvas.csv")


def test_class_report_is_self_contained_and_counts_what_happened(course, tmp_path):
    """Is the report one offline HTML file with embedded plots, per-problem success, mistakes and failures?"""
    from collections import Counter

    from graders.report import report

    c, src, results, *_ = course
    dest = tmp_path / "report.html"
    data = report(c, PS, dest, png_dir=tmp_path / "png")
    text = dest.read_text()
    assert text.count('src="data:image/png;base64,') >= 2
    assert "http://" not in text and "https://" not in text  # opens offline
    assert sorted(p.name for p in (tmp_path / "png").iterdir())[0].endswith(".png")
    assert data.failures["time-out"] == 1 and data.failures["kernel crash"] == 1
    assert data.failures["not graded"] == 1
    hints = Counter(v["hint"] for r in results.values() for v in r.verdicts.values() if v["outcome"] == "known_mistake")
    assert sum(hints.values()) >= 10  # the "mistakes" student
    assert sum(sum(m.values()) for m in data.mistakes.values()) == sum(hints.values())
    assert data.mistakes["q1_test"]["That angle is in degrees; the problem asks for radians."] == 1
    assert data.totals["reference"] == 18 and text.count("<tr>") == 1 + len(_points(src))
