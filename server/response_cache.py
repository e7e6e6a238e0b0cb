"""Whole-answer cache for public catalog queries (``plans``).

A query is cacheable when it comes without a token, is one ``query``
operation, and selects at its root only fields whose answer is the same for
every caller and depends on nothing but the catalog (``CACHEABLE_ROOTS``).
Its answer is kept under the normalized document (printed AST: spacing and
comments do not matter), the operation name and the variables, labelled with
the catalog version read before it was computed; it is served only while that
version is still current and was checked within the last seconds
(billing/catalog_version.py). Both maps are bounded LRUs.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
)

from billing.catalog_version import CatalogWatch

# Root fields whose answer is public and a function of the catalog alone.
CACHEABLE_ROOTS = frozenset({"plans", "__typename"})
MAX_ANSWERS = 256
MAX_DOCUMENTS = 512
MAX_QUERY_CHARS = 10_000
# Request bodies up to this size are remembered as they are, so a repeated
# request is recognised without decoding its JSON.
MAX_REMEMBERED_BODY = 4096

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A dict that forgets its least recently used entry past ``maxsize``."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        if len(self.items) > self.maxsize:
            self.items.popitem(last=False)

    def __len__(self) -> int:
        return len(self.items)


Key = tuple[str, str | None, str]


@dataclass(frozen=True, slots=True)
class Answer:
    version: tuple[int, int]
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...]
    # The root fields it answers, counted in /metrics on every hit.
    operations: tuple[str, ...]

    def start(self) -> dict[str, Any]:
        """A new ASGI start message (middlewares add headers to the one they get)."""
        return {"type": "http.response.start", "status": 200, "headers": list(self.headers)}


def _normalized(query: str) -> str:
    """The printed document if it is cacheable, else "" (remembered either way)."""
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return ""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or len(document.definitions) != 1:
        return ""
    operation = operations[0]
    if operation.operation is not OperationType.QUERY:
        return ""
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value not in CACHEABLE_ROOTS:
            return ""
    return print_ast(document)


def _roots(document: str) -> tuple[str, ...]:
    operation = parse(document, no_location=True).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    fields = operation.selection_set.selections
    return tuple(
        f.name.value for f in fields if isinstance(f, FieldNode) and f.name.value != "__typename"
    )


class ResponseCache:
    def __init__(self, watch: CatalogWatch) -> None:
        self.watch = watch
        self.answers: Lru[Key, Answer] = Lru(MAX_ANSWERS)
        self.documents: Lru[str, str] = Lru(MAX_DOCUMENTS)
        self.bodies: Lru[bytes, Key | Literal[False]] = Lru(MAX_DOCUMENTS)
        self._probes = tuple(name.encode() for name in CACHEABLE_ROOTS if name != "__typename")

    def key(self, headers: list[tuple[bytes, bytes]], body: bytes) -> Key | None:
        """The cache key of a POSTed GraphQL request, None if it is not cacheable."""
        if not any(probe in body for probe in self._probes):
            return None  # the common case, decided without parsing anything
        for header, value in headers:
            if header == b"authorization" or (
                header == b"content-type" and not value.startswith(b"application/json")
            ):
                return None
        known = self.bodies.get(body)
        if known is not None:
            return known or None
        key = self._parse(body)
        if len(body) <= MAX_REMEMBERED_BODY:
            self.bodies.put(body, key or False)
        return key

    def _parse(self, body: bytes) -> Key | None:
        try:
            payload: Any = json.loads(body)
        except (ValueError, RecursionError):
            return None  # strawberry answers it with its 400
        if not isinstance(payload, dict):
            return None
        query = payload.get("query")
        variables = payload.get("variables")
        name = payload.get("operationName")
        if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
            return None
        if not (variables is None or isinstance(variables, dict)):
            return None
        if not (name is None or isinstance(name, str)):
            return None
        document = self.documents.get(query)
        if document is None:
            document = _normalized(query)
            self.documents.put(query, document)
        if not document:
            return None
        return (document, name, json.dumps(variables or {}, sort_keys=True))

    def get(self, key: Key) -> Answer | None:
        answer = self.answers.get(key)
        if answer is None or answer.version != self.watch.version or not self.watch.fresh():
            return None
        return answer

    def put(
        self, key: Key, version: tuple[int, int], body: bytes, headers: list[tuple[bytes, bytes]]
    ) -> None:
        """Keep an answer computed under ``version`` (read before computing it)
        with its response headers, unless it carries errors."""
        try:
            answer = json.loads(body)
        except ValueError:
            return
        if isinstance(answer, dict) and "errors" not in answer:
            self.answers.put(key, Answer(version, body, tuple(headers), _roots(key[0])))
