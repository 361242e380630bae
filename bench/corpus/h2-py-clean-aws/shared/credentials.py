import threading
from datetime import datetime, timedelta, timezone

import boto3
from botocore.credentials import RefreshableCredentials
from botocore.session import get_session

_sts = boto3.client("sts")
_lock = threading.Lock()
_sessions: dict[str, boto3.Session] = {}
REFRESH_MARGIN = timedelta(minutes=5)


def _assume(role_arn: str):
    def refresh():
        creds = _sts.assume_role(RoleArn=role_arn, RoleSessionName="platform", DurationSeconds=3600)["Credentials"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": creds["Expiration"].isoformat(),
        }

    return refresh


def session_for_role(role_arn: str) -> boto3.Session:
    """One boto3 session per role; botocore refreshes the assumed credentials before they expire."""
    with _lock:
        existing = _sessions.get(role_arn)
        if existing is not None:
            return existing
        refreshable = RefreshableCredentials.create_from_metadata(
            metadata=_assume(role_arn)(), refresh_using=_assume(role_arn), method="sts-assume-role"
        )
        core = get_session()
        core._credentials = refreshable
        session = boto3.Session(botocore_session=core)
        _sessions[role_arn] = session
        return session


class CachedCredentials:
    """Simple cache for code that needs raw credentials, keyed by role and honouring expiry."""

    def __init__(self):
        self._entries: dict[str, dict] = {}

    def get(self, role_arn: str) -> dict:
        entry = self._entries.get(role_arn)
        if entry and entry["Expiration"] - REFRESH_MARGIN > datetime.now(timezone.utc):
            return entry
        entry = _sts.assume_role(RoleArn=role_arn, RoleSessionName="platform-raw")["Credentials"]
        self._entries[role_arn] = entry
        return entry
