from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from app.middleware import AuthMiddleware, CorrelationIdMiddleware, RateLimitMiddleware, TenantContextMiddleware
from app.routes import reports
from app.tenants import RateLimiter, TenantRepo

app = FastAPI(title="reports")

# Starlette: the middleware added last is the outermost and runs first.
app.add_middleware(GZipMiddleware, minimum_size=1024)
app.add_middleware(TenantContextMiddleware, repo=TenantRepo())
app.add_middleware(RateLimitMiddleware, limiter=RateLimiter())  # expect: starlette-middleware-order
app.add_middleware(AuthMiddleware)
app.add_middleware(CorrelationIdMiddleware)

app.include_router(reports.router, prefix="/reports")


@app.get("/healthz")
async def healthz():
    return {"ok": True}
