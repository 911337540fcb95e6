"""The gradebook on PostgreSQL: a real server (Debian's `postgresql`), `psets grade` and stock `nbgrader autograde`
writing into it through PSETS_DB_URL, and every grade equal to the same class graded into SQLite."""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from conftest import FAST, ROOT, collect_results, make_course, submit
from graders.classroom import fill, load_personas, reference_answers

pytestmark = pytest.mark.e2e
PS = "ps02_linear_algebra"
BIN = Path(sys.executable).parent
STUDENTS = ["reference", "mistakes", "blank", "invalid_json"]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1 (a free port, its sockets in a temporary folder), run by the `postgres`
    system user when the tests run as root; yields a function that creates a database and returns its URL."""
    pg = _pg_bin()
    if pg is None or not (pg / "pg_ctl").exists():
        pytest.skip("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    pytest.importorskip("psycopg")
    folder = Path(tempfile.mkdtemp(prefix="psets-pg-"))
    user: dict = {}
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        account = pwd.getpwnam("postgres") if "postgres" in {p.pw_name for p in pwd.getpwall()} else \
            pwd.getpwnam("nobody")
        os.chown(folder, account.pw_uid, account.pw_gid)
        user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    port = _free_port()

    def run(*cmd: str) -> None:
        r = subprocess.run([str(pg / cmd[0]), *cmd[1:]], cwd=folder, capture_output=True, text=True, timeout=120,
                           env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}, **user)
        assert r.returncode == 0, (cmd, r.stdout[-2000:], r.stderr[-2000:])

    data = folder / "data"
    try:
        run("initdb", "-D", str(data), "-U", "psets", "--auth=trust", "-E", "UTF8", "--no-sync")
        run("pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start", "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder} -c fsync=off")

        def database(name: str) -> str:
            run("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "psets", name)
            return f"postgresql://psets@127.0.0.1:{port}/{name}"

        yield database
    finally:
        if (data / "postmaster.pid").exists():
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _gradebook(url: str | None):
    """PSETS_DB_URL (read by nbgrader_config.py) set to `url`, or unset for the course's SQLite default."""
    old = os.environ.pop("PSETS_DB_URL", None)
    if url:
        os.environ["PSETS_DB_URL"] = url
    try:
        yield
    finally:
        os.environ.pop("PSETS_DB_URL", None)
        if old is not None:
            os.environ["PSETS_DB_URL"] = old


def _submit_class(course: Path) -> None:
    src = nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    ref, p = reference_answers(src), load_personas(ROOT, PS)
    for student, nb in {"reference": fill(rel, ref), "mistakes": fill(rel, {**ref, **p.MISTAKES[0]}),
                        "blank": fill(rel, {}), "invalid_json": '{"cells": [ not json'}.items():
        submit(course, PS, student, nb)


def _cli(tool: str, course: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PSETS_DB_URL": url, "PSETS_CELL_TIMEOUT": str(FAST["Execute"]["timeout"]),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(BIN / tool), *args], cwd=course, env=env, capture_output=True, text=True, timeout=600)


def _recorded(course: Path, url: str | None) -> tuple[dict, dict]:
    """Per student: the cells' (score, max, manual) and verdicts; and the submission totals, from the gradebook."""
    from nbgrader.api import Gradebook

    from graders.course import load_config
    from graders.grade import Outcome

    with _gradebook(url):
        results = collect_results(course, PS, [Outcome(s, True, None, 0) for s in STUDENTS])
        cfg = load_config(course)
        with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
            totals = {s.student.id: (float(s.score), float(s.max_score)) for s in gb.find_assignment(PS).submissions}
    return results, totals


@pytest.fixture(scope="module")
def courses(postgres, tmp_path_factory):
    """One class graded three times: `psets grade` into PostgreSQL, `psets grade` into SQLite, and stock
    `nbgrader autograde` into a second PostgreSQL database."""
    from graders.build import build

    base = tmp_path_factory.mktemp("postgres")
    urls = {"psets_pg": postgres("gradebook"), "sqlite": None, "stock_pg": postgres("stock")}
    with _gradebook(urls["psets_pg"]):
        built = make_course(base / "psets_pg", [PS])  # answer key, release/, and the gradebook's assignment
    out = {"psets_pg": built}
    for name in ("sqlite", "stock_pg"):
        out[name] = base / name / "course"
        shutil.copytree(built, out[name])
        with _gradebook(urls[name]):
            assert not build(out[name], [PS], overrides=FAST, say=lambda m: None).errors
    for course in out.values():
        _submit_class(course)
    r = _cli("psets", out["psets_pg"], urls["psets_pg"], "grade", PS, "--workers", "2")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]  # 1: invalid_json is not graded
    from graders.grade import grade

    with _gradebook(None):
        grade(out["sqlite"], PS, overrides=FAST, progress=False, workers=2)
    shutil.rmtree(out["stock_pg"] / "submitted" / "invalid_json")  # stock nbgrader exits 1 on it
    r = _cli("nbgrader", out["stock_pg"], urls["stock_pg"], "autograde", PS, "--force")
    assert r.returncode == 0, r.stderr[-3000:]
    return {name: (out[name], urls[name]) for name in out}


def test_psets_grade_into_postgresql_equals_sqlite(courses):
    """Does `psets grade` with PSETS_DB_URL=postgresql://... record exactly the grades and verdicts SQLite does?"""
    pg, pg_totals = _recorded(*courses["psets_pg"])
    lite, lite_totals = _recorded(*courses["sqlite"])
    assert (courses["sqlite"][0] / "gradebook.db").exists() and not (courses["psets_pg"][0] / "gradebook.db").exists()
    assert pg_totals == lite_totals and set(pg_totals) == set(STUDENTS)
    assert pg_totals["reference"] == (18.0, 20.0) and pg_totals["invalid_json"][0] == 0
    for s in STUDENTS:
        assert pg[s].cells == lite[s].cells, s
        assert pg[s].verdicts == lite[s].verdicts, s
    assert any(v["outcome"] == "known_mistake" for v in pg["mistakes"].verdicts.values())


def test_stock_nbgrader_autograde_into_postgresql_equals_sqlite(courses):
    """Does stock `nbgrader autograde` with the course configuration write the same grades into PostgreSQL?"""
    stock, stock_totals = _recorded(*courses["stock_pg"])
    lite, lite_totals = _recorded(*courses["sqlite"])
    for s in ("reference", "mistakes", "blank"):
        assert stock[s].cells == lite[s].cells, s
        assert stock_totals[s] == lite_totals[s], s


def test_export_reads_the_postgresql_gradebook(courses, tmp_path):
    """Does `psets export` read totals from the PostgreSQL gradebook?"""
    import csv

    course, url = courses["psets_pg"]
    r = _cli("psets", course, url, "export", PS, "--format", "csv", "--to", str(tmp_path / "grades.csv"))
    assert r.returncode == 0, r.stderr
    rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(open(tmp_path / "grades.csv"))}
    _, totals = _recorded(course, url)
    assert rows == {s: t[0] for s, t in totals.items()}
