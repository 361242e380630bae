from billing.models import UsageEvent


class UsageMeteringMiddleware:
    """Counts one billable API call per request for the authenticated tenant."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None and request.path.startswith("/api/"):
            UsageEvent.objects.create(  # expect: charge-on-failed-request
                tenant=tenant,
                path=request.path,
                method=request.method,
                status=response.status_code,
            )
        return response
