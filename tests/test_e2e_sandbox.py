"""The grading kernel's sandbox, tested from inside real kernels started the way grading starts them
(graders.execute.ResilientExecute -> graders.kernels.SandboxedKernelManager -> graders.kernelhost).

Each test runs a few cells in a grading kernel and reads what the kernel saw. The full level (bubblewrap) is
required where bubblewrap works; tests of limits that only the full level can enforce for root are skipped with the
reason elsewhere (and CI installs bubblewrap, so they run there).
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import ROOT, LoopbackListener
from graders import sandbox

pytestmark = pytest.mark.e2e
LEVEL = sandbox.detect()
FULL = pytest.mark.skipif(not LEVEL.isolated, reason=f"full sandbox unavailable: {LEVEL.reason}")


def run(cells: list[str], cwd: Path, timeout: int = 20, **manager) -> tuple[list[str], dict]:
    """Execute cells in a grading kernel; return each cell's output text and the executor's failures."""
    from graders.execute import ResilientExecute

    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    ex = ResilientExecute(timeout=timeout, allow_errors=True)
    for name, value in manager.items():
        ex.config.SandboxedKernelManager[name] = value
    nb, res = ex.preprocess(nb, {"metadata": {"path": str(cwd)}})
    texts = ["".join(o.get("text", "") + o.get("ename", "") + o.get("evalue", "") + str(o.get("data", {}).get("text/plain", ""))
                     for o in c.outputs) for c in nb.cells]
    return texts, res.get("psets", {}).get("failures", {})


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "data.csv").write_text("1,2\n")
    return tmp_path


def test_level_is_reported_and_full_where_bubblewrap_works():
    """Is the level 'bwrap' whenever the bubblewrap binary can build a sandbox here?"""
    assert LEVEL.name in ("bwrap", "limits")
    if LEVEL.name == "limits":
        assert LEVEL.reason  # says what is missing


def test_kernel_works_in_a_scratch_copy_of_its_folder_and_leaves_it_untouched(folder):
    """Does the kernel see a copy of the submission folder (its files readable, its writes not reaching it)?"""
    texts, failures = run(["import os, numpy, sympy\nprint(open('data.csv').read().strip(), os.getcwd())",
                           "open('data.csv', 'w').write('changed'); open('new.txt', 'w').write('x'); print('wrote')"],
                          folder)
    assert not failures
    assert texts[0].startswith("1,2 ") and str(folder) not in texts[0]
    assert "wrote" in texts[1]
    assert (folder / "data.csv").read_text() == "1,2\n" and not (folder / "new.txt").exists()


@FULL
def test_course_files_and_other_folders_do_not_exist_inside(folder):
    """Are the course (source/, keys, gradebook), the repository and the home folder invisible to the kernel?"""
    needed = sandbox._readonly_paths()  # the Python installation may live in the home folder
    home = [p for p in Path.home().iterdir() if not any((r + "/").startswith(str(p) + "/") for r in needed)][:5]
    probes = [ROOT / "source", ROOT / "nbgrader_config.py", ROOT / ".psets", ROOT / "release", folder.parent, *home]
    code = "import os\nfor p in %r:\n    print(p, os.path.exists(p))" % [str(p) for p in probes]
    texts, _ = run([code], folder)
    for p in probes:
        assert f"{p} False" in texts[0], texts[0]


@FULL
def test_no_network_even_to_a_listener_on_loopback(folder):
    """Can the kernel reach a server listening on the host's 127.0.0.1? (It must not.)"""
    code = ("import socket\ns = socket.socket(); s.settimeout(3)\ntry:\n    s.connect(('127.0.0.1', %d)); "
            "print('CONNECTED')\nexcept OSError as e:\n    print('refused', type(e).__name__)")
    with LoopbackListener() as listener:
        texts, _ = run([code % listener.port], folder)
    assert "refused" in texts[0] and "CONNECTED" not in texts[0]
    assert listener.accepted == []


def test_environment_is_scrubbed(folder, monkeypatch):
    """Do the grader's secrets (tokens, passwords in the environment) stay out of the kernel?"""
    monkeypatch.setenv("INSTRUCTOR_API_TOKEN", "s3cr3t-token")
    monkeypatch.setenv("PGPASSWORD", "hunter2")
    texts, _ = run(["import os\nprint(sorted(os.environ))\nprint(os.environ.get('HOME'))"], folder)
    assert "INSTRUCTOR_API_TOKEN" not in texts[0] and "PGPASSWORD" not in texts[0]
    assert "s3cr3t" not in texts[0] and "hunter2" not in texts[0]
    assert str(Path.home()) + "\n" not in texts[0]


def test_kernel_is_not_root(folder):
    """Does student code run as an unprivileged user even when grading runs as root (full level)?"""
    texts, _ = run(["import os\nprint('uid', os.getuid(), os.geteuid())"], folder)
    if LEVEL.isolated or os.geteuid() != 0:
        assert "uid 0 " not in texts[0] and "uid 0\n" not in texts[0], texts[0]


def test_memory_limit(folder):
    """Is allocating 20 GB refused (MemoryError) while the kernel survives for the next cell?"""
    texts, failures = run(["import numpy as np\ntry:\n    x = np.ones(20 * 2**30 // 8)\n    print('ALLOCATED')\n"
                           "except MemoryError:\n    print('refused')",
                           "b = bytearray(3 * 2**30)",
                           "print('alive')"], folder)
    assert "refused" in texts[0] and "ALLOCATED" not in texts[0]
    assert "MemoryError" in texts[1] or failures.get(1)
    assert "alive" in texts[2]


def test_memory_limit_is_configurable(folder):
    """Does SandboxedKernelManager.memory_limit take effect?"""
    texts, _ = run(["import resource\nprint(resource.getrlimit(resource.RLIMIT_AS))"], folder,
                   memory_limit=3 * 2**30)
    assert f"({3 * 2**30}, {3 * 2**30})" in texts[0]


def test_file_size_limit(folder):
    """Is writing a file larger than the limit stopped?"""
    texts, _ = run(["try:\n    with open('big.bin', 'wb') as f:\n        f.write(b'0' * (300 * 2**20))\n"
                    "    print('WROTE')\nexcept OSError as e:\n    print('refused', type(e).__name__)"], folder)
    assert "refused" in texts[0] and "WROTE" not in texts[0]


def _spawn_threads_code(n: int) -> str:
    return ("import threading, time\nev = threading.Event(); made = 0\ntry:\n    for i in range(%d):\n"
            "        threading.Thread(target=ev.wait, daemon=True).start(); made += 1\n"
            "except RuntimeError as e:\n    print('refused after', made)\nelse:\n    print('MADE', made)\n"
            "ev.set()" % n)


@pytest.mark.skipif(not LEVEL.isolated and os.geteuid() == 0,
                    reason="root ignores the process limit outside the full sandbox")
def test_process_limit(folder):
    """Is the number of processes/threads a kernel can create bounded (a fork bomb stops)?"""
    texts, _ = run([_spawn_threads_code(2000)], folder, process_limit=64)
    assert "refused after" in texts[0], texts[0]
    assert int(texts[0].split("refused after")[1].split()[0]) < 64


def _alive_with(marker: str) -> list[int]:
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    pids.append(int(pid))
            except OSError:
                continue
    return pids


def test_processes_started_by_a_submission_end_with_its_kernel(folder):
    """Do background processes (a detached subprocess, a double fork) and daemon threads end with the kernel?"""
    marker = f"psets-orphan-{uuid.uuid4().hex}"
    code = ("import subprocess, sys, os\n"
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', %r], start_new_session=True)\n"
            "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            "        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)', %r])\n"
            "    os._exit(0)\nprint('started')" % (marker, marker))
    texts, _ = run([code, "import time; time.sleep(0.5); print('done')"], folder)
    assert "started" in texts[0]
    assert _alive_with(marker) == []


def test_kernels_share_nothing_between_submissions(tmp_path):
    """Does a file left in /tmp, the home folder or the working folder by one kernel stay invisible to the next?"""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    token = uuid.uuid4().hex
    run([f"import os, tempfile\nfor d in (tempfile.gettempdir(), os.path.expanduser('~'), '.'):\n"
         f"    open(os.path.join(d, 'left-{token}'), 'w').write('x')\nprint('left')"], a)
    texts, _ = run([f"import os, tempfile\nprint([os.path.exists(os.path.join(d, 'left-{token}')) for d in "
                    f"(tempfile.gettempdir(), os.path.expanduser('~'), '.')])"], b)
    assert "[False, False, False]" in texts[0], texts[0]


def test_kernel_cannot_signal_or_trace_the_kernel_host(folder):
    """Can student code kill or read the memory of the warm kernel host it was forked from? (It must not.)"""
    code = ("import os, signal\nppid = os.getppid()\ntry:\n    open(f'/proc/{ppid}/mem', 'rb').read(1)\n"
            "    print('READ')\nexcept OSError as e:\n    print('mem refused', type(e).__name__)\n")
    texts, _ = run([code, "print('next')"], folder)
    assert "mem refused" in texts[0] and "READ" not in texts[0]
    texts2, failures = run(["import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)",
                             "print('graded on')"], folder)
    # killing the host takes the kernel down with it at worst: the next cell still runs in a fresh one
    assert "graded on" in texts2[1], (texts2, failures)


def test_doctor_reports_the_level():
    """Does `psets doctor` say which isolation level is in force and how to get the full one?"""
    r = subprocess.run([sys.executable, "-m", "graders.cli", "doctor"], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"sandbox: {LEVEL.name}" in r.stdout
    if not LEVEL.isolated:
        assert "bubblewrap" in r.stdout
