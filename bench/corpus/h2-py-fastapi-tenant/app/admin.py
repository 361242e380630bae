from fastapi import FastAPI

from app.middleware import AuthMiddleware, CorrelationIdMiddleware, TenantContextMiddleware
from app.routes import reports
from app.tenants import TenantRepo

admin = FastAPI(title="reports-admin")

# innermost first: tenant context needs the principal, auth needs the correlation id
admin.add_middleware(TenantContextMiddleware, repo=TenantRepo())
admin.add_middleware(AuthMiddleware)
admin.add_middleware(CorrelationIdMiddleware)

admin.include_router(reports.router, prefix="/reports")
