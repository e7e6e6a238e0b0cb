"""GraphiQL's browser assets, fetched from the npm registry at install time.

strawberry's GraphiQL page loads pinned files from the unpkg CDN, which billgraph's
machines cannot reach.  This module reads those URLs and their SRI hashes from the
installed strawberry page, so a strawberry upgrade picks up new versions by itself,
and downloads the same files from the npm registry into a gitignored folder.

Run ``python -m server.graphiql_assets`` after ``pip install``; it is idempotent.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import re
import sys
import tarfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import httpx
from strawberry.http.ides import get_graphql_ide_html

ASSET_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
FETCH_COMMAND = "python -m server.graphiql_assets"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"

# Namespace identifiers (the favicon is an inline SVG); browsers never fetch them.
XML_NAMESPACES = frozenset({"http://www.w3.org/2000/svg"})

_UNPKG_URL = re.compile(
    r"https://unpkg\.com/(?P<package>(?:@[\w.-]+/)?[\w.-]+)"
    r"@(?P<version>\d+\.\d+\.\d+[\w.+-]*)/(?P<path>[^?#]+)"
)
_SHA384 = re.compile(r"sha384-[A-Za-z0-9+/]+={0,2}")
# Stops at "%": inside the favicon's data: URI a quote is written "%22".
_ANY_URL = re.compile(r"https?://[^\s\"'<>%]+")


class AssetError(Exception):
    """The assets cannot be located, downloaded or verified."""


@dataclass(frozen=True)
class Asset:
    """One pinned file of the page: where unpkg serves it and its SRI hash."""

    url: str
    package: str
    version: str
    path: str
    integrity: str

    @property
    def relpath(self) -> str:
        """Location under the asset folder and under the served URL prefix."""
        return f"{self.package}@{self.version}/{self.path}"

    def matches(self, data: bytes) -> bool:
        digest = base64.b64encode(hashlib.sha384(data).digest()).decode()
        return self.integrity == f"sha384-{digest}"

    def is_fetched(self, root: Path = ASSET_DIR) -> bool:
        file = root / self.relpath
        return file.is_file() and self.matches(file.read_bytes())


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "link"):
            self.tags.append(dict(attrs))


def parse_assets(html: str) -> list[Asset]:
    """Every external file of the page, refusing anything this module cannot fetch.

    A page with any other absolute URL (a font, a new CDN) fails here, so the
    served page can never silently point the browser at an external host.
    """
    collector = _TagCollector()
    collector.feed(html)
    assets: list[Asset] = []
    for attrs in collector.tags:
        url = attrs.get("src") or attrs.get("href") or ""
        if not url.startswith(("http://", "https://")):
            continue
        match = _UNPKG_URL.fullmatch(url)
        integrity = attrs.get("integrity") or ""
        if match is None or not _SHA384.fullmatch(integrity):
            raise AssetError(
                f"strawberry's GraphiQL page references {url!r} (integrity {integrity!r}); "
                "only pinned https://unpkg.com/<package>@<x.y.z>/<path> URLs with a sha384 "
                "integrity can be served offline: update server/graphiql_assets.py"
            )
        if {".", ".."} & set(PurePosixPath(match["path"]).parts):
            raise AssetError(f"refusing asset path outside its package: {url!r}")
        assets.append(Asset(url, match["package"], match["version"], match["path"], integrity))
    if not assets:
        raise AssetError("no unpkg assets found in strawberry's GraphiQL page: its shape changed")
    known = {asset.url for asset in assets} | XML_NAMESPACES
    unknown = sorted(set(_ANY_URL.findall(html)) - known)
    if unknown:
        raise AssetError(f"strawberry's GraphiQL page references unhandled URLs: {unknown}")
    return assets


@functools.cache
def graphiql_assets() -> tuple[Asset, ...]:
    """The assets of the installed strawberry's page, parsed once."""
    return tuple(parse_assets(get_graphql_ide_html("graphiql")))


def _registry() -> str:
    """The registry from NPM_CONFIG_REGISTRY or ~/.npmrc, as npm would, read without node."""
    if registry := os.environ.get("NPM_CONFIG_REGISTRY"):
        return registry
    npmrc = Path.home() / ".npmrc"
    text = npmrc.read_text() if npmrc.is_file() else ""
    found = re.search(r"^\s*registry\s*=\s*(\S+)", text, re.M)
    return found[1] if found else DEFAULT_REGISTRY


def _download_error(url: str, problem: str) -> AssetError:
    return AssetError(
        f"cannot download {url}: {problem}. Registry in use: {_registry()} "
        "(set with NPM_CONFIG_REGISTRY or registry= in ~/.npmrc)"
    )


def _get(client: httpx.Client, url: str) -> httpx.Response:
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise _download_error(url, repr(exc)) from exc
    if response.is_error:
        raise _download_error(url, f"HTTP {response.status_code}")
    return response


def _fetch_package(client: httpx.Client, package: str, version: str) -> tarfile.TarFile:
    """The package's npm tarball, the same content unpkg serves files from."""
    meta_url = f"{_registry().rstrip('/')}/{quote(package, safe='@')}/{version}"
    try:
        tarball_url = _get(client, meta_url).json()["dist"]["tarball"]
    except (ValueError, KeyError, TypeError) as exc:
        raise AssetError(f"no dist.tarball in npm metadata at {meta_url}") from exc
    try:
        return tarfile.open(fileobj=io.BytesIO(_get(client, tarball_url).content), mode="r:gz")
    except tarfile.TarError as exc:
        raise AssetError(f"unreadable tarball {tarball_url}: {exc}") from exc


def _extract(tar: tarfile.TarFile, asset: Asset) -> bytes:
    # npm tarballs nest files under one top folder, usually "package/".
    for member in tar.getmembers():
        if member.isfile() and member.name.partition("/")[2] == asset.path:
            extracted = tar.extractfile(member)
            if extracted is not None:
                return extracted.read()
    raise AssetError(f"{asset.path} is not in the npm tarball of {asset.package}@{asset.version}")


def fetch_assets(dest: Path = ASSET_DIR) -> list[str]:
    """Download missing or corrupt assets into dest; return the relpaths written.

    Every file is checked against the sha384 strawberry's page pins, so the
    browser's integrity check passes and nothing unverified is ever stored.
    """
    missing = [asset for asset in graphiql_assets() if not asset.is_fetched(dest)]
    by_package: dict[tuple[str, str], list[Asset]] = {}
    for asset in missing:
        by_package.setdefault((asset.package, asset.version), []).append(asset)
    written: list[str] = []
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        for (package, version), assets in by_package.items():
            with _fetch_package(client, package, version) as tar:
                for asset in assets:
                    data = _extract(tar, asset)
                    if not asset.matches(data):
                        raise AssetError(
                            f"{asset.relpath} from the npm registry does not match "
                            f"strawberry's pinned {asset.integrity}; refusing to store it"
                        )
                    target = dest / asset.relpath
                    target.parent.mkdir(parents=True, exist_ok=True)
                    partial = target.with_name(target.name + ".part")
                    partial.write_bytes(data)
                    partial.replace(target)
                    written.append(asset.relpath)
    return written


def main() -> int:
    try:
        written = fetch_assets()
    except AssetError as exc:
        print(f"error: GraphiQL assets: {exc}", file=sys.stderr)
        return 1
    total = len(graphiql_assets())
    print(f"GraphiQL assets in {ASSET_DIR}: {len(written)} fetched, {total - len(written)} cached")
    return 0


if __name__ == "__main__":
    sys.exit(main())
