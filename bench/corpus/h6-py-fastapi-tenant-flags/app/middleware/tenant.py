from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

logger = logging.getLogger(__name__)

PUBLIC_PATHS = {"/healthz", "/docs", "/openapi.json"}


@dataclass(frozen=True)
class TenantContext:
    tenant_id: str
    plan: str
    flags: dict[str, bool] = field(default_factory=dict)

    def enabled(self, flag: str) -> bool:
        return self.flags.get(flag, False)


class TenantContextMiddleware(BaseHTTPMiddleware):
    """Attach the caller's tenant and feature flags to request.state.tenant."""

    def __init__(self, app: ASGIApp, flags_url: str) -> None:
        super().__init__(app)
        self._flags_url = flags_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self._flags_url)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path in PUBLIC_PATHS or request.url.path.startswith("/partner/"):
            return await call_next(request)

        principal = getattr(request.state, "principal", None)
        if principal is None:
            return JSONResponse({"detail": "not authenticated"}, status_code=401)

        response = await self._http.get(f"/v1/tenants/{principal.tenant_id}/flags", timeout=None)  # expect: no-timeout-or-fallback
        response.raise_for_status()
        body = response.json()

        request.state.tenant = TenantContext(
            tenant_id=principal.tenant_id,
            plan=body.get("plan", "free"),
            flags={name: bool(value) for name, value in body.get("flags", {}).items()},
        )
        logger.debug(
            "tenant context loaded",
            extra={"tenant_id": principal.tenant_id, "correlation_id": request.state.correlation_id},
        )
        return await call_next(request)
