import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type ReviewFacts, type RuleContext } from "../src/engine/rule.js";
import { descendants, line } from "./_lib/tree.js";

// FastAPI docs ("Multiple middleware execution order"): with `@app.middleware()` or `app.add_middleware()`
// "each new middleware wraps the application, forming a stack. The last middleware added is the outermost,
// and the first is the innermost. On the request path, the outermost middleware runs first."
// Starlette's own `middleware=[...]` list is the other way round: the first entry is the outermost, and
// `add_middleware` inserts in front of that list (starlette/applications.py: `user_middleware.insert(0, ...)`).

interface Unit {
  writes: Set<string>;
  reads: Set<string>;
}
type Units = Map<string, Unit>;

interface Step {
  name: string;
  line: number;
  label: string;
}

const REQUEST_OBJ = /^(request|req|conn|connection|websocket|ws|http_request|Request\(scope(,\s*receive)?\))$/;

function str(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "string") return undefined;
  return node.namedChildren.filter((c) => c?.type === "string_content").map((c) => c!.text).join("");
}

/** `request.state.<attr>` -> attr */
function stateAttr(node: Node): string | undefined {
  if (node.type !== "attribute") return undefined;
  const obj = node.childForFieldName("object");
  if (obj?.type !== "attribute" || obj.childForFieldName("attribute")?.text !== "state") return undefined;
  if (!REQUEST_OBJ.test(obj.childForFieldName("object")?.text ?? "")) return undefined;
  return node.childForFieldName("attribute")?.text;
}

/** `scope["state"]["x"]` or `scope.setdefault("state", {})["x"]` -> x */
function scopeStateKey(node: Node): string | undefined {
  if (node.type !== "subscript") return undefined;
  const value = node.childForFieldName("value");
  const isState =
    (value?.type === "subscript" && str(value.childForFieldName("subscript")) === "state") ||
    (value?.type === "call" && /\.setdefault$/.test(value.childForFieldName("function")?.text ?? "") && str(value.childForFieldName("arguments")?.namedChildren[0]) === "state");
  return isState ? str(node.childForFieldName("subscript")) : undefined;
}

function isAssignTarget(node: Node): boolean {
  const parent = node.parent;
  return Boolean(parent && (parent.type === "assignment" || parent.type === "augmented_assignment") && parent.childForFieldName("left")?.equals(node));
}

/**
 * Where the rest of the stack runs: each `call_next(request)` (or `self.app(scope, ...)`) in a dispatch function.
 * `request.state` is the per-request `scope["state"]` dict shared by every layer, so a read after such a call sees what
 * inner middleware set (checked against Starlette 0.26), provided the call is on every path to the read.
 */
function downstreamCalls(body: Node): { fn: Node; calls: Node[] }[] {
  const out: { fn: Node; calls: Node[] }[] = [];
  for (const fn of [body, ...descendants(body, "function_definition")]) {
    if (fn.type !== "function_definition") continue;
    const params = (fn.childForFieldName("parameters")?.namedChildren ?? []).map((p) => (p?.type === "identifier" ? p.text : p?.namedChildren[0]?.text ?? ""));
    const next = params.find((p) => /^(call_next|next|call_next_\w*)$/.test(p)) ?? "call_next";
    const calls = descendants(fn, "call").filter((c) => {
      const callee = c.childForFieldName("function")?.text ?? "";
      return callee === next || callee === "self.app";
    });
    if (calls.length) out.push({ fn, calls });
  }
  return out;
}

// Statements that pass control straight on: a downstream call nested only in these runs on every path past them.
// A call under an `if`/`else`/`except`/loop, or in a `return` (`if public: return await call_next(request)`), does not.
const STRAIGHT = /^(block|expression_statement|assignment|augmented_assignment|await|call|argument_list|parenthesized_expression|with_statement|with_clause|with_item|as_pattern|as_pattern_target|try_statement|finally_clause|keyword_argument|pattern_list|expression_list|tuple)$/;

function dominates(call: Node, node: Node): boolean {
  if (call.endIndex > node.startIndex) return false;
  for (let cur = call.parent; cur; cur = cur.parent) {
    if (cur.startIndex <= node.startIndex && node.endIndex <= cur.endIndex) return true;
    if (!STRAIGHT.test(cur.type)) return false;
  }
  return false;
}

function afterDownstream(node: Node, ends: { fn: Node; calls: Node[] }[]): boolean {
  for (let cur = node.parent; cur; cur = cur.parent) {
    if (cur.type !== "function_definition") continue;
    const e = ends.find((x) => x.fn.equals(cur!));
    return Boolean(e && e.calls.some((c) => dominates(c, node)));
  }
  return false;
}

function stateUse(body: Node): Unit {
  const unit: Unit = { writes: new Set(), reads: new Set() };
  const ends = downstreamCalls(body);
  for (const node of descendants(body, ["attribute", "subscript"])) {
    const key = stateAttr(node) ?? scopeStateKey(node);
    if (!key) continue;
    if (isAssignTarget(node)) unit.writes.add(key);
    else if (!afterDownstream(node, ends)) unit.reads.add(key);
  }
  for (const call of descendants(body, "call")) {
    const fn = call.childForFieldName("function")?.text;
    const args = call.childForFieldName("arguments")?.namedChildren ?? [];
    if (!/^(getattr|setattr|hasattr)$/.test(fn ?? "") || !args[0] || args[0].type !== "attribute") continue;
    const obj = args[0];
    if (obj.childForFieldName("attribute")?.text !== "state" || !REQUEST_OBJ.test(obj.childForFieldName("object")?.text ?? "")) continue;
    const key = str(args[1]);
    if (key && fn === "setattr") unit.writes.add(key);
    else if (key && !afterDownstream(call, ends)) unit.reads.add(key);
  }
  for (const w of unit.writes) unit.reads.delete(w);
  return unit;
}

function collect(review: ReviewFacts): Units {
  const units: Units = new Map();
  for (const file of review.files) {
    if (file.language !== "python" || !file.tree) continue;
    for (const def of descendants(file.tree.rootNode, ["class_definition", "function_definition"])) {
      if (def.type === "function_definition" && def.parent?.parent?.type === "class_definition") continue;
      const name = def.childForFieldName("name")?.text;
      if (!name) continue;
      const use = stateUse(def);
      if (use.writes.size || use.reads.size) units.set(name, use);
    }
  }
  return units;
}

function lastName(node: Node | null | undefined): string {
  const text = node?.text ?? "";
  return text.slice(text.lastIndexOf(".") + 1);
}

function scopeOf(node: Node): Node {
  for (let cur = node.parent; cur; cur = cur.parent) if (cur.type === "function_definition" || cur.type === "module") return cur;
  return node;
}

/** The list of `Middleware(Cls, ...)` entries passed as `middleware=` to the app constructor, outermost first. */
function constructorSteps(call: Node, file: ParsedFile): Step[] {
  const kw = call.childForFieldName("arguments")?.namedChildren.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "middleware");
  let list = kw?.childForFieldName("value");
  if (list?.type === "identifier") {
    const name = list.text;
    const assign = descendants(scopeOf(call), "assignment").find((a) => a.childForFieldName("left")?.text === name && a.startIndex < call.startIndex);
    list = assign?.childForFieldName("right") ?? undefined;
  }
  if (!list || list.type !== "list") return [];
  return list.namedChildren
    .filter((n): n is Node => n?.type === "call" && lastName(n.childForFieldName("function")) === "Middleware")
    .map((n) => {
      const args = n.childForFieldName("arguments")?.namedChildren ?? [];
      return { name: middlewareName(args), line: line(n), label: `Middleware(${lastName(args[0])})` };
    });
}

/** `Cls`, or the `dispatch=` function of a BaseHTTPMiddleware. */
function middlewareName(args: (Node | null)[]): string {
  const dispatch = args.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "dispatch");
  return dispatch ? lastName(dispatch.childForFieldName("value")) : lastName(args[0]);
}

/** Registration steps per app object and scope, in request order (first runs first). */
function appStacks(file: ParsedFile): Step[][] {
  const added = new Map<string, Step[]>();
  const built = new Map<string, Step[]>();
  const key = (node: Node, receiver: string) => `${scopeOf(node).id}:${receiver}`;
  for (const call of descendants(file.tree!.rootNode, "call")) {
    const fn = call.childForFieldName("function");
    const args = call.childForFieldName("arguments")?.namedChildren ?? [];
    if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "add_middleware") {
      const receiver = fn.childForFieldName("object")?.text ?? "";
      const list = added.get(key(call, receiver)) ?? [];
      list.push({ name: middlewareName(args), line: line(call), label: `add_middleware(${lastName(args[0])})` });
      added.set(key(call, receiver), list);
    } else if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "middleware" && call.parent?.type === "decorator") {
      const def = call.parent.parent?.childForFieldName("definition");
      const receiver = fn.childForFieldName("object")?.text ?? "";
      const name = def?.childForFieldName("name")?.text ?? "";
      const list = added.get(key(call, receiver)) ?? [];
      list.push({ name, line: line(call), label: `@${receiver}.middleware ${name}` });
      added.set(key(call, receiver), list);
    } else if (/^(FastAPI|Starlette)$/.test(lastName(fn)) && call.parent?.type === "assignment") {
      const receiver = call.parent.childForFieldName("left")?.text ?? "";
      built.set(key(call, receiver), constructorSteps(call, file));
    }
  }
  const stacks: Step[][] = [];
  for (const k of new Set([...added.keys(), ...built.keys()])) stacks.push([...(added.get(k) ?? []).reverse(), ...(built.get(k) ?? [])]);
  return stacks;
}

function detect(file: ParsedFile, ctx: RuleContext<Units>): Report[] {
  if (!ctx.facts.size) return [];
  const reports: Report[] = [];
  for (const steps of appStacks(file)) {
    steps.forEach((step, i) => {
      for (const key of ctx.facts.get(step.name)?.reads ?? []) {
        if (steps.slice(0, i).some((s) => ctx.facts.get(s.name)?.writes.has(key))) continue;
        const producer = steps.slice(i + 1).find((s) => ctx.facts.get(s.name)?.writes.has(key));
        if (!producer) continue;
        reports.push({
          line: step.line,
          message: `\`${step.label}\` reads \`request.state.${key}\`, but it runs before \`${producer.label}\` (line ${producer.line}), which sets it: Starlette runs the last \`add_middleware\` first (and a \`middleware=[...]\` list first to last). The attribute is missing when it is read.`,
        });
      }
    });
  }
  return reports;
}

export default defineRule<Units>({
  meta: {
    id: "starlette-middleware-order",
    category: "framework",
    languages: ["python"],
    severity: "failure",
    description: "A Starlette/FastAPI middleware reads `request.state.x` before the middleware that sets it runs.",
    why: "`add_middleware` and `@app.middleware` stack in reverse: the middleware added last runs first. Registering the producer of `request.state.x` before its consumer makes the consumer run first, so it raises AttributeError (a 500) or treats every request as anonymous.",
    fix: "Add the consumer first and the producer after it (the last `add_middleware` is the outermost), or list the producer first in `middleware=[...]`. Test through the full app with its real middleware stack.",
    docs: [
      "https://fastapi.tiangolo.com/tutorial/middleware/#multiple-middleware-execution-order",
      "https://www.starlette.io/middleware/",
    ],
  },
  collect,
  detect: { python: detect },
  cases: CASES(),
});

function CASES() {
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
