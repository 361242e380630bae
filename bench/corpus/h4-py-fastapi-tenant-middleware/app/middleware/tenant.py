from __future__ import annotations

import logging

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.tenants import TenantRegistry

logger = logging.getLogger(__name__)


class TenantContextMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, registry: TenantRegistry) -> None:
        super().__init__(app)
        self.registry = registry

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        principal = getattr(request.state, "principal", None)
        if principal is None:
            return await call_next(request)
        tenant = await self.registry.get(principal.tenant_id)
        if tenant is None or tenant.suspended:
            return JSONResponse({"error": "tenant_unavailable"}, status_code=403)
        request.state.tenant = tenant
        return await call_next(request)


class AuditMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        tenant = request.state.tenant
        response = await call_next(request)
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            logger.info(
                "audit",
                extra={
                    "tenant_id": tenant.id,
                    "path": request.url.path,
                    "status": response.status_code,
                    "request_id": request.headers.get("x-request-id"),
                },
            )
        return response
