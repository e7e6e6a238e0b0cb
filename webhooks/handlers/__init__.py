"""Importing this package registers every handler."""

from webhooks.handlers import catalog, checkout, payments, subscriptions

__all__ = ["catalog", "checkout", "payments", "subscriptions"]
