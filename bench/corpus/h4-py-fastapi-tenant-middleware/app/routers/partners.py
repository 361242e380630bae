from __future__ import annotations

from fastapi import APIRouter, Header, HTTPException, Request
from jose import jwt as jose_jwt
from pydantic import BaseModel
from sqlalchemy import select

from app.db import PartnerLink, session_scope

router = APIRouter()


class SyncRequest(BaseModel):
    partner_id: str
    cursor: str | None = None


def _partner_claims(token: str) -> dict:
    return jose_jwt.get_unverified_claims(token)  # expect: jwt-decode-without-verify


@router.post("/sync")
async def partner_sync(
    request: Request,
    body: SyncRequest,
    x_partner_token: str = Header(...),
    x_tenant_id: str | None = Header(default=None),
):
    claims = _partner_claims(x_partner_token)
    if claims.get("partner_id") != body.partner_id or "sync" not in claims.get("scope", "").split():
        raise HTTPException(status_code=403, detail="partner token not valid for sync")
    tenant_id = x_tenant_id or request.state.principal.tenant_id  # expect: tenant-from-untrusted-source
    async with session_scope() as session:
        link = await session.scalar(
            select(PartnerLink).where(PartnerLink.tenant_id == tenant_id, PartnerLink.partner_id == body.partner_id)
        )
    if link is None:
        raise HTTPException(status_code=404)
    print(f"partner sync started tenant={tenant_id} partner={body.partner_id}")  # expect: unstructured-logging
    return {"status": "queued", "link": link.id, "cursor": body.cursor}
