"""In-process fan-out of committed domain events to live (WebSocket) streams.

One ``Hub`` per server process. It is fed only with committed events: on
PostgreSQL by the LISTEN connection (NOTIFY is sent in the change's
transaction and delivered on commit, to every process); on SQLite, a single
process, by the relay after it committed. Each stream has a bounded queue:
a consumer that falls ``max_queued`` events behind is cut off (``on_overflow``)
instead of growing memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from billing.events import DomainEvent

MAX_QUEUED = 100


class SlowConsumer(Exception):
    """The stream's queue overflowed: its consumer is disconnected."""


class Stream:
    def __init__(
        self,
        user_id: str,
        types: frozenset[str],
        on_overflow: Callable[[], None],
        max_queued: int,
    ) -> None:
        self.user_id = user_id
        self.types = types
        self.on_overflow = on_overflow
        self.queue: asyncio.Queue[DomainEvent] = asyncio.Queue(max_queued)
        self.overflowed = False

    def offer(self, event: DomainEvent) -> None:
        if self.overflowed or event.user_id != self.user_id or event.type not in self.types:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            self.on_overflow()

    def __aiter__(self) -> Stream:
        return self

    async def __anext__(self) -> DomainEvent:
        if self.overflowed:
            raise SlowConsumer
        return await self.queue.get()


class Hub:
    def __init__(self, max_queued: int = MAX_QUEUED) -> None:
        self.max_queued = max_queued
        self.streams: set[Stream] = set()

    def publish(self, events: Iterable[DomainEvent]) -> None:
        for event in events:
            for stream in list(self.streams):
                stream.offer(event)

    @contextmanager
    def open(
        self, user_id: str, types: Iterable[str], on_overflow: Callable[[], None]
    ) -> Iterator[Stream]:
        stream = Stream(user_id, frozenset(types), on_overflow, self.max_queued)
        self.streams.add(stream)
        try:
            yield stream
        finally:
            self.streams.discard(stream)
