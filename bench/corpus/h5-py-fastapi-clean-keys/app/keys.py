import os
import threading
import time

import boto3

SIGNING_SECRET_ID = os.environ["SIGNING_SECRET_ID"]
TTL_SECONDS = 300

_secrets = boto3.client("secretsmanager")
_lock = threading.Lock()
_cached: tuple[str, float] | None = None


def signing_key(force_refresh: bool = False) -> str:
    global _cached
    with _lock:
        if not force_refresh and _cached and time.monotonic() - _cached[1] < TTL_SECONDS:
            return _cached[0]
        value = _secrets.get_secret_value(SecretId=SIGNING_SECRET_ID)["SecretString"]
        _cached = (value, time.monotonic())
        return value
