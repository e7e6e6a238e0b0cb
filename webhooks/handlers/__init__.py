"""Importing this package registers every handler."""

from webhooks.handlers import catalog, payments, subscriptions

__all__ = ["catalog", "payments", "subscriptions"]
