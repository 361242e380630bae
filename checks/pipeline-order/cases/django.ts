// Django: MIDDLEWARE runs top to bottom on the request.
import type { RuleCase } from "../../../src/engine/rule.js";

const settings = (middleware: string) => `SECRET_KEY = env("SECRET_KEY")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
${middleware}
    "django.middleware.common.CommonMiddleware",
]
`;

const tenantMw = `from django.http import HttpResponseForbidden


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return HttpResponseForbidden()
        request.tenant = request.user.profile.tenant
        return self.get_response(request)
`;

export function djangoCases(): RuleCase[] {
  return [
    {
      name: "AuthenticationMiddleware listed above SessionMiddleware",
      language: "python",
      path: "config/settings.py",
      code: settings(`    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",`),
      expect: [5],
    },
    {
      name: "tenant middleware (an unchanged repository file) reads request.user above AuthenticationMiddleware",
      files: [
        { path: "shop/tenancy/middleware.py", code: tenantMw, changed: false },
        {
          path: "config/settings.py",
          code: settings(`    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.tenancy.middleware.TenantMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",`),
        },
      ],
      expect: ["config/settings.py:6"],
    },
    {
      name: "the default order: session, then authentication, then the tenant middleware",
      files: [
        { path: "shop/tenancy/middleware.py", code: tenantMw, changed: false },
        {
          path: "config/settings.py",
          code: settings(`    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shop.tenancy.middleware.TenantMiddleware",`),
        },
      ],
      expect: [],
    },
    {
      name: "middleware reading request.user only after get_response: the view has run",
      files: [
        {
          path: "shop/audit.py",
          code: `class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        audit_log(request.user.pk, request.path, response.status_code)
        return response
`,
        },
        {
          path: "config/settings.py",
          code: settings(`    "shop.audit.AuditMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",`),
        },
      ],
      expect: [],
    },
  ];
}
