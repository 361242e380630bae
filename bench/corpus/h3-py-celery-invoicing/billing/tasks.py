from datetime import datetime, timedelta

import structlog
from celery import shared_task
from sqlalchemy import func, select

from billing.db import SessionLocal
from billing.emails import send_invoice_email
from billing.models import ApiCall, Contract, Invoice, InvoiceLine

log = structlog.get_logger()


@shared_task(bind=True, max_retries=3, default_retry_delay=300, acks_late=True)
def close_month(self, tenant_id: str) -> str:
    period_end = datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)  # expect: local-time-billing-period
    period_start = (period_end - timedelta(days=1)).replace(day=1)

    with SessionLocal.begin() as session:
        contract = session.scalar(select(Contract).where(Contract.tenant_id == tenant_id))
        calls = session.scalar(
            select(func.count(ApiCall.id)).where(
                ApiCall.tenant_id == tenant_id,
                ApiCall.billable.is_(True),
                ApiCall.created_at >= period_start,
                ApiCall.created_at < period_end,
            )
        )
        subtotal = round(calls * float(contract.unit_price), 2)  # expect: float-money
        total = max(subtotal, float(contract.monthly_cap))  # expect: missing-or-inverted-cap, float-money

        invoice = Invoice(tenant_id=tenant_id, period_start=period_start, period_end=period_end, total=total, status="final")
        invoice.lines.append(InvoiceLine(description="API calls", quantity=calls, amount=subtotal))
        session.add(invoice)
        session.flush()
        send_invoice_email.delay(invoice.id)  # expect: side-effect-before-commit

    log.info("month closed", tenant_id=tenant_id, invoice_id=invoice.id, task_id=self.request.id)
    return invoice.id
