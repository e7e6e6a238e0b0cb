"""The GraphiQL page works offline: no external host, every asset served and intact."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import strawberry
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message

from server.graphiql import OfflineGraphQL, graphiql_routes
from server.graphiql_assets import FETCH_COMMAND, AssetError, fetch_assets, parse_assets

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
MEDIA_TYPES = {"script": "text/javascript", "link": "text/css"}


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def make_app(routes: list[BaseRoute]) -> Starlette:
    schema = strawberry.Schema(query=Query)
    return Starlette(routes=[*routes, Route("/graphql", OfflineGraphQL(schema))])


@pytest.fixture(scope="module")
def app() -> Starlette:
    fetch_assets()  # no-op (no network) once `make` has fetched them
    return make_app(graphiql_routes())


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://billgraph") as client:
        yield client


async def get_page(client: httpx.AsyncClient) -> str:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


class AssetTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str, str]] = []  # (tag, url, integrity)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.assets.append((tag, found["src"] or "", found.get("integrity") or ""))
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.assets.append((tag, found.get("href") or "", found.get("integrity") or ""))


async def test_page_names_no_external_host(client: httpx.AsyncClient) -> None:
    page = await get_page(client)
    absolute = set(re.findall(r"https?://[^\s\"'<>%]+", page))
    assert absolute <= {SVG_NAMESPACE}  # the inline favicon's XML namespace, never fetched
    assert "//unpkg" not in page


async def test_every_asset_is_served_intact(client: httpx.AsyncClient) -> None:
    page = await get_page(client)
    tags = AssetTags()
    tags.feed(page)
    assert {tag for tag, _, _ in tags.assets} == {"script", "link"}
    assert len(tags.assets) == page.count("integrity=")
    for tag, url, integrity in tags.assets:
        assert url.startswith("/graphiql/assets/"), url
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(MEDIA_TYPES[tag]), url
        assert "immutable" in response.headers["cache-control"]
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert integrity == f"sha384-{digest}", url


@pytest.mark.parametrize(
    "path",
    [
        "/graphiql/assets/%2e%2e/%2e%2e/pyproject.toml",
        "/graphiql/assets/..%2f..%2fpyproject.toml",
        "/graphiql/assets/%2E%2E%2F%2E%2E%2Fpyproject.toml",
        "/graphiql/assets/react@18.2.0/..%2f..%2f..%2fpyproject.toml",
        "/graphiql/assets/%2fetc%2fpasswd",
        "/graphiql/assets/react@18.2.0/package.json",
        "/graphiql/assets/react@18.2.0/umd/",
        "/graphiql/assets/",
    ],
)
async def test_encoded_traversal_and_unknown_files_are_404(
    client: httpx.AsyncClient, path: str
) -> None:
    assert (await client.get(path)).status_code == 404


async def raw_status(app: ASGIApp, path: str) -> int:
    """GET with a literal path: httpx would resolve the dot segments before sending."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"billgraph")],
        "server": ("billgraph", 80),
        "client": ("127.0.0.1", 1234),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(sent[0]["status"])


@pytest.mark.parametrize(
    "path",
    [
        "/graphiql/assets/../../pyproject.toml",
        "/graphiql/assets/react@18.2.0/../../../pyproject.toml",
        "/graphiql/assets/react@18.2.0/umd/../../../../server/graphiql.py",
    ],
)
async def test_literal_traversal_is_404(app: Starlette, path: str) -> None:
    assert await raw_status(app, path) == 404


async def test_missing_assets_warn_once_and_page_renders(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="server.graphiql"):
        app = make_app(graphiql_routes(tmp_path))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://billgraph") as client:
            page = await get_page(client)
            await get_page(client)
            asset = re.search(r'src="(/graphiql/assets/[^"]+)"', page)
            assert asset is not None
            assert (await client.get(asset[1])).status_code == 404
    warnings = [r.getMessage() for r in caplog.records if r.name == "server.graphiql"]
    assert len(warnings) == 1
    assert FETCH_COMMAND in warnings[0]


@pytest.mark.parametrize(
    "html",
    [
        "<html></html>",
        '<script src="https://unpkg.com/react/umd/react.js" integrity="sha384-AAAA"></script>',
        '<script src="https://unpkg.com/react@18.2.0/umd/react.js"></script>',
        '<script src="https://unpkg.com/react@18.2.0/../x.js" integrity="sha384-AAAA"></script>',
        '<link rel="stylesheet" href="https://fonts.example/x.css" integrity="sha384-AAAA">',
        '<script src="https://unpkg.com/react@18.2.0/a.js" integrity="sha384-AAAA"></script>'
        '<img src="https://tracker.example/pixel.gif">',
    ],
)
def test_unexpected_page_shapes_fail_clearly(html: str) -> None:
    with pytest.raises(AssetError):
        parse_assets(html)
