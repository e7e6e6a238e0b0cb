"""The sandbox held to Stripe's own definitions: every object it answered and every event it
sent during this test session, checked by tests.conformance.oracle against the installed
stripe SDK's resource classes, must match them except for the differences listed, each with
its reason, in known_differences.toml.

tests/conftest.py has every sandbox of the session record into one file (sandbox.recording);
``test_sandbox_conforms`` runs last (the ``run_last`` marker) so it sees the whole suite.
It runs on the SQLite pass only: the PostgreSQL pass sends the sandbox the same requests.
"""

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sandbox import RECORD_ENV
from tests.conformance.conftest import FIGURES
from tests.conformance.oracle import Report, check

KNOWN_DIFFERENCES = Path(__file__).with_name("known_differences.toml")


def known_differences() -> dict[str, str]:
    listed: dict[str, str] = tomllib.loads(KNOWN_DIFFERENCES.read_text())["differences"]
    return listed


def checked(*bodies: Any) -> set[str]:
    report = Report()
    for body in bodies:
        check(body, report, "test")
    return set(report.differences)


@pytest.mark.run_last
def test_sandbox_conforms(request: pytest.FixtureRequest) -> None:
    path = os.environ.get(RECORD_ENV)
    if not path:
        pytest.skip("the sandbox records on the SQLite pass only")
    if not Path(path).exists():
        pytest.skip("no sandbox ran in this session: nothing to check")
    report = Report()
    events = 0
    with open(path, encoding="utf-8") as file:
        for line in file:
            record = json.loads(line)
            events += record["kind"] == "event"
            body = record["body"]
            where = record["where"]
            if isinstance(body, dict) and isinstance(body.get("id"), str):
                where = f"{where} ({body['id']})"
            check(body, report, where, record["expand"])
    listed = known_differences()
    new = {d: seen for d, seen in report.differences.items() if d not in listed}
    unseen = sorted(set(listed) - set(report.differences))
    request.config.stash[FIGURES] = (
        f"conformance: {report.objects} objects and events checked ({events} events), "
        f"{len(report.differences)} differences, {len(new)} not in {KNOWN_DIFFERENCES.name}"
        + (f"; listed but not seen (delete if fixed): {', '.join(unseen)}" if unseen else "")
    )
    assert not new, "the sandbox differs from Stripe's definitions:\n" + "\n".join(
        f"{difference}  ({count}x, e.g. {example})"
        for difference, (count, example) in sorted(new.items())
    )


def test_every_known_difference_has_a_reason() -> None:
    listed = known_differences()
    assert listed
    assert all(isinstance(reason, str) and len(reason) > 10 for reason in listed.values())


def test_a_stripe_shaped_deleted_customer_passes() -> None:
    assert checked({"id": "cus_1", "object": "customer", "deleted": True}) == set()
    assert checked({"id": "cus_1", "object": "customer", "deleted": True, "email": None}) == {
        "deleted-object customer.email"
    }


def test_the_oracle_finds_unknown_missing_null_mistyped_and_enum_differences() -> None:
    refund = {
        "id": "re_1",
        "object": "refund",
        "amount": "100",  # a string, not an integer
        "balance_transaction": None,
        "charge": "ch_1",
        "created": 1,
        "currency": None,  # never null
        "customer": None,
        "customer_account": None,
        "description": None,
        "destination_details": None,
        "failure_balance_transaction": None,
        "failure_reason": None,
        "instructions_email": None,
        "metadata": {},
        "next_action": None,
        "payment_intent": "pi_1",
        "payment_method": None,
        "pending_reason": None,
        "presentment_details": None,
        "reason": "because",  # not one of Stripe's reasons
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
        "livemode": False,  # a refund has no livemode
    }
    assert checked(refund) == {
        "type refund.amount",
        "null refund.currency",
        "enum refund.reason=because",
        "unknown refund.livemode",
    }
    del refund["charge"]
    assert "missing refund.charge" in checked(refund)


def test_events_are_checked_with_the_object_they_carry() -> None:
    event = {
        "id": "evt_1",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": 1,
        "data": {"object": {"id": "cus_1", "object": "customer", "bogus": 1}},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "customer.created",
    }
    found = checked(event)
    assert "unknown customer.bogus" in found
    assert "missing customer.email" in found
    assert not any(d.startswith(("missing event", "unknown event")) for d in found)
    event["type"] = "customer.exploded"
    assert "enum event.type=customer.exploded" in checked(event)


def test_only_the_hash_of_the_object_s_own_type_may_be_absent() -> None:
    card = {"id": "pm_1", "object": "payment_method", "type": "card"}
    assert "missing payment_method.card" in checked(card)
    assert "missing payment_method.sepa_debit" not in checked(card)
    # A price's lone ``recurring`` hash is null on one-time prices, never absent.
    assert "missing price.recurring" in checked({"id": "p", "object": "price", "type": "x"})


def test_includable_fields_only_when_expanded() -> None:
    price = {"id": "price_1", "object": "price", "tiers": []}
    report = Report()
    check(price, report, "test")
    check({"object": "list", "data": [price], "has_more": False, "url": "/v1/prices"}, report, "t")
    assert "not-expanded price.tiers" in report.differences
    assert report.differences["not-expanded price.tiers"][0] == 2
    report = Report()
    check(price, report, "test", ["tiers"])
    page = {"object": "list", "data": [price], "has_more": False, "url": "/v1/prices"}
    check(page, report, "test", ["data.tiers"])
    assert not any(d.startswith("not-expanded") for d in report.differences)


def test_error_codes_must_be_stripe_s() -> None:
    error = {"type": "invalid_request_error", "message": "No such invoice", "code": None}
    assert checked({"error": {**error, "code": "resource_missing"}}) == set()
    assert checked({"error": {**error, "code": "invoice_not_open"}}) == {
        "enum error.code=invoice_not_open"
    }
    assert checked({"error": {**error, "type": "oops"}}) == {"enum error.type=oops"}
