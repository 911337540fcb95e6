"""`psets check NOTEBOOK`: grade one notebook with the same probes, key and judge as autograding.

For self-learners and for students' dry runs. The hidden tests come from the course's source notebook (the
released notebook does not contain them); the student's file is never modified: it is copied to a scratch folder
and executed there. Only verdicts and hints are shown, never reference values.
"""
from __future__ import annotations

import copy
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .course import CourseError, find_root, load_config
from .model import CellGrade


@dataclass
class CheckResult:
    notebook: str
    grades: list[CellGrade]
    manual: list[tuple[str, float]]  #: hand-graded cells (grade_id, points): not scored here

    @property
    def score(self) -> float:
        return round(sum(g.score for g in self.grades), 4)

    @property
    def points(self) -> float:
        return sum(g.points for g in self.grades)


def _gid(cell: Any) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def restore_tests(student: Any, source: Any) -> Any:
    """The student's notebook with every locked or test cell replaced by the source version (hidden tests
    included) and missing ones put back, as nbgrader's OverwriteCells does from the gradebook."""
    nb = copy.deepcopy(student)
    src_cells = {_gid(c): c for c in source.cells if _gid(c)}
    present = set()
    for i, cell in enumerate(nb.cells):
        gid = _gid(cell)
        ref = src_cells.get(gid)
        if ref is None:
            continue
        present.add(gid)
        meta = ref.metadata["nbgrader"]
        if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
            new = copy.deepcopy(ref)
            new["outputs"] = [] if new.cell_type == "code" else new.get("outputs")
            if new.cell_type == "code":
                new["execution_count"] = None
            else:
                new.pop("outputs", None)
            nb.cells[i] = new
    # Put back cells the student deleted, after the nearest preceding source cell that is present.
    order = [_gid(c) for c in source.cells]
    for j, c in enumerate(source.cells):
        gid = _gid(c)
        if not gid or gid in present:
            continue
        meta = c.metadata["nbgrader"]
        if meta.get("solution") and not meta.get("grade"):
            continue  # a deleted answer cell stays deleted: its answer is missing
        new = copy.deepcopy(c)
        if new.cell_type == "code":
            new["outputs"], new["execution_count"] = [], None
        prev = [g for g in order[:j] if g in present]
        pos = next((k + 1 for k, cell in enumerate(nb.cells) if prev and _gid(cell) == prev[-1]), 0)
        nb.cells.insert(pos, new)
        present.add(gid)
    return nb


def check_notebook(path: Path, *, course: Path | None = None, assignment: str | None = None,
                   overrides: dict | None = None) -> CheckResult:
    import nbformat

    from .execute import ResilientExecute
    from .keys import ensure_key, source_path
    from .preprocessors import judge_notebook

    path = Path(path).resolve()
    root = Path(course).resolve() if course else find_root(path.parent)
    name = path.stem
    ps = assignment or next((p.parent.name for p in (root / "source").glob(f"*/{name}.ipynb")), None)
    if ps is None:
        raise CourseError(f"{path.name}: no problem set in {root / 'source'} has a notebook called {name}.ipynb "
                          "(keep the released file name, or pass --ps)")
    try:
        student = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001
        raise CourseError(f"{path.name} is not a readable notebook ({type(exc).__name__}); restore it from "
                          "release/ or your last checkpoint") from None
    source = nbformat.read(source_path(root, ps, name), as_version=4)
    key = ensure_key(root, ps, name)
    nb = restore_tests(student, source)
    cfg = load_config(root, overrides)
    with tempfile.TemporaryDirectory(prefix="psets-check-") as scratch:
        for item in path.parent.iterdir():  # the student's folder, copied: their files are never touched
            if item.is_file() and item.stat().st_size < 50_000_000:
                shutil.copy2(item, scratch)
        executor = ResilientExecute(config=cfg)
        resources = {"metadata": {"path": scratch}, "psets": {}}
        executor.preprocess(nb, resources)
    grades = judge_notebook(nb, key, resources["psets"].get("failures", {}))
    manual = [(_gid(c), float(c.metadata["nbgrader"].get("points", 0))) for c in source.cells
              if c.metadata.get("nbgrader", {}).get("grade") and c.metadata["nbgrader"].get("solution")]
    return CheckResult(name, grades, manual)


#: What a student without the course repository (or without graders) reads in the self-check cell.
ONLY_VISIBLE = ("Only the visible checks above are available to you here; your instructor runs the hidden tests "
                "at grading time.")


def _being_graded() -> bool:
    """True when this kernel runs a notebook for grading, key building or validation, not for a person:
    graders sets PSETS_GRADING=1 in the kernels it starts, and any non-interactive run (nbgrader's Validate,
    nbconvert, nbclient) executes cells without standard input, which JupyterLab always offers."""
    import os

    from .probes import GRADING_ENV, KEY_BUILD_ENV

    if os.environ.get(GRADING_ENV) == "1" or os.environ.get(KEY_BUILD_ENV) == "1":
        return True
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
    except ImportError:
        return False
    return kernel is not None and getattr(kernel, "_allow_stdin", True) is False


def _course_for(name: str, here: Path) -> tuple[Path, str] | None:
    """(course root, problem set) holding source/<ps>/<name>.ipynb: the repository the installed graders package
    came from, else a course at or above the notebook's folder."""
    candidates = [Path(__file__).resolve().parents[1]]
    try:
        candidates.append(find_root(here))
    except CourseError:
        pass
    for root in candidates:
        found = sorted((root / "source").glob(f"*/{name}.ipynb")) if (root / "source").is_dir() else []
        if found and (root / "nbgrader_config.py").exists():
            return root, found[0].parent.name
    return None


def check_here(notebook: str, *, course: str | Path | None = None, width: int = 88) -> CheckResult | None:
    """The self-check in a notebook's last cell: grade the *saved* notebook file with the hidden tests, exactly as
    `psets check` does, and print per-problem verdicts and hints as plain text (never answers, never a traceback).
    Does nothing while the notebook is being graded. Returns the result (None when nothing was checked)."""
    if _being_graded():
        return None
    from .report_text import check_text

    path = Path(notebook).resolve()
    if not path.exists():
        print(f"Self-check: {path.name} was not found in {path.parent}.\nSave the notebook (File > Save) and run "
              "this cell from the notebook's own folder.")
        return None
    where = (Path(course).resolve(), None) if course else _course_for(path.stem, path.parent)
    if where is None:
        print(ONLY_VISIBLE)
        return None
    print(f"Checking the saved file {path.name} with the hidden tests...", flush=True)
    try:
        result = check_notebook(path, course=where[0], assignment=where[1])
    except CourseError as exc:
        print(f"{ONLY_VISIBLE}\n(Self-check unavailable: {exc})")
        return None
    except Exception as exc:  # noqa: BLE001 - a problem in the checker is reported, not a traceback from it
        from .keys import KeyBuildError

        why = str(exc) if isinstance(exc, KeyBuildError) else type(exc).__name__
        print(f"{ONLY_VISIBLE}\n(The self-check could not run: {why}.)")
        return None
    print(check_text(result, width=width))
    return result
