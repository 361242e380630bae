from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from orders.errors import InsufficientStock, InvalidTransition, OrderNotFound
from orders.events import EventPublisher
from orders.mailer import Mailer
from orders.models import Order, OrderLine, OrderStatus, StockLevel

logger = logging.getLogger(__name__)


async def get_order(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID) -> Order:
    order = await session.scalar(
        select(Order).where(Order.id == order_id, Order.tenant_id == tenant_id)
    )
    if order is None:
        raise OrderNotFound(order_id)
    return order


async def confirm_order(
    session: AsyncSession,
    publisher: EventPublisher,
    mailer: Mailer,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
) -> Order:
    async with session.begin():
        order = await get_order(session, tenant_id, order_id)
        if order.status is not OrderStatus.PENDING:
            raise InvalidTransition(order.status, OrderStatus.CONFIRMED)

        lines = (await session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))).all()
        for line in lines:
            stock = await session.scalar(  # expect: network-call-in-loop
                select(StockLevel)
                .where(StockLevel.tenant_id == tenant_id, StockLevel.sku == line.sku)
                .with_for_update()
            )
            if stock is None or stock.available < line.quantity:
                raise InsufficientStock(line.sku)
            stock.available -= line.quantity
            stock.reserved += line.quantity

        order.status = OrderStatus.CONFIRMED
        order.confirmed_at = datetime.now(timezone.utc)

        await publisher.publish(  # expect: side-effect-before-commit
            "order.confirmed",
            {
                "order_id": str(order.id),
                "tenant_id": str(tenant_id),
                "lines": [{"sku": l.sku, "quantity": l.quantity} for l in lines],
            },
        )
        await mailer.send_order_confirmation(order.customer_email, order)  # expect: side-effect-before-commit

    logger.info("order confirmed", extra={"order_id": str(order_id), "tenant_id": str(tenant_id)})
    return order


async def cancel_orders(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_ids: list[uuid.UUID],
    reason: str,
) -> int:
    async with session.begin():
        result = await session.execute(
            update(Order)
            .where(Order.id.in_(order_ids), Order.status.in_([OrderStatus.PENDING, OrderStatus.CONFIRMED]))  # expect: batch-without-tenant-check
            .values(status=OrderStatus.CANCELLED, cancel_reason=reason, cancelled_at=datetime.now(timezone.utc))
        )
    cancelled = result.rowcount or 0
    logger.info(
        "orders cancelled",
        extra={"tenant_id": str(tenant_id), "requested": len(order_ids), "cancelled": cancelled},
    )
    return cancelled
