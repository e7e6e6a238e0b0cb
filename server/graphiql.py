"""GraphiQL served by billgraph itself, for machines without internet access.

strawberry's page loads its scripts and styles from unpkg; here the page points
at the copies ``python -m server.graphiql_assets`` stored at install time.  The
integrity attributes are kept, so the browser still checks every byte.

Wiring, in the app factory::

    routes = [*graphiql_routes(), Route("/graphql", OfflineGraphQL(schema))]
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from strawberry.asgi import GraphQL
from strawberry.http.ides import get_graphql_ide_html

from server.graphiql_assets import ASSET_DIR, FETCH_COMMAND, graphiql_assets

ASSET_URL_PREFIX = "/graphiql/assets"

# Paths carry the package version and content is pinned by hash: cache for a year.
_CACHE_CONTROL = "public, max-age=31536000, immutable"
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}

logger = logging.getLogger(__name__)


@functools.cache
def offline_graphiql_html() -> str:
    """strawberry's GraphiQL page with every unpkg URL pointing at our own routes."""
    html = get_graphql_ide_html("graphiql")
    for asset in graphiql_assets():
        html = html.replace(asset.url, f"{ASSET_URL_PREFIX}/{asset.relpath}")
    return html


class OfflineGraphQL(GraphQL[Any, Any]):
    """strawberry's ASGI app rendering the offline GraphiQL page.

    Any enabled ``graphql_ide`` renders GraphiQL: the other IDEs need their CDNs.
    ``graphql_ide=None`` still disables the page.
    """

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(offline_graphiql_html())


def graphiql_routes(asset_dir: Path = ASSET_DIR) -> list[BaseRoute]:
    """Routes serving exactly the page's assets from asset_dir, nothing else.

    Requests are looked up in the page's asset list rather than mapped onto the
    filesystem, so no path can reach a file outside the folder.
    """
    assets = {asset.relpath: asset for asset in graphiql_assets()}
    offline_graphiql_html()  # built once here rather than on the first page view
    missing = [relpath for relpath, asset in assets.items() if not asset.is_fetched(asset_dir)]
    if missing:
        logger.warning(
            "GraphiQL assets missing or corrupt in %s (%s): the GraphiQL page will not "
            "load until you run `%s`",
            asset_dir,
            ", ".join(missing),
            FETCH_COMMAND,
        )

    async def serve_asset(request: Request) -> Response:
        relpath = request.path_params["path"]
        file = asset_dir / relpath if relpath in assets else None
        if file is None or not file.is_file():
            return PlainTextResponse("Not Found", status_code=404)
        return FileResponse(
            file,
            media_type=_MEDIA_TYPES.get(file.suffix, "application/octet-stream"),
            headers={"Cache-Control": _CACHE_CONTROL, "X-Content-Type-Options": "nosniff"},
        )

    return [Route(f"{ASSET_URL_PREFIX}/{{path:path}}", serve_asset, methods=["GET", "HEAD"])]
