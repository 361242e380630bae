from __future__ import annotations

import logging
from decimal import Decimal

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import Tenant
from billing.models import SeatCharge
from billing.pricing import current_period, prorated_seat_charge
from billing.tasks import send_seat_receipt

logger = logging.getLogger(__name__)
payments = requests.Session()


class UpgradeSerializer(serializers.Serializer):
    added_seats = serializers.IntegerField(min_value=1, max_value=500)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def upgrade_seats(request):
    tenant = request.tenant
    idempotency_key = request.headers.get("Idempotency-Key")
    if not idempotency_key:
        return Response({"detail": "Idempotency-Key header required"}, status=status.HTTP_400_BAD_REQUEST)

    body = UpgradeSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    added = body.validated_data["added_seats"]

    now = timezone.now()
    period = current_period(now, tenant.billing_timezone)
    log_ctx = {"request_id": request.request_id, "tenant_id": str(tenant.id)}

    try:
        with transaction.atomic():
            # Serialise upgrades of one tenant so two requests cannot both use the same cap headroom.
            tenant = Tenant.objects.select_for_update(of=("self",)).select_related("plan", "contract").get(pk=tenant.pk)
            already = SeatCharge.objects.filter(
                tenant=tenant, created_at__gte=period.start, created_at__lt=period.end
            ).aggregate(total=Sum("amount"))["total"] or Decimal("0")

            amount = prorated_seat_charge(
                seat_price=tenant.plan.seat_price,
                added_seats=added,
                period=period,
                at=now,
                already_charged=already,
                monthly_cap=tenant.contract.monthly_cap,
            )
            charge = SeatCharge.objects.create(
                tenant=tenant,
                idempotency_key=idempotency_key,  # unique together with tenant
                added_seats=added,
                amount=amount,
                currency=tenant.plan.currency,
            )
            tenant.seats = tenant.seats + added
            tenant.save(update_fields=["seats"])
            transaction.on_commit(lambda: send_seat_receipt.delay(charge.id))
    except IntegrityError:
        existing = SeatCharge.objects.get(tenant=tenant, idempotency_key=idempotency_key)
        logger.info("seat upgrade replayed", extra={**log_ctx, "charge_id": existing.id})
        return Response({"charge_id": existing.id, "amount": str(existing.amount)}, status=status.HTTP_200_OK)

    logger.info("seat upgrade charged", extra={**log_ctx, "charge_id": charge.id, "amount": str(amount)})
    return Response({"charge_id": charge.id, "amount": str(amount)}, status=status.HTTP_201_CREATED)


def authorize_payment(charge: SeatCharge) -> str:
    response = payments.post(
        f"{settings.PAYMENTS_API_URL}/authorizations",
        json={"reference": str(charge.id), "amount": str(charge.amount), "currency": charge.currency},
        timeout=settings.PAYMENTS_TIMEOUT,
    )
    response.raise_for_status()
    return response.json()["authorization_id"]
