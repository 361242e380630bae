from __future__ import annotations

import asyncio
import random
from decimal import Decimal

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

TABLE = "payouts"
MAX_ROUNDS = 5


async def schedule_payout(table, tenant_id: str, seller_id: str, period: str, amount: Decimal) -> bool:
    try:
        await table.put_item(
            Item={"pk": f"TENANT#{tenant_id}", "sk": f"PAYOUT#{seller_id}#{period}", "amount": amount, "status": "SCHEDULED"},
            ConditionExpression="attribute_not_exists(sk)",
        )
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise


async def seller_orders(table, tenant_id: str, seller_id: str, start: str, end: str) -> list[dict]:
    items: list[dict] = []
    kwargs = {
        "IndexName": "tenant-seller-created",
        "KeyConditionExpression": Key("tenant_seller").eq(f"{tenant_id}#{seller_id}") & Key("created_at").between(start, end),
    }
    while True:
        page = await table.query(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


async def sellers_by_id(client, tenant_id: str, seller_ids: list[str]) -> list[dict]:
    keys = [{"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": f"SELLER#{sid}"}} for sid in seller_ids]
    request = {TABLE: {"Keys": keys}}
    found: list[dict] = []
    for attempt in range(MAX_ROUNDS):
        resp = await client.batch_get_item(RequestItems=request)
        found.extend(item for item in resp["Responses"].get(TABLE, []) if item["pk"]["S"] == f"TENANT#{tenant_id}")
        request = resp.get("UnprocessedKeys") or {}
        if not request:
            return found
        await asyncio.sleep(random.uniform(0, 0.05 * 2**attempt))
    raise RuntimeError(f"unprocessed keys remained after {MAX_ROUNDS} rounds")
