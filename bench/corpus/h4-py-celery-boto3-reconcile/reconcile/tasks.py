from __future__ import annotations

import json
import random
import time
from decimal import Decimal

import boto3
import requests
import structlog
from boto3.dynamodb.conditions import Attr, Key
from celery import shared_task

log = structlog.get_logger(__name__)

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table("cost_reconciliation")
sts = boto3.client("sts")


def _customer_session(role_arn: str, external_id: str) -> boto3.session.Session:
    resp = sts.assume_role(  # expect: credentials-per-request
        RoleArn=role_arn,
        RoleSessionName="cost-reconcile",
        ExternalId=external_id,
    )
    creds = resp["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _daily_costs(session: boto3.session.Session, day: str, next_day: str) -> list[dict]:
    ce = session.client("ce", region_name="us-east-1")
    results, token = [], None
    while True:
        kwargs = {
            "TimePeriod": {"Start": day, "End": next_day},
            "Granularity": "DAILY",
            "Metrics": ["UnblendedCost"],
            "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
        }
        if token:
            kwargs["NextPageToken"] = token
        page = ce.get_cost_and_usage(**kwargs)
        results.extend(page["ResultsByTime"])
        token = page.get("NextPageToken")
        if not token:
            return results


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=120)
def reconcile_tenant(self, tenant_id: str, accounts: list[dict], day: str, next_day: str) -> int:
    secrets = boto3.client("secretsmanager")  # expect: client-per-request
    webhook = json.loads(secrets.get_secret_value(SecretId="reconcile/anomaly-webhook")["SecretString"])  # expect: secret-fetch-per-request
    rows = []
    for account in accounts:
        session = _customer_session(account["role_arn"], account["external_id"])
        for result in _daily_costs(session, day, next_day):
            for group in result["Groups"]:
                rows.append(
                    {
                        "pk": f"TENANT#{tenant_id}",
                        "sk": f"COST#{day}#{account['account_id']}#{group['Keys'][0]}",
                        "tenant_id": tenant_id,
                        "amount": Decimal(group["Metrics"]["UnblendedCost"]["Amount"]),
                    }
                )
    client = boto3.client("dynamodb")  # expect: client-per-request
    for start in range(0, len(rows), 25):
        client.batch_write_item(  # expect: unprocessed-items-ignored
            RequestItems={
                "cost_reconciliation": [
                    {"PutRequest": {"Item": _to_attr(row)}} for row in rows[start : start + 25]
                ]
            }
        )
    log.info("tenant reconciled", tenant_id=tenant_id, day=day, rows=len(rows), hook=bool(webhook.get("url")))
    return len(rows)


def _to_attr(row: dict) -> dict:
    return {k: ({"N": str(v)} if isinstance(v, Decimal) else {"S": str(v)}) for k, v in row.items()}


@shared_task
def flag_anomalies(tenant_id: str, day: str, threshold: str) -> list[str]:
    resp = table.scan(  # expect: cross-tenant-index-query
        FilterExpression=Attr("sk").begins_with(f"COST#{day}") & Attr("amount").gt(Decimal(threshold)),
    )
    flagged = [item["sk"] for item in resp["Items"]]
    log.info("anomalies flagged", tenant_id=tenant_id, day=day, count=len(flagged))
    return flagged


@shared_task
def tenant_costs(tenant_id: str, day: str) -> list[dict]:
    items, start_key = [], None
    while True:
        kwargs = {"KeyConditionExpression": Key("pk").eq(f"TENANT#{tenant_id}") & Key("sk").begins_with(f"COST#{day}")}
        if start_key:
            kwargs["ExclusiveStartKey"] = start_key
        page = table.query(**kwargs)
        items.extend(page["Items"])
        start_key = page.get("LastEvaluatedKey")
        if not start_key:
            return items


@shared_task
def refresh_account_labels(tenant_id: str, account_ids: list[str]) -> dict[str, str]:
    labels = {}
    for account_id in account_ids:
        item = table.get_item(Key={"pk": f"TENANT#{tenant_id}", "sk": f"ACCOUNT#{account_id}"}).get("Item")  # expect: network-call-in-loop
        if item:
            labels[account_id] = item.get("label", account_id)
    log.info("account labels refreshed", tenant_id=tenant_id, count=len(labels))
    return labels


@shared_task
def notify_anomalies(tenant_id: str, flagged: list[str], url: str) -> None:
    for attempt in range(1, 4):
        try:
            resp = requests.post(url, json={"tenant_id": tenant_id, "flagged": flagged}, timeout=(2, 5))
            resp.raise_for_status()
            return
        except requests.RequestException as exc:
            log.warning("anomaly webhook failed", tenant_id=tenant_id, attempt=attempt, error=str(exc))
            time.sleep(min(30, 2**attempt) * (0.5 + 0.5 * random.random()))
    log.error("anomaly webhook gave up", tenant_id=tenant_id)
