from __future__ import annotations

import uuid
from dataclasses import dataclass

import jwt
from flask import Flask, abort, current_app, g, request


@dataclass(frozen=True)
class Principal:
    user_id: str
    clinic_id: str


def init_auth(app: Flask) -> None:
    @app.before_request
    def authenticate() -> None:
        g.request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        if request.path == "/healthz":
            return
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            abort(401)
        try:
            claims = jwt.decode(
                header[7:],
                current_app.config["JWT_PUBLIC_KEY"],
                algorithms=["ES256"],
                audience="scheduler",
                options={"require": ["exp", "sub", "clinic_id"]},
            )
        except jwt.InvalidTokenError:
            abort(401)
        g.principal = Principal(user_id=claims["sub"], clinic_id=claims["clinic_id"])
