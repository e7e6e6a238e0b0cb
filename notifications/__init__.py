"""Outgoing notifications: outbox events delivered to the application's
endpoints, signed like Stripe's webhooks, retried, logged and resendable.

``fanout`` turns each outbox event into one delivery row per matching
endpoint (a durable subscriber of the relay); ``dispatcher`` claims due
deliveries and sends them. Both run in ``billgraph serve`` and in
``billgraph notifications run``.
"""
