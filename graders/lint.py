"""Checks on a source notebook before it is released. Each problem names the notebook, the cell and the fix."""
from __future__ import annotations

import re
from pathlib import Path

PROBE_CALL = re.compile(r"\breport(_calls)?\(")


def lint_notebook(path: Path) -> list[str]:
    import nbformat

    name = f"{path.parent.name}/{path.name}"
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001
        return [f"{name}: not a valid notebook ({exc}); fix the JSON"]
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        where = f"{name}, cell {i + 1}"
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"{where}: has outputs; clear them (Edit > Clear Outputs of All Cells) before committing")
        meta = cell.metadata.get("nbgrader")
        if not meta:
            if "BEGIN SOLUTION" in cell.source or "BEGIN HIDDEN TESTS" in cell.source:
                problems.append(f"{where}: has solution/hidden-test markers but no nbgrader metadata; "
                                "mark it as an answer or test cell")
            continue
        gid = meta.get("grade_id")
        where = f"{name}, cell {gid or i + 1}"
        if not gid:
            problems.append(f"{where}: nbgrader cell without grade_id; give it a unique grade_id")
            continue
        if gid in seen:
            problems.append(f"{where}: grade_id {gid!r} is also used by cell {seen[gid] + 1}; grade_ids must be unique")
        seen[gid] = i
        has_solution = "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        if meta.get("solution") and not has_solution:
            problems.append(f"{where}: answer cell without a ### BEGIN SOLUTION / ### END SOLUTION region "
                            "(the reference solution, or the rubric for a hand-graded answer)")
        if meta.get("grade"):
            if not float(meta.get("points") or 0) > 0:
                problems.append(f"{where}: graded cell without points; set points > 0")
            if cell.cell_type == "code" and not meta.get("solution"):
                hidden = re.search(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", cell.source, re.S)
                if not hidden or not PROBE_CALL.search(hidden.group(1)):
                    problems.append(f"{where}: test cell without probes; call graders.probes.report or report_calls "
                                    "inside a ### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS region")
                if not meta.get("locked"):
                    problems.append(f"{where}: test cell is not locked; set locked: true")
                if "BEGIN SOLUTION" in cell.source:
                    problems.append(f"{where}: test cell contains a solution region; move it to the answer cell")
        if cell.cell_type == "code" and not meta.get("solution") and not meta.get("grade") and not meta.get("locked"):
            problems.append(f"{where}: nbgrader code cell that is neither answer, test nor locked; lock it")
    if not any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells):
        problems.append(f"{name}: no graded cells")
    return problems


def extra_files(ps_dir: Path) -> list[str]:
    """Files next to the notebook: nbgrader copies them to every student (a warning, not an error)."""
    return sorted(p.name for p in ps_dir.iterdir() if p.is_file() and p.suffix != ".ipynb" and p.name != ".gitkeep")
