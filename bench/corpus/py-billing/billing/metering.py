import logging
from datetime import datetime, timezone

from starlette.middleware.base import BaseHTTPMiddleware

log = logging.getLogger(__name__)


class MeteringMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, store):
        super().__init__(app)
        self.store = store

    async def dispatch(self, request, call_next):
        response = await call_next(request)
        await self.store.record_usage(  # expect: charge-on-failed-request
            tenant_id=request.state.tenant_id,
            route=request.url.path,
            at=datetime.now(timezone.utc),
        )
        return response


class SuccessfulCallMetering(BaseHTTPMiddleware):
    def __init__(self, app, store):
        super().__init__(app)
        self.store = store

    async def dispatch(self, request, call_next):
        response = await call_next(request)
        if response.status_code < 500 and request.url.path not in ("/healthz", "/readyz"):
            await self.store.record_usage(
                tenant_id=request.state.tenant_id,
                route=request.url.path,
                at=datetime.now(timezone.utc),
            )
        return response
