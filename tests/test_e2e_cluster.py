"""`psets grade --scheduler`: a real Dask scheduler and two real `dask worker` processes grade a mixed ps02 class,
with exactly the grades of a sequential local run; the workers execute the notebooks without the course folder."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from conftest import FAST, ROOT, collect_results, make_course, submit
from graders.classroom import fill, load_personas, reference_answers

pytestmark = pytest.mark.e2e
distributed = pytest.importorskip("distributed")
PS = "ps02_linear_algebra"
BIN = Path(sys.executable).parent
#: Appended to the "correct" student's first answer: what its kernel sees (printed; no effect on the grade).
LOOK = """
import json as _j, os as _o
print("PSETS-LOOK " + _j.dumps({"course_visible": _o.path.exists(COURSE), "cwd": _o.getcwd(),
      "student_file": open("student-notes.txt").read(), "instructor_file": open("instructor-data.txt").read()}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hiding(folder: Path) -> list[str]:
    """A command prefix that runs a program with `folder` hidden under an empty tmpfs (a private mount namespace:
    as root, or as a user with user namespaces); [] where neither works."""
    script = 'hide=$1; shift; mount -t tmpfs psets-hidden "$hide" && exec "$@"'
    for opts in (["--mount"], ["--user", "--map-root-user", "--mount"]):
        cmd = ["unshare", *opts, "--propagation", "private", "sh", "-c", script, "sh", str(folder)]
        try:
            if subprocess.run([*cmd, "test", "!", "-e", str(folder / "probe")], capture_output=True,
                              timeout=10).returncode == 0:
                return cmd
        except (OSError, subprocess.SubprocessError):
            pass
    return []


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A `dask scheduler` on 127.0.0.1 and two `dask worker`s started in a folder of their own, with every test
    folder (the courses included) hidden from them where the system allows; stopped at the end."""
    base = tmp_path_factory.mktemp("cluster")
    (base / "probe").write_text("the workers must not see this")
    home = Path(tempfile.mkdtemp(prefix="psets-dask-"))
    hide = _hiding(base)
    env = {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": str(home), "LANG": "C.UTF-8"}
    address = f"tcp://127.0.0.1:{_free_port()}"
    log = open(home / "cluster.log", "wb")
    procs: list[subprocess.Popen] = []
    client = None
    try:
        # a task whose worker died is not retried elsewhere (test_a_dead_worker_...): one death, KilledWorker
        procs.append(subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                                       "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
                                      cwd=home, env={**env, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"},
                                      stdout=log, stderr=subprocess.STDOUT))
        for i in range(2):
            procs.append(subprocess.Popen(
                [*hide, str(BIN / "dask"), "worker", address, "--nthreads", "1", "--name", f"w{i}",
                 "--no-dashboard", "--local-directory", str(home / f"w{i}")],
                cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 60
        while client is None:
            try:
                client = distributed.Client(address, timeout=5, set_as_default=False)
            except OSError:
                if time.monotonic() > deadline:
                    raise
        client.wait_for_workers(2, timeout=60)
        pids = set(client.run(os.getpid).values())
        assert len(pids) == 2
        if hide:  # the hiding works: the workers see an empty folder where the courses are
            assert set(client.run(os.path.exists, str(base / "probe")).values()) == {False}
        yield address, pids, bool(hide), base
    finally:
        if client is not None:
            client.close()
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def _class(course: Path) -> dict:
    src = nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    ref, p = reference_answers(src), load_personas(ROOT, PS)
    look = f"COURSE = {str(course / 'nbgrader_config.py')!r}" + LOOK
    return {
        "correct": fill(rel, {**ref, "q1_answer": ref["q1_answer"] + "\n" + look}),
        "wrong": fill(rel, p.WRONG),
        "blank": fill(rel, {}),
        "loop": fill(rel, {**ref, "q9_answer": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                               "while True:\n    pass"}),
        "crash": fill(rel, {**ref, "q2_answer": "import os\nos._exit(0)"}),
        "invalid_json": '{"cells": [ not json',
    }


@pytest.fixture(scope="module")
def graded(cluster):
    """The same class graded twice: sequentially here, and on the Dask cluster."""
    from graders.grade import grade

    address, _pids, _hidden, base = cluster
    built = make_course(base / "built", [PS])
    (built / "source" / PS / "instructor-data.txt").write_text("from the instructor")  # travels with every job
    runs = {}
    for name in ("sequential", "dask"):
        course = base / name
        shutil.copytree(built, course)
        for student, nb in _class(course).items():
            submit(course, PS, student, nb)
        (course / "submitted" / "correct" / PS / "student-notes.txt").write_text("from the student")
        t = time.monotonic()
        outcomes = (grade(course, PS, overrides=FAST, progress=False, workers=1) if name == "sequential" else
                    grade(course, PS, overrides=FAST, progress=False, scheduler=address))
        print(f"{name}: graded {len(outcomes)} submissions in {time.monotonic() - t:.1f} s")
        runs[name] = (course, outcomes, collect_results(course, PS, outcomes))
    runs["built"] = built
    return runs


def _look(course: Path, student: str) -> dict:
    nb = nbformat.read(course / "autograded" / student / PS / f"{PS}.ipynb", as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("name") == "stdout" and "PSETS-LOOK " in out.get("text", ""):
                return json.loads(out["text"].split("PSETS-LOOK ", 1)[1].splitlines()[0])
    raise AssertionError("the look cell printed nothing")


def test_cluster_grades_equal_a_sequential_run(graded):
    """Does every cell of every submission score exactly as in a sequential local run, verdicts included?"""
    seq, dask = graded["sequential"][2], graded["dask"][2]
    assert set(seq) == set(dask) == {"correct", "wrong", "blank", "loop", "crash", "invalid_json"}
    for s in seq:
        assert dask[s].success == seq[s].success, s
        assert dask[s].cells == seq[s].cells, s
        assert dask[s].verdicts == seq[s].verdicts, s
    # the mix is what it claims to be
    assert sum(score for score, *_ in seq["correct"].cells.values()) == 18
    assert seq["crash"].cells["q2_test"][0] == 0 and seq["loop"].cells["q9_test"][0] == 0
    assert seq["loop"].verdicts["q9.einsum"]["reason"] == "answer_timeout"
    assert seq["crash"].verdicts["q2.area"]["reason"] == "answer_kernel_died"
    assert not dask["invalid_json"].success and "not a valid notebook" in dask["invalid_json"].message


def test_the_workers_executed_every_notebook(cluster, graded):
    """Was every readable submission executed by one of the two Dask worker processes, none in this process?"""
    _address, pids, *_ = cluster
    outcomes = {o.student: o for o in graded["dask"][1]}
    for student, o in outcomes.items():
        if student == "invalid_json":
            assert o.ran_on == ""  # nothing could be sent: nbgrader reports it here
            continue
        host, pid = o.ran_on.rsplit(":", 1)
        assert int(pid) in pids and int(pid) != os.getpid(), (student, o.ran_on)
    assert {o.ran_on for o in graded["sequential"][1]} == {""}


def test_jobs_carry_the_submission_and_instructor_files(graded):
    """Do a submission's extra files and the instructor's non-notebook files reach the worker's kernel?"""
    for name in ("sequential", "dask"):
        look = _look(graded[name][0], "correct")
        assert look["student_file"] == "from the student" and look["instructor_file"] == "from the instructor"
    assert not _look(graded["dask"][0], "correct")["cwd"].startswith(str(graded["dask"][0]))  # a scratch folder


def test_workers_need_no_course_folder(cluster, graded):
    """Do workers that cannot see the course folder at all still grade everything right (the equality test)?"""
    _address, _pids, hidden, _base = cluster
    if not hidden:
        pytest.skip("cannot hide the courses from the workers here (needs root or user namespaces for unshare)")
    from graders import sandbox

    # the worker processes themselves cannot see the courses (checked by the fixture); a local kernel sees the
    # course only where the full sandbox is unavailable
    assert _look(graded["sequential"][0], "correct")["course_visible"] is (not sandbox.detect().isolated)
    assert _look(graded["dask"][0], "correct")["course_visible"] is False


def test_unreachable_scheduler_is_one_clear_line(tmp_path):
    """Does `psets grade --scheduler` with no scheduler there fail with one line and no traceback?"""
    course = tmp_path / "course"
    (course / "source" / PS).mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copy2(ROOT / "source" / PS / f"{PS}.ipynb", course / "source" / PS)
    (course / "submitted" / "someone" / PS).mkdir(parents=True)
    r = subprocess.run([str(BIN / "psets"), "--course", str(course), "grade", PS,
                        "--scheduler", f"tcp://127.0.0.1:{_free_port()}"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("psets: cannot reach the Dask scheduler at tcp://127.0.0.1:"), r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_a_dead_worker_costs_its_student_nothing(cluster, graded):
    """Is a submission whose Dask worker dies under it executed here instead, with the grades of a sequential run?

    Student code cannot kill its worker (the kernel is sandboxed, in a PID namespace of its own where the full
    sandbox is available), so the test kills the worker process itself while that submission is running on it."""
    import signal
    import threading

    from graders.grade import grade

    address, pids, *_ = cluster
    course = graded["built"].parent / "killer"
    shutil.copytree(graded["built"], course)
    src = nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    ref = reference_answers(src)
    slow = "import time\ntime.sleep(3)\n"  # long enough to be caught running, well under the cell timeout
    submit(course, PS, "killer", fill(rel, {**ref, "q1_answer": slow + ref["q1_answer"]}))
    killed: list[int] = []

    def kill_the_busy_worker():
        watcher = distributed.Client(address, timeout=10, set_as_default=False)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                busy = [w for w, tasks in watcher.processing().items() if tasks]
                if busy:
                    pid = watcher.run(os.getpid, workers=busy[:1])[busy[0]]
                    time.sleep(1.0)  # its kernel is running the slow cell by now
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
                time.sleep(0.05)
        finally:
            watcher.close()

    killer = threading.Thread(target=kill_the_busy_worker)
    killer.start()
    [o] = grade(course, PS, overrides=FAST, progress=False, scheduler=address)
    killer.join()
    assert killed and killed[0] in pids
    assert o.success and o.ran_on == "" and "KilledWorker" in o.fallback, o
    cells = collect_results(course, PS, [o])["killer"].cells
    assert cells == graded["sequential"][2]["correct"].cells
