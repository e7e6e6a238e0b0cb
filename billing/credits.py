"""Credits: a wallet per user with an immutable ledger.

Every change is one ledger row (signed ``amount``, ``balance_after``) and one
guarded UPDATE of the user's balance row (billing.counters: never below zero)
in the same transaction. That UPDATE, or ``_lock`` where the amount depends
on the state (expiry, clawback), holds the balance row's lock, so the grants'
remaining amounts (``CreditLot``) change one writer at a time: spending takes
from the soonest-expiring lot first, and the lots always add up to the
balance. ``verify_balances`` proves both sums from the ledger.

Each row's ``key`` is unique per user and names its cause: a payment, an
invoice, a client's idempotency key, an expired lot, a pack payment's next
claim change (refund, failed refund, lost dispute). A
second delivery, replay or racing twin of the same cause hits the unique
constraint and rolls back its savepoint: granted or taken once, whichever
path (webhook, replay, ``payment(refresh: true)``) sees it first.

Events: each row records ``credits.updated`` (the ``CreditAccount`` plus the
row) and, when a decrease crosses ``low_threshold``, ``credits.low``, in its
transaction through the outbox.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count, Sum

from billing import audit
from billing.access import acting_for
from billing.clock import utcnow
from billing.counters import guarded_add
from billing.errors import BillingError, ErrorCode
from billing.events import DomainEvent, record
from billing.idempotency import check_client_key, request_digest
from billing.pagination import Page, paginate
from billing.tokens import Caller
from models.credits import CreditBalance, CreditKind, CreditLot, CreditTransaction
from models.payments import SETTLED, Dispute, DisputeStatus, Payment, PaymentPurpose
from models.sql import Statement, db_values, execute, fetch, python_row
from models.transaction import atomic

MAX_CREDITS = 1_000_000_000
MAX_REASON = 500
EXPIRING_SOON = timedelta(days=7)


@dataclass
class LowThreshold:
    """``credits.low`` fires when a decrease takes the balance under this
    (``CREDITS_LOW_THRESHOLD``). Process-wide: set by the composition root
    from the settings, as every write path (webhooks too) must see it."""

    value: int = 10


low_threshold = LowThreshold()


@dataclass(frozen=True, slots=True)
class Account:
    user_id: str
    balance: int
    expiring_soon: int


@dataclass(frozen=True, slots=True)
class Entry:
    """A ledger row to write; ``amount`` is signed."""

    kind: CreditKind
    amount: int
    key: str | None
    reason: str | None = None
    expires_at: datetime | None = None
    payment_id: UUID | None = None
    shortfall: int = 0
    digest: str | None = None


class _Ids:
    """Ledger ids ordered by creation within a process (time in the high
    bits), so rows sharing a ``created_at`` still list in the order written."""

    last = 0

    @classmethod
    def next(cls) -> UUID:
        cls.last = max(time.time_ns(), cls.last + 1)
        return UUID(int=(cls.last << 64) | int.from_bytes(os.urandom(8), "big"))


async def _lock(user_id: str) -> int:
    """Lock the user's balance row (made at 0 if missing) and read it: for
    writes whose amount depends on the lots (PostgreSQL; SQLite's one writer
    is lock enough)."""
    await CreditBalance.bulk_create([CreditBalance(user_id=user_id)], ignore_conflicts=True)
    row = await CreditBalance.select_for_update().get(user_id=user_id)
    return int(row.balance)


# The hot statements (spendCredits) as fixed SQL: models.sql.
BALANCE = Statement("SELECT balance FROM credit_balance WHERE user_id = ?")
INSERT_ROW = Statement(
    "INSERT INTO credit_transaction (id, user_id, kind, amount, balance_after, reason, "
    "expires_at, shortfall, payment_id, key, request_digest, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
LOTS = Statement(
    "SELECT id, remaining, expires_at, created_at FROM credit_lot "
    "WHERE user_id = ? AND remaining > ?"
)
DUE = Statement(
    "SELECT id, user_id FROM credit_lot WHERE user_id = ? AND remaining > ? AND expires_at <= ?"
)
# The balance and what expires soon, in one round trip.
ACCOUNT = Statement(
    "SELECT (SELECT balance FROM credit_balance WHERE user_id = ?) AS balance, "
    "(SELECT SUM(remaining) FROM credit_lot "
    "WHERE user_id = ? AND remaining > ? AND expires_at > ? AND expires_at <= ?) AS total"
)


async def _balance(user_id: str) -> int:
    rows = await fetch(BALANCE, [user_id])
    return int(rows[0]["balance"]) if rows else 0


def _add(user_id: str, delta: int, floor: int | None = None) -> Awaitable[int | None]:
    """The balance's guarded change: the balance after, or None if refused."""
    create = None if floor is not None else (lambda: CreditBalance(user_id=user_id))
    return guarded_add(
        CreditBalance, {"user_id": user_id}, "balance", delta, floor=floor, create=create
    )


async def _insert(user_id: str, entry: Entry, now: datetime, after: int) -> CreditTransaction:
    """The ledger row after the balance changed to ``after``, and its events."""
    values = {
        "id": _Ids.next(),
        "user_id": user_id,
        "kind": entry.kind,
        "amount": entry.amount,
        "balance_after": after,
        "reason": entry.reason,
        "expires_at": entry.expires_at,
        "shortfall": entry.shortfall,
        "payment_id": entry.payment_id,
        "key": entry.key,
        "request_digest": entry.digest,
        "created_at": now,
    }
    await execute(INSERT_ROW, db_values(CreditTransaction, values))
    # The row as stored, built as Tortoise builds a fetched one (its __init__
    # validates and defaults every field: twice the cost, for values known good).
    row = CreditTransaction._init_from_db(**values)
    await record(_events(row))
    return row


def transaction_payload(row: CreditTransaction) -> dict[str, Any]:
    """The row in the public API's shape (``CreditTransaction``)."""
    return {
        "id": str(row.id),
        "kind": row.kind.name,
        "amount": row.amount,
        "balanceAfter": row.balance_after,
        "reason": row.reason,
        "expiresAt": row.expires_at.isoformat() if row.expires_at else None,
        "createdAt": row.created_at.isoformat(),
    }


def _events(row: CreditTransaction) -> list[DomainEvent]:
    payload = {
        "userId": row.user_id,
        "balance": row.balance_after,
        "transaction": transaction_payload(row),
    }
    events = [DomainEvent("credits.updated", row.user_id, payload)]
    before = row.balance_after - row.amount
    if before >= low_threshold.value > row.balance_after:
        low = {**payload, "threshold": low_threshold.value}
        events.append(DomainEvent("credits.low", row.user_id, low))
    return events


async def _credit(user_id: str, entry: Entry, now: datetime) -> CreditTransaction:
    """Add ``entry.amount`` (>= 0; 0 when a reversal only cancels a shortfall)
    as a new lot. In the caller's transaction."""
    after = await _add(user_id, entry.amount)
    assert after is not None  # no floor: an increase always applies
    row = await _insert(user_id, entry, now, after)
    if entry.amount:
        await CreditLot.create(
            user_id=user_id,
            grant=row,
            remaining=entry.amount,
            expires_at=entry.expires_at,
            created_at=now,
        )
    return row


async def _debit(
    user_id: str, entry: Entry, now: datetime, first: CreditLot | None = None
) -> CreditTransaction | None:
    """Take ``-entry.amount`` credits if the balance has them, from ``first``
    and then the soonest-expiring lots; None, having written nothing, if not.
    In the caller's transaction."""
    taken = -entry.amount
    after = await _add(user_id, entry.amount, floor=0)
    if after is None:
        return None
    if taken:
        await _consume(user_id, taken, first)
    return await _insert(user_id, entry, now, after)


async def _consume(user_id: str, amount: int, first: CreditLot | None) -> None:
    """Take ``amount`` from the lots; the balance row is locked by the caller."""
    lots = [python_row(CreditLot, row) for row in await fetch(LOTS, [user_id, 0])]
    never = datetime.max.replace(tzinfo=UTC)
    lots.sort(
        key=lambda lot: (
            first is None or lot["id"] != first.id,
            lot["expires_at"] or never,
            lot["created_at"],
        )
    )
    for lot in lots:
        take = min(amount, int(lot["remaining"]))
        if await guarded_add(CreditLot, {"id": lot["id"]}, "remaining", -take, floor=0) is None:
            raise RuntimeError(f"credit lot {lot['id']} changed without its balance lock")
        amount -= take
        if amount == 0:
            return
    raise RuntimeError(f"the lots of {user_id} hold less than its balance")


# ------------------------------------------------------------------ expiry


async def expire_due(now: datetime, user_id: str | None = None) -> int:
    """An EXPIRY row for what is left of every lot past its ``expires_at`` (of
    one user, or everyone's). Safe to repeat and to race: a lot expires once
    (its remainder is read under the balance lock, and the row's key is the
    lot). Returns how many lots expired."""
    if user_id is None:
        due = await CreditLot.filter(remaining__gt=0, expires_at__lte=now).values_list(
            "id", "user_id"
        )
    else:  # every spend asks: fixed SQL
        rows = await fetch(DUE, [*db_values(CreditLot, {"user_id": user_id, "remaining": 0}), now])
        due = [(row["id"], row["user_id"]) for row in rows]
    expired = 0
    for lot_id, owner in due:
        async with atomic():
            await _lock(owner)
            lot = await CreditLot.get(id=lot_id)
            if lot.remaining == 0:
                continue
            entry = Entry(
                CreditKind.EXPIRY,
                -int(lot.remaining),
                key=f"expiry:{lot.id}",
                expires_at=lot.expires_at,
            )
            await _debit(owner, entry, now, first=lot)
            expired += 1
    return expired


# ------------------------------------------------------------ idempotency


def _conflict() -> BillingError:
    return BillingError(
        ErrorCode.IDEMPOTENCY_CONFLICT,
        "This idempotencyKey was already used for a different request.",
        "idempotencyKey",
    )


def _insufficient(amount: int, balance: int) -> BillingError:
    return BillingError(
        ErrorCode.INSUFFICIENT_CREDITS,
        f"This needs {amount} credits; the balance is {balance}.",
        "amount",
    )


async def _once(
    user_id: str,
    key: str | None,
    digest: str,
    write: Callable[[], Awaitable[CreditTransaction | None]],
    amount: int,
) -> CreditTransaction:
    """Run ``write`` in a transaction once per ``key``: a repeat (or its
    racing twin) gets the first row, another request under the key a
    conflict; a refused write (None) is INSUFFICIENT_CREDITS, nothing written."""
    try:
        async with atomic():
            row = await write()
    except IntegrityError:
        if key is None:
            raise
        row = None
    if row is not None:
        return row
    first = None if key is None else await CreditTransaction.get_or_none(user_id=user_id, key=key)
    if first is None:
        raise _insufficient(amount, await _balance(user_id))
    if first.request_digest != digest:
        raise _conflict()
    return first


def _check_amount(amount: int, *, negative: bool = False) -> None:
    low = -MAX_CREDITS if negative else 1
    if not low <= amount <= MAX_CREDITS or amount == 0:
        allowed = f"-{MAX_CREDITS} to {MAX_CREDITS}, not 0" if negative else f"1 to {MAX_CREDITS}"
        raise BillingError(ErrorCode.INVALID_INPUT, f"amount must be {allowed}.", "amount")


def _check_reason(reason: str | None, *, required: bool = False) -> None:
    if reason is None and not required:
        return
    if reason is None or not reason.strip() or len(reason) > MAX_REASON:
        raise BillingError(
            ErrorCode.INVALID_INPUT, f"reason must be 1 to {MAX_REASON} characters.", "reason"
        )


# ---------------------------------------------------------------- commands


async def spend_credits(
    caller: Caller,
    *,
    amount: int,
    user_id: str | None,
    reason: str | None,
    idempotency_key: str,
    now: datetime,
) -> CreditTransaction:
    """Spend ``amount`` credits atomically, or INSUFFICIENT_CREDITS having
    written nothing. The same key answers with the first SPEND row."""
    user = acting_for(caller, user_id)
    _check_amount(amount)
    _check_reason(reason)
    check_client_key(idempotency_key)
    digest = request_digest("spend", amount, reason)
    key = f"spend:{idempotency_key}"
    entry = Entry(CreditKind.SPEND, -amount, key, reason, digest=digest)

    async def write() -> CreditTransaction | None:
        await expire_due(now, user)  # in the spend's transaction: one pool connection
        return await _debit(user, entry, now)

    return await _once(user, key, digest, write, amount)


async def grant_credits(
    caller: Caller,
    *,
    user_id: str,
    amount: int,
    reason: str,
    expires_at: datetime | None,
    idempotency_key: str | None,
    now: datetime,
) -> CreditTransaction:
    """An administrator's ADJUSTMENT: a grant (optionally expiring) or, with a
    negative amount, a removal that is refused rather than go below zero."""
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "Only administrators may grant credits.")
    user = acting_for(caller, user_id)
    _check_amount(amount, negative=True)
    _check_reason(reason, required=True)
    check_client_key(idempotency_key)
    if expires_at is not None and (amount < 0 or expires_at <= now):
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            "expiresAt must be in the future, and only for a positive amount.",
            "expiresAt",
        )
    digest = request_digest("grant", amount, reason, expires_at and expires_at.isoformat())
    key = None if idempotency_key is None else f"grant:{idempotency_key}"
    entry = Entry(CreditKind.ADJUSTMENT, amount, key, reason, expires_at, digest=digest)
    change = _credit if amount > 0 else _debit
    expiry = expires_at and expires_at.isoformat()
    details = {"amount": amount, "reason": reason, "expiresAt": expiry}

    async def write() -> CreditTransaction | None:
        row = await change(user, entry, now)
        if row is not None:  # audited with the ledger row; a refusal writes neither
            await audit.record(caller, "grantCredits", user, details)
        return row

    if amount < 0:
        await expire_due(now, user)
    return await _once(user, key, digest, write, abs(amount))


async def pay_overage(user_id: str, amount: int, usage_record: UUID, now: datetime) -> bool:
    """Spend ``amount`` credits on usage beyond an allowance, in the caller's
    (the usage count's) transaction; False, having written nothing, if the
    balance is short."""
    await expire_due(now, user_id)
    entry = Entry(CreditKind.OVERAGE, -amount, key=f"usage:{usage_record}")
    return await _debit(user_id, entry, now) is not None


async def overage_spent(usage_record: UUID, user_id: str) -> int:
    """What a counted usage call spent on overage (0 within the allowance)."""
    row = await CreditTransaction.get_or_none(user_id=user_id, key=f"usage:{usage_record}")
    return -int(row.amount) if row is not None else 0


async def grant_plan_credits(
    user_id: str, invoice_id: str, credits: int, expires_at: datetime, reason: str
) -> None:
    """A paid period's ``creditsPerPeriod`` (in the invoice's transaction),
    once per invoice: a duplicate or replayed ``invoice.paid`` grants nothing."""
    entry = Entry(CreditKind.PLAN_GRANT, credits, f"invoice:{invoice_id}", reason, expires_at)
    await _grant_once(user_id, entry)


async def _grant_once(user_id: str, entry: Entry) -> None:
    try:
        async with atomic():  # a savepoint: a repeat undoes only this
            await _credit(user_id, entry, utcnow())
    except IntegrityError:
        pass  # granted already, by a twin delivery or another path


# ---------------------------------------------------------- pack payments


async def payment_changed(before: dict[str, Any] | None, payment: Payment) -> None:
    """What a write to a credit-pack payment means for the wallet (called in
    its transaction, under its lock): success buys the credits, a refund
    takes back its share and a refund that failed gives it back."""
    if payment.purpose is not PaymentPurpose.CREDIT_PACK or not payment.credits:
        return
    was = before or {"status": None, "amountRefunded": 0}
    if payment.status in SETTLED and was["status"] not in SETTLED:
        entry = Entry(
            CreditKind.PURCHASE,
            payment.credits,
            f"payment:{payment.id}",
            payment.description,
            payment_id=payment.id,
        )
        await _grant_once(payment.user_id, entry)
    if payment.amount_refunded != was["amountRefunded"]:
        reason = "refund" if payment.amount_refunded > was["amountRefunded"] else "refund failed"
        await settle_claims(payment, reason)


async def _claim_due(payment: Payment, credits: int) -> int:
    """What a pack purchase of ``credits`` owes back: all of them after a lost
    dispute or a full refund, else the refunded share."""
    if payment.amount_refunded >= payment.amount or (
        await Dispute.filter(payment_id=payment.id, status=DisputeStatus.LOST).exists()
    ):
        return credits
    return credits * payment.amount_refunded // payment.amount


async def settle_claims(payment: Payment, reason: str) -> None:
    """Bring what the ledger claims back from a pack purchase to what is due.

    More due (a refund, a lost dispute): a CLAWBACK takes it, from that purchase
    first; never below zero: what is no longer there is its ``shortfall``. Less
    due (a refund that failed): a REVERSAL releases the claim, forgiving the
    outstanding shortfall first (credits already spent stay paid for by the
    claim) and giving back the rest. Computed from the ledger under the
    balance lock and keyed by how many claim rows the payment has, so a
    repeated or racing delivery finds nothing left to do, or loses on the key.
    """
    purchase = await CreditTransaction.get_or_none(
        payment_id=payment.id, kind=CreditKind.PURCHASE
    ).prefetch_related("lot")
    if purchase is None:
        return  # never granted, nothing to take back
    due = await _claim_due(payment, int(purchase.amount))
    try:
        async with atomic():
            balance = await _lock(payment.user_id)
            claims = await CreditTransaction.filter(
                payment_id=payment.id, kind__in=(CreditKind.CLAWBACK, CreditKind.REVERSAL)
            ).values_list("kind", "amount", "shortfall")
            # A CLAWBACK claims what it took and its shortfall; a REVERSAL releases
            # what it gave back and the shortfall it forgave.
            short = sum(s if k == CreditKind.CLAWBACK else -s for k, _, s in claims)
            claimed = short - sum(amount for _, amount, _ in claims)
            key = f"claims:{payment.id}:{len(claims)}"
            if due > claimed:
                taken = min(due - claimed, balance)
                entry = Entry(
                    CreditKind.CLAWBACK,
                    -taken,
                    key,
                    reason,
                    payment_id=payment.id,
                    shortfall=due - claimed - taken,
                )
                await _debit(payment.user_id, entry, utcnow(), first=purchase.lot)
            elif due < claimed:
                forgiven = min(claimed - due, short)
                entry = Entry(
                    CreditKind.REVERSAL,
                    claimed - due - forgiven,
                    key,
                    reason,
                    payment_id=payment.id,
                    shortfall=forgiven,
                )
                await _credit(payment.user_id, entry, utcnow())
    except IntegrityError:
        pass  # a twin delivery settled the same claims first


async def dispute_lost(payment: Payment) -> None:
    """A lost dispute takes back what is left of the pack's credits."""
    if payment.purpose is PaymentPurpose.CREDIT_PACK and payment.credits:
        await settle_claims(payment, "dispute lost")


# ------------------------------------------------------------------ reads


async def account_of(user_id: str, now: datetime) -> Account:
    window = [*db_values(CreditLot, {"expires_at": now}), now + EXPIRING_SOON]
    [row] = await fetch(ACCOUNT, [user_id, user_id, 0, *window])
    return Account(user_id, int(row["balance"] or 0), int(row["total"] or 0))


async def credit_account(caller: Caller, user_id: str | None, now: datetime) -> Account:
    """The wallet, after expiring what is due."""
    user = acting_for(caller, user_id)
    await expire_due(now, user)
    return await account_of(user, now)


async def list_transactions(
    user_id: str, first: int | None, after: str | None
) -> Page[CreditTransaction]:
    """The user's ledger, newest first (the caller was authorised by the account)."""
    return await paginate(CreditTransaction.filter(user_id=user_id), first, after)


# ------------------------------------------------------------------ audit


@dataclass(frozen=True, slots=True)
class Mismatch:
    user_id: str
    balance: int
    ledger: int
    lots: int


@dataclass(frozen=True, slots=True)
class Verification:
    balances: int
    transactions: int
    mismatches: list[Mismatch]


async def verify_balances() -> Verification:
    """Rebuild every balance from the ledger (and the lots) and compare."""
    balances = dict(await CreditBalance.all().values_list("user_id", "balance"))
    ledger: dict[str, int] = {}
    rows = 0
    for user, total, n in (
        await CreditTransaction.annotate(total=Sum("amount"), n=Count("id"))
        .group_by("user_id")
        .values_list("user_id", "total", "n")
    ):
        ledger[user] = int(total)
        rows += int(n)
    lots = {
        user: int(total)
        for user, total in await CreditLot.annotate(total=Sum("remaining"))
        .group_by("user_id")
        .values_list("user_id", "total")
    }
    mismatches = [
        Mismatch(user, balances.get(user, 0), ledger.get(user, 0), lots.get(user, 0))
        for user in sorted(balances.keys() | ledger.keys() | lots.keys())
        if not balances.get(user, 0) == ledger.get(user, 0) == lots.get(user, 0)
    ]
    return Verification(len(balances), rows, mismatches)
