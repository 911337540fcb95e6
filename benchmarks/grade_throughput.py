"""Grading throughput: stock `nbgrader autograde` vs `psets grade`, same submissions, same machine, same run.

    .venv/bin/python benchmarks/grade_throughput.py [--students 60] [--ps ps02_linear_algebra]

Builds a scratch course, makes a synthetic class (a realistic mix: correct, other forms, partly wrong, blank,
known mistakes), grades it once with the stock nbgrader command line (stock Execute and shutdown, the course's
judge) and once with `psets grade`, and prints wall times, seconds per notebook and the ratio; then the floor: the
same notebooks' cells executed in kernels already running, spread over all cores.
Not a test: run it by hand.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_class(course: Path, ps: str, n: int) -> None:
    from graders.classroom import fill, load_personas, reference_answers

    src = nbformat.read(course / "source" / ps / f"{ps}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / ps / f"{ps}.ipynb", as_version=4)
    ref, p = reference_answers(src), load_personas(ROOT, ps)
    mix = [ref, {**ref, **p.OTHER_FORMS}, {**ref, **{k: v for i, (k, v) in enumerate(p.WRONG.items()) if i % 2}},
           {}, {**ref, **p.MISTAKES[0]}]
    for i in range(n):
        path = course / "submitted" / f"s{i:03d}" / ps / f"{ps}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(fill(rel, mix[i % len(mix)]), path)


def fresh_course(base: Path, ps: str, name: str) -> Path:
    from graders.build import build

    course = base / name
    (course / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / ps, course / "source" / ps)
    report = build(course, [ps], say=lambda m: None)
    assert not report.errors, report.errors
    return course


def floor_seconds(course: Path, ps: str) -> float:
    """Seconds to execute every submission's cells in kernels that are already running (kernel start and stop
    not counted), divided by the number of cores: what grading would cost if starting kernels and nbgrader's
    bookkeeping were free."""
    from nbclient import NotebookClient

    from graders.kernels import SandboxedKernelManager

    total = 0.0
    for path in sorted((course / "autograded").glob(f"*/{ps}/{ps}.ipynb")):  # with the hidden tests back in
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        client = NotebookClient(nb, timeout=30, allow_errors=True, kernel_manager_class=SandboxedKernelManager,
                                resources={"metadata": {"path": str(path.parent)}})
        with client.setup_kernel():  # not timed: the kernel is warm when the clock starts
            t = time.perf_counter()
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            total += time.perf_counter() - t
    return total / (os.cpu_count() or 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=60)
    ap.add_argument("--ps", default="ps02_linear_algebra")
    args = ap.parse_args()
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as tmp:
        stock = fresh_course(Path(tmp), args.ps, "stock")
        ours = fresh_course(Path(tmp), args.ps, "psets")
        for c in (stock, ours):
            make_class(c, args.ps, args.students)
        t = time.perf_counter()
        subprocess.run([str(bindir / "nbgrader"), "autograde", args.ps, "--force",
                        "--Execute.shutdown_kernel=graceful",
                        "--Autograde.autograde_preprocessors=" + repr([
                            "graders.preprocessors.LoadKey", "nbgrader.preprocessors.Execute",
                            "graders.preprocessors.Judge", "nbgrader.preprocessors.IgnorePattern",
                            "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
                            "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
                            "nbgrader.preprocessors.CheckCellMetadata"])],
                       cwd=stock, env=env, check=True, capture_output=True)
        t_stock = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([str(bindir / "psets"), "--course", str(ours), "grade", args.ps], env=env, check=True,
                       capture_output=True)
        t_ours = time.perf_counter() - t
        t_floor = floor_seconds(ours, args.ps)
    n = args.students
    print(f"{n} submissions of {args.ps} on {os.cpu_count()} cores")
    print(f"stock nbgrader autograde: {t_stock:7.1f} s  ({t_stock / n:.2f} s/notebook)")
    print(f"psets grade:              {t_ours:7.1f} s  ({t_ours / n:.2f} s/notebook)")
    print(f"ratio stock/psets:        {t_stock / t_ours:7.2f}x")
    print(f"floor (cells only, warm kernels, all cores): {t_floor:7.1f} s  ({t_floor / n:.2f} s/notebook); "
          f"psets grade takes {t_ours / t_floor:.2f}x the floor")


if __name__ == "__main__":
    main()
