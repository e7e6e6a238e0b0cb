"""Running ``billgraph`` as a real process: a free port, readiness, a clean environment,
commands and ``serve`` processes started and stopped. The one place for these helpers
(tests/pgcluster.py takes its port here too); the environment that points a process at
the test database and sandbox is tests.conftest.billgraph_env (plus any variables:
``billgraph_env(sandbox) | {...}``)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx

from server.serve import SANDBOX_PORT_OFFSET

ROOT = Path(__file__).resolve().parent.parent


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
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    env.update(variables)
    return env


def wait_until_ready(process: subprocess.Popen[Any], base_url: str, timeout: float = 60) -> None:
    """Return once ``/readyz`` answers 200; fail with the process output if it exits."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the server exited ({process.returncode}): {output}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"the server did not become ready in {timeout:.0f} s"
        time.sleep(0.2)


@contextmanager
def billgraph(
    *commands: list[str], env: dict[str, str], stderr: Any = subprocess.DEVNULL
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``billgraph`` commands, each in its own process (stdout discarded, stderr to
    ``stderr``), stopped (SIGTERM) at the end."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "server", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        for command in commands
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@asynccontextmanager
async def servers(
    count: int, env: dict[str, str], *args: str, stderr: Any = subprocess.DEVNULL
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """``count`` ``billgraph serve`` processes (each with ``args``, e.g. ``--workers 2``;
    stderr to ``stderr``), ready; an HTTP client on each (``base_url`` is its URL)."""
    ports = [free_port() for _ in range(count)]
    commands = (["serve", "--port", str(port), *args] for port in ports)
    with billgraph(*commands, env=env, stderr=stderr) as processes:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        await asyncio.gather(
            *(
                asyncio.to_thread(wait_until_ready, p, url)
                for p, url in zip(processes, urls, strict=True)
            )
        )
        async with AsyncExitStack() as clients:
            yield [
                await clients.enter_async_context(httpx.AsyncClient(base_url=url, timeout=60))
                for url in urls
            ]


def run_billgraph(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One ``billgraph`` command run to its end, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
