from __future__ import annotations

from dataclasses import dataclass

import jwt
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

PUBLIC_PREFIXES = ("/healthz", "/docs", "/openapi.json", "/partner/")


@dataclass(frozen=True)
class Principal:
    subject: str
    tenant_id: str
    roles: tuple[str, ...]


class AuthenticationMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, issuer: str, audience: str) -> None:
        super().__init__(app)
        self._issuer = issuer
        self._audience = audience
        self._jwks = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json", cache_keys=True, lifespan=600)

    async def dispatch(self, request: Request, call_next):
        if request.url.path.startswith(PUBLIC_PREFIXES):
            return await call_next(request)
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            return JSONResponse({"detail": "not authenticated"}, status_code=401)
        token = header[7:]
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=self._audience, issuer=self._issuer)
        except jwt.PyJWTError:
            return JSONResponse({"detail": "invalid token"}, status_code=401)
        request.state.principal = Principal(claims["sub"], claims["tenant_id"], tuple(claims.get("roles", ())))
        return await call_next(request)
