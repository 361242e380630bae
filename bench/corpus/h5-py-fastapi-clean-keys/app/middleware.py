import uuid

import jwt
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.keys import signing_key

PUBLIC_PATHS = {"/healthz"}


class CorrelationIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.correlation_id = request.headers.get("x-correlation-id") or str(uuid.uuid4())
        response = await call_next(request)
        response.headers["x-correlation-id"] = request.state.correlation_id
        return response


def _verify(token: str, key: str) -> dict:
    return jwt.decode(token, key, algorithms=["HS256"], audience="reports-api")


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        if request.url.path in PUBLIC_PATHS:
            return await call_next(request)
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return JSONResponse({"error": "missing_token"}, status_code=401)
        token = header[7:]
        try:
            claims = _verify(token, await run_in_threadpool(signing_key))
        except jwt.InvalidSignatureError:
            try:
                claims = _verify(token, await run_in_threadpool(signing_key, True))
            except jwt.InvalidTokenError:
                return JSONResponse({"error": "invalid_token"}, status_code=401)
        except jwt.InvalidTokenError:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        request.state.principal = claims
        return await call_next(request)


class TenantMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        if request.url.path in PUBLIC_PATHS:
            return await call_next(request)
        request.state.tenant_id = request.state.principal["tenant_id"]
        return await call_next(request)
