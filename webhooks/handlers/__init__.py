"""Importing this package registers every handler."""

from webhooks.handlers import catalog, checkout, customers, payments, subscriptions

__all__ = ["catalog", "checkout", "customers", "payments", "subscriptions"]
