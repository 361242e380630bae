import random
import time
from datetime import datetime, timezone

import boto3
import structlog
from boto3.dynamodb.conditions import Key
from botocore.config import Config
from botocore.exceptions import ClientError

log = structlog.get_logger()
# Adaptive retry mode: the SDK backs off with jitter on throttling, bounded by max_attempts.
dynamodb = boto3.resource("dynamodb", config=Config(retries={"max_attempts": 8, "mode": "adaptive"}, read_timeout=5))
table = dynamodb.Table("support-tickets")
MAX_UNPROCESSED_ROUNDS = 5


def add_history(tenant_id: str, ticket_id: str, entry: dict) -> None:
    """History entries are separate items under the ticket, so the ticket item never grows."""
    now = datetime.now(timezone.utc)
    table.put_item(
        Item={
            "pk": f"TENANT#{tenant_id}",
            "sk": f"TICKET#{ticket_id}#HIST#{now.isoformat()}#{random.getrandbits(32):08x}",
            "tenant_id": tenant_id,
            **entry,
        }
    )


def find_by_requester(tenant_id: str, email: str) -> list[dict]:
    resp = table.query(
        IndexName="gsi-tenant-requester",
        KeyConditionExpression=Key("tenant_id").eq(tenant_id) & Key("requester_email").eq(email),
    )
    return resp["Items"]


def get_many(tenant_id: str, ticket_ids: list[str]) -> list[dict]:
    keys = [{"pk": f"TENANT#{tenant_id}", "sk": f"TICKET#{tid}"} for tid in ticket_ids]
    request = {table.name: {"Keys": keys}}
    items: list[dict] = []
    for attempt in range(MAX_UNPROCESSED_ROUNDS):
        resp = dynamodb.batch_get_item(RequestItems=request)
        items.extend(resp["Responses"].get(table.name, []))
        request = resp.get("UnprocessedKeys") or {}
        if not request:
            break
        time.sleep(random.uniform(0, 0.05 * 2**attempt))
    else:
        raise RuntimeError("batch_get_item left unprocessed keys after retries")
    # Keys are built from the caller's tenant; re-check anyway in case of a key-format bug.
    return [i for i in items if i.get("tenant_id") == tenant_id]


def import_tickets(tenant_id: str, tickets: list[dict]) -> None:
    # batch_writer buffers to 25, resends UnprocessedItems and flushes on exit.
    with table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
        for t in tickets:
            batch.put_item(Item={"pk": f"TENANT#{tenant_id}", "sk": f"TICKET#{t['id']}", "tenant_id": tenant_id, **t})


def claim_ticket(tenant_id: str, ticket_id: str, agent_id: str) -> bool:
    now = int(time.time())
    try:
        table.put_item(
            Item={"pk": f"TENANT#{tenant_id}", "sk": f"LOCK#TICKET#{ticket_id}", "agent_id": agent_id, "expires_at": now + 900},
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now OR agent_id = :me",
            ExpressionAttributeValues={":now": now, ":me": agent_id},
        )
        return True
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            log.info("ticket already claimed", tenant_id=tenant_id, ticket_id=ticket_id)
            return False
        raise
