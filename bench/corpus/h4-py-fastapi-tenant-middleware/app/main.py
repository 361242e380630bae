from __future__ import annotations

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from app.middleware.auth import AuthenticationMiddleware
from app.middleware.tenant import AuditMiddleware, TenantContextMiddleware
from app.routers import partners, projects
from app.tenants import TenantRegistry


def create_app() -> FastAPI:
    app = FastAPI(title="workspace-api")
    registry = TenantRegistry.from_env()

    app.include_router(projects.router, prefix="/v1/projects")
    app.include_router(partners.router, prefix="/v1/partners")

    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(TenantContextMiddleware, registry=registry)
    app.add_middleware(AuditMiddleware)  # expect: starlette-middleware-order
    app.add_middleware(AuthenticationMiddleware)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")

    @app.get("/healthz")
    async def healthz() -> dict[str, bool]:
        return {"ok": True}

    return app


app = create_app()
