"""Confirming a PaymentIntent or a SetupIntent with a test card, the part Stripe does the
same way for both: which payment method a confirmation uses (and Stripe's refusals), the
3-D Secure ``next_action`` a card that needs it stops at, the
``/_sandbox/{payment,setup}_intents/{id}/authenticate`` helper that plays the customer's
part, and the ``last_payment_error``/``last_setup_error`` a decline leaves.

What each intent does with a card it may use (charge it, or save it) stays its own:
``_authentication_passed`` after 3-D Secure, ``_fail`` with the error.
"""

from typing import Any

from localstripe.resources import PaymentMethod

from sandbox.context import public_url
from sandbox.errors import invalid_request
from sandbox.events import emit
from sandbox.params import Params

CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
_AUTHENTICATION_FAILED = (
    "We are unable to authenticate your payment method. Please choose a different payment "
    "method and try again."
)


def last_error(
    code: str, message: str, method: Any, decline_code: str | None = None, **extra: Any
) -> dict[str, Any]:
    """An intent's ``last_*_error``: a bank's decline (``decline_code``) is a
    ``card_error``, anything else an ``invalid_request_error``."""
    return {
        **extra,
        "code": code,
        "decline_code": decline_code,
        "doc_url": "https://stripe.com/docs/error-codes/" + code.replace("_", "-"),
        "message": message,
        "payment_method": method._export(),
        "type": "card_error" if decline_code else "invalid_request_error",
    }


class Confirmable:
    """A mixin (the resource keeps ``StripeObject`` as a direct base, see
    sandbox.updates) for ``PaymentIntent`` and ``SetupIntent``."""

    object: str
    _kind: str  # Stripe's name in messages: "PaymentIntent", "SetupIntent"
    id: str
    status: str
    customer: str | None
    payment_method: str | None
    next_action: dict[str, Any] | None

    def _confirming(self, method: Any) -> Any:
        """The payment method a confirmation uses: ``method``, else the intent's own;
        Stripe's 400 when the intent can't be confirmed or the method is another
        customer's."""
        if self.status not in CONFIRMABLE:
            raise invalid_request(
                f"You cannot confirm this {self._kind} because it has a status of "
                f"{self.status}. Only a {self._kind} with one of the following statuses may "
                f"be confirmed: {', '.join(CONFIRMABLE)}.",
                code=f"{self.object}_unexpected_state",
            )
        if method is None and self.payment_method is not None:
            method = PaymentMethod._api_retrieve(self.payment_method)
        if method is None:
            raise invalid_request(
                f"You cannot confirm this {self._kind} because it's missing a payment method. "
                f"Update the {self._kind} with a payment method, or confirm it with one.",
                "payment_method",
                f"{self.object}_unexpected_state",
            )
        if method.customer is not None and method.customer != self.customer:
            raise invalid_request(
                f"The PaymentMethod {method.id} belongs to another customer than this "
                f"{self._kind}'s; use it with that customer, or use another PaymentMethod.",
                "payment_method",
            )
        return method

    def _require_action(self, return_url: str | None) -> None:
        """3-D Secure: the customer is sent to the authenticate helper (a redirect back
        to ``return_url``, or the client SDK's own screen)."""
        url = public_url(f"/_sandbox/{self.object}s/{self.id}/authenticate")
        if return_url:
            self.next_action = {
                "type": "redirect_to_url",
                "redirect_to_url": {"return_url": return_url, "url": url},
            }
        else:
            self.next_action = {
                "type": "use_stripe_sdk",
                "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": url},
            }
        self.status = "requires_action"
        emit(f"{self.object}.requires_action", self)

    def _authentication_passed(self, method: Any) -> None:
        """The customer passed 3-D Secure for ``method``: go on with it."""
        raise NotImplementedError

    def _fail(self, error: dict[str, Any]) -> None:
        """Back to ``requires_payment_method`` with ``error`` (sandbox.confirming.last_error)."""
        raise NotImplementedError

    @classmethod
    def _api_authenticate(cls, id: str, **data: Any) -> Any:
        """Test helper: the customer completes (``success``, the default) or fails 3-D
        Secure for an intent that ``requires_action``."""
        params = Params(data)
        success = params.boolean("success")
        params.done()
        intent = cls._api_retrieve(id)  # type: ignore[attr-defined]
        if intent.status != "requires_action":
            raise invalid_request(
                f"This {cls._kind} has a status of {intent.status}; only one that "
                "requires_action can be authenticated.",
                code=f"{cls.object}_unexpected_state",
            )
        method = PaymentMethod._api_retrieve(intent.payment_method)
        intent.next_action = None
        if success is False:
            failure = f"{cls.object}_authentication_failure"
            intent._fail(last_error(failure, _AUTHENTICATION_FAILED, method))
        else:
            intent._authentication_passed(method)
        return intent
