"""`billgraph serve` from scratch: sandbox mode, migrations, catalog, GraphQL."""

from __future__ import annotations

import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import jwt
import pytest

from server.serve import SANDBOX_PORT_OFFSET
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


def _serve(
    tmp_path: Path, database_url: str, port: int, *args: str, **variables: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port), *args],
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=database_url, **variables),
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
        output, _ = process.communicate(timeout=30)
    assert plans.json()["data"]["plans"]
    # Per-process rate-limit budgets: said at start.
    assert "2 workers keep rate limits each in its own memory" in output


# ------------------------------------------------------------- the dev loop

PAY = """mutation { createPaymentIntent(input: {amount: 1500, currency: "usd",
  idempotencyKey: "%s"}) { customerId clientSecret errors { code message } } }"""


def _token(cwd: Path, *variables: tuple[str, str]) -> str:
    """``billgraph token user-1`` run in ``cwd``, as a developer beside `make run` would."""
    done = subprocess.run(
        [sys.executable, "-m", "server", "token", "user-1"],
        cwd=cwd,
        env=clean_env(**dict(variables)),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _pay(port: int, token: str, key: str) -> dict[str, object]:
    answer = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": PAY % key},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, object] = answer.json()["data"]["createPaymentIntent"]
    return result


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


@pytest.mark.skipif(IS_POSTGRES, reason="the dev loop on SQLite files: once per make test")
def test_a_restarted_sandbox_mode_keeps_the_dev_user_and_its_token(tmp_path: Path) -> None:
    """`make run`, stop, `make run`: the same token and the same Stripe customer work on,
    because the sandbox state lives beside the dev database and the JWT secret in a file."""
    database = tmp_path / "billgraph.sqlite3"
    port = free_port()
    first = _serve(tmp_path, f"sqlite://{database}", port)
    try:
        wait_until_ready(first, f"http://127.0.0.1:{port}")
        token = _token(tmp_path)
        before = _pay(port, token, "before-restart")
    finally:
        _stop(first)
    # Restarted as `make run CHAOS=1`: Stripe-like delivery changes nothing for the user.
    second = _serve(tmp_path, f"sqlite://{database}", port, SANDBOX_CHAOS="1")
    try:
        wait_until_ready(second, f"http://127.0.0.1:{port}")
        after = _pay(port, token, "after-restart")
        assert _token(tmp_path) != token  # minted again, with the same secret:
        assert _pay(port, _token(tmp_path), "third")["errors"] == []
    finally:
        output = _stop(second)
    assert before["errors"] == [] and after["errors"] == [], output
    assert after["customerId"] == before["customerId"]  # the sandbox remembered it
    assert "webhooks:        CHAOS: up to 3.0 s late" in output
    state = tmp_path / "billgraph.sqlite3.sandbox"
    assert f"sandbox state:   {state}" in output
    for private in (state, tmp_path / ".billgraph-dev-secret"):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600


@pytest.mark.skipif(IS_POSTGRES, reason="the dev loop on SQLite files: once per make test")
def test_a_configured_jwt_secret_wins_over_the_dev_secret(tmp_path: Path) -> None:
    secret = "configured-" + "s" * 40
    token = _token(tmp_path, ("JWT_SECRET", secret))
    assert jwt.decode(token, secret, algorithms=["HS256"])["sub"] == "user-1"
    assert not (tmp_path / ".billgraph-dev-secret").exists()


@pytest.mark.skipif(IS_POSTGRES, reason="the dev loop on SQLite files: once per make test")
@pytest.mark.parametrize("taken", ["the API's", "the sandbox's"])
def test_a_busy_port_is_refused_in_one_line_before_anything_starts(
    tmp_path: Path, taken: str
) -> None:
    sqlite_file = tmp_path / "dev.sqlite3"
    port = free_port()
    busy_port = port if taken == "the API's" else port + SANDBOX_PORT_OFFSET
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", busy_port))
        busy.listen()
        process = _serve(tmp_path, f"sqlite://{sqlite_file}", port)
        try:
            returncode = process.wait(timeout=30)
        finally:
            output = _stop(process)
    assert returncode == 1
    assert output.count("\n") == 1, output
    assert output.startswith(f"billgraph: port {busy_port} on 127.0.0.1 is already in use")
    assert f"make run PORT={port + 1}" in output
    assert list(tmp_path.iterdir()) == []  # no database, sandbox state or dev secret
