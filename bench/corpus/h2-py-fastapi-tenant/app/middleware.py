import logging
import time
import uuid

import jwt
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.config import settings
from app.tenants import TenantRepo, RateLimiter

log = logging.getLogger("api.middleware")


class CorrelationIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.correlation_id = request.headers.get("x-correlation-id") or uuid.uuid4().hex
        response = await call_next(request)
        response.headers["x-correlation-id"] = request.state.correlation_id
        return response


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        if request.url.path in ("/healthz", "/readyz"):
            return await call_next(request)
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return JSONResponse({"detail": "missing token"}, status_code=401)
        try:
            request.state.principal = jwt.decode(
                header[7:],
                settings.jwt_public_key,
                algorithms=["RS256"],
                audience="reports-api",
                issuer=settings.jwt_issuer,
            )
        except jwt.InvalidTokenError:
            log.info("token rejected", extra={"correlation_id": request.state.correlation_id})
            return JSONResponse({"detail": "invalid token"}, status_code=401)
        return await call_next(request)


class TenantContextMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, repo: TenantRepo):
        super().__init__(app)
        self.repo = repo

    async def dispatch(self, request: Request, call_next):
        principal = getattr(request.state, "principal", None)
        if principal is not None:
            request.state.tenant = await self.repo.get(principal["tenant_id"])
        return await call_next(request)


class RateLimitMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, limiter: RateLimiter):
        super().__init__(app)
        self.limiter = limiter

    async def dispatch(self, request: Request, call_next):
        tenant = request.state.tenant
        if not await self.limiter.allow(tenant.id, tenant.plan, now=time.time()):
            return JSONResponse({"detail": "rate limited"}, status_code=429)
        return await call_next(request)
