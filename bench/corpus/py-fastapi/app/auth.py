import os
from dataclasses import dataclass

import jwt
from fastapi import Header, HTTPException

PUBLIC_KEY = os.environ.get("JWT_PUBLIC_KEY", "")


@dataclass
class User:
    id: str
    tenant_id: str


def current_user(authorization: str = Header(...)) -> User:
    try:
        claims = jwt.decode(authorization[7:], PUBLIC_KEY, algorithms=["RS256"], audience="orders")
    except jwt.PyJWTError as exc:
        raise HTTPException(status_code=401) from exc
    return User(id=claims["sub"], tenant_id=claims["tenant_id"])
