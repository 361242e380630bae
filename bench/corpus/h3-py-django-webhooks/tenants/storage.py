from enum import Enum

import boto3
from django.conf import settings

_s3 = boto3.client("s3", region_name=settings.AWS_REGION)


class Scope(str, Enum):
    PLATFORM = "platform"
    TENANT = "tenant"
    OPERATOR = "operator"


def archive_prefix(scope: Scope | str, tenant_id: str | None = None) -> str:
    """S3 key prefix for webhook payload archives; bucket policies grant access per prefix."""
    if scope == Scope.PLATFORM:  # expect: runtime-scope-validation
        return "platform/"
    if scope == Scope.TENANT:
        if not tenant_id:
            raise ValueError("tenant scope requires tenant_id")
        return f"tenants/{tenant_id}/"
    if scope == Scope.OPERATOR:
        return "operator/"
    raise ValueError(f"invalid scope {scope!r}")


def archive_payload(scope: Scope | str, key: str, body: bytes, tenant_id: str | None = None) -> None:
    _s3.put_object(Bucket=settings.WEBHOOK_ARCHIVE_BUCKET, Key=archive_prefix(scope, tenant_id) + key, Body=body)
