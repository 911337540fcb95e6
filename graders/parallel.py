"""Parallel grading on one machine: submissions execute in worker processes, one coordinator writes the gradebook.

A worker reproduces nbgrader's own sanitizing step (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
CheckCellMetadata; the gradebook is only read) and executes the notebook with `ResilientExecute` in a scratch copy of
the submission folder. The coordinator then runs nbgrader's normal autograde for that student, with `ReplayExecute`
in place of the executor: if its own sanitized notebook has exactly the cells the worker executed, the worker's
outputs are used; otherwise (or if the worker failed) the notebook is executed live. The judge, SaveAutoGrades and
every other step run in the coordinator, so grades are those of a sequential run by construction, and only one
process writes the gradebook. Results travel between processes in memory, never through files a kernel could reach.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from .execute import ResilientExecute

#: (student, notebook) -> executed notebook and the executor's failures; filled by the coordinator.
RESULTS: dict[tuple[str, str], dict[str, Any]] = {}
SANITIZE = ("nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
            "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
            "nbgrader.preprocessors.CheckCellMetadata")


def execute_submission(root: str, ps: str, student: str, overrides: dict | None) -> dict[str, dict[str, Any]]:
    """Worker: sanitize and execute every notebook of one submission; return {notebook: result}."""
    import nbformat
    from nbgrader.coursedir import CourseDirectory
    from traitlets.utils.importstring import import_item

    from .course import load_config

    cfg = load_config(Path(root), overrides)
    cd = CourseDirectory(config=cfg)
    folder = Path(root) / "submitted" / student / ps
    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="psets-run-") as scratch:
        # The kernel's working folder, as nbgrader's autograded/ folder: a copy of the submission, then the
        # instructor's non-notebook files from source/ over it. The submission itself is never touched.
        for base in (folder, Path(root) / "source" / ps):
            for item in base.iterdir():
                if item.is_file() and (base == folder or item.suffix != ".ipynb"):
                    shutil.copy2(item, scratch)
        for path in sorted(folder.glob("*.ipynb")):
            try:
                nb = nbformat.read(path, as_version=4)
                resources: dict[str, Any] = {"nbgrader": {"student": student, "assignment": ps,
                                                          "notebook": path.stem, "db_url": cd.db_url}}
                for name in cfg.Autograde.get("sanitize_preprocessors", SANITIZE):
                    nb, resources = import_item(name)(config=cfg).preprocess(nb, resources)
                resources["metadata"] = {"path": scratch}
                resources["psets"] = {}
                nb, resources = ResilientExecute(config=cfg).preprocess(nb, resources)
                out[path.stem] = {"nb": nbformat.writes(nb), "failures": resources["psets"].get("failures", {})}
            except Exception:  # noqa: BLE001 - the coordinator grades this notebook live and reports the error
                continue
    return out


class ReplayExecute(ResilientExecute):
    """Use the outputs a worker computed for this very notebook; execute live when there are none."""

    def preprocess(self, nb: Any, resources: Any = None, km: Any = None):
        import nbformat

        info = (resources or {}).get("nbgrader", {})
        done = RESULTS.pop((info.get("student"), info.get("notebook")), None)
        if done is not None:
            ran = nbformat.reads(done["nb"], as_version=4)
            same = len(ran.cells) == len(nb.cells) and all(
                a.cell_type == b.cell_type and a.source == b.source for a, b in zip(ran.cells, nb.cells))
            if same:
                for cell, result in zip(nb.cells, ran.cells):
                    if cell.cell_type == "code":
                        cell.outputs, cell.execution_count = result.outputs, result.execution_count
                if "language_info" in ran.metadata:
                    nb.metadata["language_info"] = ran.metadata["language_info"]
                resources.setdefault("psets", {})["failures"] = {int(k): v for k, v in done["failures"].items()}
                return nb, resources
            self.log.warning("Worker's notebook differs from the sanitized one; executing %s live", info)
        return super().preprocess(nb, resources, km)


def coordinator_config(cfg: Any) -> Any:
    """The course configuration with ReplayExecute in place of the executor."""
    steps = [("graders.parallel.ReplayExecute" if str(p).endswith("ResilientExecute") else p)
             for p in cfg.Autograde.autograde_preprocessors]
    cfg.Autograde.autograde_preprocessors = steps
    return cfg
