"""The schema: every query and mutation type merged, the Live subscription root,
with its extensions."""

from __future__ import annotations

from strawberry.tools import merge_types

from graph.account import AccountQuery
from graph.admin import AdminMutation, AdminQuery
from graph.catalog import CatalogQuery
from graph.checkout_sessions import CheckoutSessionQuery
from graph.credits import CreditMutation, CreditQuery
from graph.customers import CustomerMutation, CustomerQuery
from graph.execution import LeanExecutionContext
from graph.extensions import BillgraphSchema, schema_extensions
from graph.inputs import build_inputs_once
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
        CreditQuery,
        NotificationQuery,
        AdminQuery,
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
        CreditMutation,
        NotificationMutation,
        AdminMutation,
    ),
)
guard_operations(Query, Mutation)

schema = BillgraphSchema(
    query=Query,
    mutation=Mutation,
    subscription=Live,
    extensions=schema_extensions(),
    execution_context_class=LeanExecutionContext,
)
build_inputs_once(schema)
