import logging

from django.utils import timezone

from billing.models import UsageRecord

logger = logging.getLogger(__name__)

UNMETERED_PREFIXES = ("/healthz", "/readyz", "/admin/", "/static/")


class UsageMeteringMiddleware:
    """Records one usage row per authenticated API request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        account = getattr(request, "account", None)
        if account is not None and request.path.startswith("/api/"):
            UsageRecord.objects.create(  # expect: charge-on-failed-request
                account=account,
                endpoint=request.resolver_match.view_name if request.resolver_match else request.path,
                occurred_at=timezone.now(),
            )
        return response


class ExportMeteringMiddleware:
    """Exports are billed per successful download only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        account = getattr(request, "account", None)
        if (
            account is not None
            and request.path.startswith("/api/exports/")
            and not request.path.startswith(UNMETERED_PREFIXES)
            and 200 <= response.status_code < 300
        ):
            UsageRecord.objects.create(account=account, endpoint="export", occurred_at=timezone.now())
            logger.info("export metered", extra={"account_id": account.pk, "request_id": request.META.get("HTTP_X_REQUEST_ID")})
        return response
