"""``python -m sandbox --port N [--host 127.0.0.1]``: serve a sandbox until killed."""

import argparse
import logging
from pathlib import Path

from sandbox import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--exit-with-stdin",
        action="store_true",
        help="exit when stdin closes (a parent holding a pipe to it died)",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        help="load the state from this file at start and keep saving it there",
    )
    args = parser.parse_args()
    # Logs go to stderr: stdout carries only the "sandbox listening on" line.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    serve(args.host, args.port, args.exit_with_stdin, args.state_file)


if __name__ == "__main__":
    main()
