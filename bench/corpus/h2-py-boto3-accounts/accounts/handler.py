import json
import os
import time

import boto3
from aws_lambda_powertools import Logger
from boto3.dynamodb.conditions import Key

from accounts.tables import table_name

logger = Logger(service="accounts")
dynamodb = boto3.resource("dynamodb")
ddb_client = boto3.client("dynamodb")


def _tenant(event):
    return event["requestContext"]["authorizer"]["jwt"]["claims"]["custom:tenant_id"]


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def overdue_accounts(event, context):
    tenant_id = _tenant(event)
    table = dynamodb.Table(table_name("platform", "accounts"))
    resp = table.query(  # expect: cross-tenant-index-query
        IndexName="status-due-index",
        KeyConditionExpression=Key("status").eq("OVERDUE") & Key("due_date").lt(time.strftime("%Y-%m-%d")),
    )
    logger.info("overdue accounts listed", extra={"tenant_id": tenant_id, "count": resp["Count"]})
    return {"statusCode": 200, "body": json.dumps(resp["Items"], default=str)}


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def tenant_accounts(event, context):
    tenant_id = _tenant(event)
    table = dynamodb.Table(table_name("platform", "accounts"))
    items, start = [], None
    while True:
        kwargs = {"IndexName": "tenant-created-index", "KeyConditionExpression": Key("tenant_id").eq(tenant_id)}
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = table.query(**kwargs)
        items.extend(page["Items"])
        start = page.get("LastEvaluatedKey")
        if not start or len(items) >= 500:
            break
    return {"statusCode": 200, "body": json.dumps(items, default=str)}


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def record_audit(event, context):
    tenant_id = _tenant(event)
    body = json.loads(event["body"])
    table = dynamodb.Table(table_name("platform", "accounts"))
    table.update_item(  # expect: dynamodb-item-growth
        Key={"pk": f"TENANT#{tenant_id}", "sk": f"ACCOUNT#{body['account_id']}"},
        UpdateExpression="SET audit_log = list_append(if_not_exists(audit_log, :empty), :entry)",
        ExpressionAttributeValues={":entry": [{"at": int(time.time()), "action": body["action"]}], ":empty": []},
    )
    logger.info("audit recorded", extra={"tenant_id": tenant_id, "account_id": body["account_id"]})
    return {"statusCode": 204}


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def import_accounts(event, context):
    tenant_id = _tenant(event)
    rows = json.loads(event["body"])["accounts"]
    name = table_name("platform", "accounts")
    for i in range(0, len(rows), 25):
        ddb_client.batch_write_item(  # expect: unprocessed-items-ignored
            RequestItems={
                name: [
                    {"PutRequest": {"Item": {"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": f"ACCOUNT#{r['id']}"}, "name": {"S": r["name"]}}}}
                    for r in rows[i : i + 25]
                ]
            }
        )
    return {"statusCode": 202, "body": json.dumps({"queued": len(rows)})}


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def partner_balance(event, context):
    tenant_id = _tenant(event)
    sts = boto3.client("sts")  # expect: client-per-request
    creds = sts.assume_role(  # expect: credentials-per-request
        RoleArn=os.environ["PARTNER_ROLE_ARN"],
        RoleSessionName=f"balance-{context.aws_request_id}",
        ExternalId=tenant_id,
    )["Credentials"]
    partner = boto3.resource(  # expect: client-per-request
        "dynamodb",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    item = partner.Table("balances").get_item(Key={"tenant_id": tenant_id}).get("Item")
    return {"statusCode": 200, "body": json.dumps(item or {}, default=str)}
