"""`billgraph serve` from scratch: sandbox mode, migrations, catalog, GraphQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_in_sandbox_mode_answers_plans(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env["DATABASE_URL"] = f"sqlite://{tmp_path}/dev.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve did not become ready in 60 s"
            time.sleep(0.2)
        plans = httpx.post(
            f"{base}/graphql", json={"query": "{ plans { id price { formatted } } }"}
        )
        page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert [p["id"] for p in plans.json()["data"]["plans"]] == [
        "free",
        "premium",
        "pro",
        "enterprise",
    ]
    assert "graphiql" in page.text.lower()
    assert "SANDBOX MODE" in output
    assert f"GraphiQL:        http://127.0.0.1:{port}/graphql" in output
    assert output.count("Bearer ey") == 2  # a user token and an admin token
