"""`billgraph serve` from scratch: sandbox mode, migrations, catalog, GraphQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.processes import clean_env, free_port, wait_until_ready


def test_serve_in_sandbox_mode_answers_plans(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(DATABASE_URL=f"sqlite://{tmp_path}/dev.sqlite3")
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
        wait_until_ready(process, base)
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
