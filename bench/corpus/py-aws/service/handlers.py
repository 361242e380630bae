import json
import logging
import time

import boto3
from boto3.dynamodb.conditions import Attr, Key

log = logging.getLogger(__name__)
dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table("orders")


def lambda_handler(event, context):
    sts = boto3.client("sts")  # expect: client-per-request
    creds = sts.assume_role(RoleArn=event["role_arn"], RoleSessionName="worker")["Credentials"]  # expect: credentials-per-request
    secrets = boto3.client("secretsmanager")  # expect: client-per-request
    api_key = secrets.get_secret_value(SecretId="partner/api-key")["SecretString"]  # expect: secret-fetch-per-request
    for order_id in event["order_ids"]:
        item = table.get_item(Key={"pk": order_id})  # expect: network-call-in-loop
        log.info("loaded order", extra={"order": order_id, "found": "Item" in item})
    return {"statusCode": 200, "body": json.dumps({"key": api_key[:4], "exp": str(creds["Expiration"])})}


def recent_orders(tenant_id: str):
    resp = table.scan(FilterExpression=Attr("created_at").gt(int(time.time()) - 86400))  # expect: cross-tenant-index-query
    return resp["Items"]


def tenant_orders(tenant_id: str):
    resp = table.query(IndexName="tenant-created", KeyConditionExpression=Key("tenant_id").eq(tenant_id))
    return resp["Items"]


def save_events(client, events):
    for i in range(0, len(events), 25):
        client.batch_write_item(  # expect: unprocessed-items-ignored
            RequestItems={"events": [{"PutRequest": {"Item": e}} for e in events[i : i + 25]]}
        )


def save_events_safely(events):
    with table.batch_writer() as batch:
        for e in events:
            batch.put_item(Item=e)


def acquire_lock(name: str, owner: str) -> bool:
    current = table.get_item(Key={"pk": f"lock#{name}"}).get("Item")
    if current and current["expires_at"] > time.time():
        return False
    table.put_item(Item={"pk": f"lock#{name}", "owner": owner, "expires_at": int(time.time()) + 30})  # expect: check-then-act-lock
    return True


def acquire_lock_atomically(name: str, owner: str) -> bool:
    try:
        table.put_item(
            Item={"pk": f"lock#{name}", "owner": owner, "expires_at": int(time.time()) + 30},
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
            ExpressionAttributeValues={":now": int(time.time())},
        )
        return True
    except dynamodb.meta.client.exceptions.ConditionalCheckFailedException:
        return False


def call_partner(session, url, payload):
    for attempt in range(5):  # expect: retry-without-backoff
        try:
            return session.post(url, json=payload, timeout=5).json()
        except Exception:
            log.warning("partner call failed", extra={"attempt": attempt})
    raise RuntimeError("partner unavailable")


def append_history(order_id: str, entry: dict):
    table.update_item(  # expect: dynamodb-item-growth
        Key={"pk": order_id},
        UpdateExpression="SET history = list_append(if_not_exists(history, :empty), :entry)",
        ExpressionAttributeValues={":entry": [entry], ":empty": []},
    )


def orders_by_ids(event, context):
    ids = json.loads(event["body"])["ids"]
    resp = dynamodb.batch_get_item(RequestItems={"orders": {"Keys": [{"pk": i} for i in ids]}})  # expect: batch-without-tenant-check, unprocessed-items-ignored
    return {"statusCode": 200, "body": json.dumps(resp["Responses"]["orders"])}


def place_order(session, sqs, order):
    session.add(order)
    sqs.send_message(QueueUrl="orders", MessageBody=json.dumps(order.to_dict()))  # expect: side-effect-before-commit
    session.commit()


def place_order_after_commit(session, sqs, order):
    session.add(order)
    session.commit()
    sqs.send_message(QueueUrl="orders", MessageBody=json.dumps(order.to_dict()))
