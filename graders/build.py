"""`psets build [PS ...]`: lint the source notebooks, release them with nbgrader, build their keys.

All problem sets are built in one process (nbgrader's API, not one CLI call per set).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .course import load_config, notebooks
from .lint import extra_files, lint_notebook


@dataclass
class BuildReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    built: list[str] = field(default_factory=list)


def lint_sets(root: Path, sets: list[str]) -> BuildReport:
    report = BuildReport()
    for ps in sets:
        for nb in notebooks(root, ps):
            report.errors += lint_notebook(root / "source" / ps / f"{nb}.ipynb")
        extra = extra_files(root / "source" / ps)
        if extra:
            report.warnings.append(f"source/{ps}/ holds {', '.join(extra)}: nbgrader copies these to every student")
    return report


def build(root: Path, sets: list[str], *, keys: bool = True, overrides: dict | None = None,
          say: Callable[[str], None] = print) -> BuildReport:
    from .keys import KeyBuildError, ensure_key

    report = lint_sets(root, sets)
    if report.errors:
        return report
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=load_config(root, overrides))
    for ps in sets:
        result = api.generate_assignment(ps, force=True, create=True)
        if not result["success"]:
            report.errors.append(f"{ps}: nbgrader generate_assignment failed:\n{result.get('error') or result.get('log')}")
            continue
        if keys:
            try:
                for nb in notebooks(root, ps):
                    ensure_key(root, ps, nb)
            except KeyBuildError as exc:
                report.errors.append(str(exc))
                continue
        report.built.append(ps)
        say(f"built {ps}: release/{ps}/" + (" and its answer key" if keys else ""))
    return report
