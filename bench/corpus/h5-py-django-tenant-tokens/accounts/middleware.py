import jwt
from django.http import JsonResponse

from accounts.models import Membership, Tenant


def _bearer(request):
    header = request.headers.get("Authorization", "")
    return header[7:] if header.startswith("Bearer ") else None


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        token = _bearer(request)
        if token:
            claims = jwt.decode(token, options={"verify_signature": False})  # expect: jwt-decode-without-verify
            request.tenant = Tenant.objects.filter(external_org_id=claims.get("org")).first()
            if request.tenant is None:
                return JsonResponse({"error": "unknown_org"}, status=403)
        elif request.user.is_authenticated:
            membership = (
                Membership.objects.select_related("tenant")
                .filter(user=request.user, is_active=True)
                .order_by("-last_used_at")
                .first()
            )
            request.tenant = membership.tenant if membership else None
        return self.get_response(request)
