"""Test helper: ``/_sandbox/subscriptions/{id}/backdate`` with ``seconds`` makes a
subscription as if it had started that long ago (its billing cycle anchor and start
date move back; ``customer.subscription.updated`` reports the new period), so that
"now" falls in the middle of its current period: prorations of a plan change mid-period
can be tested without waiting. Not in a trial, and not past the first period's end.
"""

from typing import Any

from sandbox.errors import invalid_request
from sandbox.params import Params
from sandbox.subscriptions import _ENDED, Subscription


def backdate(id: str, **data: Any) -> Any:
    params = Params(data)
    seconds = params.integer("seconds", minimum=1, required=True)
    params.done()
    assert seconds is not None
    subscription = Subscription._api_retrieve(id)
    start, end = subscription._period()
    if subscription._in_trial or subscription.status in _ENDED:
        raise invalid_request("Only a live subscription past its trial can be backdated.")
    if seconds >= end - start:
        raise invalid_request("Backdate by less than the current period.", "seconds")
    with subscription._changes():
        subscription.billing_cycle_anchor -= seconds
        subscription.start_date -= seconds
    return subscription


ROUTES = (("POST", "/_sandbox/subscriptions/{id}/backdate", backdate),)
