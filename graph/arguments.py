"""Optional arguments the contract declares without a default."""

from __future__ import annotations

from typing import TypeVar

from strawberry import UNSET

T = TypeVar("T")


def given(value: T | None) -> T | None:
    """An omitted argument as None. Such arguments default to UNSET so the
    exported schema shows no default, exactly as the contract declares them."""
    return None if value is UNSET else value
