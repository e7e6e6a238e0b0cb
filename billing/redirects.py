"""Return URLs we hand to Stripe (checkout, billing portal): only to hosts the
deployment allows, or into the deployment's mobile apps by their URL schemes, so
billgraph can't be used as an open redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from billing.errors import BillingError, ErrorCode

MAX_URL_LENGTH = 2048


def check_redirect_url(
    url: str, field: str, allowed_hosts: tuple[str, ...], app_schemes: tuple[str, ...] = ()
) -> str:
    """An absolute http(s) URL on an allowed host, or a URL of one of the
    deployment's app schemes (``myapp://billing/done``: the app itself opens it),
    so checkout can't be used as an open redirect. Backslashes, whitespace and
    control characters are refused: browsers read ``https://evil\\@localhost``
    as a path on ``evil``."""
    if not url or len(url) > MAX_URL_LENGTH:
        raise BillingError(
            ErrorCode.INVALID_INPUT, f"{field} must be 1 to {MAX_URL_LENGTH} characters.", field
        )
    if any(c == "\\" or c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise BillingError(
            ErrorCode.INVALID_INPUT, f"{field} contains characters a URL may not hold.", field
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise BillingError(ErrorCode.INVALID_INPUT, f"{field} is not a valid URL.", field) from None
    if parts.scheme in app_schemes:
        return url
    if parts.scheme not in ("http", "https") or not host:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            f"{field} must be an absolute http(s) URL, or use an app scheme of "
            "ALLOWED_REDIRECT_SCHEMES.",
            field,
        )
    if host.lower().rstrip(".") not in {h.lower() for h in allowed_hosts}:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            f"{field} must point to an allowed host (ALLOWED_REDIRECT_HOSTS); {host} is not one.",
            field,
        )
    return url
