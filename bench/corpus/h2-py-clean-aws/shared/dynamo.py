import logging
import random
import time

import boto3
from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

log = logging.getLogger(__name__)
_client = boto3.client("dynamodb")
_resource = boto3.resource("dynamodb")
MAX_ATTEMPTS = 6


def batch_write(table: str, requests: list[dict]) -> None:
    for i in range(0, len(requests), 25):
        pending = {table: requests[i : i + 25]}
        for attempt in range(1, MAX_ATTEMPTS + 1):
            resp = _client.batch_write_item(RequestItems=pending)
            pending = resp.get("UnprocessedItems") or {}
            if not pending:
                break
            if attempt == MAX_ATTEMPTS:
                raise RuntimeError(f"{len(pending.get(table, []))} items unprocessed after {attempt} attempts")
            delay = random.uniform(0, min(5.0, 0.05 * 2**attempt))
            log.warning("unprocessed items, backing off", extra={"table": table, "attempt": attempt, "delay": delay})
            time.sleep(delay)


def acquire_lock(table: str, tenant_id: str, name: str, owner: str, ttl_seconds: int = 30) -> bool:
    now = int(time.time())
    try:
        _resource.Table(table).put_item(
            Item={"pk": f"TENANT#{tenant_id}", "sk": f"LOCK#{name}", "owner": owner, "expires_at": now + ttl_seconds},
            ConditionExpression="attribute_not_exists(sk) OR expires_at < :now",
            ExpressionAttributeValues={":now": now},
        )
        return True
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise


def tenant_items_since(table: str, tenant_id: str, since: int) -> list[dict]:
    items, start = [], None
    while True:
        kwargs = {
            "IndexName": "tenant-created-index",
            "KeyConditionExpression": Key("tenant_id").eq(tenant_id) & Key("created_at").gte(since),
        }
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = _resource.Table(table).query(**kwargs)
        items.extend(page["Items"])
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def bump_counter(table: str, tenant_id: str, counter: str) -> None:
    _resource.Table(table).update_item(
        Key={"pk": f"TENANT#{tenant_id}", "sk": "COUNTERS"},
        UpdateExpression="ADD #c :one",
        ExpressionAttributeNames={"#c": counter},
        ExpressionAttributeValues={":one": 1},
    )
