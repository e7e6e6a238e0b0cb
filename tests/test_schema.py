"""schema.graphql is what the code exports, and `schema export --check` guards the release.

The guard runs through the CLI against doctored copies of the released schema: what the
release had and the code no longer has (or has with another type) is a breaking change;
what the code adds is not.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import pytest
import strawberry
from graphql import build_schema

from graph.schema import schema
from server.cli import main
from server.schema_file import SCHEMA_FILE, export_sdl

EXPORTED = export_sdl(schema)


def _check(
    released_sdl: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """`billgraph schema export --check` with ``released_sdl`` as the last release:
    the exit status and stderr."""
    released = tmp_path / "released.graphql"
    released.write_text(released_sdl)
    try:
        main(["schema", "export", "--check", "--released", str(released)])
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, capsys.readouterr().err


def test_schema_file_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == EXPORTED, "run: billgraph schema export"


def test_the_code_keeps_the_released_schema(capsys: pytest.CaptureFixture[str]) -> None:
    main(["schema", "export", "--check"])
    assert "compatible with released.graphql" in capsys.readouterr().out


def _released_plan(old: str, new: str) -> str:
    """The exported schema with ``old`` replaced by ``new`` inside ``type Plan``: what
    the last release would have had."""
    start = EXPORTED.index("type Plan {\n")
    end = EXPORTED.index("\n}\n", start)
    body = EXPORTED[start:end]
    assert old in body
    return EXPORTED[:start] + body.replace(old, new, 1) + EXPORTED[end:]


def test_a_removed_field_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    released = _released_plan("  name: String!\n", "  name: String!\n  legacyCode: String\n")
    status, err = _check(released, tmp_path, capsys)
    assert status == 1
    assert "breaking: Field Plan.legacyCode was removed." in err
    assert err.splitlines()[-1].startswith("billgraph: 1 breaking change(s) against the released")


def test_a_changed_type_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    released = _released_plan("  name: String!\n", "  name: Int!\n")
    status, err = _check(released, tmp_path, capsys)
    assert status == 1
    assert "breaking: Field Plan.name changed type from Int! to String!." in err


def test_an_addition_is_not_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    released = _released_plan("  trialDays: Int!\n", "")
    status, err = _check(released, tmp_path, capsys)
    assert (status, err) == (0, "")


def test_a_dangerous_change_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    released = EXPORTED.replace("  RATE_LIMITED\n", "", 1)
    status, err = _check(released, tmp_path, capsys)
    assert status == 0
    assert err == "warning: Enum value BillingErrorCode.RATE_LIMITED was added.\n"


def test_a_missing_released_schema_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as failed:
        main(["schema", "export", "--check", "--released", str(tmp_path / "none.graphql")])
    assert failed.value.code == 1
    assert capsys.readouterr().err == f"billgraph: no released schema at {tmp_path}/none.graphql\n"


def test_the_billing_subscription_type_is_not_taken_for_a_root() -> None:
    exported = build_schema(EXPORTED)
    assert exported.subscription_type is not None
    assert exported.subscription_type.name == "Live"
    assert "id" in exported.get_type("Subscription").fields  # the billing object type


@strawberry.type
class Subscription:
    """Named like the default root, as billgraph's billing type is."""

    id: strawberry.ID


@strawberry.type
class Query:
    subscription: Subscription | None = None


@strawberry.type
class Live:
    @strawberry.subscription
    async def subscription_updated(self) -> AsyncGenerator[Subscription, None]:
        yield Subscription(id=strawberry.ID("sub_1"))


def test_a_live_root_is_named_in_a_schema_block() -> None:
    exported = export_sdl(strawberry.Schema(query=Query, subscription=Live))
    assert exported.startswith("schema {\n  query: Query\n  subscription: Live\n}\n")
    parsed = build_schema(exported)
    assert parsed.subscription_type is not None and parsed.subscription_type.name == "Live"
