"""Running ``billgraph`` as a real process: a free port, readiness, a clean environment."""

from __future__ import annotations

import os
import socket
import subprocess
import time

import httpx

from server.serve import SANDBOX_PORT_OFFSET


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A free port whose sandbox companion (``serve`` in sandbox mode listens on port +
    SANDBOX_PORT_OFFSET too) is free as well, so a busy companion can't fail a test."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port + SANDBOX_PORT_OFFSET < 65536 and _bindable(port + SANDBOX_PORT_OFFSET):
            return port


def clean_env(**variables: str) -> dict[str, str]:
    """Only what a shell needs, plus ``variables``: no DATABASE_URL, Stripe key or
    PYTHONPATH leaks in from the developer's environment."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(variables)
    return env


def wait_until_ready(process: subprocess.Popen[str], base_url: str, timeout: float = 60) -> None:
    """Return once ``/readyz`` answers 200; fail with the process output if it exits."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"the server did not become ready in {timeout:.0f} s"
        time.sleep(0.2)
