"""Answer keys (built from the source, cached outside source/ and release/, rebuilt on change) and `psets check`."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from graders.classroom import fill, load_personas, reference_answers
from tests_leaks import reference_strings

pytestmark = pytest.mark.e2e
PS = "ps02_linear_algebra"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    c = tmp_path_factory.mktemp("keys") / "course"
    (c / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", c)
    shutil.copytree(ROOT / "source" / PS, c / "source" / PS)
    return c


def test_key_is_cached_outside_source_and_release_and_rebuilt_when_the_source_changes(course):
    """Is the key stored under .psets/keys, reused while the source is unchanged, and rebuilt after an edit?"""
    from graders.keys import ensure_key, key_path

    key = ensure_key(course, PS, PS)
    path = key_path(course, PS, PS)
    assert path.exists() and ".psets" in path.parts and "source" not in path.parts
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    mtime = path.stat().st_mtime_ns
    assert ensure_key(course, PS, PS) == key and path.stat().st_mtime_ns == mtime  # cached
    src = course / "source" / PS / f"{PS}.ipynb"
    nb = nbformat.read(src, as_version=4)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_answer").source = (
        "### BEGIN SOLUTION\narea_image = 5.0 * 100\n### END SOLUTION")
    nbformat.write(nb, src)
    rebuilt = ensure_key(course, PS, PS)
    assert rebuilt.source_sha256 != key.source_sha256
    assert rebuilt.cells["q2_test"].checks[0].reference == {"t": "float", "v": 500.0}


def test_a_broken_reference_solution_is_reported_with_the_cell(course, tmp_path):
    """Does a reference solution that fails its own test stop the build with the cell named?"""
    from graders.keys import KeyBuildError, build_key

    nb = nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q6_answer").source = (
        "def projector(B):\n    raise ValueError('oops')")
    src = tmp_path / f"{PS}.ipynb"
    nbformat.write(nb, src)
    with pytest.raises(KeyBuildError, match=r"cell q6_test: the reference solution fails this test cell \(ValueError: oops\)"):
        build_key(src, tmp_path / "key.json")


def _check_cli(*args, cwd):
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run([str(Path(sys.executable).parent / "psets"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_psets_check_grades_without_showing_answers_or_touching_the_file(tmp_path):
    """Does `psets check` give per-problem verdicts and hints, never answers, and leave the notebook as it was?"""
    from graders.keys import ensure_key

    src = nbformat.read(ROOT / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(ROOT / "release" / PS / f"{PS}.ipynb", as_version=4)
    p = load_personas(ROOT, PS)
    nb_path = tmp_path / "work" / f"{PS}.ipynb"
    nb_path.parent.mkdir()
    nbformat.write(fill(rel, {**reference_answers(src), **p.MISTAKES[0]}), nb_path)
    before = nb_path.read_bytes()
    r = _check_cli("--course", str(ROOT), "check", str(nb_path), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "degrees" in r.stdout and "nilpotent" in r.stdout and "graded by hand" in r.stdout
    assert "0 / 18" in r.stdout
    for s in reference_strings(ensure_key(ROOT, PS, PS)):
        assert s not in r.stdout, s
    assert nb_path.read_bytes() == before
    assert "Traceback" not in r.stderr
    # not a terminal: plain text, no escape codes, lines that fit a notebook cell or a narrow terminal
    assert "\x1b" not in r.stdout and max(len(line) for line in r.stdout.splitlines()) <= 100


def test_psets_check_on_the_reference_gives_full_marks():
    """Does `psets check` on the source notebook itself give every auto-graded point?"""
    from graders.check import check_notebook

    result = check_notebook(ROOT / "source" / PS / f"{PS}.ipynb")
    assert result.score == result.points == 18


def test_psets_check_outside_a_course_says_what_to_do(tmp_path):
    """Is a student with only the released notebook told plainly what is missing (no traceback)?"""
    shutil.copy2(ROOT / "release" / PS / f"{PS}.ipynb", tmp_path)
    r = _check_cli("check", f"{PS}.ipynb", cwd=tmp_path)
    assert r.returncode == 2 and "no course found" in r.stderr and "Traceback" not in r.stderr
