"""Importing this package registers every handler."""

from webhooks.handlers import catalog

__all__ = ["catalog"]
