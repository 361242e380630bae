import asyncio
import json
import logging

import httpx
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from tenants.auth import tenant_required
from tenants.models import WebhookEndpoint

logger = logging.getLogger(__name__)

# One pooled client for the process, with explicit timeouts.
_http = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0), limits=httpx.Limits(max_connections=50))
_PING_CONCURRENCY = asyncio.Semaphore(8)


@require_POST
@tenant_required
def bulk_enable(request: HttpRequest) -> JsonResponse:
    ids = {int(i) for i in json.loads(request.body)["endpoint_ids"]}
    with transaction.atomic():
        endpoints = list(WebhookEndpoint.objects.select_for_update().filter(tenant=request.tenant, id__in=ids))
        if {e.id for e in endpoints} != ids:
            return JsonResponse({"error": "unknown endpoint id"}, status=404)
        WebhookEndpoint.objects.filter(tenant=request.tenant, id__in=ids).update(enabled=True)
    logger.info(
        "webhook endpoints enabled",
        extra={"request_id": request.request_id, "tenant_id": request.tenant.id, "count": len(ids)},
    )
    return JsonResponse({"enabled": sorted(ids)})


async def _ping(url: str) -> int:
    async with _PING_CONCURRENCY:
        try:
            resp = await _http.post(url, json={"type": "ping"})
            return resp.status_code
        except httpx.HTTPError:
            return 0


@require_POST
@tenant_required
async def ping_all(request: HttpRequest) -> JsonResponse:
    endpoints = [e async for e in WebhookEndpoint.objects.filter(tenant=request.tenant, enabled=True)[:100]]
    statuses = await asyncio.gather(*(_ping(e.url) for e in endpoints))
    logger.info(
        "webhook endpoints pinged",
        extra={"request_id": request.request_id, "tenant_id": request.tenant.id, "count": len(endpoints)},
    )
    return JsonResponse({str(e.id): s for e, s in zip(endpoints, statuses)})
