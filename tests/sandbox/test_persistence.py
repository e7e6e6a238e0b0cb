"""A sandbox with a state file continues where the previous one stopped."""

import stat
from pathlib import Path

import stripe

from sandbox.process import SandboxProcess
from tests.processes import free_port
from tests.sandbox.conftest import WEBHOOK_SECRET, Receiver


def _client(process: SandboxProcess) -> stripe.StripeClient:
    return stripe.StripeClient(
        process.secret_key, base_addresses={"api": process.url}, max_network_retries=0
    )


async def test_a_restarted_sandbox_keeps_objects_and_idempotency_keys(tmp_path: Path) -> None:
    state = tmp_path / "dev.sqlite3.sandbox"
    with SandboxProcess(state_file=state) as first:
        client = _client(first)
        customer = await client.v1.customers.create_async(
            {"email": "a@example.com"}, {"idempotency_key": "cus-1"}
        )
        intent = await client.v1.payment_intents.create_async(
            {"amount": 900, "currency": "usd", "customer": customer.id}
        )
    assert stat.S_IMODE(state.stat().st_mode) == 0o600

    with SandboxProcess(state_file=state) as second:
        client = _client(second)
        assert (await client.v1.customers.retrieve_async(customer.id)).email == "a@example.com"
        assert (await client.v1.payment_intents.retrieve_async(intent.id)).customer == customer.id
        again = await client.v1.customers.create_async(
            {"email": "a@example.com"}, {"idempotency_key": "cus-1"}
        )
        assert again.id == customer.id
        await client.v1.customers.update_async(customer.id, {"email": "b@example.com"})

    with SandboxProcess(state_file=state) as third:
        assert (await _client(third).v1.customers.retrieve_async(customer.id)).email == (
            "b@example.com"
        )


async def test_an_unreadable_state_file_is_set_aside_and_the_sandbox_starts_empty(
    tmp_path: Path,
) -> None:
    state = tmp_path / "dev.sqlite3.sandbox"
    state.write_bytes(b"not a pickle")
    with SandboxProcess(state_file=state) as sandbox:
        assert (await _client(sandbox).v1.customers.list_async()).data == []
    assert (tmp_path / "dev.sqlite3.sandbox.unreadable").read_bytes() == b"not a pickle"
    assert state.exists()  # saved at shutdown, readable again


async def test_events_left_undelivered_are_sent_once_an_endpoint_is_configured(
    tmp_path: Path, receiver: Receiver, sandbox_server: SandboxProcess
) -> None:
    state = tmp_path / "dev.sqlite3.sandbox"
    with SandboxProcess(state_file=state) as first:
        first.configure_webhook(f"http://127.0.0.1:{free_port()}/down", WEBHOOK_SECRET)
        customer = await _client(first).v1.customers.create_async({"email": "a@example.com"})
        first.drain()  # the delivery failed: nothing listens there

    with SandboxProcess(state_file=state) as second:
        await second.configure_webhook_async(receiver.url, WEBHOOK_SECRET)
        await second.drain_async()
        [event] = receiver.events()
        assert (event.type, event.data.object["id"]) == ("customer.created", customer.id)
        [listed] = (await _client(second).v1.events.list_async()).data
        assert listed.pending_webhooks == 0
        await second.configure_webhook_async(receiver.url, WEBHOOK_SECRET)
        await second.drain_async()
        assert len(receiver.requests) == 1  # sent again once, not at every configuration
