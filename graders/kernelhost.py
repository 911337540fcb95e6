"""The kernel host: a warm template process that forks one fresh IPython kernel per submission.

Started by `graders.sandbox.KernelHost` (inside bubblewrap when available) as ``python -m graders.kernelhost``.
It imports ipykernel, numpy, sympy and the probes once, then serves requests on its standard input, one JSON object
per line, answering each with one JSON line on its standard output:

  {"op": "spawn", "conn": {...}, "cwd": DIR, "argv": [...], "env": {...}, "limits": {...}}  -> {"pid": P}
  {"op": "poll", "pid": P}          -> {"exit": null | code}
  {"op": "signal", "pid": P, "sig": S}  -> {"ok": true}
  {"op": "reset"}                   -> {"ok": true}   every process but the host is killed, /tmp is emptied
  {"op": "exit"}

A forked kernel starts in a new session with the submission's scratch folder as its working folder and home, a
scrubbed environment and resource limits; the host never runs student code itself. The host is a child subreaper,
so processes a kernel leaves behind (daemons, double forks) become its children and die at the next reset; inside
bubblewrap's PID namespace, a reset is one `kill(-1, SIGKILL)`. The host is not dumpable, so a kernel running as the
same user cannot ptrace it or read its memory.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import resource
import shutil
import signal
import sys

PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36
LIMITS = {"memory": resource.RLIMIT_AS, "cpu": resource.RLIMIT_CPU, "processes": resource.RLIMIT_NPROC,
          "file_size": resource.RLIMIT_FSIZE, "open_files": resource.RLIMIT_NOFILE}


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except Exception:  # noqa: BLE001 - not Linux: no subreaper, no dumpable flag
        pass


def warm() -> None:
    """Import what every kernel needs, once (the children share it copy-on-write)."""
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.debugger  # noqa: F401 - debugpy: a tenth of a second per kernel otherwise
    import ipykernel.debugger  # noqa: F401 - debugpy: a tenth of a second per kernel otherwise
    import IPython.core.interactiveshell  # noqa: F401
    import numpy  # noqa: F401
    import sympy  # noqa: F401
    import graders.probes  # noqa: F401
    import graders.sanity  # noqa: F401
    try:
        import scipy.linalg  # noqa: F401
    except ImportError:
        pass


class Host:
    def __init__(self, pidns: bool, tmp: str, keep: str):
        self.keep = keep
        self.pidns = pidns  # inside a PID namespace of our own: kill(-1) reaches exactly the sandbox
        self.tmp = tmp  # a folder only the sandbox's kernels use; emptied at each reset
        self.exits: dict[int, int] = {}
        self.kids: set[int] = set()

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exits[pid] = os.waitstatus_to_exitcode(status)

    def spawn(self, req: dict) -> dict:
        pid = os.fork()
        if pid == 0:
            self._child(req)  # never returns
        self.kids.add(pid)
        return {"pid": pid}

    def _child(self, req: dict) -> None:
        code = 1
        try:
            os.setsid()
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            _prctl(PR_SET_CHILD_SUBREAPER, 0)
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the kernel dies with its host
            _prctl(PR_SET_DUMPABLE, 1)  # the kernel's own children may be inspected by it, as in a normal kernel
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, 1 << 16)
            cwd = req["cwd"]
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(req["env"])
            conn = os.path.join(self.tmp, f"kernel-{os.getpid()}.json")
            with open(os.open(conn, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
                json.dump(req["conn"], f)
            for name, value in req.get("limits", {}).items():
                if name in LIMITS and value:
                    soft, hard = resource.getrlimit(LIMITS[name])
                    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
                    resource.setrlimit(LIMITS[name], (value, value))
            sys.path[0:0] = [cwd]
            sys.argv = ["ipykernel_launcher", "-f", conn, *req.get("argv", [])]
            from ipykernel.kernelapp import IPKernelApp

            IPKernelApp.launch_instance(argv=sys.argv[1:])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        except BaseException:  # noqa: BLE001 - nothing can be reported: the child's output goes nowhere
            code = 1
        finally:
            os._exit(code)

    def poll(self, pid: int) -> dict:
        self.reap()
        if pid in self.exits:
            return {"exit": self.exits[pid]}
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return {"exit": self.exits.get(pid, -9)}
        return {"exit": None}

    def signal(self, pid: int, sig: int) -> dict:
        for target in (lambda: os.killpg(pid, sig), lambda: os.kill(pid, sig)):
            try:
                target()
                break
            except (ProcessLookupError, PermissionError):
                continue
        return {"ok": True}

    def reset(self) -> dict:
        """Kill every process but the host and empty the kernels' temporary folder."""
        while True:
            if self.pidns:
                try:
                    os.kill(-1, signal.SIGKILL)  # all but ourselves and the namespace's init
                except ProcessLookupError:
                    pass
            else:
                for pid in self._descendants():
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
            self.reap()
        self.kids.clear()
        self.exits.clear()
        for name in os.listdir(self.tmp):
            path = os.path.join(self.tmp, name)
            if (self.keep + "/").startswith(path + "/"):
                continue  # the folder shared with the grader (scratch folders, sockets): the grader empties it
            try:
                shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)
            except OSError:
                pass
        return {"ok": True}

    @staticmethod
    def _descendants() -> list[int]:
        """Our living descendants (orphans are re-parented to us: we are a subreaper)."""
        out, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as f:
                        kids = [int(k) for k in f.read().split()]
                    out += kids
                    todo += kids
            except OSError:
                continue
        return out


def main() -> None:
    control_in = os.fdopen(os.dup(0), "r")
    control_out = os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    user = os.environ.pop("PSETS_HOST_USER", "")
    if user and os.getuid() == 0:  # started as root in the sandbox with only setuid/setgid: give them up for good
        os.setgroups([])
        os.setgid(int(user))
        os.setuid(int(user))
        if os.getuid() == 0 or os.geteuid() == 0:
            raise SystemExit("could not leave root")
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_DUMPABLE, 0)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the host dies with the grading process that started it
    os.chdir(os.environ.pop("PSETS_HOST_DIR"))
    tmp = os.environ.pop("PSETS_HOST_TMP")
    pidns = os.environ.pop("PSETS_HOST_PIDNS", "") == "1"
    warm()
    host = Host(pidns, tmp, os.getcwd())
    control_out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    control_out.flush()
    for line in control_in:
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "exit":
                host.reset()
                break
            reply = (host.spawn(req) if op == "spawn" else host.poll(int(req["pid"])) if op == "poll"
                     else host.signal(int(req["pid"]), int(req["sig"])) if op == "signal"
                     else host.reset() if op == "reset" else {"error": f"unknown op {op!r}"})
        except Exception as exc:  # noqa: BLE001 - answer every request
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        control_out.write(json.dumps(reply) + "\n")
        control_out.flush()
        host.reap()


if __name__ == "__main__":
    main()
