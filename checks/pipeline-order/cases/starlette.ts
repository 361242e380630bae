// Cases of the starlette adapter, moved from the retired rule with the same expectations.
import type { RuleCase } from "../../../src/engine/rule.js";

export function starletteCases(): RuleCase[] {
  const mw = `from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.auth import verify_token


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        claims = await verify_token(token)
        request.state.user = claims
        return await call_next(request)


class TenantMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        user = request.state.user
        if not user.get("tenant_id"):
            return JSONResponse({"error": "no tenant"}, status_code=403)
        request.state.tenant_id = user["tenant_id"]
        return await call_next(request)
`;
  const main = (body: string) => `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.middleware import AuthMiddleware, TenantMiddleware
from app.routes import orders

app = FastAPI(title="orders")
${body}
app.include_router(orders.router)
`;
  const files = (body: string) => [
    { path: "app/middleware.py", code: mw },
    { path: "app/main.py", code: main(body) },
  ];
  return [
    {
      name: "producer added first runs last",
      files: files("app.add_middleware(AuthMiddleware)\napp.add_middleware(TenantMiddleware)\napp.add_middleware(CORSMiddleware, allow_origins=[\"*\"])"),
      expect: ["app/main.py:9"],
    },
    {
      name: "decorator middleware reads state set by a class added before it",
      language: "python" as const,
      code: `import time
import uuid

from fastapi import FastAPI, Request
from starlette.middleware.base import BaseHTTPMiddleware


class CorrelationIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.correlation_id = request.headers.get("x-correlation-id") or str(uuid.uuid4())
        response = await call_next(request)
        response.headers["x-correlation-id"] = request.state.correlation_id
        return response


app = FastAPI()
app.add_middleware(CorrelationIdMiddleware)


@app.middleware("http")
async def access_log(request: Request, call_next):
    log = logger.bind(cid=request.state.correlation_id)
    started = time.monotonic()
    response = await call_next(request)
    log.info("request", ms=(time.monotonic() - started) * 1000)
    return response
`,
      expect: [20],
    },
    {
      name: "outer middleware reads the state only after call_next: the inner one has set it by then",
      language: "python" as const,
      code: `import time
import uuid

from fastapi import FastAPI, Request
from starlette.middleware.base import BaseHTTPMiddleware


class CorrelationIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.correlation_id = request.headers.get("x-correlation-id") or str(uuid.uuid4())
        return await call_next(request)


app = FastAPI()
app.add_middleware(CorrelationIdMiddleware)


@app.middleware("http")
async def access_log(request: Request, call_next):
    started = time.monotonic()
    response = await call_next(request)
    logger.info("request", extra={"cid": getattr(request.state, "correlation_id", None), "ms": (time.monotonic() - started) * 1000})
    return response
`,
      expect: [],
    },
    {
      name: "reader passes public paths straight through first; its later read still runs before the producer",
      files: [
        {
          path: "app/layers.py",
          code: `from starlette.middleware.base import BaseHTTPMiddleware

ANONYMOUS = ("/status", "/metrics")


class SessionLayer(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        request.state.member = await members.from_cookie(request.cookies.get("sid"))
        return await call_next(request)


class PlanLayer(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if request.url.path in ANONYMOUS:
            passthrough = await call_next(request)
            return passthrough
        elif request.method == "OPTIONS":
            return await call_next(request)
        request.state.plan = await plans.for_member(request.state.member)
        return await call_next(request)
`,
        },
        {
          path: "app/asgi.py",
          code: `from starlette.applications import Starlette

from app.layers import PlanLayer, SessionLayer

api = Starlette()
api.add_middleware(SessionLayer)
api.add_middleware(PlanLayer)
`,
        },
      ],
      expect: ["app/asgi.py:7"],
    },
    {
      name: "reads after call_next inside try/finally and a with block see the inner layer's state",
      files: [
        {
          path: "app/layers.py",
          code: `from starlette.middleware.base import BaseHTTPMiddleware


class SessionLayer(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        request.state.member = await members.from_cookie(request.cookies.get("sid"))
        return await call_next(request)


class UsageLayer(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        with timer() as t:
            try:
                response = await call_next(request)
            finally:
                usage.record(getattr(request.state, "member", None), t.elapsed)
        usage.tag(request.state.member)
        return response
`,
        },
        {
          path: "app/asgi.py",
          code: `from starlette.applications import Starlette

from app.layers import SessionLayer, UsageLayer

api = Starlette()
api.add_middleware(SessionLayer)
api.add_middleware(UsageLayer)
`,
        },
      ],
      expect: [],
    },
    {
      name: "decorated middlewares: the later one wraps the earlier, so an earlier-decorated reader runs after the writer ... and vice versa",
      files: [
        {
          path: "app/billing.py",
          code: `from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.middleware("http")
async def authenticate(request: Request, call_next):
    account = await decode_api_key(request.headers.get("x-api-key"))
    if account is None:
        return JSONResponse({"error": "unauthorized"}, status_code=401)
    request.state.account = account
    return await call_next(request)


@app.middleware("http")
async def enforce_plan_limits(request: Request, call_next):
    if await usage.over_limit(request.state.account.id):
        return JSONResponse({"error": "plan limit reached"}, status_code=429)
    return await call_next(request)
`,
        },
        {
          path: "app/main.py",
          code: `import uuid
from fastapi import FastAPI, Request

app = FastAPI()


@app.middleware("http")
async def log_requests(request: Request, call_next):
    log = structlog.get_logger().bind(request_id=request.state.request_id)
    response = await call_next(request)
    log.info("request", status=response.status_code)
    return response


@app.middleware("http")
async def assign_request_id(request: Request, call_next):
    request.state.request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
    return await call_next(request)
`,
        },
      ],
      expect: ["app/billing.py:16"],
    },
    {
      name: "Starlette middleware list with the consumer first",
      language: "python" as const,
      code: `from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware


class SessionMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        request.state.session = await load_session(request.cookies.get("sid"))
        return await call_next(request)


class CsrfMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if request.method == "POST" and request.headers.get("x-csrf") != request.state.session.csrf:
            return PlainTextResponse("forbidden", status_code=403)
        return await call_next(request)


middleware = [
    Middleware(CsrfMiddleware),
    Middleware(SessionMiddleware),
]
app = Starlette(routes=routes, middleware=middleware)
`,
      expect: [20],
    },
    {
      name: "pure ASGI middleware sets scope state; dispatch= function reads it with getattr",
      language: "python" as const,
      code: `from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware


class TenantResolver:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode()
            scope.setdefault("state", {})["tenant"] = host.split(".")[0]
        await self.app(scope, receive, send)


async def enforce_quota(request, call_next):
    tenant = getattr(request.state, "tenant", None)
    if tenant is None or await quota_exceeded(tenant):
        return JSONResponse({"error": "quota"}, status_code=429)
    return await call_next(request)


def create_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(TenantResolver)
    app.add_middleware(BaseHTTPMiddleware, dispatch=enforce_quota)
    return app
`,
      expect: [26],
    },
    {
      name: "correct order: consumer added first, producer last",
      files: files("app.add_middleware(TenantMiddleware)\napp.add_middleware(AuthMiddleware)\napp.add_middleware(CORSMiddleware, allow_origins=[\"*\"])"),
      expect: [],
    },
    {
      name: "Starlette list in the right order (producer first)",
      language: "python" as const,
      code: `from starlette.applications import Starlette
from starlette.middleware import Middleware


class AuthMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        scope.setdefault("state", {})["user"] = await authenticate(scope)
        await self.app(scope, receive, send)


class AuditMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        await audit_log.write(user=request.state.user, path=request.url.path)
        return await call_next(request)


app = Starlette(routes=routes, middleware=[Middleware(AuthMiddleware), Middleware(AuditMiddleware)])
`,
      expect: [],
    },
    {
      name: "app.state (application state) is not request state; route reads request.state",
      language: "python" as const,
      code: `from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.middleware.base import BaseHTTPMiddleware


class DbSessionMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        async with request.app.state.sessionmaker() as session:
            request.state.db = session
            return await call_next(request)


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.sessionmaker = make_sessionmaker()
    yield


app = FastAPI(lifespan=lifespan)
app.add_middleware(DbSessionMiddleware)


@app.get("/orders")
async def list_orders(request: Request):
    return await request.state.db.execute(select(Order))
`,
      expect: [],
    },
    {
      name: "comment and string mention request.state.user; unrelated middleware",
      language: "python" as const,
      code: `from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

app = FastAPI()
# AuthMiddleware (in the gateway) sets request.state.user before we see the request.
app.add_middleware(GZipMiddleware, minimum_size=1000)
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["api.example.com"])
DOC = "middleware order: request.state.user is set upstream"
`,
      expect: [],
    },
  ];
}
