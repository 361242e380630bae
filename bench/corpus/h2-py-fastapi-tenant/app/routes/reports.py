import logging
from typing import Optional

import httpx
from fastapi import APIRouter, HTTPException, Query, Request

from app.config import settings
from app.db import reports_for_tenant

router = APIRouter()
log = logging.getLogger("api.reports")


@router.get("")
async def list_reports(request: Request, tenant_id: Optional[str] = Query(None), limit: int = Query(50, le=200)):
    tenant_id = tenant_id or request.state.tenant.id  # expect: tenant-from-untrusted-source
    return await reports_for_tenant(tenant_id, limit=limit)


@router.get("/mine")
async def my_reports(request: Request, limit: int = Query(50, le=200)):
    return await reports_for_tenant(request.state.tenant.id, limit=limit)


@router.post("/{report_id}/render")
async def render_report(request: Request, report_id: str):
    tenant = request.state.tenant
    async with httpx.AsyncClient(base_url=settings.renderer_url, timeout=10.0) as client:  # expect: client-per-request
        resp = await client.post(
            "/render",
            json={"tenant": tenant.id, "report": report_id},
            headers={"x-correlation-id": request.state.correlation_id},
        )
    if resp.status_code >= 500:
        log.warning(
            "renderer failed",
            extra={"correlation_id": request.state.correlation_id, "status": resp.status_code, "report_id": report_id},
        )
        raise HTTPException(status_code=502, detail="renderer unavailable")
    return resp.json()
