"""Fields of the pinned API version that the sandbox does not model, as Stripe sends them
where their feature is unused (Connect customer accounts, Managed Payments, billing
schedules, trials per item, Radar, payment records...): every export gets each one it
lacks, so answers and events carry every field Stripe always sends. A resource that models
one exports its own value instead. Fields localstripe adds to every object, which today's
objects of some types lack, are dropped.

Applied by sandbox.exporting after sandbox.versioning; tests/conformance holds the result
to the stripe SDK's definitions.
"""

from typing import Any

Exported = dict[str, Any]

# object -> field -> its value when unused; a callable makes it from the export (a new one
# each time where it is mutable).
_UNUSED: dict[str, dict[str, Any]] = {
    "billing_portal.session": {"after_expiration": None, "customer_account": None},
    "checkout.session": {
        "allowed_payment_method_types": None,
        "branding_settings": None,
        "excluded_payment_method_types": None,
        "integration_identifier": None,
        "managed_payments": None,
        "name_collection": None,
        "optional_items": None,
        "origin_context": None,
        "permissions": None,
        "redirect_on_completion": None,
        "tax_id_collection": lambda _: {"enabled": False, "required": "never"},
    },
    "coupon": {"applies_to": None, "currency_options": None, "name": None},
    "customer": {"business_name": None, "customer_account": None, "individual_name": None},
    "invoiceitem": {
        "frozen_fields": None,
        "invoicing_rules": None,
        "quantity_decimal": lambda exported: str(exported.get("quantity", 1)),
    },
    "item": {"adjustable_quantity": None, "metadata": lambda _: {}},
    "payment_intent": {
        "allowed_payment_method_types": None,
        "hooks": None,
        "managed_payments": None,
        "payment_record": None,
    },
    "payment_method": {"customer_account": None, "radar_options": None},
    "product": {"tax_details": None},
    "subscription": {"billing_schedules": lambda _: [], "managed_payments": None},
    "subscription_item": {"billed_until": None, "current_trial": None},
}
# object -> fields localstripe gives it that Stripe's object of that type does not have.
_NOT_TODAYS: dict[str, tuple[str, ...]] = {
    "discount": ("created", "livemode"),
    "invoiceitem": ("created",),
    "item": ("created", "livemode"),
    "line_item": ("created",),
    "refund": ("livemode",),
    "subscription_item": ("livemode",),
}


def complete(exported: Exported) -> Exported:
    """``exported`` with today's unmodelled fields added and localstripe's extras dropped."""
    name = str(exported.get("object"))
    for field in _NOT_TODAYS.get(name, ()):
        exported.pop(field, None)
    for field, value in _UNUSED.get(name, {}).items():
        if field not in exported:
            exported[field] = value(exported) if callable(value) else value
    return exported
