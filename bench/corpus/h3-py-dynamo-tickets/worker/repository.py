import time
from datetime import datetime, timezone

import boto3
import structlog
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

log = structlog.get_logger()
dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table("support-tickets")

THROTTLE_CODES = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}


def _retry(fn, *args, **kwargs):
    while True:  # expect: retry-without-backoff
        try:
            return fn(*args, **kwargs)
        except ClientError as err:
            if err.response["Error"]["Code"] in THROTTLE_CODES:
                log.warning("dynamodb throttled, retrying", op=fn.__name__)
                continue
            raise


def add_history(tenant_id: str, ticket_id: str, entry: dict) -> None:
    entry = {**entry, "at": datetime.now(timezone.utc).isoformat()}
    _retry(
        table.update_item,  # expect: dynamodb-item-growth
        Key={"pk": f"TENANT#{tenant_id}", "sk": f"TICKET#{ticket_id}"},
        UpdateExpression="SET history = list_append(if_not_exists(history, :empty), :entry)",
        ExpressionAttributeValues={":entry": [entry], ":empty": []},
    )


def open_tickets(tenant_id: str) -> list[dict]:
    resp = table.scan(FilterExpression=Attr("status").eq("open") & Attr("priority").gte(2))  # expect: cross-tenant-index-query
    return resp["Items"]


def find_by_requester(tenant_id: str, email: str) -> list[dict]:
    resp = table.query(IndexName="gsi-requester-email", KeyConditionExpression=Key("requester_email").eq(email))  # expect: cross-tenant-index-query
    return resp["Items"]


def get_many(tenant_id: str, ticket_keys: list[dict]) -> list[dict]:
    """ticket_keys come from the bulk-edit request body: [{"pk": ..., "sk": ...}, ...]"""
    resp = dynamodb.batch_get_item(RequestItems={table.name: {"Keys": ticket_keys}})  # expect: batch-without-tenant-check, unprocessed-items-ignored
    return resp["Responses"].get(table.name, [])


def import_tickets(tenant_id: str, tickets: list[dict]) -> None:
    client = table.meta.client
    for start in range(0, len(tickets), 25):
        chunk = tickets[start : start + 25]
        client.batch_write_item(  # expect: unprocessed-items-ignored
            RequestItems={
                table.name: [
                    {"PutRequest": {"Item": {"pk": f"TENANT#{tenant_id}", "sk": f"TICKET#{t['id']}", **t}}} for t in chunk
                ]
            }
        )


def claim_ticket(tenant_id: str, ticket_id: str, agent_id: str) -> bool:
    key = {"pk": f"TENANT#{tenant_id}", "sk": f"LOCK#TICKET#{ticket_id}"}
    current = table.get_item(Key=key, ConsistentRead=True).get("Item")
    if current and current["expires_at"] > int(time.time()) and current["agent_id"] != agent_id:
        return False
    table.put_item(Item={**key, "agent_id": agent_id, "expires_at": int(time.time()) + 900})  # expect: check-then-act-lock
    return True
