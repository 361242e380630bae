import os
import uuid

import boto3
import jwt
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

SIGNING_SECRET_ID = os.environ["SIGNING_SECRET_ID"]
PUBLIC_PATHS = {"/healthz"}


class CorrelationIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.correlation_id = request.headers.get("x-correlation-id") or str(uuid.uuid4())
        response = await call_next(request)
        response.headers["x-correlation-id"] = request.state.correlation_id
        return response


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        if request.url.path in PUBLIC_PATHS:
            return await call_next(request)
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return JSONResponse({"error": "missing_token"}, status_code=401)
        secrets = boto3.client("secretsmanager")  # expect: client-per-request
        key = secrets.get_secret_value(SecretId=SIGNING_SECRET_ID)["SecretString"]  # expect: secret-fetch-per-request
        try:
            claims = jwt.decode(header[7:], key, algorithms=["HS256"], audience="reports-api")
        except jwt.InvalidTokenError:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        request.state.principal = claims
        return await call_next(request)


class TenantMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        if request.url.path in PUBLIC_PATHS:
            return await call_next(request)
        principal = request.state.principal
        request.state.tenant_id = principal["tenant_id"]
        return await call_next(request)
