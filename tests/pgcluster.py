"""A throwaway PostgreSQL 15 cluster for the test suite.

``python -m tests.pgcluster CMD...`` starts a fresh cluster on a free
loopback port (fsync off, data in a temp dir), runs CMD with DATABASE_URL
pointing at it, then stops the cluster and removes its data, whatever CMD
did. PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` system user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.processes import free_port

SEARCH = ["/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin"]


def _binary(name: str) -> str:
    for folder in SEARCH:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"pgcluster: {name} not found; install PostgreSQL 15 server binaries")
    return found


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def cluster() -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh, empty database."""
    root = Path(tempfile.mkdtemp(prefix="billgraph-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    log = root / "server.log"
    subprocess.run(
        _as_owner([_binary("initdb"), "-D", str(data), "-U", "billgraph", "--auth=trust",
                   "-E", "UTF8", "--no-sync"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    )
    subprocess.run(
        _as_owner([_binary("pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                   "-w", "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"postgres://billgraph@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_owner([_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m tests.pgcluster CMD [ARGS...]", file=sys.stderr)
        return 2
    with cluster() as url:
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
