"""The service's Prometheus metrics, defined once and counted where things happen.

prometheus-client picks its storage when first imported: with
PROMETHEUS_MULTIPROC_DIR set (``billgraph serve --workers N`` sets it for its
workers) every process writes its own files in that folder and /metrics adds
them up, so a scrape sees the whole server whichever worker answers it.
Labels take values from closed sets only (operation names from the schema,
Stripe methods from the SDK, event types that passed the signature check).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "billgraph_graphql_requests",
    "GraphQL operations (root fields) by outcome: OK or the error code.",
    ["operation", "outcome"],
)
LATENCY = Histogram(
    "billgraph_graphql_request_duration_seconds",
    "Time to resolve one GraphQL root field.",
    ["operation"],
)
RATE_LIMITED = Counter(
    "billgraph_rate_limited",
    "Calls refused with RATE_LIMITED, by operation class.",
    ["operation_class"],
)
STRIPE_CALLS = Counter("billgraph_stripe_calls", "Requests sent to Stripe, by method.", ["method"])
STRIPE_ERRORS = Counter(
    "billgraph_stripe_errors",
    "Stripe requests that failed, by method and error.",
    ["method", "error"],
)
STRIPE_LATENCY = Histogram(
    "billgraph_stripe_request_duration_seconds", "Time Stripe took to answer.", ["method"]
)
WEBHOOK_EVENTS = Counter(
    "billgraph_webhook_events",
    "Stripe webhook deliveries by event type and outcome "
    "(processed, ignored, failed, duplicate; refused before the event was trusted).",
    ["type", "outcome"],
)
NOTIFICATION_ATTEMPTS = Counter(
    "billgraph_notification_delivery_attempts",
    "Outgoing notification attempts: delivered, retrying (a failure retried later) "
    "or failed (given up).",
    ["outcome"],
)
