import asyncio
import logging
import random

import httpx

log = logging.getLogger("reports.webhooks")
_client = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0))
MAX_ATTEMPTS = 5


async def notify_export_ready(url: str, payload: dict, correlation_id: str) -> bool:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = await _client.post(url, json=payload, headers={"x-correlation-id": correlation_id})
            if resp.status_code < 500:
                return resp.is_success
        except httpx.TransportError:
            pass
        if attempt < MAX_ATTEMPTS:
            await asyncio.sleep(min(30.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.0))
    log.error("export webhook gave up", extra={"correlation_id": correlation_id, "url": url, "attempts": MAX_ATTEMPTS})
    raise RuntimeError("export webhook failed after retries")
