"""One grading run per course at a time: a second `psets grade` refuses (or waits) instead of racing the first
one for the gradebook. The lock is an flock on ``<course>/.psets/grading.lock``: the operating system releases it
when its holder ends, even by SIGKILL, so a killed run never leaves a stale lock behind."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .course import CourseError


@contextmanager
def grading_lock(root: Path, what: str, *, wait: bool = False) -> Iterator[None]:
    path = Path(root) / ".psets" / "grading.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise CourseError(f"this course is already being graded ({holder}); wait for that run to finish "
                              "(or pass --wait to queue behind it) - two runs would race for the gradebook") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"psets grade {what}, pid {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
