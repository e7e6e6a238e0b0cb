"""Bearer-token verification and the UNAUTHENTICATED / FORBIDDEN errors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from billing.tokens import LEEWAY, InvalidToken, Role, VerifiedTokens
from tests.conftest import JWT_SECRET, LiveServer, bearer, make_settings, start_server

ME = "{ me { userId email roles } }"
SERVICE_INFO = "{ serviceInfo { stripeMode database } }"


@pytest.fixture
async def server(db) -> AsyncIterator[LiveServer]:
    live = await start_server(make_settings(jwt_audience="billgraph", jwt_issuer="https://app"))
    yield live
    await live.stop()


def _token(secret: str = JWT_SECRET, **claims: object) -> str:
    now = int(time.time())
    body = {"sub": "user-1", "exp": now + 60, "aud": "billgraph", "iss": "https://app", **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, secret, algorithm="HS256")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _code(body: dict) -> str:
    assert body["data"] is None
    return body["errors"][0]["extensions"]["code"]


async def test_valid_token_identifies_the_caller(server: LiveServer) -> None:
    body = await server.gql(ME, headers={"Authorization": f"Bearer {_token(email='a@b.c')}"})
    assert body["data"]["me"] == {"userId": "user-1", "email": "a@b.c", "roles": []}


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "Authentication required"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Bearer"),
        ({"Authorization": "Bearer not-a-jwt"}, "malformed"),
    ],
)
async def test_missing_or_malformed_token(server: LiveServer, headers, reason) -> None:
    body = await server.gql(ME, headers=headers)
    assert _code(body) == "UNAUTHENTICATED"
    assert reason in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": int(time.time()) - 60}, "expired"),
        ({"aud": "someone-else"}, "audience"),
        ({"aud": None}, "aud"),
        ({"iss": "https://evil"}, "issuer"),
        ({"exp": None}, "exp"),
    ],
)
async def test_rejected_claims(server: LiveServer, claims, reason) -> None:
    body = await server.gql(ME, headers={"Authorization": f"Bearer {_token(**claims)}"})
    assert _code(body) == "UNAUTHENTICATED"
    assert reason in body["errors"][0]["message"]


@pytest.mark.parametrize("roles", [[["admin"]], [{"admin": True}], "admin", [1]])
async def test_roles_that_are_not_a_list_of_strings(server: LiveServer, roles) -> None:
    body = await server.gql(ME, headers={"Authorization": f"Bearer {_token(roles=roles)}"})
    assert _code(body) == "UNAUTHENTICATED"
    assert "'roles' must be a list of strings" in body["errors"][0]["message"]


async def test_roles_of_other_services_are_ignored(server: LiveServer) -> None:
    token = _token(roles=["admin", "billing-viewer"])
    body = await server.gql(ME, headers={"Authorization": f"Bearer {token}"})
    assert body["data"]["me"]["roles"] == ["admin"]


async def test_wrong_signature(server: LiveServer) -> None:
    forged = _token(secret="another-secret-" + "y" * 40)
    body = await server.gql(ME, headers={"Authorization": f"Bearer {forged}"})
    assert _code(body) == "UNAUTHENTICATED"
    assert "signature" in body["errors"][0]["message"]


async def test_alg_none_is_refused(server: LiveServer) -> None:
    def part(data: dict) -> str:
        return _b64(json.dumps(data).encode())

    claims = {"sub": "admin", "roles": ["admin"], "exp": int(time.time()) + 60}
    claims |= {"aud": "billgraph", "iss": "https://app"}
    unsigned = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
    body = await server.gql(SERVICE_INFO, headers={"Authorization": f"Bearer {unsigned}"})
    assert _code(body) == "UNAUTHENTICATED"


async def test_user_token_on_admin_field_is_forbidden(db) -> None:
    live = await start_server(make_settings())
    try:
        user = await live.gql(SERVICE_INFO, headers=bearer("user-1"))
        admin = await live.gql(SERVICE_INFO, headers=bearer("boss", roles=(Role.ADMIN,)))
        service = await live.gql(SERVICE_INFO, headers=bearer("svc", roles=(Role.SERVICE,)))
    finally:
        await live.stop()
    assert _code(user) == "FORBIDDEN"
    assert _code(service) == "FORBIDDEN"  # services act for users; they don't operate billgraph
    assert admin["data"]["serviceInfo"]["database"] in {"sqlite", "postgres"}


async def test_rs256_public_key(db) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    live = await start_server(make_settings(jwt_secret=None, jwt_public_key=public_pem))
    try:
        good = jwt.encode({"sub": "u-rs", "exp": int(time.time()) + 60}, private, algorithm="RS256")
        ok = await live.gql(ME, headers={"Authorization": f"Bearer {good}"})
        # Algorithm confusion: an HS256 token "signed" with the public key must fail.
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = _b64(json.dumps({"sub": "u-rs", "exp": int(time.time()) + 60}).encode())
        mac = hmac.new(public_pem.encode(), f"{header}.{claims}".encode(), hashlib.sha256)
        forged = f"{header}.{claims}.{_b64(mac.digest())}"
        bad = await live.gql(ME, headers={"Authorization": f"Bearer {forged}"})
    finally:
        await live.stop()
    assert ok["data"]["me"]["userId"] == "u-rs"
    assert _code(bad) == "UNAUTHENTICATED"


# ------------------------------------------------------------ verified tokens


class Clock:
    """Seconds since the epoch, set by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _tokens(clock: Clock, maxsize: int = 100) -> VerifiedTokens:
    return VerifiedTokens(
        make_settings(jwt_audience="billgraph", jwt_issuer="https://app"), clock, maxsize
    )


def test_a_cached_token_is_refused_once_it_expired() -> None:
    issued = _token()  # exp: 60 s from now
    expires = jwt.decode(issued, options={"verify_signature": False})["exp"]
    clock = Clock(expires - 30)
    tokens = _tokens(clock)
    first = tokens.verify(issued)
    assert tokens.verify(issued) is first  # answered from the cache
    clock.now = expires  # at exp the cache no longer answers: verified again
    again = tokens.verify(issued)  # (still inside the 5 s leeway)
    assert again == first and again is not first
    clock.now = expires + LEEWAY + 1
    with pytest.raises(InvalidToken, match="token expired"):
        tokens.verify(issued)
    assert len(tokens) == 0


def test_refused_tokens_are_not_cached() -> None:
    tokens = _tokens(Clock(time.time()))
    for bad in (
        _token(secret="x" * 40),
        _token(aud="someone-else"),
        _token(exp=int(time.time()) - 60),
    ):
        for _ in range(2):
            with pytest.raises(InvalidToken):
                tokens.verify(bad)
    assert len(tokens) == 0


def test_the_cache_is_bounded() -> None:
    tokens = _tokens(Clock(time.time()), maxsize=3)
    issued = [_token(sub=f"user-{n}") for n in range(5)]
    callers = [tokens.verify(t) for t in issued]
    assert len(tokens) == 3
    assert tokens.verify(issued[4]) is callers[4]  # the newest stayed
    assert tokens.verify(issued[0]) is not callers[0]  # the oldest was dropped
    assert len(tokens) == 3
