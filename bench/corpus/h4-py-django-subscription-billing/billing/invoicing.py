import datetime as dt
import logging

from django.db import transaction
from django.db.models import Count, Q

from billing.models import Account, Invoice, InvoiceLine, UsageRecord
from billing.tasks import send_invoice_email

logger = logging.getLogger(__name__)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1)  # expect: local-time-billing-period
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1)  # expect: local-time-billing-period
    return start, end


def overage_amount(account: Account, calls: int) -> float:  # expect: float-money
    billable = max(0, calls - account.plan.included_calls)
    return billable * float(account.plan.price_per_call)  # expect: float-money


def invoice_total(account: Account, seats: int, calls: int) -> float:  # expect: float-money
    total = seats * float(account.plan.seat_price) + overage_amount(account, calls)  # expect: float-money, missing-or-inverted-cap
    return total


def run_monthly_invoices(year: int, month: int) -> int:
    start, end = month_bounds(year, month)
    usage = dict(
        UsageRecord.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .values_list("account_id")
        .annotate(n=Count("id"))
    )
    created = 0
    accounts = (
        Account.objects.filter(active=True)
        .select_related("plan")
        .annotate(active_seats=Count("members", filter=Q(members__active=True)))
    )
    for account in accounts:
        with transaction.atomic():
            invoice = Invoice.objects.create(account=account, period_start=start, period_end=end)
            seats = account.active_seats
            total = invoice_total(account, seats, usage.get(account.pk, 0))
            InvoiceLine.objects.create(invoice=invoice, description=f"{seats} seats + usage", amount=total)
            send_invoice_email.delay(invoice.pk)  # expect: side-effect-before-commit
            created += 1
    logger.info("invoices created", extra={"year": year, "month": month, "count": created})
    return created
