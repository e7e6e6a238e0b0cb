"""The plans file (TOML): the catalog as the operator declares it."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from billing.errors import ConfigError
from billing.money import MAX_AMOUNT

Interval = Literal["month", "year"]
INTERVALS: tuple[Interval, ...] = ("month", "year")
Amount = Annotated[int, Field(ge=1, le=MAX_AMOUNT)]
Limit = int | None


class PlanSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    monthly: Amount | None = None
    yearly: Amount | None = None
    trial_days: int = Field(default=0, ge=0, le=730)
    limits: dict[str, Limit] = Field(default_factory=dict)
    # Credits per unit used beyond a feature's limit (usage goes on, paid in credits).
    overage: dict[str, Annotated[int, Field(ge=1, le=1_000_000)]] = Field(default_factory=dict)
    features: tuple[str, ...] = ()
    credits_per_period: int = Field(default=0, ge=0, le=1_000_000_000)

    @field_validator("limits", mode="before")
    @classmethod
    def _unlimited(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        parsed: dict[str, object] = {}
        for feature, limit in value.items():
            if limit == "unlimited":
                parsed[feature] = None
            elif isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0:
                parsed[feature] = limit
            else:
                raise ValueError(f"limit of {feature!r} must be a whole number >= 0 or 'unlimited'")
        return parsed

    @model_validator(mode="after")
    def _overage_needs_a_limit(self) -> PlanSpec:
        for feature in self.overage:
            if self.limits.get(feature) is None:
                raise ValueError(f"overage of {feature!r} needs a whole-number limit")
        return self

    @property
    def is_free(self) -> bool:
        return self.monthly is None and self.yearly is None

    def amount(self, interval: Interval) -> int | None:
        return self.monthly if interval == "month" else self.yearly


class PackSpec(BaseModel):
    """A credit pack: ``credits`` for ``price`` (minor units of the catalog's currency)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    name: str = Field(min_length=1, max_length=200)
    credits: int = Field(ge=1, le=1_000_000_000)
    price: Amount


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = Field(default="usd", pattern=r"^[a-z]{3}$")
    plans: tuple[PlanSpec, ...]
    packs: tuple[PackSpec, ...] = ()

    @property
    def metered_features(self) -> tuple[str, ...]:
        """Every feature any plan meters, in first-mention order."""
        seen: dict[str, None] = {}
        for plan in self.plans:
            seen.update(dict.fromkeys(plan.limits))
        return tuple(seen)

    @property
    def free_plan(self) -> PlanSpec:
        """The one plan without prices (load_catalog refuses a file with none or two)."""
        return next(plan for plan in self.plans if plan.is_free)

    def limits_of(self, plan: PlanSpec) -> list[dict[str, object]]:
        """All metered features for ``plan``; unlisted ones are not allowed (0)."""
        limits: list[dict[str, object]] = []
        for feature in self.metered_features:
            item: dict[str, object] = {"feature": feature, "limit": plan.limits.get(feature, 0)}
            if feature in plan.overage:
                item["overage_credits"] = plan.overage[feature]
            limits.append(item)
        return limits


def load_catalog(path: Path | None) -> Catalog:
    """Parse and validate; a bad file is a ConfigError naming BILLGRAPH_CATALOG."""
    try:
        if path is None:
            text = resources.files("billing").joinpath("default_catalog.toml").read_text()
        else:
            text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
        plans = raw.get("plans")
        if not isinstance(plans, dict) or not plans:
            raise ConfigError("BILLGRAPH_CATALOG", "the file defines no [plans.<id>] tables")
        packs = raw.get("packs", {})
        if not isinstance(packs, dict):
            raise ConfigError("BILLGRAPH_CATALOG", "packs must be [packs.<id>] tables")
        body = {
            **raw,
            "plans": [{"key": key, **spec} for key, spec in plans.items()],
            "packs": [{"key": key, **spec} for key, spec in packs.items()],
        }
        catalog = Catalog.model_validate(body)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("BILLGRAPH_CATALOG", f"cannot read plans file: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        raise ConfigError("BILLGRAPH_CATALOG", f"{where}: {err['msg']}") from None
    free = [p.key for p in catalog.plans if p.is_free]
    if len(free) != 1:
        raise ConfigError("BILLGRAPH_CATALOG", f"exactly one free plan expected, found {free}")
    return catalog
