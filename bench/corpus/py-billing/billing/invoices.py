from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo


@dataclass
class Plan:
    unit_price: Decimal
    monthly_cap: Decimal
    time_zone: str


def period_start() -> datetime:
    today = date.today()  # expect: local-time-billing-period
    return datetime(today.year, today.month, 1)


def period_start_for(plan: Plan, now: datetime) -> datetime:
    local = now.astimezone(ZoneInfo(plan.time_zone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def line_total(quantity: str, unit_price: str) -> float:
    price = float(unit_price)  # expect: float-money
    return price * int(quantity)


def line_total_exact(quantity: str, unit_price: str) -> Decimal:
    return Decimal(unit_price) * int(quantity)


def monthly_charge(plan: Plan, calls: int) -> Decimal:
    usage = plan.unit_price * calls
    return max(usage, plan.monthly_cap)  # expect: missing-or-inverted-cap


def monthly_charge_capped(plan: Plan, calls: int) -> Decimal:
    return min(plan.unit_price * calls, plan.monthly_cap)


def backoff_seconds(attempt: int) -> float:
    return max(0.1, 2.0 ** attempt)
