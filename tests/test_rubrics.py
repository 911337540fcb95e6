"""Rubrics of hand-graded cells: taken from the source notebook's solution regions, inserted for graders after the
graded cell, removed again for feedback, never in release/."""
from __future__ import annotations

import copy

import nbformat
import pytest

from conftest import ROOT
from graders.keys import rubrics_of
from graders.preprocessors import RUBRIC_TITLE, InsertRubrics, RemoveRubrics, insert_rubrics, is_rubric_cell

SETS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def _source(ps):
    return nbformat.read(ROOT / "source" / ps / f"{ps}.ipynb", as_version=4)


def _hand_graded(nb):
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and c.metadata["nbgrader"].get("solution")]


def _rubric_lines(text):
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 12]


def test_rubric_is_the_solution_region_without_markers():
    """Is ps02's proof rubric exactly the text between BEGIN and END SOLUTION?"""
    cell = next(c for c in _source("ps02_linear_algebra").cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "q11_proof")
    inner = cell.source.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0].strip()
    assert rubrics_of(_source("ps02_linear_algebra")) == {"q11_proof": inner}
    assert inner.startswith("**Rubric (2 points).**") and "BEGIN" not in inner


@pytest.mark.parametrize("ps", SETS)
def test_every_hand_graded_cell_gets_its_rubric_right_after_it(ps):
    """Does every hand-graded cell of every set have a rubric, inserted once, right after it, as a read-only cell
    without nbgrader metadata (so nbgrader neither grades nor checksums it)?"""
    src = _source(ps)
    rubrics = rubrics_of(src)
    assert set(rubrics) == set(_hand_graded(src)) and rubrics
    nb = copy.deepcopy(src)
    nb, _ = InsertRubrics().preprocess(nb, {"psets": {"key": type("K", (), {"rubrics": rubrics})()}})
    assert insert_rubrics(nb, rubrics) == len(rubrics)  # again: replaces, never duplicates
    nbformat.validate(nb)
    assert len(nb.cells) == len(src.cells) + len(rubrics)
    for i, cell in enumerate(nb.cells):
        if is_rubric_cell(cell):
            gid = cell.metadata["psets"]["rubric"]
            assert nb.cells[i - 1].metadata["nbgrader"]["grade_id"] == gid
            assert cell.cell_type == "markdown" and "nbgrader" not in cell.metadata
            assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
            assert cell.source.startswith(f"**{RUBRIC_TITLE}**")
            for line in _rubric_lines(rubrics[gid]):
                assert line in cell.source
    out, _ = RemoveRubrics().preprocess(nb, {})
    assert [c.source for c in out.cells] == [c.source for c in src.cells]


def test_no_key_means_nothing_is_inserted():
    """Without a key (grading cannot start then anyway), does InsertRubrics leave the notebook alone?"""
    nb = _source("ps02_linear_algebra")
    before = copy.deepcopy(nb)
    InsertRubrics().preprocess(nb, {})
    assert nb == before


@pytest.mark.parametrize("ps", SETS)
def test_committed_release_holds_no_rubric(ps):
    """Is no line of any rubric in the committed release notebook?"""
    text = (ROOT / "release" / ps / f"{ps}.ipynb").read_text()
    released = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
    for rubric in rubrics_of(_source(ps)).values():
        for line in _rubric_lines(rubric):
            assert line not in released, line
    assert "Rubric" not in text
