from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from orders.auth import Principal, current_principal
from orders.deps import get_mailer, get_publisher, get_session
from orders.service import cancel_orders, confirm_order

router = APIRouter()


class BulkCancel(BaseModel):
    order_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=3, max_length=200)


@router.post("/{order_id}/confirm")
async def confirm(
    order_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
    publisher=Depends(get_publisher),
    mailer=Depends(get_mailer),
):
    order = await confirm_order(session, publisher, mailer, principal.tenant_id, order_id)
    return {"id": str(order.id), "status": order.status.value}


@router.post("/bulk-cancel")
async def bulk_cancel(
    body: BulkCancel,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(get_session),
):
    cancelled = await cancel_orders(session, principal.tenant_id, body.order_ids, body.reason)
    return {"cancelled": cancelled}
