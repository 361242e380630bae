from functools import lru_cache

import boto3

_plans = boto3.resource("dynamodb").Table("plans")
_tenants = boto3.resource("dynamodb").Table("tenants")


@lru_cache(maxsize=256)
def _plan(plan_id: str) -> dict:
    return _plans.get_item(Key={"plan_id": plan_id})["Item"]


def get_plan(tenant_id: str) -> dict:
    tenant = _tenants.get_item(Key={"tenant_id": tenant_id}, ProjectionExpression="plan_id")["Item"]
    return _plan(tenant["plan_id"])
