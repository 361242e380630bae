import logging

from django.utils import timezone

from billing.maintenance import in_maintenance_window
from billing.models import UsageEvent

logger = logging.getLogger(__name__)

UNBILLED_PATHS = ("/healthz", "/readyz", "/api/status")


class UsageMeteringMiddleware:
    """Records billable calls: successful API responses only, never probes or maintenance windows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        if tenant is None or not request.path.startswith("/api/") or request.path in UNBILLED_PATHS:
            return response
        if response.status_code >= 500 or in_maintenance_window(timezone.now()):
            return response
        UsageEvent.objects.create(tenant=tenant, path=request.path, method=request.method, status=response.status_code)
        return response
