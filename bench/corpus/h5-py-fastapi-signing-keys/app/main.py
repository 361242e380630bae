from fastapi import FastAPI, Request

from app.middleware import AuthMiddleware, CorrelationIdMiddleware, TenantMiddleware
from app.repositories import ReportRepository

app = FastAPI(title="reports-api")

app.add_middleware(AuthMiddleware)
app.add_middleware(TenantMiddleware)  # expect: pipeline-order
app.add_middleware(CorrelationIdMiddleware)


@app.get("/healthz")
async def healthz() -> dict:
    return {"ok": True}


@app.get("/v1/reports")
async def list_reports(request: Request) -> dict:
    repo = ReportRepository(tenant_id=request.state.tenant_id)
    return {"items": await repo.recent(limit=50)}
