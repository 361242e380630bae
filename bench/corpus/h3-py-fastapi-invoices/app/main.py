from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from app.middleware import AccessLogMiddleware, AuthMiddleware, RequestIdMiddleware, TenantContextMiddleware
from app.routers import invoices, projects
from app.settings import settings

app = FastAPI(title="billing-api", version="2.3.0")

# Starlette wraps each added middleware around the previous stack: the last one added runs first.
app.add_middleware(AccessLogMiddleware)
app.add_middleware(RequestIdMiddleware)
app.add_middleware(AuthMiddleware, issuer=settings.oidc_issuer, audience="billing-api")
app.add_middleware(TenantContextMiddleware)  # expect: starlette-middleware-order
app.add_middleware(GZipMiddleware, minimum_size=1024)
app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.cors_origins,
    allow_credentials=True,
    allow_methods=["GET", "POST", "PATCH", "DELETE"],
    allow_headers=["authorization", "content-type", "x-request-id"],
)

app.include_router(invoices.router, prefix="/v1/invoices", tags=["invoices"])
app.include_router(projects.router, prefix="/v1/projects", tags=["projects"])


@app.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, bool]:
    return {"ok": True}
