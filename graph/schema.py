"""The schema: every query and mutation type merged, with its extensions."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from graph.account import AccountQuery
from graph.catalog import CatalogQuery
from graph.extensions import schema_extensions

Query = merge_types("Query", (CatalogQuery, AccountQuery))

schema = strawberry.Schema(query=Query, extensions=schema_extensions())
