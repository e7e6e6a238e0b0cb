"""Logging for ``billgraph serve``: billgraph's INFO lines (refusals, webhooks)
and uvicorn's, as text or, with LOG_FORMAT=json, one JSON object per line
carrying the request id, operation and user id of the request that logged it.

Whatever the format, a line never carries a bearer token, a Stripe key, a
webhook secret or a card number: GraphQL's own messages quote the values a
client sent (``Int cannot represent non-integer value: "4242 ..."``), so the
formatter masks them wherever they appear rather than trusting every caller.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from billing.request_log import CURRENT
from billing.settings import Settings

_SECRETS = re.compile(
    r"\beyJ[\w-]*\.[\w-]*\.[\w-]*"  # a JWT
    r"|\b(?:sk|rk|pk)_(?:live|test)_\w+|\bwhsec_\w+"  # Stripe keys, webhook secrets
    r"|(?i:(?<=bearer )[\w.~+/=-]+)"  # whatever follows "Bearer "
)
_DIGITS = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")


def _luhn(number: str) -> bool:
    digits = [int(c) for c in reversed(number) if c.isdigit()]
    doubled = [d * 2 - 9 if d * 2 > 9 else d * 2 for d in digits[1::2]]
    return (sum(digits[0::2]) + sum(doubled)) % 10 == 0


def redact(text: str) -> str:
    """Mask tokens, secrets and anything that checks out as a card number."""
    text = _SECRETS.sub("[redacted]", text)
    return _DIGITS.sub(lambda m: "[card]" if _luhn(m.group()) else m.group(), text)


class PlainFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request = CURRENT.get()
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request.request_id if request else None,
            "operation": request.operation if request else None,
            "user_id": request.user_id if request else None,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps({k: redact(v) if isinstance(v, str) else v for k, v in entry.items()})


def log_config(settings: Settings) -> dict[str, Any]:
    """uvicorn's ``log_config``: applied in every worker process."""
    formatter = "json" if settings.log_format == "json" else "plain"
    handler = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"()": PlainFormatter},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {"billgraph": handler, "uvicorn": handler},
        "root": {"handlers": ["default"], "level": "WARNING"},
    }
