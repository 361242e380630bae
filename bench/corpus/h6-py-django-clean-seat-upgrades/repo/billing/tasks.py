import logging

from celery import shared_task

from billing.models import SeatCharge
from billing.emails import render_receipt, send_email

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=8)
def send_seat_receipt(self, charge_id: int) -> None:
    charge = SeatCharge.objects.select_related("tenant").get(pk=charge_id)
    send_email(to=charge.tenant.billing_email, **render_receipt(charge))
    logger.info("seat receipt sent", extra={"charge_id": charge_id, "task_id": self.request.id})
