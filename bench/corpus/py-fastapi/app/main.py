import logging
import uuid

import jwt
import requests
from fastapi import Depends, FastAPI, Header, Request
from starlette.middleware.base import BaseHTTPMiddleware

from app.auth import current_user, User

log = logging.getLogger("orders")
app = FastAPI()


class TenantMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.tenant = request.headers.get("x-tenant-host", "")
        return await call_next(request)


class AuditMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        tenant = request.state.tenant
        log.info("audit", extra={"tenant": tenant, "path": request.url.path})
        return await call_next(request)


class RequestIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        return await call_next(request)


app.add_middleware(TenantMiddleware)
app.add_middleware(AuditMiddleware)  # expect: starlette-middleware-order
app.add_middleware(RequestIdMiddleware)


@app.get("/orders")
def list_orders(x_tenant_id: str = Header(...), user: User = Depends(current_user)):
    tenant_id = x_tenant_id  # expect: tenant-from-untrusted-source
    return load_orders(tenant_id)


@app.get("/me")
def me(authorization: str = Header(...)):
    claims = jwt.decode(authorization[7:], options={"verify_signature": False})  # expect: jwt-decode-without-verify
    if claims.get("role") == "admin":
        return {"admin": True}
    return {"admin": False}


@app.get("/inventory/{sku}")
def inventory(sku: str, user: User = Depends(current_user)):
    resp = requests.get(f"https://inventory.internal/sku/{sku}")  # expect: no-timeout-or-fallback
    print("inventory lookup", sku)  # expect: unstructured-logging
    return resp.json()


def load_orders(tenant_id: str):
    return []
