import logging
from datetime import datetime

import requests
from celery import shared_task
from django.conf import settings
from django.db.models import Count

from billing.models import ChargeAttempt, Invoice, Tenant, UsageEvent

logger = logging.getLogger(__name__)


def previous_month_bounds():
    first_this_month = datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)  # expect: local-time-billing-period
    last_month_end = first_this_month
    prev = first_this_month.replace(day=1)
    if prev.month == 1:
        start = prev.replace(year=prev.year - 1, month=12)
    else:
        start = prev.replace(month=prev.month - 1)
    return start, last_month_end


@shared_task(name="billing.close_month")
def close_month():
    start, end = previous_month_bounds()
    for tenant in Tenant.objects.filter(active=True).select_related("plan").iterator():
        close_tenant_month.delay(tenant.id, start.isoformat(), end.isoformat())


@shared_task(name="billing.close_tenant_month")
def close_tenant_month(tenant_id, start_iso, end_iso):
    tenant = Tenant.objects.select_related("plan").get(pk=tenant_id)
    start, end = datetime.fromisoformat(start_iso), datetime.fromisoformat(end_iso)
    calls = UsageEvent.objects.filter(tenant=tenant, created_at__gte=start, created_at__lt=end).aggregate(n=Count("id"))["n"]

    amount = float(calls) * float(tenant.plan.price_per_call) + float(tenant.plan.base_fee)  # expect: float-money, missing-or-inverted-cap
    invoice = Invoice.objects.create(tenant=tenant, period_start=start, period_end=end, calls=calls, amount=round(amount, 2))
    logger.info("invoice created", extra={"tenant_id": tenant.id, "invoice_id": invoice.id, "calls": calls})
    charge_invoice.delay(invoice.id)


@shared_task(name="billing.charge_invoice")
def charge_invoice(invoice_id):
    invoice = Invoice.objects.select_related("tenant").get(pk=invoice_id)
    key = f"invoice-{invoice.id}"
    if ChargeAttempt.objects.filter(idempotency_key=key).exists():
        logger.info("charge already attempted", extra={"invoice_id": invoice.id})
        return
    ChargeAttempt.objects.create(idempotency_key=key, invoice=invoice)  # expect: check-then-act-lock

    for attempt in range(3):  # expect: retry-without-backoff
        try:
            resp = requests.post(  # expect: no-timeout-or-fallback
                f"{settings.PAYMENTS_URL}/v1/charges",
                json={"customer": invoice.tenant.payment_customer_id, "amount": str(invoice.amount), "currency": "EUR"},
                headers={"Idempotency-Key": key},
            )
            resp.raise_for_status()
            break
        except requests.RequestException:
            logger.warning("charge failed", extra={"invoice_id": invoice.id, "attempt": attempt})
    else:
        invoice.status = "payment_failed"
        invoice.save(update_fields=["status"])
        return
    invoice.status = "paid"
    invoice.save(update_fields=["status"])
