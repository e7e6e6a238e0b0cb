"""Importing this package registers every handler."""

from webhooks.handlers import catalog, subscriptions

__all__ = ["catalog", "subscriptions"]
