"""Bad configuration fails at start with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from billing.errors import ConfigError
from billing.settings import load_settings
from tests.processes import clean_env

BAD = [
    ("DATABASE_URL", "mysql://db/x", "DATABASE_URL"),
    ("STRIPE_SECRET_KEY", "pk_test_123", "STRIPE_SECRET_KEY"),
    ("STRIPE_API_BASE", "not a url", "STRIPE_API_BASE"),
    ("STRIPE_WEBHOOK_SECRET", "secret-without-prefix", "STRIPE_WEBHOOK_SECRET"),
    ("JWT_SECRET", "too-short", "JWT_SECRET"),
    ("JWT_PUBLIC_KEY", "not a pem", "JWT_PUBLIC_KEY"),
    ("BILLGRAPH_CATALOG", "/nonexistent/plans.toml", "BILLGRAPH_CATALOG"),
    ("BILLGRAPH_CURRENCIES", "usd,dollars", "BILLGRAPH_CURRENCIES"),
    ("STRIPE_TIMEOUT", "0", "STRIPE_TIMEOUT"),
    ("STRIPE_MAX_NETWORK_RETRIES", "-1", "STRIPE_MAX_NETWORK_RETRIES"),
    ("OUTBOX_RETENTION_DAYS", "0", "OUTBOX_RETENTION_DAYS"),
    ("STRIPE_IN_TRANSACTION", "ignore", "STRIPE_IN_TRANSACTION"),
]


@pytest.mark.parametrize(("variable", "value", "named"), BAD)
def test_each_bad_variable_is_named(variable: str, value: str, named: str, monkeypatch) -> None:
    for name in os.environ:
        if name.startswith(("STRIPE_", "JWT_", "BILLGRAPH_", "DATABASE_", "CORS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert caught.value.variable == named
    assert "\n" not in str(caught.value)


def test_live_key_is_never_sent_to_a_sandbox(monkeypatch) -> None:
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_live_abc")
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:12111")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert caught.value.variable == "STRIPE_SECRET_KEY"
    assert "sk_live_abc" not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"JWT_SECRET": "short"}, "JWT_SECRET"),
        ({"DATABASE_URL": "oracle://x"}, "DATABASE_URL"),
        ({"STRIPE_SECRET_KEY": "sk_live_zzz", "STRIPE_API_BASE": "http://localhost:1"},
         "STRIPE_SECRET_KEY"),
    ],
)  # fmt: skip
def test_cli_exits_non_zero_with_one_line(env: dict[str, str], variable: str, tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--port", "1"],
        env=clean_env(**env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"billgraph: config error: {variable}:")
    assert "zzz" not in result.stderr


def test_bad_catalog_file_is_named(tmp_path: Path) -> None:
    plans = tmp_path / "plans.toml"
    plans.write_text('[plans.free]\nname = "Free"\nlimits = { images = -1 }\n')
    result = subprocess.run(
        [sys.executable, "-m", "server", "catalog", "sync"],
        env=clean_env(BILLGRAPH_CATALOG=str(plans), STRIPE_SECRET_KEY="sk_test_x"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("billgraph: config error: BILLGRAPH_CATALOG:")
    assert "images" in result.stderr
