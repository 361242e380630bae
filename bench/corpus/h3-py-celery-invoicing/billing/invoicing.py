"""Invoice computation as agreed with finance (FIN-12): Decimal money, customer time zone, capped."""
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import func, select

from billing.db import SessionLocal
from billing.emails import send_invoice_email
from billing.models import ApiCall, Contract, Invoice

log = structlog.get_logger()
CENT = Decimal("0.01")
NON_BILLABLE_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def previous_month(now_utc: datetime, tz_name: str) -> Period:
    """The customer's previous calendar month in their own time zone, as aware datetimes."""
    tz = ZoneInfo(tz_name)
    local_now = now_utc.astimezone(tz)
    end = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return Period(start=_month_before(end), end=end)


def _month_before(first_of_month: datetime) -> datetime:
    year, month = (first_of_month.year - 1, 12) if first_of_month.month == 1 else (first_of_month.year, first_of_month.month - 1)
    return first_of_month.replace(year=year, month=month)


def is_billable(route: str, status_code: int, in_maintenance: bool) -> bool:
    return status_code < 500 and route not in NON_BILLABLE_ROUTES and not in_maintenance


def monthly_total(calls: int, unit_price: Decimal, minimum: Decimal, cap: Decimal) -> Decimal:
    usage = (Decimal(calls) * unit_price).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return min(max(usage, minimum), cap)


def close_month(tenant_id: str) -> str:
    with SessionLocal.begin() as session:
        contract = session.scalar(select(Contract).where(Contract.tenant_id == tenant_id))
        period = previous_month(datetime.now(timezone.utc), contract.time_zone)
        calls = session.scalar(
            select(func.count(ApiCall.id)).where(
                ApiCall.tenant_id == tenant_id,
                ApiCall.status_code < 500,
                ApiCall.route.not_in(NON_BILLABLE_ROUTES),
                ApiCall.created_at >= period.start,
                ApiCall.created_at < period.end,
            )
        )
        total = monthly_total(calls, Decimal(contract.unit_price), Decimal(contract.monthly_minimum), Decimal(contract.monthly_cap))
        invoice = Invoice(tenant_id=tenant_id, period_start=period.start, period_end=period.end, total=total, status="final")
        session.add(invoice)
        session.flush()
        invoice_id = invoice.id
    # The transaction has committed here; the email task can only see a committed invoice.
    send_invoice_email.delay(invoice_id)
    log.info("month closed", tenant_id=tenant_id, invoice_id=invoice_id, total=str(total))
    return invoice_id
