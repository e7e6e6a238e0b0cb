"""Every error code the sandbox can answer is one of Stripe's: read from its source, so a
code on a path no flow of the suite takes is checked too (the recorded answers only cover
the paths taken)."""

import ast
from pathlib import Path

from stripe._payment_intent import PaymentIntent

from tests.conformance.oracle import enum_values, fields

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def _strings(node: ast.expr) -> list[str]:
    """The string constants ``node`` can evaluate to (a literal, or either branch of an
    ``a if c else b``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def sandbox_error_codes() -> dict[str, str]:
    """code -> where: the ``code=`` arguments, ``card_error``'s and ``Decline``'s codes."""
    found: dict[str, str] = {}
    for path in sorted(SANDBOX.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg == "code"]
            name = getattr(node.func, "id", None)
            if name in ("card_error", "Decline") and len(node.args) > (name == "card_error"):
                values.append(node.args[1 if name == "card_error" else 0])
            for value in values:
                for code in _strings(value):
                    found.setdefault(code, f"{path.name}:{node.lineno}")
    return found


def test_the_sandbox_answers_only_stripe_error_codes() -> None:
    stripe_codes = enum_values(fields(PaymentIntent.LastPaymentError)["code"])
    used = sandbox_error_codes()
    assert {"resource_missing", "card_declined"} <= set(used)  # the scan finds codes
    assert {code: where for code, where in used.items() if code not in stripe_codes} == {}
