"""Cached cross-account sessions and parameters for the cost views."""
import threading
import time
from datetime import datetime, timedelta, timezone

import boto3
from botocore.config import Config

_BOTO_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 5, "mode": "adaptive"})
_sts = boto3.client("sts", config=_BOTO_CONFIG)
_ssm = boto3.client("ssm", config=_BOTO_CONFIG)

_REFRESH_MARGIN = timedelta(minutes=5)
_sessions: dict[str, tuple[boto3.Session, datetime]] = {}
_params: dict[str, tuple[str, float]] = {}
_lock = threading.Lock()


def session_for(role_arn: str, external_id: str) -> boto3.Session:
    """A boto3 session for the role, reused until five minutes before the credentials expire."""
    with _lock:
        hit = _sessions.get(role_arn)
        if hit and hit[1] - _REFRESH_MARGIN > datetime.now(timezone.utc):
            return hit[0]
        creds = _sts.assume_role(RoleArn=role_arn, RoleSessionName="cost-views", ExternalId=external_id)["Credentials"]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        _sessions[role_arn] = (session, creds["Expiration"])
        return session


def parameter(name: str, ttl_seconds: int = 300) -> str:
    """SSM SecureString with a TTL cache, so requests don't each call SSM."""
    now = time.monotonic()
    hit = _params.get(name)
    if hit and now - hit[1] < ttl_seconds:
        return hit[0]
    value = _ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    _params[name] = (value, now)
    return value
