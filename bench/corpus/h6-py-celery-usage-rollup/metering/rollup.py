from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError
from celery import shared_task

from metering.plans import get_plan
from metering.tenants import active_tenant_ids

logger = logging.getLogger(__name__)

dynamodb = boto3.resource("dynamodb")
usage_table = dynamodb.Table("usage_events")
invoices_table = dynamodb.Table("invoices")
history_table = dynamodb.Table("billing_history")

THROTTLE_CODES = {"ProvisionedThroughputExceededException", "ThrottlingException"}


def previous_month_bounds() -> tuple[datetime, datetime]:
    first_of_this_month = datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)  # expect: local-time-billing-period
    last_month_end = first_of_this_month
    last_month_start = (first_of_this_month - timedelta(days=1)).replace(day=1)
    return last_month_start, last_month_end


def count_calls(tenant_id: str, start: datetime, end: datetime) -> int:
    total = 0
    kwargs = {
        "KeyConditionExpression": Key("tenant_id").eq(tenant_id)
        & Key("occurred_at").between(start.isoformat(), end.isoformat()),
        "ProjectionExpression": "units",
    }
    while True:
        page = usage_table.query(**kwargs)
        total += sum(int(item["units"]) for item in page["Items"])
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def price_usage(calls: int, plan: dict) -> float:
    amount = calls * float(plan["unit_price"])  # expect: float-money
    if plan.get("monthly_cap") is not None:
        amount = max(amount, float(plan["monthly_cap"]))  # expect: missing-or-inverted-cap, float-money
    return round(amount, 2)


def put_with_retry(table, item: dict) -> None:
    while True:  # expect: retry-without-backoff
        try:
            table.put_item(Item=item)
            return
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in THROTTLE_CODES:
                raise
            logger.warning("throttled writing %s, retrying", table.name)
            time.sleep(1)


@shared_task(bind=True, acks_late=True)
def close_monthly_usage(self) -> int:
    start, end = previous_month_bounds()
    period = start.strftime("%Y-%m")
    closed = 0

    for tenant_id in active_tenant_ids():
        plan = get_plan(tenant_id)
        calls = count_calls(tenant_id, start, end)
        amount = price_usage(calls, plan)

        put_with_retry(
            invoices_table,
            {
                "tenant_id": tenant_id,
                "line_id": f"usage#{period}",
                "description": f"API calls {period}",
                "quantity": calls,
                "amount": Decimal(str(amount)),
                "currency": plan["currency"],
            },
        )

        history_table.update_item(  # expect: dynamodb-item-growth
            Key={"tenant_id": tenant_id},
            UpdateExpression="SET runs = list_append(if_not_exists(runs, :empty), :run)",
            ExpressionAttributeValues={
                ":empty": [],
                ":run": [{"period": period, "calls": calls, "amount": Decimal(str(amount)), "task_id": self.request.id}],
            },
        )

        print(f"closed usage for {tenant_id} {period}: {calls} calls, {amount}")  # expect: unstructured-logging
        closed += 1

    logger.info("monthly usage closed", extra={"period": period, "tenants": closed, "task_id": self.request.id})
    return closed
