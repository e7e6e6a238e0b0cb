"""A local Stripe-compatible server for development and tests: localstripe's resources,
plus what billgraph needs and localstripe lacks, in the API version billgraph pins.

``python -m sandbox --port N`` or ``serve()`` runs one; ``sandbox.process.SandboxProcess``
runs one in a subprocess for tests.
"""


def serve(host: str = "127.0.0.1", port: int = 0, exit_with_stdin: bool = False) -> None:
    """Serve a sandbox on ``host:port`` (loopback only; port 0 picks a free one) until killed
    (or, with ``exit_with_stdin``, until its stdin closes).

    Imported lazily so ``sandbox.process`` works where the sandbox extra (localstripe,
    aiohttp) is not installed.
    """
    from sandbox.app import serve as serve_app

    serve_app(host, port, exit_with_stdin)
