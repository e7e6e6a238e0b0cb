"""The schema: every query and mutation type merged, the Live subscription root,
with its extensions."""

from __future__ import annotations

from strawberry.tools import merge_types

from graph.account import AccountQuery
from graph.catalog import CatalogQuery
from graph.checkout_sessions import CheckoutSessionQuery
from graph.customers import CustomerMutation, CustomerQuery
from graph.extensions import BillgraphSchema, schema_extensions
from graph.live import Live
from graph.notifications import NotificationMutation, NotificationQuery
from graph.operations import guard_operations
from graph.payments import PaymentMutation, PaymentQuery
from graph.plan_changes import PlanChangeMutation, PlanChangeQuery
from graph.subscriptions import SubscriptionMutation, SubscriptionQuery
from graph.usage import UsageMutation, UsageQuery

Query = merge_types(
    "Query",
    (
        CatalogQuery,
        AccountQuery,
        CustomerQuery,
        SubscriptionQuery,
        PlanChangeQuery,
        CheckoutSessionQuery,
        PaymentQuery,
        UsageQuery,
        NotificationQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        SubscriptionMutation,
        PlanChangeMutation,
        PaymentMutation,
        CustomerMutation,
        UsageMutation,
        NotificationMutation,
    ),
)
guard_operations(Query, Mutation)

schema = BillgraphSchema(
    query=Query, mutation=Mutation, subscription=Live, extensions=schema_extensions()
)
