"""Importing this package registers every handler."""

from webhooks.handlers import catalog, payments

__all__ = ["catalog", "payments"]
