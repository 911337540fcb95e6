"""Kernel managers for grading.

`IPCKernelManager`: kernels talk over Unix sockets with a unique prefix per kernel. TCP kernels race for ports when
many start at once (the parent picks a free port, the kernel binds it later, and another process may take it in
between: "Address already in use"). With IPC the "ports" are file names; a unique absolute prefix per kernel makes
collisions impossible and keeps the sockets off the network.

`SandboxedKernelManager`: the grading kernel. It is forked from a warm, sandboxed kernel host
(`graders.sandbox`, `graders.kernelhost`) in a scratch copy of the working folder, with a scrubbed environment and
resource limits; when it stops, every process it started is killed and its scratch folder removed.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import tempfile
import uuid
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import CaselessStrEnum, DottedObjectName, Integer, default

from . import sandbox as sbx

log = logging.getLogger(__name__)
_WARNED: set[str] = set()


class IPCKernelManager(AsyncKernelManager):
    """An AsyncKernelManager on Unix sockets, each kernel with its own socket prefix."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _unique_ipc_prefix(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        return os.path.join(tempfile.gettempdir(), f"psets-kernel-{uuid.uuid4().hex[:16]}")


class FastStartClient(AsyncKernelClient):
    """jupyter_client's readiness check with short polls: the stock one waits 0.2 s for IOPub after the first
    kernel_info reply (usually missed while the subscription propagates) and then always 0.2 s more to flush IOPub,
    about 0.4 s per kernel. Messages left on IOPub are harmless: nbclient matches replies by their parent id."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=0.05)
            except Exception:  # noqa: BLE001 - queue.Empty: ask again
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.05)
                except Exception:  # noqa: BLE001 - IOPub not connected yet: start over
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if loop.time() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:  # drop what the kernel_info requests published
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Exception:  # noqa: BLE001 - empty
                break

    wait_for_ready = _async_wait_for_ready


class SandboxedKernelManager(IPCKernelManager):
    """A grading kernel: forked from a warm sandboxed host, limited, scrubbed, and killed with all it started."""

    client_class = DottedObjectName("graders.kernels.FastStartClient")

    @default("client_factory")
    def _fast_client(self):
        return FastStartClient

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # a killed kernel is gone within milliseconds: do not sleep the stock 0.1 s before looking again
        while await self._async_is_alive():
            await asyncio.sleep(0.005)

    sandbox = CaselessStrEnum(["auto", "bwrap", "limits", "off"], default_value="auto", config=True,
                              help="Isolation: auto (bwrap if it works, else limits), bwrap, limits or off. "
                                   "The environment variable PSETS_SANDBOX overrides it.")
    memory_limit = Integer(sbx.DEFAULT_LIMITS["memory"], config=True, help="Address-space limit in bytes.")
    cpu_limit = Integer(sbx.DEFAULT_LIMITS["cpu"], config=True, help="CPU seconds per kernel.")
    process_limit = Integer(sbx.DEFAULT_LIMITS["processes"], config=True,
                            help="Processes and threads per kernel.")
    file_size_limit = Integer(sbx.DEFAULT_LIMITS["file_size"], config=True, help="Largest file in bytes.")

    def level(self) -> sbx.Level:
        level = sbx.detect(self.sandbox)
        if not level.isolated and level.name not in _WARNED:
            _WARNED.add(level.name)
            log.warning("Grading kernels run WITHOUT file and network isolation (%s): %s. `psets doctor` says how "
                        "to get the full sandbox.", level.name, level.reason)
        return level

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None and self.level().name != "off":
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                  parent=self)
        return await super()._async_pre_start_kernel(**kw)

    def limits(self, level: sbx.Level) -> dict[str, int]:
        processes = self.process_limit
        if not level.isolated and not sbx._as_root():
            processes += sbx.user_process_count()  # outside a user namespace the limit counts all our processes
        return {"memory": self.memory_limit, "cpu": self.cpu_limit, "processes": processes,
                "file_size": self.file_size_limit, "open_files": sbx.DEFAULT_LIMITS["open_files"]}


class SandboxProvisioner(LocalProvisioner):
    """Launches the kernel through a kernel host instead of a subprocess."""

    host: sbx.KernelHost | None = None
    kernel_pid: int | None = None
    exit_code: int | None = None

    @property
    def has_process(self) -> bool:
        return self.host is not None and self.kernel_pid is not None

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        self.level = km.level()
        if self.host is None:
            self.host = await asyncio.get_running_loop().run_in_executor(None, sbx.acquire, self.level)
        km.ip = self.host.socket_prefix()  # before the connection file is written
        return await super().pre_launch(**kwargs)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        assert self.host is not None
        cwd = kwargs.get("cwd") or os.getcwd()
        scratch = self.host.scratch(str(cwd))
        argv = list(cmd)
        if "-f" in argv:  # the kernel writes its own copy of the connection info inside the sandbox
            i = argv.index("-f")
            argv = argv[i + 2:]
        env = sbx.kernel_env(kwargs.get("env") or {}, home=scratch, tmp=self.host.tmp)
        info = dict(self.connection_info)
        info = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in info.items()}
        reply = self.host.request({"op": "spawn", "conn": info, "cwd": scratch, "argv": argv, "env": env,
                                   "limits": self.parent.limits(self.level)})
        self.kernel_pid = self.pid = self.pgid = int(reply["pid"])
        self.exit_code = None
        self.cwd = cwd
        await self._sockets_bound(info)
        return self.connection_info

    async def _sockets_bound(self, info: dict, timeout: float = 10) -> None:
        """Wait until the kernel has bound its sockets, so that the client connects at once instead of retrying
        every 100 ms and missing the first IOPub messages (which costs jupyter_client a 0.2 s retry)."""
        if info.get("transport") != "ipc":
            return
        paths = [f"{info['ip']}-{info[k]}" for k in ("shell_port", "iopub_port", "stdin_port", "control_port",
                                                     "hb_port")]
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while loop.time() < end and not all(os.path.exists(p) for p in paths):
            if await self.poll() is not None:
                return  # died during start-up: the client's own checks report it
            await asyncio.sleep(0.005)

    async def poll(self) -> int | None:
        if not self.has_process:
            return self.exit_code if self.exit_code is not None else 0
        try:
            code = self.host.request({"op": "poll", "pid": self.kernel_pid})["exit"]
        except sbx.SandboxError:
            code = -signal.SIGKILL
        if code is not None:
            self.exit_code = code
        return code

    async def wait(self) -> int | None:
        while await self.poll() is None:
            await asyncio.sleep(0.02)
        return self.exit_code

    async def send_signal(self, signum: int) -> None:
        if self.has_process:
            try:
                self.host.request({"op": "signal", "pid": self.kernel_pid, "sig": int(signum)})
            except sbx.SandboxError:
                pass

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        host, self.host = self.host, None
        if self.kernel_pid is not None and self.exit_code is None:
            self.exit_code = -signal.SIGKILL
        self.kernel_pid = None
        if host is not None:
            await asyncio.get_running_loop().run_in_executor(None, sbx.release, host)
