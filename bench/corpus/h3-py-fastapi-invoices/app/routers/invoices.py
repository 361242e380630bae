from decimal import Decimal
from typing import Annotated

import jwt
import structlog
from fastapi import APIRouter, Depends, Header, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import Invoice

router = APIRouter()
log = structlog.get_logger()


class InvoiceOut(BaseModel):
    id: str
    number: str
    total: Decimal
    currency: str
    status: str


@router.get("/", response_model=list[InvoiceOut])
async def list_invoices(
    request: Request,
    session: Annotated[AsyncSession, Depends(get_session)],
    x_tenant_id: Annotated[str | None, Header()] = None,
):
    # Account managers switch between the tenants they manage with the X-Tenant-Id header.
    tenant_id = x_tenant_id or request.state.principal.tenant_id  # expect: tenant-from-untrusted-source
    rows = await session.scalars(
        select(Invoice).where(Invoice.tenant_id == tenant_id).order_by(Invoice.issued_at.desc()).limit(100)
    )
    return [InvoiceOut.model_validate(r, from_attributes=True) for r in rows]


@router.get("/shared/{token}", response_model=InvoiceOut)
async def shared_invoice(token: str, session: Annotated[AsyncSession, Depends(get_session)]):
    """Public preview from a share link; the token was signed by us when the link was created."""
    claims = jwt.decode(token, options={"verify_signature": False})  # expect: jwt-decode-without-verify
    invoice = await session.scalar(
        select(Invoice).where(Invoice.id == claims["invoice_id"], Invoice.tenant_id == claims["tenant_id"])  # expect: tenant-from-untrusted-source
    )
    if invoice is None:
        raise HTTPException(status_code=404, detail="invoice not found")
    log.info("shared invoice viewed", invoice_id=invoice.id, tenant_id=invoice.tenant_id)
    return InvoiceOut.model_validate(invoice, from_attributes=True)
