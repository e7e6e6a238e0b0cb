"""`billgraph serve`'s logs: INFO lines shown, LOG_FORMAT=json one object per line with
the request's id, operation and user, and never a token, secret or card number."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from sandbox.process import SandboxProcess
from server.logs import redact
from tests.conftest import LiveServer, bearer, billgraph_env, token
from tests.processes import billgraph, free_port, servers
from tests.test_notifications import create_endpoint
from tests.test_payments import CREATE, payment_input
from tests.test_usage import track

CARD = "4242 4242 4242 4242"


async def _serve_and_call(
    sandbox: SandboxProcess, log: Path, **variables: str
) -> dict[str, httpx.Response]:
    """Start a server writing its log to ``log``, make the calls, stop it."""
    calls: dict[str, httpx.Response] = {}
    with log.open("w") as stderr:
        async with servers(1, billgraph_env(sandbox) | variables, stderr=stderr) as [client]:
            calls["pay"] = await client.post(
                "/graphql",
                json={"query": CREATE, "variables": {"input": payment_input("log-1")}},
                headers=bearer("user-log"),
            )
            # GraphQL quotes a bad value in its message: here a card number.
            calls["card"] = await client.post(
                "/graphql",
                json={"query": CREATE, "variables": {"input": payment_input(amount=CARD)}},
                headers=bearer("user-log"),
            )
            calls["bad token"] = await client.post(
                "/graphql",
                json={"query": "{ me { userId } }"},
                headers={"Authorization": f"Bearer {token('user-log')}x"},
            )
            calls["too large"] = await client.post("/graphql", content=b"x" * (2 << 20))
    return calls


def _secrets_absent(text: str) -> None:
    assert token("user-log").split(".")[2] not in text  # a token's signature
    assert "eyJ" not in text
    assert CARD not in text and CARD.replace(" ", "") not in text
    assert "whsec_" not in text and "sk_test_" not in text


async def test_json_logs_carry_the_request_and_no_secrets(
    db: str, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    calls = await _serve_and_call(sandbox, log, LOG_FORMAT="json")
    assert calls["too large"].status_code == 413
    text = log.read_text()
    lines: list[dict[str, Any]] = [json.loads(line) for line in text.splitlines() if line]
    assert all({"time", "level", "logger", "message", "request_id"} <= set(e) for e in lines)

    paid = [e for e in lines if e["request_id"] == calls["pay"].headers["x-request-id"]]
    assert paid, text
    assert all((e["operation"], e["user_id"]) == ("createPaymentIntent", "user-log") for e in paid)
    refused = next(e for e in lines if e["message"].startswith("request refused"))
    assert refused["request_id"] == calls["too large"].headers["x-request-id"]
    assert "status=413" in refused["message"]
    card = [e for e in lines if e["request_id"] == calls["card"].headers["x-request-id"]]
    assert any("[card]" in e["message"] for e in card), card  # logged, masked
    _secrets_absent(text)


async def test_plain_logs_show_info_lines(db: str, sandbox: SandboxProcess, tmp_path: Path) -> None:
    """Refusals log at INFO: without a logging configuration they were never shown."""
    log = tmp_path / "server.log"
    calls = await _serve_and_call(sandbox, log)
    text = log.read_text()
    request_id = calls["too large"].headers["x-request-id"]
    assert f"INFO billgraph: request refused request_id={request_id} status=413" in text
    assert "[card]" in text
    _secrets_absent(text)


def test_redact_masks_tokens_secrets_and_card_numbers() -> None:
    jwt = token("someone")
    text = (
        f"Bearer {jwt} token={jwt} key=sk_live_abc123 secret=whsec_xyz "
        "card 4000-0566-5566-5556 card 5555555555554444 order 1234567890123 amount 2500"
    )
    masked = redact(text)
    assert jwt not in masked and "sk_live_abc123" not in masked and "whsec_xyz" not in masked
    assert "4000-0566-5566-5556" not in masked and "5555555555554444" not in masked
    assert masked.count("[card]") == 2
    assert "order 1234567890123 amount 2500" in masked  # not card numbers (Luhn)


async def test_the_notifications_worker_logs_as_configured(
    shop: LiveServer, tmp_path: Path
) -> None:
    """`billgraph notifications run` logs like `serve`: an endpoint that refuses the
    connection gets its INFO line, as JSON here."""
    await create_endpoint(shop, f"http://127.0.0.1:{free_port()}/hook")  # nothing listens
    await track(shop)
    log = tmp_path / "worker.log"
    worker = ["notifications", "run"]
    with (
        log.open("w") as stderr,
        billgraph(worker, env=billgraph_env() | {"LOG_FORMAT": "json"}, stderr=stderr),
    ):
        for _ in range(600):
            if "ConnectError" in log.read_text():
                break
            await asyncio.sleep(0.05)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line]
    assert any(
        e["logger"] == "billgraph.notifications" and "ConnectError" in e["message"] for e in lines
    ), lines
