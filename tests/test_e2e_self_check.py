"""The self-check in the last cell of every released notebook: run as a student runs it (a real kernel, standard
input allowed, the saved file next to it), it grades with the hidden tests and shows verdicts and hints, never
answers; without graders or the course it says plainly that only the visible checks are available; and while a
notebook is being executed by a machine (grading, key building, Validate) it does nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from graders.check import ONLY_VISIBLE
from graders.classroom import fill, load_personas, reference_answers
from tests_leaks import reference_strings

pytestmark = pytest.mark.e2e
PS = "ps02_linear_algebra"
SETS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def _release(ps=PS):
    return nbformat.read(ROOT / "release" / ps / f"{ps}.ipynb", as_version=4)


def _student_env():
    return {k: v for k, v in os.environ.items() if k not in ("PSETS_GRADING", "PSETS_KEY_BUILD")}


def _run_like_a_student(code: str, cwd: Path) -> str:
    """Run one cell in a fresh kernel the way JupyterLab does (stdin allowed); return what it printed."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(cwd), env=_student_env())
    kc = km.client()
    kc.start_channels()
    out: list[str] = []

    def hook(msg):
        c = msg["content"]
        if msg["msg_type"] == "stream":
            out.append(c["text"])
        elif msg["msg_type"] in ("execute_result", "display_data"):
            out.append(c["data"].get("text/plain", ""))
        elif msg["msg_type"] == "error":
            out.append("\n".join(c["traceback"]))

    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(code, allow_stdin=True, output_hook=hook, timeout=600)
        assert reply["content"]["status"] == "ok", out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return "".join(out)


def _self_check_cell(nb):
    cell = nb.cells[-1]
    assert cell.cell_type == "code" and "nbgrader" not in cell.metadata and cell.get("id") == "self_check"
    return cell.source


def _saved_student_notebook(tmp_path, answers) -> Path:
    src = nbformat.read(ROOT / "source" / PS / f"{PS}.ipynb", as_version=4)
    answers = answers(reference_answers(src), load_personas(ROOT, PS))
    path = tmp_path / f"{PS}.ipynb"
    nbformat.write(fill(_release(), answers), path)
    return path


@pytest.mark.parametrize("ps", SETS)
def test_every_released_notebook_ends_with_its_self_check(ps):
    """Does every release end with a plain code cell that checks that very notebook file?"""
    code = _self_check_cell(_release(ps))
    assert f'check_here("{ps}.ipynb")' in code and "except ImportError" in code
    source = nbformat.read(ROOT / "source" / ps / f"{ps}.ipynb", as_version=4)
    assert source.cells[-1].source == code


def test_self_check_of_a_reference_solved_notebook_prints_full_marks(tmp_path):
    """Does the last cell, run in a real kernel next to the saved file, print full marks and nothing secret?"""
    path = _saved_student_notebook(tmp_path, lambda ref, p: ref)
    text = _run_like_a_student(_self_check_cell(_release()), tmp_path)
    assert f"{PS}: 18 / 18 points (auto-graded part)" in text, text
    assert text.count("Correct.") == 11 and "graded by hand" in text
    assert "\x1b" not in text and "Traceback" not in text
    from graders.keys import ensure_key

    for s in reference_strings(ensure_key(ROOT, PS, PS)):
        assert s not in text, s
    assert max(len(line) for line in text.splitlines()) <= 100
    assert path.exists()


def test_self_check_of_a_wrong_answer_prints_the_hint(tmp_path):
    """Is a known mistake (the angle in degrees) named, with the points lost, and the answer not shown?"""
    _saved_student_notebook(tmp_path, lambda ref, p: {**ref, "q1_answer": p.MISTAKES[0]["q1_answer"]})
    text = _run_like_a_student(_self_check_cell(_release()), tmp_path)
    assert "16 / 18 points" in text and "q1: 0 / 2" in text, text
    assert "That angle is in degrees; the problem asks for radians." in text
    from graders.keys import ensure_key

    for s in reference_strings(ensure_key(ROOT, PS, PS)):
        assert s not in text, s


def test_without_graders_the_cell_says_only_visible_checks_are_available(tmp_path):
    """With a Python that cannot import graders (a student with only the released notebook), is the plain message
    printed and nothing raised?"""
    code = _self_check_cell(_release())
    r = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       timeout=60, env=_student_env())
    probe = subprocess.run([sys.executable, "-I", "-S", "-c", "import graders"], capture_output=True, cwd=tmp_path)
    assert probe.returncode != 0  # the interpreter really lacks graders
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.strip() == ONLY_VISIBLE


def test_without_the_course_the_cell_says_only_visible_checks_are_available(tmp_path, capsys, monkeypatch):
    """With graders but no source notebook of that name anywhere (no key can exist), is the plain message printed?"""
    from graders.check import check_here

    nbformat.write(_release(), tmp_path / "my_copy.ipynb")
    monkeypatch.chdir(tmp_path)
    assert check_here("my_copy.ipynb") is None
    assert capsys.readouterr().out.strip() == ONLY_VISIBLE


def test_unsaved_notebook_is_named(tmp_path, capsys, monkeypatch):
    """Is a missing file reported as such (save first), not as a traceback?"""
    from graders.check import check_here

    monkeypatch.chdir(tmp_path)
    assert check_here(f"{PS}.ipynb") is None
    assert "was not found" in capsys.readouterr().out


def test_machine_execution_without_the_grading_variable_runs_no_check(tmp_path):
    """Executed by a plain nbclient run without PSETS_GRADING (as nbgrader's Validate does), does the cell print
    nothing rather than start a second grading?"""
    from nbclient import NotebookClient

    path = _saved_student_notebook(tmp_path, lambda ref, p: ref)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}) \
        .execute(env=_student_env(), cwd=str(tmp_path))
    assert nb.cells[-1].execution_count is not None and nb.cells[-1].outputs == []
