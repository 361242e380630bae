from django.http import JsonResponse


class TenantMiddleware:
    """Bind request.tenant to the authenticated user's tenant.

    Runs after AuthenticationMiddleware (settings.MIDDLEWARE order), so request.user is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        if request.user.is_authenticated:
            membership = getattr(request.user, "membership", None)
            if membership is None:
                return JsonResponse({"detail": "user has no tenant"}, status=403)
            request.tenant = membership.tenant
        return self.get_response(request)
