"""Running ``billgraph`` as a real process: a free port, readiness, a clean environment."""

from __future__ import annotations

import os
import socket
import subprocess
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
