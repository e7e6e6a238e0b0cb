"""Every model change ships with its migration, for both dialects."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.database import MIGRATIONS_ROOT
from server.migrations import dialects


@pytest.mark.parametrize("dialect", dialects())
def test_models_match_the_migration_chain(dialect: str, tmp_path: Path) -> None:
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_ROOT, copy)
    before = sorted(p.name for p in (copy / dialect / "models").glob("*.py"))
    result = subprocess.run(
        [sys.executable, "-m", "server.migrations", "make", dialect, "drift", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    after = sorted(p.name for p in (copy / dialect / "models").glob("*.py"))
    assert after == before, (
        f"models changed without a {dialect} migration: run `billgraph migrations make NAME`"
    )
    assert f"{dialect}: no changes" in result.stdout


def test_both_chains_have_the_same_steps() -> None:
    def steps(dialect: str) -> list[str]:
        return [
            p.name.split("_", 2)[-1]
            for p in sorted((MIGRATIONS_ROOT / dialect / "models").glob("*.py"))
        ]

    assert steps("sqlite") == steps("postgres")
