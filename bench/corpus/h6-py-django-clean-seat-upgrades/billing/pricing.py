from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")


@dataclass(frozen=True)
class BillingPeriod:
    start: datetime
    end: datetime

    def remaining_fraction(self, at: datetime) -> Decimal:
        total = Decimal((self.end - self.start).total_seconds())
        remaining = Decimal(max((self.end - at).total_seconds(), 0))
        return remaining / total


def current_period(at: datetime, billing_tz: str) -> BillingPeriod:
    """Calendar month containing `at`, with boundaries at midnight in the tenant's billing zone."""
    zone = ZoneInfo(billing_tz)
    local = at.astimezone(zone)
    first = date(local.year, local.month, 1)
    nxt = date(local.year + (local.month == 12), local.month % 12 + 1, 1)
    return BillingPeriod(
        start=datetime.combine(first, time.min, tzinfo=zone),
        end=datetime.combine(nxt, time.min, tzinfo=zone),
    )


def prorated_seat_charge(
    seat_price: Decimal,
    added_seats: int,
    period: BillingPeriod,
    at: datetime,
    already_charged: Decimal,
    monthly_cap: Decimal | None,
) -> Decimal:
    raw = (seat_price * added_seats * period.remaining_fraction(at)).quantize(CENT, rounding=ROUND_HALF_UP)
    if monthly_cap is None:
        return raw
    headroom = max(monthly_cap - already_charged, Decimal("0"))
    return min(raw, headroom)
