"""Sandboxed grading kernels: where student code runs, what it can see, and what it may use.

Levels (``psets doctor`` reports which one is in force):

``bwrap``  (full; Linux with bubblewrap) each kernel host runs in its own bubblewrap sandbox: new user, PID,
           network, IPC and UTS namespaces (no network at all, only its own processes visible), a filesystem
           view of the system's read-only directories, the Python environment read-only, the `graders` package
           read-only, an empty /tmp, and one scratch copy of the submission folder being graded. Nothing of the
           course (source/, keys, gradebook, other students) exists inside. Kernels run as an unprivileged user
           (an unused uid of its own per host when grading as root), so the process-count limit holds.
``limits`` (fallback) the same kernel host without namespaces: resource limits, a scratch working folder, a
           scrubbed environment, and every process of a kernel killed with it; files and network are NOT isolated.
``off``    plain kernels as stock nbgrader starts them (for debugging only).

In both sandboxed levels a kernel is forked from a warm kernel host (`graders.kernelhost`) that has already
imported ipykernel, numpy, sympy and the probes: one fresh process per submission, never reused, started in
milliseconds. Resource limits apply to every kernel: address space (default 2 GiB), CPU time, processes, file size.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534
GiB = 1 << 30
TMP_SIZE = GiB // 2  # the sandbox's /tmp (in memory)
#: Resource limits of every grading kernel (configurable as SandboxedKernelManager traits).
DEFAULT_LIMITS = {"memory": 2 * GiB, "cpu": 600, "processes": 256, "file_size": GiB // 4, "open_files": 1024}
#: Environment variables a kernel may inherit; everything else (tokens, keys, passwords) is dropped.
ENV_ALLOW = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "JPY_SESSION_NAME", "PSETS_GRADING")
KERNEL_ENV = {"MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PSETS_GRADING": "1"}


class SandboxError(RuntimeError):
    """The sandbox could not be set up; the message says what to do."""


@dataclass(frozen=True)
class Level:
    name: str  # "bwrap" | "limits" | "off"
    reason: str  # why this level (what is missing for the full one)

    @property
    def isolated(self) -> bool:
        return self.name == "bwrap"


_LEVELS: dict[str, Level] = {}


#: Grading as root, each kernel host runs as its own unused uid from this range: the process limit counts per uid,
#: so one submission's fork bomb cannot starve another worker's kernels (as a shared `nobody` would).
SANDBOX_UIDS = range(210_000, 260_000)


def _unused_uid() -> int:
    import random

    busy = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                busy.add(os.stat(f"/proc/{pid}").st_uid)
            except OSError:
                continue
    while True:
        uid = random.choice(SANDBOX_UIDS)
        if uid not in busy:
            return uid


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _readonly_paths() -> list[str]:
    """What a kernel needs to read: the Python installation, the environment and the graders package."""
    import graders

    paths = {sys.base_prefix, sys.prefix, os.path.dirname(os.path.abspath(graders.__file__)),
             os.path.dirname(os.path.realpath(sys.executable))}
    paths = sorted(os.path.realpath(p) for p in paths) + sorted(paths)
    out: list[str] = []
    for p in paths:  # drop paths inside another one
        if os.path.isdir(p) and not any(p != q and p.startswith(q.rstrip("/") + "/") for q in paths) and p not in out:
            out.append(p)
    return out


def bwrap_command(run_dir: str, argv: list[str]) -> list[str]:
    """The bubblewrap command line. As root, bubblewrap runs privileged (it can bind a Python that lives under
    /root) with every capability dropped but setuid/setgid, which the kernel host uses at once to become an
    unprivileged uid for good; otherwise it runs unprivileged in a user namespace of its own."""
    if _as_root():
        unshare = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                   "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        unshare = ["--unshare-all"]
    cmd = ["bwrap", *unshare, "--die-with-parent", "--new-session", "--hostname", "grading",
           "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(TMP_SIZE), "--tmpfs", "/tmp"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd",
                "/etc/group", "/etc/nsswitch.conf", "/etc/alternatives", "/etc/mime.types"):
        cmd += ["--ro-bind-try", etc, etc]
    made: set[str] = {"/", "/tmp", "/usr"}
    for path in [*_readonly_paths(), run_dir]:  # parent folders traversable by the sandbox user (bwrap's are 0700)
        parents = [str(p) for p in reversed(Path(path).parents)]
        for parent in parents:
            if parent not in made:
                made.add(parent)
                cmd += ["--perms", "0755", "--dir", parent]
    for path in _readonly_paths():
        cmd += ["--ro-bind", path, path]
    cmd += ["--bind", run_dir, run_dir, "--"]
    return cmd + argv


def kernel_env(inherited: dict[str, str], home: str, tmp: str) -> dict[str, str]:
    """A grading process's environment: the allowlisted variables of `inherited`, the fixed kernel settings, and
    a PATH holding only the Python environment and the system's programs."""
    env = {k: v for k, v in inherited.items() if k in ENV_ALLOW}
    env.update(KERNEL_ENV)
    env.update({"HOME": home, "TMPDIR": tmp,
                "PATH": os.pathsep.join([os.path.dirname(os.path.realpath(sys.executable)), os.path.dirname(
                    sys.executable), "/usr/local/bin", "/usr/bin", "/bin"])})
    env.setdefault("LANG", "C.UTF-8")
    return env


def _host_env(run_dir: str, tmp: str, pidns: bool) -> dict[str, str]:
    env = kernel_env(dict(os.environ), run_dir, tmp)
    env.update({"PSETS_HOST_DIR": run_dir, "PSETS_HOST_TMP": tmp, "PSETS_HOST_PIDNS": "1" if pidns else "0"})
    return env


def detect(requested: str = "auto") -> Level:
    """The isolation level grading will use (cached per process)."""
    requested = (os.environ.get("PSETS_SANDBOX") or requested or "auto").lower()
    if requested in _LEVELS:
        return _LEVELS[requested]
    if requested == "off":
        level = Level("off", "sandbox switched off (PSETS_SANDBOX=off or SandboxedKernelManager.sandbox='off')")
    elif requested == "limits":
        level = Level("limits", "file and network isolation switched off on request")
    elif requested not in ("auto", "bwrap"):
        raise SandboxError(f"unknown sandbox level {requested!r}: use auto, bwrap, limits or off")
    elif not sys.platform.startswith("linux"):
        level = Level("limits", "bubblewrap needs Linux")
    elif not shutil.which("bwrap"):
        level = Level("limits", "bubblewrap is not installed (Debian/Ubuntu: apt install bubblewrap)")
    else:
        level = _try_bwrap()
    if requested == "bwrap" and level.name != "bwrap":
        raise SandboxError(f"the full sandbox was requested but is unavailable: {level.reason}")
    _LEVELS[requested] = level
    return level


def _try_bwrap() -> Level:
    run_dir = tempfile.mkdtemp(prefix="psets-probe-")
    try:
        if _as_root():
            os.chown(run_dir, NOBODY, NOBODY)
        code = ("import os, sys, graders\nif os.getuid() == 0:\n    os.setgroups([]); os.setgid(%d); os.setuid(%d)\n"
                "os.chdir(%r); import numpy; print(os.getuid())" % (NOBODY, NOBODY, run_dir))
        probe = bwrap_command(run_dir, [sys.executable, "-c", code])
        r = subprocess.run(probe, capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
        if r.returncode == 0:
            return Level("bwrap", "bubblewrap works: full isolation")
        why = (r.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return Level("limits", f"bubblewrap is installed but cannot create a sandbox here ({why}); user namespaces "
                               "may be disabled (sysctl kernel.unprivileged_userns_clone=1, or AppArmor's "
                               "kernel.apparmor_restrict_unprivileged_userns=0)")
    except (OSError, subprocess.SubprocessError) as exc:
        return Level("limits", f"bubblewrap could not be run ({exc})")
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


class KernelHost:
    """A warm template process (graders.kernelhost), sandboxed, that forks one kernel per request."""

    def __init__(self, level: Level, start_timeout: float = 120):
        self.level = level
        self.owner = _unused_uid() if (_as_root() and level.isolated) else None
        self.run_dir = tempfile.mkdtemp(prefix="psets-sandbox-")
        self.tmp = "/tmp" if level.isolated else os.path.join(self.run_dir, "tmp")
        os.makedirs(os.path.join(self.run_dir, "tmp"), exist_ok=True)
        self._chown(self.run_dir)
        self._log = tempfile.TemporaryFile()  # the host's own stderr, outside the sandbox
        argv = [sys.executable, "-m", "graders.kernelhost"]
        cmd = bwrap_command(self.run_dir, argv) if level.isolated else argv
        self._lock = threading.Lock()
        self._count = 0
        env = _host_env(self.run_dir, self.tmp, level.isolated)
        if self.owner is not None:
            env["PSETS_HOST_USER"] = str(self.owner)  # the host becomes this user before anything else
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                                     cwd=self.run_dir, env=env, start_new_session=True)
        ready = self._read(start_timeout)
        if not ready or not ready.get("ready"):
            self.close()
            raise SandboxError(f"the grading kernel host did not start ({self._stderr_tail() or 'no message'}); "
                               "run `psets doctor`, or set PSETS_SANDBOX=off to grade without a sandbox")

    def _chown(self, path: str) -> None:
        if self.owner is None:
            return
        os.chown(path, self.owner, self.owner)
        for base, dirs, files in os.walk(path):
            for name in dirs + files:
                os.chown(os.path.join(base, name), self.owner, self.owner, follow_symlinks=False)

    def _stderr_tail(self) -> str:
        try:
            self._log.seek(0)
            lines = self._log.read().decode(errors="replace").strip().splitlines()
            return lines[-1][:300] if lines else ""
        except (OSError, ValueError):
            return ""

    def _read(self, timeout: float) -> dict | None:
        out = self.proc.stdout
        if out is None or not select.select([out], [], [], timeout)[0]:
            return None
        line = out.readline()
        return json.loads(line) if line else None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, req: dict, timeout: float = 60) -> dict:
        with self._lock:
            if not self.alive():
                raise SandboxError("the grading kernel host has stopped")
            try:
                self.proc.stdin.write((json.dumps(req) + "\n").encode())
                self.proc.stdin.flush()
            except OSError as exc:
                raise SandboxError(f"the grading kernel host has stopped ({exc})") from None
            reply = self._read(timeout)
        if reply is None:
            raise SandboxError("the grading kernel host did not answer")
        if "error" in reply:
            raise SandboxError(f"kernel host: {reply['error']}")
        return reply

    def socket_prefix(self) -> str:
        return os.path.join(self.run_dir, f"k{os.getpid()}-{self._count}")

    def scratch(self, source: str | None) -> str:
        """A fresh working folder for one kernel: a copy of `source` (symbolic links copied as links)."""
        self._count += 1
        dest = os.path.join(self.run_dir, f"work-{self._count}")
        if source and os.path.isdir(source):
            shutil.copytree(source, dest, symlinks=True)
        else:
            os.makedirs(dest)
        self._chown(dest)
        return dest

    def reset(self) -> None:
        """Kill every process of the last kernel and remove its files."""
        self.request({"op": "reset"}, timeout=120)
        for name in os.listdir(self.run_dir):
            if name == "tmp":
                continue
            path = os.path.join(self.run_dir, name)
            shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else _unlink(path)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b'{"op": "exit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except OSError:
                pass
            self.proc.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


_IDLE: list[KernelHost] = []
_POOL_LOCK = threading.Lock()


def acquire(level: Level) -> KernelHost:
    """An idle warm kernel host of this level, or a new one."""
    with _POOL_LOCK:
        while _IDLE:
            host = _IDLE.pop()
            if host.alive() and host.level == level:
                return host
            host.close()
    return KernelHost(level)


def release(host: KernelHost) -> None:
    try:
        host.reset()
    except (SandboxError, OSError):
        host.close()
        return
    with _POOL_LOCK:
        _IDLE.append(host)


def prestart(requested: str = "auto") -> None:
    """Start a kernel host ahead of need (workers call this while the first submissions are being prepared)."""
    level = detect(requested)
    if level.name != "off":
        release_idle = KernelHost(level)
        with _POOL_LOCK:
            _IDLE.append(release_idle)


@atexit.register
def _close_all() -> None:
    with _POOL_LOCK:
        while _IDLE:
            _IDLE.pop().close()


def user_process_count() -> int:
    """How many processes and threads this user already runs (RLIMIT_NPROC counts them all outside a namespace)."""
    uid, n = os.getuid(), 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat(f"/proc/{pid}").st_uid == uid:
                    n += len(os.listdir(f"/proc/{pid}/task"))
            except OSError:
                continue
    return n


def doctor_lines() -> list[str]:
    """What `psets doctor` prints: the isolation level in force, what it protects, and how to get the full one."""
    import platform

    level = detect()
    lim = DEFAULT_LIMITS
    lines = [f"python: {platform.python_version()} ({sys.executable})",
             f"sandbox: {level.name} ({level.reason})",
             f"limits per kernel: memory {lim['memory'] / GiB:g} GiB, CPU {lim['cpu']} s, "
             f"processes+threads {lim['processes']}, file size {lim['file_size'] // (1 << 20)} MiB "
             "(SandboxedKernelManager.memory_limit, cpu_limit, process_limit, file_size_limit)"]
    if level.name == "bwrap":
        lines += ["protected: no network; only a scratch copy of the submission and the read-only Python "
                  "environment are visible (no source/, keys, gradebook or other students); unprivileged user; "
                  "scrubbed environment; every process of a kernel is killed with it"]
    else:
        lines += ["protected: resource limits, a scratch working folder, a scrubbed environment, every process of a "
                  "kernel killed with it",
                  "NOT protected: files and network. Student code can read what this account can read (source/, "
                  "keys, gradebook) and reach the network" + (", and as root the process limit does not hold"
                                                               if _as_root() else "") + ".",
                  "to get the full sandbox: install bubblewrap (Debian/Ubuntu: apt install bubblewrap; Fedora: dnf "
                  "install bubblewrap) and allow user namespaces if it still fails; or grade in a disposable "
                  "container or account"]
    return lines
