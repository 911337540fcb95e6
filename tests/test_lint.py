"""Lint of source notebooks: each problem names the notebook, the cell and the fix."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from graders.lint import extra_files, lint_notebook

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "source" / "ps02_linear_algebra" / "ps02_linear_algebra.ipynb"


def _write(tmp_path: Path, nb) -> Path:
    d = tmp_path / "psX"
    d.mkdir(exist_ok=True)
    p = d / "psX.ipynb"
    nbformat.write(nb, p)
    return p


def _cell(nb, gid):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def test_committed_sources_are_lint_clean():
    """Is every committed source notebook free of lint problems?"""
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        assert lint_notebook(path) == [], path


def _broken(mutate):
    nb = nbformat.read(SRC, as_version=4)
    mutate(nb)
    return nb


CASES = [
    ("duplicate grade_id", lambda nb: _cell(nb, "q2_test").metadata["nbgrader"].update(grade_id="q1_test"),
     "grade_id 'q1_test' is also used"),
    ("test without probes", lambda nb: setattr(_cell(nb, "q3_test"), "source", "assert True"), "without probes"),
    ("no points", lambda nb: _cell(nb, "q4_test").metadata["nbgrader"].update(points=0), "without points"),
    ("outputs", lambda nb: _cell(nb, "setup").update(
        outputs=[nbformat.v4.new_output("stream", text="x")], execution_count=1), "has outputs"),
    ("no solution region", lambda nb: setattr(_cell(nb, "q5_answer"), "source", "x = 1"), "without a ### BEGIN SOLUTION"),
    ("unlocked test", lambda nb: _cell(nb, "q6_test").metadata["nbgrader"].update(locked=False), "not locked"),
    ("rubric missing", lambda nb: setattr(_cell(nb, "q11_proof"), "source", "Prove it."), "without a ### BEGIN SOLUTION"),
]


@pytest.mark.parametrize("what,mutate,fragment", CASES, ids=[c[0] for c in CASES])
def test_lint_names_the_cell_and_the_fix(tmp_path, what, mutate, fragment):
    """Is each kind of broken source notebook reported with the notebook, the cell and the fix?"""
    problems = lint_notebook(_write(tmp_path, _broken(mutate)))
    assert any(fragment in p and "psX/psX.ipynb" in p for p in problems), problems


def test_invalid_json_is_reported(tmp_path):
    """Is a source notebook that is not JSON reported rather than crashing the build?"""
    d = tmp_path / "psX"
    d.mkdir()
    (d / "psX.ipynb").write_text("{ nope")
    assert "not a valid notebook" in lint_notebook(d / "psX.ipynb")[0]


def test_extra_files_next_to_the_notebook_are_listed(tmp_path):
    """Are files that nbgrader would copy to students listed?"""
    p = _write(tmp_path, nbformat.read(SRC, as_version=4))
    (p.parent / "solutions.txt").write_text("secret")
    assert extra_files(p.parent) == ["solutions.txt"]
