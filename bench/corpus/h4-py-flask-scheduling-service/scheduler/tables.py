from __future__ import annotations

import os
from enum import Enum
from typing import Optional

import boto3

_dynamodb = boto3.resource("dynamodb", region_name=os.environ.get("AWS_REGION", "eu-central-1"))
STAGE = os.environ.get("STAGE", "dev")


class Scope(str, Enum):
    GLOBAL = "global"
    CLINIC = "clinic"
    ADMIN = "admin"


def table_for(scope: Scope, name: str, clinic_id: Optional[str] = None):  # expect: runtime-scope-validation
    if scope is Scope.GLOBAL:
        return _dynamodb.Table(f"{STAGE}-{name}")
    if scope is Scope.CLINIC:
        if not clinic_id:
            raise ValueError(f"clinic scope requires clinic_id for {name}")
        return _dynamodb.Table(f"{STAGE}-clinic-{clinic_id}-{name}")
    if scope is Scope.ADMIN:
        return _dynamodb.Table(f"{STAGE}-admin-{name}")
    raise ValueError(f"unknown scope {scope!r}")
