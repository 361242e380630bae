import boto3
from boto3.dynamodb.conditions import Attr

_tenants = boto3.resource("dynamodb").Table("tenants")


def active_tenant_ids():
    kwargs = {"FilterExpression": Attr("status").eq("active"), "ProjectionExpression": "tenant_id"}
    while True:
        page = _tenants.scan(**kwargs)
        for item in page["Items"]:
            yield item["tenant_id"]
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
