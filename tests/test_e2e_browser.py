"""A real browser (Debian's chromium through Playwright) on a real `jupyter lab` in a scratch course.

Student: opens the released ps02 notebook, answers problem 1, saves, runs all cells (the visible check and the
self-check in the last cell print their results), presses nbgrader's Validate and reads the result dialog.
Instructor: opens formgrader, sees the submission graded by `psets grade` with its score, and in the manual grading
view the rubric of the hand-graded proof right after the student's proof.
Screenshots of every step go to test-artifacts/browser/ (git-ignored).
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import FAST, ROOT, make_course, submit
from graders.classroom import fill, reference_answers

pytestmark = pytest.mark.e2e
PS = "ps02_linear_algebra"
CHROMIUM = os.environ.get("PSETS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
WAIT = 240_000  # ms: generous upper bounds for waits on a shared 2-core machine (never a timing assertion)
PROOF = ("Since the columns of B are independent, B^T B is invertible. Then P^2 = P and P^T = P, "
         "and P maps onto col(B) because PB = B. (Alice's proof)")
Q1 = ("u = np.array([1.0, 0.0, -1.0, 2.0])\nv = np.array([3.0, 1.0, 0.0, 1.0])\n"
      "theta = float(np.arccos(u @ v / (np.linalg.norm(u) * np.linalg.norm(v))))")


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not os.path.exists(CHROMIUM):
        return f"no chromium at {CHROMIUM} (apt-get install chromium, or set PSETS_CHROMIUM)"
    return ""


if _missing():
    pytestmark = [pytest.mark.e2e, pytest.mark.skip(reason=_missing())]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A scratch course with one graded submission (alice) and a student's copy of the release, served by
    `jupyter lab` on 127.0.0.1 with a token."""
    from graders.grade import grade

    tmp = tmp_path_factory.mktemp("browser")
    course = make_course(tmp, [PS])
    src = nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    submit(course, PS, "alice", fill(rel, {**reference_answers(src), "q11_proof": PROOF}))
    [outcome] = grade(course, PS, overrides=FAST, progress=False)
    assert outcome.success and outcome.score == 18, outcome
    (course / "student").mkdir()
    shutil.copy2(course / "release" / PS / f"{PS}.ipynb", course / "student")
    home = tmp / "home"  # a fresh HOME: no user settings or workspaces of whoever runs the tests
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')  # no news prompt
    port, token = _free_port(), secrets.token_hex(16)
    bindir = Path(sys.executable).parent
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "PATH": str(bindir) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("PSETS_GRADING", None)
    log = open(tmp / "jupyter-lab.log", "w")
    proc = subprocess.Popen([str(bindir / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                             f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course}",
                             *(["--allow-root"] if os.geteuid() == 0 else [])],
                            cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to about 2 minutes for the server to answer
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited: {(tmp / 'jupyter-lab.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not answer")
        yield base, token, course
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def _page(browser, token: str):
    """A page whose every request (formgrader's API calls included) carries the server's token."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  extra_http_headers={"Authorization": f"token {token}"})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return page


def _shot(page, name: str, locator=None) -> None:
    (locator or page).screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_student_answers_runs_the_checks_and_validates(lab, browser):
    """Does a student, in JupyterLab, see the visible check pass, the self-check's verdicts, and nbgrader's
    Validate dialog?"""
    base, token, course = lab
    page = _page(browser, token)
    page.goto(f"{base}/lab/tree/student/{PS}.ipynb")
    cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    cells.nth(3).wait_for()
    page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for()  # the kernel has started (status bar)
    _shot(page, "1-student-opens-notebook")

    answer = cells.nth(3)  # Problem 1's answer cell (intro, setup, statement, answer)
    assert "YOUR CODE HERE" in answer.inner_text()
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(Q1)
    assert "np.arccos" in answer.inner_text()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")  # the self-check reads the saved file
    page.wait_for_selector(".jp-NotebookPanel .jp-mod-dirty", state="detached")
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator("#jp-mainmenu-run .lm-Menu-item[data-command='runmenu:run-all']").click()

    visible = cells.nth(4).locator(".jp-OutputArea-output")
    visible.filter(has_text="Problem 1: visible checks passed").wait_for()
    visible.first.scroll_into_view_if_needed()
    _shot(page, "2-student-visible-check-passes")
    # Run All stops at the first unanswered problem (NotImplementedError): the student runs the last cell itself
    self_check = cells.nth(cells.count() - 1)
    self_check.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    last = self_check.locator(".jp-OutputArea-output").filter(has_text="points (auto-graded part)")
    last.wait_for()  # the self-check ran the hidden tests on the saved file
    report = last.inner_text()
    assert f"{PS}: 2 / 18 points" in report and "q1: 2 / 2" in report and "q2: 0 / 1" in report, report
    assert "No answer was found" in report
    last.scroll_into_view_if_needed()
    _shot(page, "3-student-self-check", self_check)

    page.locator(".jp-NotebookPanel .validate-button button, .jp-NotebookPanel .validate-button").first.click()
    dialog = page.locator(".jp-Dialog").filter(has_text="Validation Results")
    dialog.wait_for()
    body = dialog.inner_text()
    # the unanswered problems fail their visible checks; problem 1, answered, does not; nothing hidden is shown
    assert "The following cell failed" in body and 'Sanity("Problem 2")' in body, body
    assert 'Sanity("Problem 1")' not in body and "check_here" not in body and "BEGIN HIDDEN" not in body
    _shot(page, "4-student-validate-dialog")
    dialog.locator("button", has_text="Ok").click()
    page.context.close()


def test_instructor_sees_the_score_and_the_rubric_in_formgrader(lab, browser):
    """Does formgrader list the autograded submission with its score, and show the grader the proof's rubric after
    the student's proof in the manual grading view?"""
    base, token, course = lab
    page = _page(browser, token)
    page.goto(f"{base}/formgrader/gradebook/{PS}/{PS}")
    score = page.locator("td.score").first
    page.wait_for_function("document.querySelector('td.score') && document.querySelector('td.score').innerText.trim()")
    assert score.inner_text().replace(" ", "") == "18/20", score.inner_text()
    _shot(page, "5-instructor-formgrader-scores")

    page.locator("td.name a:visible").first.click()
    rubric = page.locator(".text_cell_render", has_text="Rubric (visible to graders only)")
    rubric.wait_for()
    text = page.locator("body").inner_text()
    assert text.index("Alice's proof") < text.index("Rubric (visible to graders only)") < text.index("check_here(")
    assert "Deduct 0.5" in rubric.inner_text()
    page.locator("input.score#q11_proof").wait_for()  # the proof waits for a hand grade, with the rubric beside it
    rubric.scroll_into_view_if_needed()
    _shot(page, "6-instructor-manual-grading-rubric")
    page.context.close()
