from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
from aiohttp import web

logger = logging.getLogger("payouts.auth")
PUBLIC = {"/healthz"}


@dataclass(frozen=True)
class Principal:
    user_id: str
    tenant_id: str


@web.middleware
async def authenticate(request: web.Request, handler):
    if request.path in PUBLIC:
        return await handler(request)
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise web.HTTPUnauthorized()
    token = header[7:]
    try:
        claims = jwt.decode(
            token,
            request.app["config"]["jwt_public_key"],
            algorithms=["RS256"],
            audience="payouts",
            issuer=request.app["config"]["jwt_issuer"],
        )
    except jwt.InvalidTokenError as exc:
        header_kid = jwt.get_unverified_header(token).get("kid") if token.count(".") == 2 else None
        logger.info("token rejected", extra={"request_id": request["request_id"], "kid": header_kid, "reason": type(exc).__name__})
        raise web.HTTPUnauthorized() from exc
    request["principal"] = Principal(user_id=claims["sub"], tenant_id=claims["tenant_id"])
    return await handler(request)
