"""The built wheel, installed away from the source tree, migrates, syncs and serves.

What a deploy does with ``pip install billgraph``: the wheel is built from a copy of
the working tree (no stale build/ leaks in), installed into a throwaway venv, and every
``billgraph`` command runs from an empty directory without PYTHONPATH, so only the
installed distribution can answer. Dependencies come from the dev venv (a .pth line), which
keeps this offline and fast; its editable installs (billgraph's and the sandbox's) are not
activated by that line, so the sandbox, a distribution of its own, is not installed there.
Runs once per dialect, like the rest of the suite.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest

from billing.plans_file import load_catalog
from models.database import MIGRATIONS_ROOT, dialect_of
from sandbox.process import SandboxProcess
from tests.conftest import DATABASE_URL, IS_POSTGRES, JWT_SECRET, ROOT, WEBHOOK_SECRET
from tests.processes import clean_env, free_port, wait_until_ready

# Not part of a source distribution: local state, caches and build output.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.sqlite3*"
)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    site_packages: Path
    workdir: Path  # empty: nothing of the repository is importable from here

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "billgraph"), *args],
            cwd=self.workdir,
            env=clean_env(**env),
            capture_output=True,
            text=True,
            timeout=120,
        )


def _site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(subprocess.check_output([str(python), "-c", code], text=True).strip()).resolve()


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    source, dist, venv, workdir = (base / n for n in ("source", "dist", "venv", "work"))
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    pip = [sys.executable, "-m", "pip", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", dist, source], check=True, timeout=300)
    (wheel,) = dist.glob("billgraph-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", python, "install", "--no-deps", wheel], check=True)
    site_packages = _site_packages(python)
    (site_packages / "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    workdir.mkdir()
    return Installed(wheel, venv, site_packages, workdir)


@pytest.fixture
async def fresh_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the suite's dialect, never migrated by anything else."""
    if not IS_POSTGRES:
        yield f"sqlite://{tmp_path}/wheel.sqlite3"
        return
    admin = await asyncpg.connect(DATABASE_URL)
    try:
        await admin.execute("DROP DATABASE IF EXISTS billgraph_wheel")
        await admin.execute("CREATE DATABASE billgraph_wheel")
        yield DATABASE_URL.rsplit("/", 1)[0] + "/billgraph_wheel"
    finally:
        await admin.execute("DROP DATABASE IF EXISTS billgraph_wheel WITH (FORCE)")
        await admin.close()


def test_the_installed_code_is_the_wheel(installed: Installed) -> None:
    """Guards the other tests: were the repository importable, they would prove nothing."""
    code = (
        "import importlib.util, models.database as d, server; print(server.__file__); "
        "print(d.MIGRATIONS_ROOT); assert importlib.util.find_spec('sandbox') is None"
    )
    result = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", code],
        cwd=installed.workdir,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    server_file, migrations_root = (Path(line) for line in result.stdout.splitlines())
    assert server_file.is_relative_to(installed.site_packages)
    assert migrations_root.is_relative_to(installed.site_packages)


def _python_files(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".py")}


def test_the_wheel_holds_no_sandbox_code_and_is_apache_licensed(installed: Installed) -> None:
    """billgraph is Apache-2.0: the GPL sandbox (and localstripe) is never in its wheel."""
    files = _python_files(installed.wheel)
    packages = {name.split("/")[0] for name in files if "/" in name}
    assert packages == {
        "billing", "graph", "migrations", "models", "notifications", "server", "webhooks"
    }  # fmt: skip
    gpl_imports = re.compile(r"^\s*(from|import) localstripe\b", re.MULTILINE)
    assert [name for name, text in files.items() if gpl_imports.search(text)] == []
    with zipfile.ZipFile(installed.wheel) as archive:
        metadata = archive.read("billgraph-0.1.0.dist-info/METADATA").decode()
        assert "billgraph-0.1.0.dist-info/licenses/LICENSE" in archive.namelist()
    assert "License-Expression: Apache-2.0" in metadata.splitlines()


def test_the_sandbox_wheel_is_the_sandbox_alone_and_gpl(tmp_path: Path) -> None:
    source = shutil.copytree(ROOT / "sandbox", tmp_path / "sandbox", ignore=_NOT_SOURCE)
    pip_wheel = [sys.executable, "-m", "pip", "--quiet", "wheel", "--no-deps", "-w", tmp_path]
    subprocess.run([*pip_wheel, source], check=True, timeout=300)
    (wheel,) = tmp_path.glob("billgraph_sandbox-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        files = [n for n in archive.namelist() if not n.startswith("billgraph_sandbox-")]
        metadata = archive.read("billgraph_sandbox-0.1.0.dist-info/METADATA").decode()
    # The modules and nothing else: no pyproject.toml, LICENSE (it is in dist-info) or tests.
    assert sorted(files) == sorted(f"sandbox/{p.name}" for p in (ROOT / "sandbox").glob("*.py"))
    assert "License-Expression: GPL-3.0-or-later" in metadata.splitlines()
    assert "Requires-Dist: localstripe==1.15.10" in metadata.splitlines()


@pytest.mark.parametrize("command", [["serve"], ["sandbox"]])
def test_without_the_sandbox_sandbox_mode_says_how_to_install_it(
    installed: Installed, tmp_path: Path, command: list[str]
) -> None:
    """No STRIPE_SECRET_KEY and no billgraph-sandbox: one line, nothing started or written."""
    result = installed.run(
        *command, "--port", str(free_port()), DATABASE_URL=f"sqlite://{tmp_path}/x.sqlite3"
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1
    hint = "pip install -e ./sandbox (in a checkout) or pip install billgraph-sandbox"
    assert f"the sandbox is not installed: {hint}" in result.stderr
    assert ("no STRIPE_SECRET_KEY" in result.stderr) == (command == ["serve"])
    assert list(tmp_path.iterdir()) == []


def test_wheel_migrates_syncs_the_catalog_and_serves_plans(
    installed: Installed, fresh_database_url: str, sandbox: SandboxProcess
) -> None:
    chain = sorted(
        (p.name for p in (MIGRATIONS_ROOT / dialect_of(DATABASE_URL) / "models").glob("*.py")),
        key=lambda name: int(name.split("_", 1)[0]),  # 10_ comes after 9_
    )
    migrate = installed.run("migrate", DATABASE_URL=fresh_database_url)
    assert migrate.returncode == 0, migrate.stderr
    assert migrate.stdout.startswith(f"migrate: {len(chain)} applied ({', '.join(chain)})")

    stripe = {
        "DATABASE_URL": fresh_database_url,
        "STRIPE_SECRET_KEY": sandbox.secret_key,
        "STRIPE_API_BASE": sandbox.url,
    }
    sync = installed.run("catalog", "sync", **stripe)
    assert sync.returncode == 0, sync.stderr

    port = free_port()
    process = subprocess.Popen(
        [str(installed.venv / "bin" / "billgraph"), "serve", "--port", str(port)],
        cwd=installed.workdir,
        env=clean_env(**stripe, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, JWT_SECRET=JWT_SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(process, base)
        plans = httpx.post(f"{base}/graphql", json={"query": "{ plans { id } }"}).json()
    finally:
        process.terminate()
        process.communicate(timeout=30)
    served = sorted(plan["id"] for plan in plans["data"]["plans"])
    assert served == sorted(plan.key for plan in load_catalog(None).plans)


def test_migrate_without_a_chain_fails_in_one_line(installed: Installed, tmp_path: Path) -> None:
    chain = installed.site_packages / "migrations" / "sqlite"
    hidden = chain.rename(tmp_path / "hidden")
    try:
        result = installed.run("migrate", DATABASE_URL=f"sqlite://{tmp_path}/x.sqlite3")
    finally:
        hidden.rename(chain)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "no migration chain" in result.stderr
