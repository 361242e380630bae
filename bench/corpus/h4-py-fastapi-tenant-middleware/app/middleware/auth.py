from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import jwt
from jwt import PyJWKClient
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

logger = logging.getLogger(__name__)

_jwks = PyJWKClient(os.environ["AUTH_JWKS_URL"], cache_keys=True, lifespan=900, timeout=3)
PUBLIC_PATHS = {"/healthz", "/readyz", "/docs", "/openapi.json"}


@dataclass(frozen=True)
class Principal:
    user_id: str
    tenant_id: str
    roles: tuple[str, ...]


class AuthenticationMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path in PUBLIC_PATHS:
            return await call_next(request)
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return JSONResponse({"error": "missing_token"}, status_code=401)
        token = header.removeprefix("Bearer ")
        try:
            signing_key = _jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                signing_key.key,
                algorithms=["RS256"],
                audience="api",
                issuer=os.environ["AUTH_ISSUER"],
            )
        except jwt.PyJWTError as exc:
            logger.info("token rejected", extra={"reason": type(exc).__name__})
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        request.state.principal = Principal(
            user_id=claims["sub"],
            tenant_id=claims["tenant_id"],
            roles=tuple(claims.get("roles", ())),
        )
        return await call_next(request)
