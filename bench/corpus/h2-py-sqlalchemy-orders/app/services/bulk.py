from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Order


def archive_orders(session: Session, tenant_id: str, order_ids: list[int]) -> int:
    archived = 0
    for order_id in order_ids:
        order = session.get(Order, order_id)  # expect: network-call-in-loop, batch-without-tenant-check
        if order is not None and order.status in ("shipped", "cancelled"):
            order.status = "archived"
            archived += 1
    session.commit()
    return archived


def export_orders(session: Session, tenant_id: str, order_ids: list[int]) -> list[dict]:
    rows = session.scalars(
        select(Order).where(Order.tenant_id == tenant_id, Order.id.in_(order_ids[:500]))
    ).all()
    return [{"id": o.id, "status": o.status, "total": str(o.total)} for o in rows]
