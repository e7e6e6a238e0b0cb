"""What ``make test`` runs of the sandbox's own tests: they use no billgraph database, so one
pass (the SQLite one) runs them, not one pass per database."""

from __future__ import annotations

import shlex
import subprocess

from tests.conftest import ROOT


def _collects_the_sandbox_tests(pytest_args: list[str]) -> bool:
    paths = [a for a in pytest_args if not a.startswith("-")]
    if "--ignore=tests/sandbox" in pytest_args:
        return False
    return not paths or any(p.startswith("tests/sandbox") or p == "tests" for p in paths)


def test_make_test_runs_the_sandbox_tests_once() -> None:
    plan = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.replace("\\\n", " ")
    runs = [
        words[words.index(w) + 1 :]
        for line in plan.splitlines()
        for words in [shlex.split(line)]
        for w in words
        if w.endswith("/pytest")
    ]
    assert len(runs) == 3  # SQLite, PostgreSQL, chaos
    assert [_collects_the_sandbox_tests(args) for args in runs].count(True) == 1
