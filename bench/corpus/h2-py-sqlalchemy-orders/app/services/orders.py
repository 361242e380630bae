import json
import logging
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.events import producer
from app.models import Order, OrderLine, OutboxEvent

log = logging.getLogger(__name__)


def place_order(SessionLocal: sessionmaker, tenant_id: str, user_id: str, lines: list[dict], correlation_id: str) -> int:
    with SessionLocal.begin() as session:
        order = Order(tenant_id=tenant_id, created_by=user_id, status="placed")
        session.add(order)
        session.flush()
        for line in lines:
            session.add(OrderLine(order_id=order.id, sku=line["sku"], quantity=line["quantity"], unit_price=Decimal(line["unit_price"])))
        producer.send("orders.placed", json.dumps({"order_id": order.id, "tenant_id": tenant_id}).encode())  # expect: side-effect-before-commit
    log.info("order placed", extra={"order_id": order.id, "correlation_id": correlation_id})
    return order.id


def cancel_order(SessionLocal: sessionmaker, tenant_id: str, order_id: int, correlation_id: str) -> None:
    with SessionLocal.begin() as session:
        result = session.execute(
            update(Order).where(Order.id == order_id, Order.tenant_id == tenant_id, Order.status == "placed").values(status="cancelled")
        )
        if result.rowcount == 0:
            raise LookupError(order_id)
        session.add(OutboxEvent(topic="orders.cancelled", payload=json.dumps({"order_id": order_id, "tenant_id": tenant_id})))
    log.info("order cancelled", extra={"order_id": order_id, "correlation_id": correlation_id})


def ship_order(session: Session, tenant_id: str, order_id: int, correlation_id: str) -> None:
    order = session.scalars(select(Order).where(Order.id == order_id, Order.tenant_id == tenant_id)).one()
    order.status = "shipped"
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    producer.send("orders.shipped", json.dumps({"order_id": order_id, "tenant_id": tenant_id}).encode())
    log.info("order shipped", extra={"order_id": order_id, "correlation_id": correlation_id})


def refund_order(session: Session, mailer, tenant_id: str, order_id: int, correlation_id: str) -> None:
    order = session.scalars(select(Order).where(Order.id == order_id, Order.tenant_id == tenant_id)).one()
    try:
        order.status = "refunded"
        session.commit()
    except Exception:
        session.rollback()
        mailer.send_refund_confirmation(order.customer_email, order_id)  # expect: side-effect-before-commit
        raise
    log.info("order refunded", extra={"order_id": order_id, "correlation_id": correlation_id})
