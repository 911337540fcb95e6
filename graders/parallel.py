"""Grading in parallel: submissions execute elsewhere, one coordinator runs nbgrader's pipeline and writes the gradebook.

The coordinator (this process) sanitizes each submitted notebook as nbgrader does (ClearOutput, DeduplicateIds,
OverwriteKernelspec, OverwriteCells, CheckCellMetadata; they read the gradebook, which only the coordinator has)
and sends a `Job` (the sanitized notebook JSON, the submission's other files and the instructor's non-notebook
files from source/<ps>/, all as bytes) with the executor's configuration as plain data to `execute_files`. That
pure function writes the files into a scratch folder, runs `ResilientExecute` there and returns the executed
notebooks and the executor's failures; it needs no course folder, no gradebook and no shared filesystem, so it runs
the same in a local worker process (`LocalPool`) and on a Dask worker on another machine (`graders.cluster`).

The coordinator then runs nbgrader's normal autograde for that student with `ReplayExecute` in place of the
executor: if its own sanitized notebook has exactly the cells that were executed, those outputs are used;
otherwise (or if the execution failed, or its worker died) the notebook is executed live here. The judge,
SaveAutoGrades and every other step run in the coordinator, so grades are those of a sequential run by
construction, and only one process writes the gradebook. Results travel in memory, never through files a kernel
could reach.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .execute import ResilientExecute

#: (student, notebook) -> executed notebook and the executor's failures; filled by the coordinator.
RESULTS: dict[tuple[str, str], dict[str, Any]] = {}
SANITIZE = ("nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
            "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
            "nbgrader.preprocessors.CheckCellMetadata")


@dataclass
class Job:
    """Everything needed to execute one submission, as plain data."""
    assignment: str
    student: str
    notebooks: dict[str, str]  # notebook name -> sanitized notebook (JSON text)
    files: dict[str, bytes]  # relative path -> content: the submission's other files, then the instructor's


def prepare(root: Path, ps: str, student: str, cfg: Any) -> Job | None:
    """Coordinator: the sanitized notebooks and the files of one submission (None if nothing can be sent)."""
    import nbformat
    from nbgrader import utils
    from nbgrader.coursedir import CourseDirectory
    from traitlets.utils.importstring import import_item

    cd = CourseDirectory(config=cfg)
    folder = Path(root) / "submitted" / student / ps
    source = Path(root) / "source" / ps
    files: dict[str, bytes] = {}
    # As nbgrader's autograded/ folder: the submission's files, then the instructor's non-notebook files over them.
    keep = set(cfg.Autograde.get("exclude_overwriting", {}).get(ps, []))
    for base in (folder, source):
        for path in utils.find_all_files(str(base), cd.ignore + ["*.ipynb"]):
            rel = os.path.relpath(path, base)
            if base == source and rel in keep:
                continue
            if os.path.getsize(path) <= 1000 * cd.max_file_size:
                files[rel] = Path(path).read_bytes()
    notebooks: dict[str, str] = {}
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
            resources: dict[str, Any] = {"nbgrader": {"student": student, "assignment": ps,
                                                      "notebook": path.stem, "db_url": cd.db_url}}
            for name in cfg.Autograde.get("sanitize_preprocessors", SANITIZE):  # the course's, as nbgrader runs them
                nb, resources = import_item(name)(config=cfg).preprocess(nb, resources)
        except Exception:  # noqa: BLE001 - nbgrader's own run reports it; this notebook is handled there
            continue
        notebooks[path.stem] = nbformat.writes(nb)
    return Job(ps, student, notebooks, files) if notebooks else None


def executor_config(cfg: Any) -> dict[str, dict[str, Any]]:
    """The configuration sections the executor and its kernel manager read, as plain data (JSON-able): no course
    paths, no gradebook URL."""
    import json

    manager = ResilientExecute(config=cfg).kernel_manager_class
    wanted = {k.__name__ for k in (*ResilientExecute.__mro__, *manager.__mro__)}
    wanted |= {name for name in cfg if name.endswith("KernelManager")}
    plain = {name: dict(cfg[name]) for name in sorted(wanted) if name in cfg}
    return json.loads(json.dumps(plain, default=str))


def execute_files(job: Job, config: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Worker: write a job's files into a scratch folder and execute its notebooks there with `ResilientExecute`.

    Returns {"notebooks": {name: {"nb": executed JSON, "failures": {cell: reason}} or {"error": text}},
    "worker": "host:pid"}. Reads nothing but its arguments.
    """
    import socket
    import tempfile

    import nbformat
    from traitlets.config import Config

    os.environ["NBGRADER_EXECUTION"] = "autograde"  # as nbgrader sets it around its executor
    cfg = Config(config)
    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="psets-run-") as scratch:
        for rel, data in job.files.items():
            dest = Path(scratch, rel).resolve()
            if Path(scratch).resolve() not in dest.parents:
                continue  # a name that points outside the scratch folder
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        for name, text in job.notebooks.items():
            try:
                Path(scratch, f"{name}.ipynb").write_text(text)
                nb = nbformat.reads(text, as_version=4)
                resources: dict[str, Any] = {
                    "nbgrader": {"student": job.student, "assignment": job.assignment, "notebook": name},
                    "metadata": {"path": scratch}, "psets": {}}
                nb, resources = ResilientExecute(config=cfg).preprocess(nb, resources)
                out[name] = {"nb": nbformat.writes(nb), "failures": resources["psets"].get("failures", {})}
            except Exception as exc:  # noqa: BLE001 - the coordinator executes this notebook live
                out[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"notebooks": out, "worker": f"{socket.gethostname()}:{os.getpid()}"}


def store(student: str, result: dict[str, Any]) -> None:
    """Coordinator: keep a worker's executed notebooks for ReplayExecute."""
    for nb, done in result.get("notebooks", {}).items():
        if "nb" in done:
            RESULTS[(student, nb)] = done


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


def _warm_worker(sandbox: str) -> None:
    from . import sandbox as sbx

    try:
        sbx.prestart(sandbox)
    except Exception:  # noqa: BLE001 - the first kernel will start its host itself and report any problem
        pass


class LocalPool:
    """Worker processes on this machine (spawned, one job each at a time)."""

    def __init__(self, workers: int, sandbox: str = "auto"):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # each worker starts its warm kernel host at once, while the coordinator prepares the first submissions
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_warm_worker, initargs=(sandbox,))
        self._futures: dict[Any, str] = {}

    def submit(self, job: Job, config: dict) -> None:
        self._futures[self._pool.submit(execute_files, job, config)] = job.student

    def completed(self) -> Iterator[tuple[str, dict | None, str]]:
        """(student, result or None, why it failed) in the order the executions finish."""
        from concurrent.futures import as_completed

        for fut in as_completed(list(self._futures)):
            student = self._futures.pop(fut)
            try:
                yield student, fut.result(), ""
            except Exception as exc:  # noqa: BLE001 - e.g. a worker process that died
                yield student, None, f"{type(exc).__name__}: {exc}"[:300]

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
