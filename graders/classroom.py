"""Simulated students: notebooks made from the release by replacing answer cells (for the demo and the tests).

The answers come from `personas/<ps>.py` in the repository (see personas/__init__.py) and, for correct answers,
from the source notebook's solution regions.
"""
from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n|^[ \t]*### END SOLUTION[ \t]*\n?", re.M)

#: Answer cells that sabotage grading from inside the kernel; they must gain nothing.
TAMPERING = """
import numpy as np, sympy as sp, builtins, json
import graders.probes as _p
from IPython.display import publish_display_data
from graders.model import PAYLOAD_MIME
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
sp.simplify = lambda e, *a, **k: 0
_real_report, _real_calls = _p.report, _p.report_calls
def _forge(check, *a, **k):
    publish_display_data({PAYLOAD_MIME: {"check": check, "value": {"t": "float", "v": 0.0},
                          "spec": {"compare": "scalar", "options": {"rtol": 1e9, "atol": 1e9}, "weight": 100}}})
_p.report = _p.report_calls = _forge
ip = get_ipython()
def _fake(result):
    publish_display_data({"text/plain": "1.0"})
ip.events.register("post_run_cell", _fake)
ip.display_formatter.formatters["text/plain"].for_type(float, lambda x, p, c: p.text("999"))
"""


def reference_answers(source_nb: Any) -> dict[str, str]:
    """The source notebook's answer cells with the solution markers removed (what a perfect student writes)."""
    out = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            out[meta["grade_id"]] = SOLUTION.sub("", cell.source)
    return out


def fill(release_nb: Any, answers: dict[str, str]) -> Any:
    """A copy of the released notebook with the given answer cells replaced (by grade_id)."""
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def load_personas(repo: Path, ps: str) -> ModuleType | None:
    path = Path(repo) / "personas" / f"{ps}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"personas_{ps}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def answer_ids(nb: Any) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


def simulated_class(repo: Path, ps: str, source_nb: Any, release_nb: Any) -> dict[str, tuple[Any, str]]:
    """student id -> (notebook, description): at least 12 kinds of submission."""
    ref = reference_answers(source_nb)
    ids = answer_ids(release_nb)
    p = load_personas(repo, ps)
    other = getattr(p, "OTHER_FORMS", {}) if p else {}
    wrong = getattr(p, "WRONG", {}) if p else {}
    mistakes = (getattr(p, "MISTAKES", []) if p else []) or [{}]
    warns = getattr(p, "WARNINGS", {}) if p else {}
    half = {g: a for i, (g, a) in enumerate(ref.items()) if i % 2 == 0}
    first, last = ids[0], ids[-1]
    crash = {**ref, first: "import os\nos._exit(0)"}
    loop = {**ref, last: "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.01)"}
    tamper = {**wrong, first: TAMPERING + "\n" + wrong.get(first, ref[first])}
    students = {
        "s01_reference": ({**ref}, "correct (the reference solutions)"),
        "s02_other_forms": ({**ref, **other}, "correct, written in other forms"),
        "s03_partly_wrong": ({**ref, **{g: a for i, (g, a) in enumerate(wrong.items()) if i % 2}},
                             "every other problem wrong"),
        "s04_blank": ({}, "unchanged release (blank)"),
        "s05_known_mistakes": ({**ref, **mistakes[0]}, "common mistakes everywhere"),
        "s06_more_mistakes": ({**ref, **(mistakes[1] if len(mistakes) > 1 else wrong)}, "other common mistakes"),
        "s07_endless_loop": (loop, "an endless loop that ignores interrupts in the last answer"),
        "s08_kernel_crash": (crash, "os._exit(0) in the first answer"),
        "s09_tamperer": (tamper, "wrong answers + rebinding numpy/graders, forged payloads, IPython hooks"),
        "s10_half_done": (half, "half of the problems answered"),
        "s11_warnings": ({**ref, **warns}, "correct, with numpy warnings"),
        "s12_all_wrong": ({**ref, **wrong}, "every problem wrong"),
    }
    return {sid: (fill(release_nb, answers), what) for sid, (answers, what) in students.items()}
