"""Kernel managers for grading: kernels talk over Unix sockets with a unique prefix per kernel.

TCP kernels race for ports when many start at once (the parent picks a free port, the kernel binds it later, and
another process may take it in between: "Address already in use"). With IPC the "ports" are file names; a unique
absolute prefix per kernel makes collisions impossible and keeps the sockets off the network.
"""
from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum, default


class IPCKernelManager(AsyncKernelManager):
    """An AsyncKernelManager on Unix sockets, each kernel with its own socket prefix."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _unique_ipc_prefix(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        return os.path.join(tempfile.gettempdir(), f"psets-kernel-{uuid.uuid4().hex[:16]}")
