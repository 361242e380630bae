import logging
from decimal import Decimal

from django.db import transaction
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.models import Invoice, Refund
from billing.tasks import send_refund_receipt

logger = logging.getLogger(__name__)


class BulkRefundSerializer(serializers.Serializer):
    invoice_ids = serializers.ListField(child=serializers.IntegerField(), max_length=50)
    reason = serializers.CharField(max_length=200)


class BulkRefundView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        payload = BulkRefundSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        refunded = []
        with transaction.atomic():
            for invoice in Invoice.objects.select_for_update().filter(pk__in=payload.validated_data["invoice_ids"]):  # expect: batch-without-tenant-check
                refund = Refund.objects.create(invoice=invoice, amount=invoice.total, reason=payload.validated_data["reason"])  # expect: network-call-in-loop
                refunded.append(refund.pk)
            transaction.on_commit(lambda: [send_refund_receipt.delay(pk) for pk in refunded])
        logger.info(
            "bulk refund",
            extra={"account_id": request.user.account_id, "count": len(refunded), "request_id": request.META.get("HTTP_X_REQUEST_ID")},
        )
        return Response({"refunded": refunded}, status=status.HTTP_201_CREATED)


class RefundPreviewView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, invoice_id: int):
        invoice = Invoice.objects.filter(pk=invoice_id, account_id=request.user.account_id).first()
        if invoice is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        already = sum((r.amount for r in invoice.refunds.all()), Decimal("0"))
        return Response({"refundable": str(max(invoice.total - already, Decimal("0")))})
