from __future__ import annotations

import asyncio
import time

import aioboto3


class CachedSecret:
    """Secrets Manager value cached in-process; refreshed after `ttl` seconds."""

    def __init__(self, session: aioboto3.Session, secret_id: str, ttl: float = 600.0) -> None:
        self._session = session
        self._secret_id = secret_id
        self._ttl = ttl
        self._value: str | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._value is not None and time.monotonic() - self._fetched_at < self._ttl

    async def get(self) -> str:
        if self._fresh():
            return self._value  # type: ignore[return-value]
        async with self._lock:
            if not self._fresh():
                async with self._session.client("secretsmanager") as client:
                    resp = await client.get_secret_value(SecretId=self._secret_id)
                self._value = resp["SecretString"]
                self._fetched_at = time.monotonic()
        return self._value  # type: ignore[return-value]
