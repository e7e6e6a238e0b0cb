"""`billgraph serve` from scratch: sandbox mode, migrations, catalog, GraphQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import DATABASE_URL, IS_POSTGRES
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


def _serve(tmp_path: Path, database_url: str, port: int, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port), *args],
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_sqlite_refuses_several_workers_in_one_line(tmp_path: Path) -> None:
    """Refused before anything starts: no sandbox, no database file."""
    sqlite_file = tmp_path / "dev.sqlite3"
    process = _serve(tmp_path, f"sqlite://{sqlite_file}", free_port(), "--workers", "2")
    try:
        returncode = process.wait(timeout=30)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert returncode == 2
    assert output.count("\n") == 1
    assert output.startswith("billgraph: config error: DATABASE_URL: SQLite takes one server")
    assert "--workers 2" in output and "postgres://" in output
    assert not sqlite_file.exists()


@pytest.mark.skipif(not IS_POSTGRES, reason="PostgreSQL run only")
def test_postgresql_serves_with_two_workers(tmp_path: Path) -> None:
    port = free_port()
    process = _serve(tmp_path, DATABASE_URL, port, "--workers", "2")
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}")
        plans = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ plans { id } }"})
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert plans.json()["data"]["plans"]
