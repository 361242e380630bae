from fastapi import FastAPI

from app.middleware.auth import AuthenticationMiddleware
from app.middleware.correlation import CorrelationIdMiddleware
from app.middleware.tenant import TenantContextMiddleware
from app.routes import orders, partner_callbacks
from app.settings import settings

app = FastAPI(title="fulfilment-api", version="2.4.0")

app.add_middleware(AuthenticationMiddleware, issuer=settings.auth_issuer, audience=settings.auth_audience)
app.add_middleware(CorrelationIdMiddleware)
app.add_middleware(TenantContextMiddleware, flags_url=settings.flags_url)  # expect: pipeline-order

app.include_router(orders.router, prefix="/v1/orders", tags=["orders"])
app.include_router(partner_callbacks.router, prefix="/partner/callbacks", tags=["partner"])


@app.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
