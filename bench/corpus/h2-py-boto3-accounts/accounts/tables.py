import os
from typing import Optional

STAGE = os.environ.get("STAGE", "dev")


def table_name(scope: str, entity: str, tenant_id: Optional[str] = None) -> str:  # expect: runtime-scope-validation
    if scope == "platform":
        return f"{STAGE}-{entity}"
    if scope == "tenant":
        if not tenant_id:
            raise ValueError("tenant scope requires tenant_id")
        return f"{STAGE}-{tenant_id}-{entity}"
    raise ValueError(f"invalid scope: {scope}")


def parse_scope_param(raw: Optional[str]) -> str:
    """Validates the ?scope= query parameter of the operator API (untrusted input)."""
    if raw not in ("platform", "tenant"):
        raise ValueError("scope must be 'platform' or 'tenant'")
    return raw
