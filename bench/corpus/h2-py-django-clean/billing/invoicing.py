from datetime import datetime, timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count

from billing.emails import send_invoice_email
from billing.models import Invoice, UsageEvent

CENT = Decimal("0.01")


def billing_period(now_utc: datetime, tz_name: str):
    """Previous calendar month in the customer's time zone, returned as UTC instants."""
    tz = ZoneInfo(tz_name)
    local_now = now_utc.astimezone(tz)
    this_month = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if this_month.month == 1:
        prev_month = this_month.replace(year=this_month.year - 1, month=12)
    else:
        prev_month = this_month.replace(month=this_month.month - 1)
    return prev_month.astimezone(dt_timezone.utc), this_month.astimezone(dt_timezone.utc)


def monthly_amount(calls: int, price_per_call: Decimal, base_fee: Decimal, cap: Decimal) -> Decimal:
    usage = (Decimal(calls) * price_per_call).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(base_fee + usage, cap)


def close_month(tenant, now_utc: datetime) -> Invoice:
    start, end = billing_period(now_utc, tenant.time_zone)
    calls = (
        UsageEvent.objects.filter(tenant=tenant, created_at__gte=start, created_at__lt=end, status__lt=500)
        .aggregate(n=Count("id"))["n"]
    )
    with transaction.atomic():
        invoice = Invoice.objects.create(
            tenant=tenant,
            period_start=start,
            period_end=end,
            calls=calls,
            amount=monthly_amount(calls, tenant.plan.price_per_call, tenant.plan.base_fee, tenant.plan.monthly_cap),
        )
        transaction.on_commit(lambda: send_invoice_email.delay(invoice.id))
    return invoice
