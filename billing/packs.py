"""Credit packs: declared in the plans file, kept in Stripe like plans (a
Product and a one-time Price each, found again by lookup key) and sold by
``buyCredits`` as a CREDIT_PACK payment through the one PaymentIntent path
(billing.payments), whose success buys the credits (billing.credits)."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from billing.errors import BillingError, ErrorCode
from billing.idempotency import stripe_key
from billing.payments import CreatedPayment, PaymentRequest, create_payment
from billing.plans_file import Catalog, PackSpec
from billing.products import SyncReport, sync_product
from billing.settings import Settings
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.tokens import Caller
from models.credits import CreditPack
from models.payments import PaymentPurpose

PACK_METADATA_KEY = "billgraph_pack"


def pack_stripe_id(pack_key: str) -> str:
    """The pack's Stripe Product id and its Price's lookup key."""
    return f"billgraph_pack_{pack_key}"


async def sync_packs(catalog: Catalog, gateway: StripeGateway, report: SyncReport) -> None:
    """Make the packs in the database and Stripe match the file; packs left
    out are no longer sold. Safe to repeat."""
    keys = [pack.key for pack in catalog.packs]
    async with in_transaction():
        retired = await CreditPack.filter(active=True).exclude(key__in=keys).update(active=False)
        if retired:
            report.counts["packs retired"] += retired
        for position, spec in enumerate(catalog.packs):
            wanted: dict[str, Any] = {
                "name": spec.name,
                "credits": spec.credits,
                "amount": spec.price,
                "currency": catalog.currency,
                "position": position,
                "active": True,
            }
            row, created = await CreditPack.get_or_create(wanted, key=spec.key)
            if not created and any(getattr(row, k) != v for k, v in wanted.items()):
                await row.update_from_dict(wanted).save()
    for spec in catalog.packs:
        await _sync_stripe(spec, catalog.currency, gateway, report)


async def _sync_stripe(
    spec: PackSpec, currency: str, gateway: StripeGateway, report: SyncReport
) -> None:
    pid = pack_stripe_id(spec.key)
    metadata = {PACK_METADATA_KEY: spec.key}
    await sync_product(pid, spec.name, None, metadata, gateway, report, "pack products")
    holders = await gateway.prices_by_lookup_keys([pid])
    current = holders[0] if holders else None
    if current is not None and _matches(current, spec.price, currency):
        if not current.get("active"):
            current = await gateway.update_price(current["id"], {"active": True})
        report.add("pack prices unchanged")
    else:
        replaced = current["id"] if current is not None else None
        fresh = await gateway.create_price(
            {
                "product": pid,
                "currency": currency,
                "unit_amount": spec.price,
                "lookup_key": pid,
                "transfer_lookup_key": True,
                "nickname": spec.name,
                "metadata": metadata,
            },
            idempotency_key=stripe_key("catalog", "pack", pid, spec.price, currency, replaced),
        )
        if current is not None and current.get("active"):
            await gateway.update_price(current["id"], {"active": False})
        current = fresh
        report.add("pack prices created")
    await CreditPack.filter(key=spec.key).update(
        stripe_product_id=pid, stripe_price_id=current["id"], stripe_version=None
    )


def _matches(price: StripeObject, amount: int, currency: str) -> bool:
    return (
        price.get("unit_amount") == amount
        and price.get("currency") == currency
        and not price.get("recurring")
    )


async def credit_packs() -> list[CreditPack]:
    return await CreditPack.filter(active=True)


async def buy_credits(
    caller: Caller,
    *,
    pack_id: str,
    idempotency_key: str,
    mobile_api_version: str | None,
    payment_method_id: str | None,
    settings: Settings,
    gateway: StripeGateway,
) -> CreatedPayment:
    """A CREDIT_PACK PaymentIntent for the pack (web, mobile, or confirmed
    here with a saved method); its credits arrive when it succeeds."""
    pack = await CreditPack.get_or_none(key=pack_id, active=True)
    if pack is None:
        raise BillingError(ErrorCode.NOT_FOUND, "No such credit pack.", "packId")
    request = PaymentRequest(
        amount=pack.amount,
        currency=pack.currency,
        description=pack.name,
        idempotency_key=idempotency_key,
        mobile_api_version=mobile_api_version,
        payment_method_id=payment_method_id,
        purpose=PaymentPurpose.CREDIT_PACK,
        credits=pack.credits,
    )
    return await create_payment(caller, request, settings, gateway)
