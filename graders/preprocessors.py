"""nbgrader plug-ins: `LoadKey` (before Execute), `Judge` (right after it), `InsertRubrics` (last) and, for feedback,
`RemoveRubrics`.

The course's nbgrader_config.py lists them in `Autograde.autograde_preprocessors`, so stock `nbgrader autograde`
and `psets grade` grade identically. `LoadKey` reads (building if needed) the answer key before any student code
runs; `Judge` replaces each test cell's outputs with the judged verdict and the score in points, which is the only
thing nbgrader's `determine_grade` then reads. Kernel output in a test cell never counts. `InsertRubrics` puts the
rubric of each hand-graded cell (kept in the key, never in release/) after that cell in the autograded notebook, which
is what formgrader shows the grader; `RemoveRubrics` takes those cells out again before feedback is written.
"""
from __future__ import annotations

import os
import re
from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer, Unicode

from . import feedback
from .judge import judge_cell
from .keys import KeyBuildError, ensure_key
from .model import PAYLOAD_MIME, VERDICT_MIME, CellGrade


class KeyUnavailable(Exception):
    """Grading cannot start without the key; the message says which and how to fix it."""


class LoadKey(NbGraderPreprocessor):
    """Put the notebook's answer key into resources["psets"]["key"], building it from source/ if needed."""

    course_root = Unicode("", help="Course directory holding source/ and .psets/keys (default: the cwd).") \
        .tag(config=True)
    build_timeout = Integer(120, help="Per-cell timeout when executing reference solutions to build a key.") \
        .tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources.get("nbgrader", {})
        root = self.course_root or os.getcwd()
        try:
            key = ensure_key(root, info["assignment"], info["notebook"], timeout=self.build_timeout)
        except KeyBuildError as exc:
            raise KeyUnavailable(f"cannot grade {info.get('assignment')}/{info.get('notebook')}: {exc}") from None
        resources.setdefault("psets", {})["key"] = key
        return nb, resources


def is_test_cell(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def verdict_outputs(grade: CellGrade, execution_count: Any) -> list[NotebookNode]:
    """What a judged test cell shows: the verdict (HTML and text) and the score nbgrader records."""
    return [
        NotebookNode(output_type="display_data", metadata={}, data={
            "text/html": feedback.as_html(grade), "text/plain": feedback.as_text(grade),
            VERDICT_MIME: grade.to_json()}),
        NotebookNode(output_type="execute_result", metadata={}, execution_count=execution_count,
                     data={"text/plain": repr(float(grade.score))}),
    ]


def payloads_of(cell: Any) -> list[Any]:
    return [o["data"][PAYLOAD_MIME] for o in cell.get("outputs", [])
            if o.get("output_type") in ("display_data", "execute_result", "update_display_data")
            and isinstance(o.get("data"), dict) and PAYLOAD_MIME in o["data"]]


def judge_notebook(nb: NotebookNode, key: Any, failures: dict[int, dict]) -> list[CellGrade]:
    """Judge every test cell of an executed notebook in place; return the grades."""
    grades = []
    previous_test = -1
    for index, cell in enumerate(nb.cells):
        if not is_test_cell(cell):
            continue
        gid = cell.metadata["nbgrader"].get("grade_id", f"cell-{index}")
        points = float(cell.metadata["nbgrader"].get("points", 0) or 0)
        entry = key.cells.get(gid) if key is not None else None
        failure = failures.get(index)
        if failure is None:  # an answer cell of this problem that hung or killed the kernel explains a missing answer
            earlier = [failures[i] for i in range(previous_test + 1, index) if i in failures]
            if earlier and earlier[-1].get("reason") in ("timeout", "kernel_died"):
                failure = {**earlier[-1], "reason": "answer_" + earlier[-1]["reason"], "only_if_missing": True}
        previous_test = index
        grade = judge_cell(gid, points, entry.checks if entry else (), payloads_of(cell), failure)
        cell.outputs = verdict_outputs(grade, cell.get("execution_count"))
        grades.append(grade)
    return grades


class Judge(NbGraderPreprocessor):
    """Turn probe payloads + key into verdicts, and make them the test cells' only outputs."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        state = resources.setdefault("psets", {})
        state["grades"] = judge_notebook(nb, state.get("key"), state.get("failures", {}))
        return nb, resources


class CapOutput(NbGraderPreprocessor):
    """Cut any single output longer than `max_chars` (nbgrader's LimitOutput counts lines, so one 100 MB line
    passes it), saying how much was cut, so that a flood of output cannot bloat the graded notebook and feedback."""

    max_chars = Integer(100_000, help="Characters kept per output text.").tag(config=True)

    def _cut(self, text: Any) -> Any:
        if isinstance(text, list):
            text = "".join(text)
        if not isinstance(text, str) or len(text) <= self.max_chars:
            return text
        return text[:self.max_chars] + f"\n... [output cut: {len(text):,} characters, the first {self.max_chars:,} kept]\n"

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = self._cut(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    output["data"][mime] = self._cut(value)
        return cell, resources


class RestoreCells(NbGraderPreprocessor):
    """Put back the test and locked cells a student deleted, in their places, before nbgrader's OverwriteCells.

    nbgrader's own `add_missing_cells` fails on a notebook where a test cell and the answer cell before it are both
    gone (KeyError on the answer cell's id), on a duplicated cell stripped of its id by DeduplicateIds, and on a
    renamed grade_id, so the whole submission went ungraded. Restored from the course's source
    notebook; a deleted answer cell stays deleted (its answer is missing)."""

    course_root = Unicode("", help="Course directory holding source/ (default: the cwd).").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        import nbformat

        from .check import restore_tests
        from .keys import source_path

        info = resources.get("nbgrader", {})
        path = source_path(self.course_root or os.getcwd(), info.get("assignment", ""), info.get("notebook", ""))
        if not path.exists():
            return nb, resources
        source = nbformat.read(path, as_version=4)
        known = {c.metadata["nbgrader"].get("grade_id") for c in source.cells if "nbgrader" in c.metadata}
        for cell in nb.cells:
            # a duplicate stripped of its id by DeduplicateIds, or a cell whose id the student renamed, is not part
            # of the assignment: it stays as a plain cell (and the real one is put back below)
            meta = cell.get("metadata", {})
            if "nbgrader" in meta and meta["nbgrader"].get("grade_id") not in known:
                del meta["nbgrader"]
        return restore_tests(nb, source), resources


class CheckCellMetadata(NbGraderPreprocessor):
    """nbgrader's CheckCellMetadata with the same checks, its JSON schema compiled once per process instead of
    being re-checked for every cell (nbgrader calls jsonschema.validate per cell: about 0.1 s per notebook)."""

    _validator: Any = None

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        import traceback

        import jsonschema
        from nbgrader.nbgraderformat import MetadataValidator, ValidationError

        cls = type(self)
        if cls._validator is None:
            schema = MetadataValidator().schema
            cls._validator = jsonschema.validators.validator_for(schema)(schema)
        meta_validator = MetadataValidator()
        try:
            for cell in nb.cells:
                if "nbgrader" not in cell.metadata:
                    continue
                version = cell.metadata["nbgrader"].get("schema_version", 0)
                if version != meta_validator.schema_version:
                    meta_validator.validate_cell(cell)  # raises nbgrader's own "too old/new" error
                cls._validator.validate(cell.metadata["nbgrader"])
        except (ValidationError, jsonschema.ValidationError):
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources


#: Cell metadata that marks an inserted rubric cell: {"psets": {"rubric": "<grade_id of the graded cell>"}}.
RUBRIC_META = "psets"
RUBRIC_TITLE = "Rubric (visible to graders only)"


def rubric_cell(grade_id: str, text: str, with_id: bool = True) -> NotebookNode:
    """A read-only markdown cell, without nbgrader metadata (so nbgrader neither grades nor checksums it)."""
    body = "\n".join("> " + line if line.strip() else ">" for line in text.splitlines())
    cell = NotebookNode(cell_type="markdown",
                        metadata={"editable": False, "deletable": False, RUBRIC_META: {"rubric": grade_id}},
                        source=f"**{RUBRIC_TITLE}** for `{grade_id}`; students never see this cell.\n\n{body}")
    if with_id:  # cell ids exist from nbformat 4.5 on
        cell["id"] = re.sub(r"[^A-Za-z0-9_-]", "-", f"psets-rubric-{grade_id}")[:64]
    return cell


def is_rubric_cell(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get(RUBRIC_META)
    return isinstance(meta, dict) and "rubric" in meta


def insert_rubrics(nb: NotebookNode, rubrics: dict[str, str]) -> int:
    """Insert each rubric after its hand-graded cell (replacing an earlier inserted copy); return how many."""
    nb.cells = [c for c in nb.cells if not is_rubric_cell(c)]
    cells, added = [], 0
    for cell in nb.cells:
        cells.append(cell)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        if meta.get("grade") and meta.get("solution") and gid in rubrics:
            cells.append(rubric_cell(gid, rubrics[gid], with_id=nb.get("nbformat_minor", 0) >= 5))
            added += 1
    nb.cells = cells
    return added


class InsertRubrics(NbGraderPreprocessor):
    """Show graders the rubric of each hand-graded cell in the autograded notebook (formgrader's manual grading
    view). Runs last in Autograde, after SaveAutoGrades and CheckCellMetadata, so no nbgrader step sees the cells."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        key = resources.get("psets", {}).get("key")
        if key is not None:
            insert_rubrics(nb, key.rubrics)
        return nb, resources


class RemoveRubrics(NbGraderPreprocessor):
    """Feedback never shows a rubric: drop every inserted rubric cell before the feedback HTML is written."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        nb.cells = [c for c in nb.cells if not is_rubric_cell(c)]
        return nb, resources
