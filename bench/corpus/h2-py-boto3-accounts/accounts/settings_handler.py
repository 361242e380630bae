import json

import boto3
from aws_lambda_powertools import Logger

from accounts.tables import table_name

logger = Logger(service="accounts-settings")
dynamodb = boto3.resource("dynamodb")


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def get_settings(event, context):
    tenant_id = event["requestContext"]["authorizer"]["jwt"]["claims"]["custom:tenant_id"]
    # the tenant's own table: every item in it belongs to this tenant
    table = dynamodb.Table(table_name("tenant", "settings", tenant_id))
    resp = table.query(
        IndexName="kind-index",
        KeyConditionExpression="kind = :k",
        ExpressionAttributeValues={":k": "notification"},
    )
    return {"statusCode": 200, "body": json.dumps(resp["Items"], default=str)}
