"""Grader side: answer keys, built by running the source notebook's reference solutions through the probes.

A key lives in ``<course>/.psets/keys/<assignment>/<notebook>.json`` (git-ignored, outside source/ and release/),
records the sha256 of the source notebook it came from, and is rebuilt when that notebook changes. Building it
also checks the problem set: every test cell reports at least one check, check ids are unique, the reference
answers run without error, and no declared mistake coincides with the reference. The key also keeps the rubric
of each hand-graded cell (its solution region), which `graders.preprocessors.InsertRubrics` shows to graders.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import KEY_FORMAT, PAYLOAD_MIME, Check, Mistake
from .probes import GRADING_ENV, KEY_BUILD_ENV


class KeyBuildError(Exception):
    """The key cannot be built or read; the message names the notebook, the cell and the fix."""


@dataclass(frozen=True)
class KeyCell:
    points: float
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Key:
    notebook: str
    source_sha256: str
    cells: dict[str, KeyCell]
    #: hand-graded cell grade_id -> its rubric (the source cell's solution region), shown to graders in formgrader
    rubrics: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": KEY_FORMAT, "notebook": self.notebook, "source_sha256": self.source_sha256,
                "cells": {g: {"points": c.points, "checks": [k.to_json() for k in c.checks]}
                          for g, c in self.cells.items()},
                "rubrics": dict(self.rubrics)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Key":
        return cls(d["notebook"], d["source_sha256"],
                   {g: KeyCell(float(c["points"]), tuple(Check.from_json(k) for k in c["checks"]))
                    for g, c in d["cells"].items()},
                   {str(g): str(t) for g, t in d["rubrics"].items()})


def key_path(course_root: str | os.PathLike, assignment: str, notebook: str) -> Path:
    return Path(course_root) / ".psets" / "keys" / assignment / f"{notebook}.json"


def source_path(course_root: str | os.PathLike, assignment: str, notebook: str) -> Path:
    return Path(course_root) / "source" / assignment / f"{notebook}.ipynb"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.S | re.M)


def rubrics_of(nb: Any) -> dict[str, str]:
    """grade_id -> rubric of every hand-graded answer cell (graded and a solution): its solution regions' text."""
    out = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and meta.get("solution") and meta.get("grade_id"):
            text = "\n".join(m.strip("\n") for m in _SOLUTION_REGION.findall(cell.source)).strip()
            if text:
                out[meta["grade_id"]] = text
    return out


def _grade_cells(nb: Any):
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            yield cell, meta


def _checks_from_cell(nbname: str, cell: Any, meta: dict) -> list[Check]:
    gid = meta.get("grade_id", "?")
    where = f"{nbname}, cell {gid}"
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        e = errors[0]
        raise KeyBuildError(f"{where}: the reference solution fails this test cell ({e.get('ename')}: "
                        f"{e.get('evalue')}). Fix the solution or the test, then run `psets build` again.")
    checks = []
    for out in cell.get("outputs", []):
        payload = out.get("data", {}).get(PAYLOAD_MIME) if out.get("output_type") == "display_data" else None
        if payload is None:
            continue
        cid, value, spec = payload["check"], payload["value"], payload.get("spec")
        if spec is None:
            raise KeyBuildError(f"{where}: probe {cid} reported no specification (was the kernel started by graders.keys?)")
        bad = value.get("t") in ("missing", "invalid", "unsupported") or (
            value.get("t") == "calls" and any("raised" in r for r in value["results"]))
        if bad:
            raise KeyBuildError(f"{where}: the reference answer for {cid} could not be reported ({json.dumps(value)[:300]}). "
                            "Fix the reference solution or the probe's inputs.")
        checks.append(Check(id=cid, cell=gid, compare=spec["compare"], options=spec.get("options") or {},
                            weight=float(spec.get("weight", 1.0)), reference=value,
                            mistakes=tuple(Mistake(m["message"], m["transform"]) for m in spec.get("mistakes", [])),
                            inputs=tuple(spec.get("inputs") or ())))
    if not checks:
        raise KeyBuildError(f"{where}: this test cell reports no check. Add probes (graders.probes.report or report_calls) "
                        "inside its ### BEGIN HIDDEN TESTS region.")
    return checks


def _self_test(nbname: str, check: Check) -> None:
    """The reference must pass its own check, and no declared mistake may equal the reference."""
    from .judge import judge_value
    from .model import Outcome

    where = f"{nbname}, cell {check.cell}, check {check.id}"
    v = judge_value(check, check.reference)
    if v.outcome is not Outcome.CORRECT:
        raise KeyBuildError(f"{where}: the reference answer does not pass its own comparator ({check.compare}: "
                        f"{v.reason}). Check the comparator options (domain, tolerance).")
    for m in check.mistakes:
        probe = Check(check.id, check.cell, check.compare, check.options, check.weight, check.reference)
        t = m.transform
        mistaken = t.get("value") if t.get("kind") == "value" else None
        if mistaken is not None and judge_value(probe, mistaken).outcome is Outcome.CORRECT:
            raise KeyBuildError(f"{where}: the known mistake '{m.message[:60]}' equals the reference answer on the "
                            "probe's inputs; choose inputs that tell them apart.")


def build_key(src: Path, dest: Path, *, timeout: int = 120, kernel_name: str = "python3") -> Key:
    """Execute the source notebook in a clean kernel with the probes in key-building mode; write the key."""
    import nbformat
    from nbclient import NotebookClient

    from .kernels import IPCKernelManager

    nb = nbformat.read(src, as_version=4)
    env = {**os.environ, KEY_BUILD_ENV: "1", GRADING_ENV: "1"}
    with tempfile.TemporaryDirectory(prefix="psets-key-") as cwd:
        client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                                kernel_manager_class=IPCKernelManager,
                                extra_arguments=["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"],
                                resources={"metadata": {"path": cwd}})
        try:
            client.execute(env=env, cwd=cwd)
        except Exception as exc:  # noqa: BLE001
            raise KeyBuildError(f"{src.name}: the source notebook did not run to the end ({type(exc).__name__}: {exc}).")
    cells: dict[str, KeyCell] = {}
    seen: set[str] = set()
    for cell, meta in _grade_cells(nb):
        checks = _checks_from_cell(src.name, cell, meta)
        for c in checks:
            if c.id in seen:
                raise KeyBuildError(f"{src.name}, cell {c.cell}: check id {c.id} is used twice; check ids must be unique.")
            seen.add(c.id)
            _self_test(src.name, c)
        cells[meta["grade_id"]] = KeyCell(float(meta.get("points", 0)), tuple(checks))
    key = Key(src.stem, sha256(src), cells, rubrics_of(nbformat.read(src, as_version=4)))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    tmp.write_text(json.dumps(key.to_json()))
    os.chmod(tmp, 0o600)
    os.replace(tmp, dest)
    return key


def load_key(path: Path) -> Key | None:
    try:
        d = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if d.get("format") != KEY_FORMAT:
        return None
    return Key.from_json(d)


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_key(course_root: str | os.PathLike, assignment: str, notebook: str, *, timeout: int = 120) -> Key:
    """The current key for a notebook, built first if it is missing or older than the source notebook."""
    src = source_path(course_root, assignment, notebook)
    dest = key_path(course_root, assignment, notebook)
    if not src.exists():
        raise KeyBuildError(f"no source notebook {src}: cannot build the key for {assignment}/{notebook}")
    with _locked(dest):
        key = load_key(dest)
        if key is not None and key.source_sha256 == sha256(src):
            return key
        return build_key(src, dest, timeout=timeout)
