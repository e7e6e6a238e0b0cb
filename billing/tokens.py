"""Who is calling: JWT bearer tokens issued by the application.

Verification is strict on purpose: one algorithm per deployment (HS256 with a
shared secret or RS256 with a public key, never ``none``), ``exp`` required,
``aud``/``iss`` enforced when configured.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import jwt

from billing.settings import Settings


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated principal. ``user_id`` is the application's user id."""

    user_id: str
    email: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def is_privileged(self) -> bool:
        """Admins and services may act for any user."""
        return bool(self.roles & {Role.ADMIN, Role.SERVICE})

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


class InvalidToken(Exception):
    """The bearer token is unusable; the message says why, without the token."""


def _verification_key(settings: Settings) -> tuple[str, str]:
    if settings.jwt_public_key:
        return settings.jwt_public_key, "RS256"
    if settings.jwt_secret:
        return settings.jwt_secret.get_secret_value(), "HS256"
    raise InvalidToken("token verification is not configured (JWT_SECRET or JWT_PUBLIC_KEY)")


LEEWAY = 5  # seconds past ``exp`` a token is still accepted (clock skew)


def verify_token(token: str, settings: Settings) -> Caller:
    return _verified(token, settings, time.time())[0]


def _verified(token: str, settings: Settings, now: float) -> tuple[Caller, float]:
    """The caller and the token's ``exp``; ``exp`` is checked against ``now``."""
    key, algorithm = _verification_key(settings)
    options: dict[str, object] = {
        "require": ["exp", "sub"],
        "verify_aud": bool(settings.jwt_audience),
        "verify_exp": False,  # checked below against ``now`` (an injectable clock)
    }
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options=options,  # type: ignore[arg-type]
            leeway=LEEWAY,
        )
    except jwt.InvalidAudienceError:
        raise InvalidToken("token audience not accepted") from None
    except jwt.InvalidIssuerError:
        raise InvalidToken("token issuer not accepted") from None
    except jwt.InvalidSignatureError:
        raise InvalidToken("token signature invalid") from None
    except jwt.InvalidAlgorithmError:
        raise InvalidToken(f"token algorithm not accepted (expected {algorithm})") from None
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"token lacks the {exc.claim!r} claim") from None
    except jwt.PyJWTError:
        raise InvalidToken("token malformed") from None
    expires = claims["exp"]
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        raise InvalidToken("token malformed")
    if now > expires + LEEWAY:
        raise InvalidToken("token expired")
    return _caller_from_claims(claims), float(expires)


class VerifiedTokens:
    """Verified tokens kept until their ``exp``, so a client's repeated token
    costs a dict lookup instead of an HMAC or RSA check (~40 us a request).

    Only a token that passed every check is kept, with the caller its claims
    gave; it is answered from here only while ``clock()`` is before its
    ``exp`` (never in the leeway after it: past ``exp`` the token is verified
    again, and refused once the leeway is over). At most ``maxsize`` tokens
    are kept, the oldest dropped first. The settings (keys, audience, issuer)
    are fixed for the life of the process, so nothing else can invalidate an
    entry.
    """

    def __init__(
        self, settings: Settings, clock: Callable[[], float] = time.time, maxsize: int = 10_000
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.maxsize = maxsize
        self._entries: dict[str, tuple[Caller, float]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def verify(self, token: str) -> Caller:
        now = self.clock()
        entry = self._entries.get(token)
        if entry is not None:
            if now < entry[1]:
                return entry[0]
            del self._entries[token]
        caller, expires = _verified(token, self.settings, now)
        if now < expires:
            if len(self._entries) >= self.maxsize:
                del self._entries[next(iter(self._entries))]
            self._entries[token] = (caller, expires)
        return caller


def _caller_from_claims(claims: dict[str, object]) -> Caller:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise InvalidToken("token 'sub' must be a non-empty string")
    email = claims.get("email")
    raw_roles = claims.get("roles") or []
    if not isinstance(raw_roles, list) or not all(isinstance(r, str) for r in raw_roles):
        raise InvalidToken("token 'roles' must be a list of strings")
    # Roles of other services sharing the issuer are not ours: ignored.
    roles = frozenset(Role(r) for r in raw_roles if r in Role._value2member_map_)
    return Caller(user_id=sub, email=email if isinstance(email, str) else None, roles=roles)


def mint_token(
    settings: Settings,
    subject: str,
    *,
    email: str | None = None,
    roles: tuple[Role, ...] = (),
    ttl_seconds: int = 3600,
) -> str:
    """A development token signed with JWT_SECRET (RS256 deployments mint elsewhere)."""
    if settings.jwt_secret is None:
        raise InvalidToken("JWT_SECRET is not set: cannot mint tokens")
    now = int(time.time())
    claims: dict[str, object] = {"sub": subject, "iat": now, "exp": now + ttl_seconds}
    if email:
        claims["email"] = email
    if roles:
        claims["roles"] = [r.value for r in roles]
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")
