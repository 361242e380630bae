import logging

import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction

from billing.models import ChargeAttempt, Invoice

logger = logging.getLogger(__name__)
session = requests.Session()


@shared_task(
    name="billing.charge_invoice",
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def charge_invoice(invoice_id):
    invoice = Invoice.objects.select_related("tenant").get(pk=invoice_id)
    key = f"invoice-{invoice.id}"
    # unique constraint on idempotency_key: concurrent workers share one attempt row;
    # the payments API deduplicates on the same Idempotency-Key, so a retry after a crash is safe
    attempt, _ = ChargeAttempt.objects.get_or_create(idempotency_key=key, defaults={"invoice": invoice})
    if attempt.status == "succeeded":
        logger.info("charge already succeeded", extra={"invoice_id": invoice.id, "idempotency_key": key})
        return

    resp = session.post(
        f"{settings.PAYMENTS_URL}/v1/charges",
        json={"customer": invoice.tenant.payment_customer_id, "amount": str(invoice.amount), "currency": invoice.currency},
        headers={"Idempotency-Key": key},
        timeout=(3.05, 15),
    )
    resp.raise_for_status()
    with transaction.atomic():
        ChargeAttempt.objects.filter(pk=attempt.pk).update(status="succeeded")
        Invoice.objects.filter(pk=invoice.id).update(status="paid")
    logger.info("invoice charged", extra={"invoice_id": invoice.id, "idempotency_key": key})
