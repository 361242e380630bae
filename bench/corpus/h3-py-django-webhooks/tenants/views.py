import json
import logging

import aiohttp
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from tenants.auth import tenant_required
from tenants.models import DeliveryAttempt, WebhookEndpoint
from tenants.storage import Scope, archive_payload

logger = logging.getLogger(__name__)


@require_POST
@tenant_required
def bulk_disable(request: HttpRequest) -> JsonResponse:
    ids = json.loads(request.body)["endpoint_ids"]
    updated = WebhookEndpoint.objects.filter(id__in=ids).update(enabled=False)  # expect: batch-without-tenant-check
    logger.info("disabled %d webhook endpoints", updated)  # expect: unstructured-logging
    return JsonResponse({"disabled": updated})


@require_POST
@tenant_required
async def redeliver(request: HttpRequest) -> JsonResponse:
    tenant = request.tenant
    failed = [
        a
        async for a in DeliveryAttempt.objects.filter(endpoint__tenant=tenant, status="failed").select_related("endpoint")[:50]
    ]
    results = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:  # expect: client-per-request
        for attempt in failed:
            async with session.post(  # expect: network-call-in-loop
                attempt.endpoint.url,
                data=attempt.payload,
                headers={"content-type": "application/json", "x-webhook-id": str(attempt.id)},
            ) as resp:
                results.append({"attempt": attempt.id, "status": resp.status})
    archive_payload(Scope.TENANT, f"redeliveries/{request.request_id}.json", json.dumps(results).encode(), tenant.id)
    logger.info("redelivered webhooks", extra={"request_id": request.request_id, "tenant_id": tenant.id, "count": len(results)})
    return JsonResponse({"results": results})
