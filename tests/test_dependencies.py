"""Dependencies are locked: the environment the tests run in is the one
constraints.txt pins, and stripe (whose pinned API version billgraph and the
sandbox read) moves only by one deliberate edit."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import stripe
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from sandbox import versioning
from tests.conftest import ROOT

# The project's two distributions, and the venv's own setuptools (constraints.txt says why).
UNLOCKED = {"billgraph", "billgraph-sandbox", "setuptools"}


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def test_every_installed_package_is_the_locked_version() -> None:
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    locked = _locked()
    assert {name: installed.get(name) for name in locked} == locked
    assert set(installed) - set(locked) <= UNLOCKED


def _stripe_requirement(pyproject: str) -> str:
    project = tomllib.loads((ROOT / pyproject).read_text())["project"]
    (requirement,) = [r for r in project["dependencies"] if Requirement(r).name == "stripe"]
    return requirement


def test_stripe_is_pinned_to_one_minor_release() -> None:
    spec = Requirement(_stripe_requirement("pyproject.toml")).specifier
    locked = Version(_locked()["stripe"])
    assert locked in spec
    assert Version(f"{locked.major}.{locked.minor}.999") in spec
    assert Version(f"{locked.major}.{locked.minor + 1}.0") not in spec
    assert Version(f"{locked.major}.{locked.minor}.0") in spec


def test_the_sandbox_requires_billgraphs_stripe() -> None:
    """The sandbox speaks the SDK's API version: the same SDK billgraph reads it from."""
    assert _stripe_requirement("sandbox/pyproject.toml") == _stripe_requirement("pyproject.toml")


def test_the_api_version_is_the_sdks_and_written_nowhere() -> None:
    assert stripe.api_version == versioning.API_VERSION
    copies = [
        str(path.relative_to(ROOT))
        for folder in ("billing", "graph", "models", "server", "webhooks", "sandbox")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(re.escape(stripe.api_version), path.read_text())
    ]
    assert copies == []
