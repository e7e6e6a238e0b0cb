"""Configuration from the environment (and ``.env``), validated once at start.

Every problem is reported as a ``ConfigError`` naming the variable, so a bad
deploy fails with one readable line instead of a traceback at first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import limits
from pydantic import (
    NonNegativeFloat,
    NonNegativeInt,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from billing.errors import ConfigError

CommaList = Annotated[tuple[str, ...], NoDecode]

_STRIPE_HOSTS = {"api.stripe.com"}
_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
# RFC 3986's scheme syntax; the schemes a browser would run or load instead of handing the
# URL to an app (http and https are allowed per host: ALLOWED_REDIRECT_HOSTS).
_APP_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*")
_WEB_SCHEMES = frozenset(
    ("http", "https", "javascript", "data", "file", "vbscript", "blob", "about", "ftp", "ws",
     "wss", "filesystem")
)  # fmt: skip


def _split(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    database_url: str = "sqlite://billgraph.sqlite3"
    stripe_secret_key: SecretStr | None = None
    stripe_api_base: str | None = None
    stripe_webhook_secret: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    jwt_secret: SecretStr | None = None
    jwt_public_key: str | None = None
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    billgraph_catalog: Path | None = None
    billgraph_currencies: CommaList = ("usd", "eur", "gbp", "inr")
    cors_origins: CommaList = ()
    allowed_redirect_hosts: CommaList = ("localhost",)
    # How long one Stripe request may take, and how often a failed one is
    # retried (Stripe's SDK retries only what is safe to retry).
    stripe_timeout: float = 20.0
    stripe_max_network_retries: int = 2
    # A Stripe call inside a database transaction is a bug (a slow Stripe
    # would hold locks): "log" it in production, "raise" in tests.
    stripe_in_transaction: Literal["log", "raise"] = "log"
    # Mobile apps' own URL schemes (myapp://...), allowed in return URLs with any path.
    allowed_redirect_schemes: CommaList = ()
    # None: on, except with a live Stripe key (see ``introspection``).
    graphql_introspection: bool | None = None
    # Live mode refuses notification endpoints on loopback/private addresses unless set.
    notification_allow_private: bool = False
    # credits.low fires when a decrease takes a balance under this.
    credits_low_threshold: NonNegativeInt = 10
    # Relayed outbox events are deleted after this many days (deliveries stay).
    outbox_retention_days: int = 30
    # The longest a server uses a cached entitlement (a user's plan and period)
    # after reading it; subscription changes made through billgraph drop it at
    # once (billing.entitlements). 0: no cache.
    entitlement_cache_seconds: NonNegativeFloat = 5.0
    # Budgets per operation class ("N per [M] second|minute|hour|day"), counted per
    # caller in memory:// or, shared by every process, in redis://HOST:PORT/DB.
    rate_limit_enabled: bool = True
    rate_limit_storage: str = "memory://"
    rate_limit_payments: str = "30 per 15 minutes"
    rate_limit_checkout: str = "30 per 15 minutes"
    rate_limit_subscriptions: str = "30 per 15 minutes"
    rate_limit_refunds: str = "30 per 15 minutes"
    rate_limit_usage: str = "600 per minute"
    rate_limit_credits: str = "120 per minute"
    rate_limit_default: str = "300 per minute"
    rate_limit_anonymous: str = "60 per minute"
    # /metrics: with a bearer token on the API's port, or on a loopback-only port.
    metrics_token: SecretStr | None = None
    metrics_port: int | None = None
    log_format: Literal["plain", "json"] = "plain"

    @field_validator("cors_origins", "allowed_redirect_hosts", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split(value)

    @field_validator("allowed_redirect_schemes", mode="before")
    @classmethod
    def _app_schemes(cls, value: object) -> object:
        items = _split(value)
        if isinstance(items, tuple):
            items = tuple(scheme.lower() for scheme in items)
            wrong = [s for s in items if not _APP_SCHEME.fullmatch(s) or s in _WEB_SCHEMES]
            if wrong:
                raise ValueError(
                    f"{wrong[0]!r} is not an app URL scheme (letters, digits, + - .; "
                    "web schemes such as http, https, javascript, data or file are refused)"
                )
        return items

    @field_validator("billgraph_currencies", mode="before")
    @classmethod
    def _currencies(cls, value: object) -> object:
        items = _split(value)
        if isinstance(items, tuple):
            if not items or not all(len(c) == 3 and c.isalpha() for c in items):
                raise ValueError("expected comma-separated ISO-4217 codes, e.g. usd,eur")
            return tuple(c.lower() for c in items)
        return items

    @field_validator("stripe_webhook_secret", mode="before")
    @classmethod
    def _webhook_secrets(cls, value: object) -> object:
        items = _split(value)
        if isinstance(items, tuple) and not all(s.startswith("whsec_") for s in items):
            raise ValueError("every secret must start with whsec_")
        return items

    @field_validator("stripe_timeout")
    @classmethod
    def _stripe_timeout(cls, value: float) -> float:
        if not 0 < value <= 600:
            raise ValueError("expected seconds between 0 and 600, e.g. 20")
        return value

    @field_validator("stripe_max_network_retries")
    @classmethod
    def _stripe_retries(cls, value: int) -> int:
        if not 0 <= value <= 10:
            raise ValueError("expected a number of retries from 0 to 10")
        return value

    @field_validator("outbox_retention_days")
    @classmethod
    def _retention(cls, value: int) -> int:
        if not 1 <= value <= 3650:
            raise ValueError("expected a number of days from 1 to 3650, e.g. 30")
        return value

    @field_validator(
        "rate_limit_payments",
        "rate_limit_checkout",
        "rate_limit_subscriptions",
        "rate_limit_refunds",
        "rate_limit_usage",
        "rate_limit_credits",
        "rate_limit_default",
        "rate_limit_anonymous",
    )
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        try:
            limits.parse(value)
        except ValueError:
            raise ValueError(
                'expected "N per [M] second|minute|hour|day", e.g. 30 per 15 minutes'
            ) from None
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _rate_limit_storage(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if value != "memory://" and scheme not in {"redis", "rediss"}:
            raise ValueError("expected memory:// or redis://HOST:PORT/DB (rediss:// for TLS)")
        return value

    @field_validator("metrics_token")
    @classmethod
    def _metrics_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @field_validator("metrics_port")
    @classmethod
    def _metrics_port(cls, value: int | None) -> int | None:
        if value is not None and not 0 < value < 65536:
            raise ValueError("expected a TCP port from 1 to 65535")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in {"sqlite", "postgres", "postgresql", "asyncpg"}:
            raise ValueError("expected sqlite://PATH or postgres://USER:PASS@HOST:PORT/DB")
        return value

    @field_validator("stripe_secret_key")
    @classmethod
    def _secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("sk_test_", "sk_live_", "rk_test_", "rk_live_")
        ):
            raise ValueError("must be a Stripe secret key (sk_test_..., sk_live_... or rk_...)")
        return value

    @field_validator("stripe_api_base")
    @classmethod
    def _api_base(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("expected an http(s) URL such as http://127.0.0.1:12111")
        return value.rstrip("/")

    @field_validator("jwt_secret")
    @classmethod
    def _jwt_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters for HS256")
        return value

    @field_validator("jwt_public_key")
    @classmethod
    def _jwt_public_key(cls, value: str | None) -> str | None:
        if value is not None and "BEGIN PUBLIC KEY" not in value:
            raise ValueError("expected a PEM public key (-----BEGIN PUBLIC KEY-----)")
        return value

    @field_validator("billgraph_catalog")
    @classmethod
    def _catalog(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> Settings:
        key = self.stripe_secret_key.get_secret_value() if self.stripe_secret_key else ""
        host = urlsplit(self.stripe_api_base).hostname if self.stripe_api_base else None
        if "_live_" in key and host is not None and host not in _STRIPE_HOSTS:
            raise ValueError(
                "STRIPE_SECRET_KEY: a live key may only be sent to api.stripe.com, "
                f"not to STRIPE_API_BASE host {host}"
            )
        if self.jwt_secret is not None and self.jwt_public_key is not None:
            raise ValueError("JWT_SECRET: set either JWT_SECRET or JWT_PUBLIC_KEY, not both")
        return self

    @property
    def sandbox_mode(self) -> bool:
        """No Stripe key: run against the local sandbox (development only)."""
        return self.stripe_secret_key is None

    @property
    def stripe_mode(self) -> str:
        """sandbox (a Stripe-compatible server on this machine), test or live.

        A test key sent to another host (a proxy, a shared staging mock) is
        "test": sandbox mode opens CORS to local dev origins, which only
        makes sense when the whole stack runs on a developer's machine."""
        host = urlsplit(self.stripe_api_base).hostname if self.stripe_api_base else None
        if self.sandbox_mode or host in _LOOPBACK_HOSTS:
            return "sandbox"
        key = self.stripe_secret_key.get_secret_value() if self.stripe_secret_key else ""
        return "live" if "_live_" in key else "test"

    @property
    def introspection(self) -> bool:
        """Schema introspection and GraphiQL: GRAPHQL_INTROSPECTION, else on
        unless real money is at stake (a live key)."""
        if self.graphql_introspection is not None:
            return self.graphql_introspection
        return self.stripe_mode != "live"

    @property
    def rate_limits(self) -> dict[str, str]:
        """Operation class -> budget (billing/ratelimits.py names the classes)."""
        prefix = "rate_limit_"
        return {
            name.removeprefix(prefix): getattr(self, name)
            for name in type(self).model_fields
            if name.startswith(prefix) and name not in {"rate_limit_enabled", "rate_limit_storage"}
        }

    @property
    def dialect(self) -> str:
        return "sqlite" if self.database_url.startswith("sqlite") else "postgres"


def load_settings(**overrides: object) -> Settings:
    """Read and validate; raise ConfigError naming the first bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = error.get("loc") or ()
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if loc:
            raise ConfigError(str(loc[0]).upper(), message) from None
        variable, _, rest = message.partition(": ")
        if rest and variable.isupper():
            raise ConfigError(variable, rest) from None
        raise ConfigError("CONFIG", message) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
