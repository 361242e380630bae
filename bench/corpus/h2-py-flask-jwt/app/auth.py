import functools
import logging

import boto3
import jwt as pyjwt
from flask import current_app, g, jsonify, request
from jose import jwt as jose_jwt

log = logging.getLogger(__name__)
secrets = boto3.client("secretsmanager")


def _hs_secret():
    return secrets.get_secret_value(SecretId=current_app.config["SESSION_SECRET_ID"])["SecretString"]  # expect: secret-fetch-per-request


def _rsa_key_for(kid):
    return current_app.config["JWKS"].get(kid)


def init_auth(app):
    @app.before_request
    def load_principal():
        g.principal = None
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = header[7:]
        # RS256 tokens from the IdP: pick the key by kid, then verify
        kid = jose_jwt.get_unverified_header(token).get("kid")
        key = _rsa_key_for(kid)
        if key is not None:
            try:
                g.principal = jose_jwt.decode(token, key, algorithms=["RS256"], audience="console")
            except jose_jwt.JWTError:
                log.info("idp token rejected", extra={"request_id": g.request_id, "kid": kid})
            return None
        # legacy HS256 session tokens
        try:
            g.principal = pyjwt.decode(token, _hs_secret(), algorithms=["HS256"])
        except pyjwt.InvalidTokenError:
            print(f"session token rejected for {request.remote_addr}")  # expect: unstructured-logging
        return None


def require_role(role):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = request.headers.get("Authorization", "")[7:]
            claims = jose_jwt.get_unverified_claims(token)  # expect: jwt-decode-without-verify
            if role not in claims.get("roles", []):
                return jsonify(error="forbidden"), 403
            return view(*args, **kwargs)

        return wrapper

    return decorator


def tenant_from_service_token():
    token = request.headers.get("X-Service-Token", "")
    claims = pyjwt.decode(token, options={"verify_signature": False})  # expect: jwt-decode-without-verify
    return claims["tenant_id"]  # expect: tenant-from-untrusted-source
