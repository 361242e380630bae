import time

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from billing.usage import UsageRecorder


class MeteringMiddleware(BaseHTTPMiddleware):
    """Counts every API call against the caller's tenant (one unit per call)."""

    def __init__(self, app, recorder: UsageRecorder) -> None:
        super().__init__(app)
        self.recorder = recorder

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        principal = getattr(request.state, "principal", None)
        if principal is not None:
            await self.recorder.record(  # expect: charge-on-failed-request
                tenant_id=principal.tenant_id,
                route=request.url.path,
                units=1,
                duration_ms=int((time.perf_counter() - started) * 1000),
                request_id=request.state.request_id,
            )
        return response
