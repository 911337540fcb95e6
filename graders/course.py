"""The course on disk: where it is, its problem sets, and its nbgrader configuration."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class CourseError(Exception):
    """A problem with the course directory; the message says what to do."""


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The nearest directory at or above `start` (default: the cwd) that holds nbgrader_config.py and source/."""
    here = Path(start or os.getcwd()).resolve()
    for d in (here, *here.parents):
        if (d / "nbgrader_config.py").exists() and (d / "source").is_dir():
            return d
    raise CourseError(f"no course found at or above {here}: run this inside the repository "
                      "(a folder with nbgrader_config.py and source/), or pass --course DIR")


def problem_sets(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "source").iterdir() if p.is_dir() and list(p.glob("*.ipynb")))


def notebooks(root: Path, ps: str) -> list[str]:
    return sorted(p.stem for p in (root / "source" / ps).glob("*.ipynb"))


def resolve_sets(root: Path, names: list[str] | None) -> list[str]:
    known = problem_sets(root)
    if not names:
        return known
    out = []
    for n in names:
        matches = [k for k in known if k == n or k.startswith(n + "_")]
        if len(matches) != 1:
            raise CourseError(f"unknown problem set {n!r}; the course has: {', '.join(known)}")
        out.append(matches[0])
    return out


def tools_on_path() -> None:
    """nbgrader runs the `alembic` executable to create a gradebook: make this environment's scripts findable
    even when the virtual environment is not activated."""
    import sys

    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def load_config(root: Path, overrides: dict[str, dict[str, Any]] | None = None):
    """The course's nbgrader configuration (nbgrader_config.py), with optional {Class: {trait: value}} overrides."""
    tools_on_path()
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    cfg.merge(Config(overrides or {}))
    return cfg
