"""schema.graphql, and the guard that keeps the public API compatible with the last release.

``schema/released.graphql`` is the schema of the last release. Clients are built against
it, so ``billgraph schema export --check`` fails on any breaking change from it (graphql-core's
``find_breaking_changes``), not only when schema.graphql drifts from the code. A release
copies schema.graphql over it (docs/releasing.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graphql import GraphQLSchema, build_schema, find_breaking_changes, find_dangerous_changes

if TYPE_CHECKING:
    import strawberry

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema.graphql"
RELEASED_FILE = ROOT / "schema" / "released.graphql"


def export_sdl(schema: strawberry.Schema) -> str:
    """The SDL, with a ``schema { ... }`` block whenever a reader would otherwise guess
    the roots wrong. strawberry omits it while the roots are called Query and Mutation,
    yet an SDL reader then takes any type named ``Subscription`` (ours is a billing
    type) for the subscription root."""
    sdl = schema.as_str()
    roots = _roots(schema._schema)
    if _roots(build_schema(sdl)) != roots:
        lines = "".join(f"  {operation}: {name}\n" for operation, name in roots.items() if name)
        sdl = f"schema {{\n{lines}}}\n\n{sdl}"
    return sdl + "\n"


def _roots(schema: GraphQLSchema) -> dict[str, str | None]:
    types = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }
    return {operation: type_.name if type_ else None for operation, type_ in types.items()}


@dataclass(frozen=True)
class Compatibility:
    breaking: list[str]  # a client of the release can fail: removed field, changed type...
    dangerous: list[str]  # valid, but may surprise a client: a new enum value, a new default...


def compare(released_sdl: str, exported_sdl: str) -> Compatibility:
    """What changes for a client of the released schema if the exported one ships."""
    released, exported = build_schema(released_sdl), build_schema(exported_sdl)
    return Compatibility(
        breaking=[change.description for change in find_breaking_changes(released, exported)],
        dangerous=[change.description for change in find_dangerous_changes(released, exported)],
    )
