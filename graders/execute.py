"""nbgrader plug-in: an Execute preprocessor that survives dead kernels and cells that never finish.

Stock nbgrader stops grading a notebook when the kernel dies (`os._exit`, a segfault) or a cell ignores the
interrupt sent at its timeout: every cell is left ungraded. Here such a cell gets an error output and a recorded
failure; the kernel is restarted, the cells before it are replayed (skipping the ones that failed) and grading goes
on with the next cell. After `max_restarts` failures, the remaining cells are marked as not run. What failed where
is written to ``resources["psets"]["failures"]`` (cell index -> reason), which the judge trusts; nothing the kernel
prints can write there. Kernels are stopped at once rather than politely: nothing in them needs saving.
"""
from __future__ import annotations

import os
from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.client import NotebookClient
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer, Unicode

from .kernels import SandboxedKernelManager
from .probes import GRADING_ENV


def _error_output(ename: str, text: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])


class ResilientExecute(Execute):
    """Execute every cell; a dead or hung kernel costs only the cell it happened in."""

    max_restarts = Integer(3, help="Kernel restarts allowed per notebook before the remaining cells are skipped.") \
        .tag(config=True)
    shutdown_kernel = Unicode("immediate", help="Stop kernels at once after grading.").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        failures: dict[int, dict] = self.resources.setdefault("psets", {}).setdefault("failures", {})
        self._timed_out: set[int] = set()
        skip: set[int] = set()
        resume_at, restarts = 0, 0
        while True:
            failed_at, reason = None, None
            # PSETS_GRADING=1 tells the notebook's self-check cell (graders.check.check_here) to do nothing.
            with self.setup_kernel(env={**os.environ, GRADING_ENV: "1"}):
                info = self.wait_for_reply(self.kc.kernel_info())
                if info:
                    self.nb.metadata["language_info"] = info["content"]["language_info"]
                for index, cell in enumerate(self.nb.cells):
                    if index in skip or cell.cell_type != "code":
                        continue
                    self._current_index = index
                    try:
                        self.preprocess_cell(cell, self.resources, index)
                    except CellTimeoutError:
                        failed_at, reason = index, "timeout"
                    except DeadKernelError:
                        failed_at, reason = index, "kernel_died"
                    except Exception as exc:  # noqa: BLE001 - e.g. a broken kernel reply
                        self.log.warning("Cell %d failed in the executor: %s", index, exc)
                        failed_at, reason = index, "kernel_died"
                    if failed_at is not None:
                        break
                    if index in self._timed_out and index >= resume_at:
                        failures[index] = {"reason": "timeout", "seconds": self.timeout}
            if failed_at is None:
                break
            cell = self.nb.cells[failed_at]
            failures[failed_at] = {"reason": reason, **({"seconds": self.timeout} if reason == "timeout" else {})}
            cell.outputs.append(_error_output(
                "CellTimeoutError" if reason == "timeout" else "DeadKernelError",
                f"stopped after {self.timeout} s and did not respond to an interrupt" if reason == "timeout"
                else "the kernel died while running this cell"))
            skip.add(failed_at)
            resume_at = failed_at + 1
            restarts += 1
            self.log.warning("Kernel %s in cell %d; restarting (%d/%d)", reason, failed_at, restarts, self.max_restarts)
            if restarts > self.max_restarts:
                for index in range(resume_at, len(self.nb.cells)):
                    if self.nb.cells[index].cell_type == "code":
                        failures[index] = {"reason": "not_run"}
                        self.nb.cells[index].outputs = [_error_output("NotRun", "not run: too many kernel failures")]
                break
        self.set_widgets_metadata()
        return self.nb, self.resources

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None):
        self._timed_out.add(getattr(self, "_current_index", -1))
        return await super()._async_handle_timeout(timeout, cell)
