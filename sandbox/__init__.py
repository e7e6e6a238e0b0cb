"""A local Stripe-compatible server for development and tests: localstripe's resources,
plus what billgraph needs and localstripe lacks, in the API version billgraph pins.

``python -m sandbox --port N`` or ``serve()`` runs one; ``sandbox.process.SandboxProcess``
runs one in a subprocess for tests, and calls its test helpers, ``POST /_sandbox/<path>``
(no API key), which play what happens outside the API:

- ``payment_intents/{id}/confirm`` (``payment_method``): the client confirms, as with
  Stripe.js or the mobile SDK; ``payment_intents/{id}/authenticate`` (``success``): the
  customer passes or fails 3-D Secure; ``payment_intents/{id}/settle`` (``success``): the
  bank settles a payment left ``processing`` by ``pm_card_processing``.
- ``refunds/{id}/fail`` (``failure_reason``); ``charges/{id}/dispute`` (``reason``,
  ``amount``), then, as on Stripe, ``POST /v1/disputes/{id}`` with test evidence
  (``winning_evidence``, ``losing_evidence``) or ``/v1/disputes/{id}/close``.
- ``checkout/sessions/{id}/complete`` (``payment_method``, ``email``, ``name``): the
  customer pays on the hosted page.
- ``subscriptions/{id}/advance``: the current period ends; ``subscriptions/{id}/
  trial_will_end``: Stripe's notice before a trial ends.
- ``webhooks/drain``: wait until every event so far was delivered (with chaos mode's late
  copies and retries).
- ``hold`` (``prefix``), ``hold/wait`` (``count``), ``release``: hold Stripe's answers to
  matching paths until released (sandbox.holding), to test a slow Stripe without sleeping.
- ``setup_intents/{id}/confirm`` (``payment_method``) and ``setup_intents/{id}/
  authenticate`` (``success``): Stripe.js saving a card, and its 3-D Secure step.

``POST /_config/chaos`` (``duplicate``, ``delay``, ``retries``, ``backoff``, ``seed``)
delivers webhooks as Stripe may: late, out of order, twice, retried on non-2xx;
``DELETE /_config/chaos`` goes back to in order, once (sandbox.webhooks).

Test cards are Stripe's ``pm_card_*`` ids (sandbox.cards), plus the sandbox's own
``pm_card_processing``, ``pm_card_applePay`` and ``pm_card_googlePay``. Plan changes (a new
price on a subscription item, prorations) are described in sandbox.subscriptions.
"""

from pathlib import Path

# Names the file where a sandbox appends every answer and event (sandbox.recording): set by
# the tests for tests/conformance. Here so that callers need not import the sandbox itself.
RECORD_ENV = "SANDBOX_RECORD"


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    exit_with_stdin: bool = False,
    state_file: Path | None = None,
) -> None:
    """Serve a sandbox on ``host:port`` (loopback only; port 0 picks a free one) until killed
    (or, with ``exit_with_stdin``, until its stdin closes); with ``state_file``, start from
    the state saved there and keep saving it (sandbox.persistence).

    Imported lazily so ``sandbox.process`` works where the sandbox extra (localstripe,
    aiohttp) is not installed.
    """
    from sandbox.app import serve as serve_app

    serve_app(host, port, exit_with_stdin, state_file)
