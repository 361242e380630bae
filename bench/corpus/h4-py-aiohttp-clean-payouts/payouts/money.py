from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeePlan:
    percent: Decimal
    fixed_per_order: Decimal
    monthly_fee_ceiling: Decimal


def payout_period(seller_tz: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Previous calendar month in the seller's zone, returned as UTC instants."""
    zone = ZoneInfo(seller_tz)
    today = now.astimezone(zone).date()
    first_this = dt.datetime(today.year, today.month, 1, tzinfo=zone)
    prev_year, prev_month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    first_prev = dt.datetime(prev_year, prev_month, 1, tzinfo=zone)
    return first_prev.astimezone(dt.timezone.utc), first_this.astimezone(dt.timezone.utc)


def period_label(start_utc: dt.datetime, seller_tz: str) -> str:
    return start_utc.astimezone(ZoneInfo(seller_tz)).strftime("%Y-%m")


def platform_fee(plan: FeePlan, gross: Decimal, orders: int) -> Decimal:
    fee = (gross * plan.percent / Decimal(100) + plan.fixed_per_order * orders).quantize(CENT, ROUND_HALF_EVEN)
    return min(fee, plan.monthly_fee_ceiling)


def payout_amount(plan: FeePlan, gross: Decimal, refunds: Decimal, orders: int) -> Decimal:
    net = gross - refunds - platform_fee(plan, gross, orders)
    return max(net, Decimal("0")).quantize(CENT, ROUND_HALF_EVEN)
