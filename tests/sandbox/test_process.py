"""The sandbox as a process: its own state, loopback only, no pickle file, Stripe's errors."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import stripe

from sandbox.process import SandboxError, SandboxProcess

PICKLE = Path("/tmp/localstripe.pickle")  # noqa: S108 - the file localstripe would write


def _pickle_state() -> tuple[int, int] | None:
    return (PICKLE.stat().st_mtime_ns, PICKLE.stat().st_size) if PICKLE.exists() else None


async def test_two_sandboxes_do_not_share_state(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    product = await client.v1.products.create_async(params={"name": "Only here"})
    with SandboxProcess() as other:
        assert other.url != sandbox_server.url
        other_client = stripe.StripeClient(
            other.secret_key, base_addresses={"api": other.url}, max_network_retries=0
        )
        assert (await other_client.v1.products.list_async()).data == []
        with pytest.raises(stripe.InvalidRequestError):
            await other_client.v1.products.retrieve_async(product.id)
        await other_client.v1.products.create_async(params={"name": "Only there"})
    assert [p.name for p in (await client.v1.products.list_async()).data] == ["Only here"]


async def test_writes_leave_no_pickle_file(client: stripe.StripeClient) -> None:
    before = _pickle_state()
    product = await client.v1.products.create_async(params={"name": "Pro"})
    await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 1}
    )
    await client.v1.customers.create_async(params={"email": "a@example.com"})
    assert _pickle_state() == before


def test_stop_ends_the_process() -> None:
    sandbox = SandboxProcess().start()
    url = sandbox.url
    assert url.startswith("http://127.0.0.1:")
    assert httpx.get(f"{url}/_sandbox/health").json() == {"status": "ok"}
    sandbox.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/_sandbox/health")
    with pytest.raises(RuntimeError):
        _ = sandbox.url


def test_refuses_to_listen_beyond_loopback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "--host", "0.0.0.0", "--port", "0"],  # noqa: S104
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        check=False,
    )
    assert result.returncode != 0
    assert "loopback" in result.stderr
    assert "listening" not in result.stdout


async def test_bad_api_key_is_an_authentication_error(sandbox_server: SandboxProcess) -> None:
    bad = stripe.StripeClient("pk_test_public", base_addresses={"api": sandbox_server.url})
    with pytest.raises(stripe.AuthenticationError) as refused:
        await bad.v1.products.list_async()
    assert refused.value.http_status == 401


async def test_unknown_url_is_a_stripe_404(sandbox_server: SandboxProcess) -> None:
    async with httpx.AsyncClient(base_url=sandbox_server.url) as http:
        answer = await http.delete(
            "/v1/prices/price_x", headers={"Authorization": f"Bearer {sandbox_server.secret_key}"}
        )
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("Unrecognized request URL (DELETE: /v1/prices/price_x)")
    assert answer.headers["Request-Id"].startswith("req_")


def _answers(url: str) -> bool:
    try:
        httpx.get(f"{url}/_sandbox/health", timeout=1)
    except httpx.HTTPError:
        return False
    return True


def test_sandbox_does_not_outlive_a_parent_killed_with_sigkill() -> None:
    parent_code = (
        "import time\n"
        "from sandbox.process import SandboxProcess\n"
        "sandbox = SandboxProcess().start()\n"
        "print(sandbox.url, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert parent.stdout is not None
        url = parent.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert _answers(url)
        parent.kill()  # SIGKILL: no cleanup code runs in the parent
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _answers(url) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _answers(url)
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()


def test_helper_raises_stripes_error(sandbox_server: SandboxProcess) -> None:
    with pytest.raises(SandboxError) as missing:
        sandbox_server.helper("subscriptions/sub_missing/advance")
    assert missing.value.status == 404
    assert missing.value.error["code"] == "resource_missing"
    assert missing.value.error["message"] == "No such subscription: 'sub_missing'"
