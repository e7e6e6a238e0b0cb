"""The sandbox's state in a file of its own, so a restarted dev sandbox continues where it
stopped (``billgraph serve`` keeps it beside the dev database).

localstripe's own persistence re-pickles the whole store into one file in the temp dir,
shared by every instance, after every single write. Here each sandbox names its file,
loads it at start, and saves it at most once per ``debounce`` seconds after a request that
may have changed something, and once more at shutdown. Saves are atomic (a new file
renamed over the old one) and private (mode 0600): the state holds customers' emails.
Events no endpoint accepted before the stop are sent again once an endpoint is configured,
as Stripe keeps retrying while a receiver is down.
"""

import asyncio
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from localstripe import resources

from sandbox.idempotency import IdempotencyKeys

logger = logging.getLogger(__name__)

_FORMAT = 1  # bumped when what is pickled changes shape; another format starts empty


class StateFile:
    def __init__(self, path: Path, idempotency: IdempotencyKeys, debounce: float = 1.0) -> None:
        self.path = path
        self._idempotency = idempotency
        self._debounce = debounce
        self._pending: asyncio.TimerHandle | None = None

    def load(self) -> None:
        """Restore the saved state, if any. A file this version cannot read is set aside
        (``.unreadable``) and the sandbox starts empty: billgraph recreates what it misses."""
        try:
            with self.path.open("rb") as file:
                saved = pickle.load(file)  # noqa: S301 - our own file, written by save()
            if saved.get("format") != _FORMAT:
                raise ValueError(f"format {saved.get('format')!r}")
        except FileNotFoundError:
            return
        except Exception as error:  # an old or damaged file must not stop the sandbox
            aside = self.path.with_name(self.path.name + ".unreadable")
            os.replace(self.path, aside)
            logger.warning("sandbox state %s unreadable (%r): moved to %s", self.path, error, aside)
            return
        resources.store.clear()
        resources.store.update(saved["store"])
        self._idempotency.restore(saved["idempotency"])
        logger.info("sandbox state loaded from %s (%d objects)", self.path, len(saved["store"]))

    @staticmethod
    def undelivered() -> list[Any]:
        """The stored events some endpoint has not accepted yet, oldest first."""
        return [
            obj
            for key, obj in resources.store.items()
            if key.startswith("event:") and obj.pending_webhooks > 0
        ]

    def save(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        state: dict[str, Any] = {
            "format": _FORMAT,
            "store": dict(resources.store),
            "idempotency": self._idempotency.snapshot(),
        }
        partial = self.path.with_name(self.path.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.path)

    def changed(self) -> None:
        """Save soon: one save for a burst of writes."""
        if self._pending is None:
            self._pending = asyncio.get_running_loop().call_later(self._debounce, self.save)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Any request but a read may change the state (objects change in place, so watching
        the store's own writes would miss most changes)."""
        try:
            return await handler(request)
        finally:
            if request.method not in {"GET", "HEAD", "OPTIONS"}:
                self.changed()

    async def stop(self, app: web.Application) -> None:
        self.save()
