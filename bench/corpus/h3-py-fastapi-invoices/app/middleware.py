import time
import uuid
from dataclasses import dataclass

import jwt
import structlog
from jwt import PyJWKClient
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.tenants import TenantSettingsCache

log = structlog.get_logger()
PUBLIC_PATHS = ("/healthz", "/docs", "/openapi.json", "/v1/invoices/shared/")


@dataclass(frozen=True)
class Principal:
    sub: str
    tenant_id: str
    roles: tuple[str, ...]


class RequestIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = await call_next(request)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        response.headers["x-request-id"] = request_id
        return response


class AccessLogMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        log.info(
            "request",
            request_id=getattr(request.state, "request_id", None),
            method=request.method,
            path=request.url.path,
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 1),
        )
        return response


class AuthMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, issuer: str, audience: str) -> None:
        super().__init__(app)
        self.issuer = issuer
        self.audience = audience
        # PyJWKClient caches the key set; keys are refetched only for an unknown kid.
        self.jwks = PyJWKClient(f"{issuer}.well-known/jwks.json", cache_keys=True, lifespan=600, timeout=3)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path.startswith(PUBLIC_PATHS):
            return await call_next(request)
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return JSONResponse({"detail": "missing bearer token"}, status_code=401)
        token = header.removeprefix("Bearer ")
        try:
            key = self.jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=self.audience, issuer=self.issuer)
        except jwt.PyJWTError:
            return JSONResponse({"detail": "invalid token"}, status_code=401)
        request.state.principal = Principal(
            sub=claims["sub"], tenant_id=claims["https://acme.io/tenant"], roles=tuple(claims.get("roles", ()))
        )
        return await call_next(request)


class TenantContextMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, cache: TenantSettingsCache | None = None) -> None:
        super().__init__(app)
        self.cache = cache or TenantSettingsCache(ttl_seconds=60)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path.startswith(PUBLIC_PATHS):
            return await call_next(request)
        principal: Principal = request.state.principal
        request.state.tenant = await self.cache.get(principal.tenant_id)
        return await call_next(request)
