"""`psets grade --scheduler tcp://HOST:PORT`: execute submissions on a Dask distributed cluster.

Each task is `graders.parallel.execute_files` with one submission's `Job` (its sanitized notebooks and files, as
bytes) and the executor's configuration as plain data; it returns the executed notebooks in memory. Workers need
this package installed and nothing else: no course folder, no shared filesystem, no gradebook. This process stays
the coordinator (nbgrader's pipeline, the judge, the one gradebook writer), as with the local pool.
"""
from __future__ import annotations

import uuid
from typing import Any, Iterator

from .course import CourseError
from .parallel import Job, execute_files

CONNECT_TIMEOUT = 10  # seconds to reach the scheduler
WORKERS_TIMEOUT = 60  # seconds to wait for a first worker


class DaskCluster:
    """Runs jobs on the workers of a Dask scheduler; same interface as `graders.parallel.LocalPool`."""

    def __init__(self, address: str):
        try:
            from distributed import Client
        except ImportError:
            raise CourseError("--scheduler needs Dask distributed in this environment: "
                              "pip install -c requirements.lock -e '.[cluster]'") from None
        import logging

        logging.getLogger("distributed").setLevel(logging.ERROR)  # our own messages say what went wrong
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, ValueError, TypeError) as exc:
            raise CourseError(f"cannot reach the Dask scheduler at {address}: {_one_line(exc)}") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except Exception:  # noqa: BLE001 - a TimeoutError from distributed
            self.client.close()
            raise CourseError(f"the Dask scheduler at {address} has no workers (waited {WORKERS_TIMEOUT} s); "
                              f"start some with: dask worker {address}") from None
        self._futures: dict[Any, str] = {}

    def workers(self) -> dict[str, Any]:
        return self.client.scheduler_info().get("workers", {})

    def submit(self, job: Job, config: dict) -> None:
        key = f"psets-{job.assignment}-{job.student}-{uuid.uuid4().hex[:8]}"
        self._futures[self.client.submit(execute_files, job, config, key=key, pure=False, retries=0)] = job.student

    def completed(self) -> Iterator[tuple[str, dict | None, str]]:
        """(student, result or None, why it failed) in the order the executions finish."""
        from distributed import as_completed

        for fut in as_completed(list(self._futures), loop=self.client.loop):
            student = self._futures.pop(fut)
            try:
                yield student, fut.result(), ""
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker, or a worker without this package
                yield student, None, _one_line(exc)
            finally:
                fut.release()

    def close(self) -> None:
        for fut in self._futures:
            fut.cancel()
        self._futures.clear()
        self.client.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
