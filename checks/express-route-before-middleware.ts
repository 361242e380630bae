import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { defineRule, type ParsedFile, type Report, type ReviewFacts, type RuleContext } from "../src/engine/rule.js";

// Express docs: "The order of middleware loading is important: middleware functions that are loaded first
// are also executed first" (Writing middleware), and "You define error-handling middleware last, after other
// app.use() and routes calls" (Error handling). A route registered before `app.use(auth)` never passes
// through it, and an error handler registered before the routes never receives their errors.

interface FnFacts {
  sets: Set<string>;
  reads: Set<string>;
  params: number;
}
type Facts = Map<string, FnFacts>;

const ROUTE_METHODS = /^(get|post|put|patch|delete|all|options|head)$/;
const REQUEST_PROPS = /^(user|auth|tenant|tenantId|tenant_id|account|accountId|principal|claims|session|body|cookies|signedCookies|file|files|org|orgId|organization|workspace|currentUser|identity|token|scope|permissions|roles|oidc)$/;
const AUTH_NAME = /auth(?!or)|jwt|passport|session|requireUser|ensureLoggedIn|isAuthenticated|verifyToken|requireLogin|protect|clerk|bearer/i;
const PUBLIC_PATH = /^\/?$|^\/(api\/)?(v\d+\/)?(health\w*|ready\w*|live\w*|status|ping|metrics|version|login|logout|signin|signup|sign-in|sign-up|register|auth|oauth\w*|callback|webhooks?|public|docs|openapi|swagger|favicon|robots|\.well-known|assets|static|sitemap)\b/i;
const SENSITIVE_PATH = /\b(admin|internal|manage\w*|users?|accounts?|tenants?|billing|invoices?|payments?|settings|secrets?|keys|tokens|me|reports?|orders?|projects?|documents?|exports?|customers?|audit\w*)\b/i;
/** Catalogue-like resources that are commonly public even when addressed by id. */
const PUBLIC_RESOURCE = /\b(plans?|pricing|products?|catalog(ue)?|blog|posts?|articles?|pages?|countries|currencies|faqs?|changelog|releases?|share[ds]?)\b/i;
const ERROR_HANDLER_NAME = /^(error|err)\w*(handler|middleware)$|^handle\w*errors?$|^\w*ErrorHandler$/i;

/** Library middleware and what it puts on `req`. */
const LIBRARY_SETS: [RegExp, string[]][] = [
  [/^(express\.)?(json|urlencoded|text|raw)$|^bodyParser\.(json|urlencoded|text|raw)$|^bodyParser$/, ["body"]],
  [/^cookieParser$|^cookie-parser$/, ["cookies", "signedCookies"]],
  [/^(session|expressSession|cookieSession)$/, ["session"]],
  [/^passport\.(session|authenticate)$/, ["user"]],
  [/^(expressjwt|expressJwt|jwt)$/, ["auth", "user"]],
  [/\.(single|array|fields|any)$|^multer$/, ["file", "files"]],
  [/^clerkMiddleware$/, ["auth"]],
];

function fnLike(node: Node): node is Node & { getParameters(): { getName(): string }[] } {
  return Node.isFunctionDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node);
}

/** What a function (and the functions it returns) sets on and reads from `req` / `res.locals`. */
function requestUse(fn: Node): FnFacts {
  const facts: FnFacts = { sets: new Set(), reads: new Set(), params: fnLike(fn) ? fn.getParameters().length : 0 };
  const reqNames = new Set(["req", "request"]);
  for (const inner of [fn, ...fn.getDescendants().filter(fnLike)]) {
    const first = fnLike(inner) ? inner.getParameters()[0]?.getName() : undefined;
    if (first) reqNames.add(first);
  }
  for (const access of fn.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const obj = access.getExpression().getText();
    const prop = access.getName();
    const isReq = reqNames.has(obj) || obj === "res.locals" || obj === "response.locals";
    if (!isReq) continue;
    const parent = access.getParent();
    const assigned = Node.isBinaryExpression(parent) && parent.getLeft() === access && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken;
    if (assigned) facts.sets.add(prop);
    else if (REQUEST_PROPS.test(prop) || obj.endsWith("locals")) facts.reads.add(prop);
  }
  for (const decl of fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer()?.getText();
    const name = decl.getNameNode();
    if (init && reqNames.has(init) && Node.isObjectBindingPattern(name)) {
      for (const el of name.getElements()) {
        const prop = (el.getPropertyNameNode() ?? el.getNameNode()).getText();
        if (REQUEST_PROPS.test(prop)) facts.reads.add(prop);
      }
    }
  }
  for (const s of facts.sets) facts.reads.delete(s);
  return facts;
}

function collect(review: ReviewFacts): Facts {
  const facts: Facts = new Map();
  const put = (name: string | undefined, node: Node) => {
    if (!name) return;
    const use = requestUse(node);
    const prev = facts.get(name);
    if (prev) {
      use.sets.forEach((s) => prev.sets.add(s));
      use.reads.forEach((r) => prev.reads.add(r));
    } else facts.set(name, use);
  };
  for (const file of review.files) {
    if (!file.ts) continue;
    for (const fn of file.ts.getFunctions()) put(fn.getName(), fn);
    for (const decl of file.ts.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
      const init = decl.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init) || Node.isCallExpression(init))) put(decl.getName(), init);
    }
    for (const m of file.ts.getDescendantsOfKind(SyntaxKind.MethodDeclaration)) put(m.getName(), m);
    for (const p of file.ts.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
      const init = p.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) put(p.getName(), init);
    }
  }
  // Router variables (`export const projectsRouter = Router()`): what their routes read, less what their
  // own `router.use(...)` middleware sets, so a mount `app.use("/x", projectsRouter)` can be checked.
  const routers: Facts = new Map();
  for (const file of review.files) {
    if (!file.ts || !EXPRESS_IMPORT.test(file.text)) continue;
    // The same router also under its module's own key (`file:<path>#<name>`, `file:<path>#default` for
    // `module.exports = router` / `export default router`), so a mount resolves it through the import.
    const own: Facts = new Map();
    for (const group of registrations(file.ts)) {
      const receiver = group[0].call.getExpression();
      const name = Node.isPropertyAccessExpression(receiver) ? receiver.getExpression().getText() : "";
      if (!/^[A-Za-z_$][\w$]*$/.test(name) || /^(app|server)$/.test(name)) continue;
      const f = own.get(name) ?? { sets: new Set<string>(), reads: new Set<string>(), params: 0 };
      for (const reg of group) {
        for (const h of reg.handlers) {
          const use = argFacts(h, facts);
          use.sets.forEach((x) => f.sets.add(x));
          if (reg.kind === "route") use.reads.forEach((x) => f.reads.add(x));
        }
      }
      own.set(name, f);
    }
    const def = /(?:module\.exports|export\s+default)\s*=?\s*([A-Za-z_$][\w$]*)\s*;?\s*$/m.exec(file.text)?.[1];
    for (const [name, f] of own) {
      for (const x of f.sets) f.reads.delete(x);
      ROUTER_FACT.add(f);
      facts.set(`file:${stripExt(file.path)}#${name}`, f);
      if (name === def) facts.set(`file:${stripExt(file.path)}#default`, f);
    }
    for (const group of registrations(file.ts)) {
      const receiver = group[0].call.getExpression();
      const name = Node.isPropertyAccessExpression(receiver) ? receiver.getExpression().getText() : "";
      if (!/^[A-Za-z_$][\w$]*$/.test(name) || /^(app|server)$/.test(name)) continue;
      const f = routers.get(name) ?? { sets: new Set<string>(), reads: new Set<string>(), params: 0 };
      for (const reg of group) {
        for (const h of reg.handlers) {
          const use = argFacts(h, facts);
          use.sets.forEach((x) => f.sets.add(x));
          if (reg.kind === "route") use.reads.forEach((x) => f.reads.add(x));
        }
      }
      routers.set(name, f);
    }
  }
  for (const [name, f] of routers) {
    for (const x of f.sets) f.reads.delete(x);
    ROUTER_FACT.add(f);
    facts.set(name, f);
  }
  return facts;
}

/** Facts that describe a router's routes rather than a middleware function. */
const ROUTER_FACT = new WeakSet<FnFacts>();

interface Registration {
  call: CallExpression;
  kind: "route" | "use";
  method: string;
  path?: string;
  /** Middleware/handler arguments (path removed). */
  handlers: Node[];
}

function literalPath(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralText();
  return undefined;
}

function isPathArg(node: Node | undefined): boolean {
  return Boolean(node && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isTemplateExpression(node) || Node.isRegularExpressionLiteral(node) || Node.isArrayLiteralExpression(node)));
}

function expressReceivers(file: SourceFile): Set<string> {
  const names = new Set(["app", "router", "api", "server"]);
  for (const decl of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer()?.getText().replace(/\s+/g, "") ?? "";
    if (/^(express|express\.Router|Router|express\.default)\(/.test(init)) names.add(decl.getName());
  }
  return names;
}

function scopeKey(node: Node): Node {
  return node.getFirstAncestor((a) => Node.isFunctionDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isMethodDeclaration(a)) ?? node.getSourceFile();
}

/** Registrations grouped by receiver and scope, in source order. */
function registrations(file: SourceFile): Registration[][] {
  const receivers = expressReceivers(file);
  const groups = new Map<string, Registration[]>();
  const keys = new Map<Node, number>();
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const expr = call.getExpression();
    if (!Node.isPropertyAccessExpression(expr)) continue;
    const method = expr.getName();
    let target = expr.getExpression();
    let path: string | undefined;
    let args = call.getArguments();
    if (Node.isCallExpression(target) && Node.isPropertyAccessExpression(target.getExpression()) && (target.getExpression() as any).getName() === "route") {
      path = literalPath(target.getArguments()[0]);
      target = (target.getExpression() as any).getExpression();
    } else if (ROUTE_METHODS.test(method) || method === "use") {
      if (isPathArg(args[0])) {
        path = literalPath(args[0]) ?? "<dynamic>";
        args = args.slice(1);
      } else if (method !== "use") continue;
    } else continue;
    if (!Node.isIdentifier(target) && !Node.isPropertyAccessExpression(target)) continue;
    const receiver = target.getText();
    if (!receivers.has(receiver) && !/Router$|^this\.(app|router)$/.test(receiver)) continue;
    if (!(ROUTE_METHODS.test(method) || method === "use") || !args.length) continue;
    const scope = scopeKey(call);
    if (!keys.has(scope)) keys.set(scope, keys.size);
    const key = `${keys.get(scope)}:${receiver}`;
    const list = groups.get(key) ?? [];
    list.push({ call, kind: method === "use" ? "use" : "route", method, path, handlers: args });
    groups.set(key, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.call.getStart() - b.call.getStart());
  return [...groups.values()];
}

function calleeText(node: Node): string {
  if (Node.isCallExpression(node)) return node.getExpression().getText().replace(/\s+/g, "");
  return node.getText();
}

/** Facts for one middleware/handler argument. */
function argFacts(node: Node, facts: Facts): FnFacts {
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return requestUse(node);
  const name = calleeText(node);
  for (const [pattern, sets] of LIBRARY_SETS) if (pattern.test(name)) return { sets: new Set(sets), reads: new Set(), params: 3 };
  const last = name.slice(name.lastIndexOf(".") + 1);
  const known = facts.get(last) ?? facts.get(name);
  if (Node.isCallExpression(node)) {
    // asyncHandler(async (req, res) => ...), authorize("admin"), validate(schema)
    const inner = node.getArguments().filter((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a)).map((a) => requestUse(a));
    const merged: FnFacts = { sets: new Set(known?.sets), reads: new Set(known?.reads), params: known?.params ?? 0 };
    for (const i of inner) {
      i.sets.forEach((s) => merged.sets.add(s));
      i.reads.forEach((r) => merged.reads.add(r));
    }
    return merged;
  }
  return known ?? { sets: new Set(), reads: new Set(), params: 0 };
}

function covers(usePath: string | undefined, routePath: string | undefined): boolean {
  if (!usePath || usePath === "/") return true;
  if (!routePath || routePath === "<dynamic>" || usePath === "<dynamic>") return false;
  return routePath === usePath || routePath.startsWith(usePath.endsWith("/") ? usePath : `${usePath}/`);
}

function isErrorHandler(node: Node, facts: Facts): boolean {
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return node.getParameters().length === 4;
  if (Node.isCallExpression(node)) return ERROR_HANDLER_NAME.test(calleeText(node).replace(/^.*\./, ""));
  if (!Node.isIdentifier(node) && !Node.isPropertyAccessExpression(node)) return false;
  const name = node.getText().slice(node.getText().lastIndexOf(".") + 1);
  return facts.get(name)?.params === 4 || ERROR_HANDLER_NAME.test(name);
}

function isAuthMiddleware(node: Node, f: FnFacts): boolean {
  return AUTH_NAME.test(calleeText(node)) || f.sets.has("user") || f.sets.has("auth") || f.sets.has("principal");
}

function isRouterMount(r: Registration): boolean {
  return r.kind === "use" && r.handlers.some((h) => Node.isIdentifier(h) && /router|routes$/i.test(h.getText()));
}

function label(r: Registration): string {
  const verb = r.kind === "use" ? "use" : r.method.toUpperCase();
  return r.path ? `${verb} ${r.path}` : verb;
}

function useLabel(r: Registration): string {
  const text = r.call.getText().replace(/\s+/g, " ");
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function stripExt(path: string): string {
  return path.replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "");
}

/** Where a local router name comes from: `const x = require("./routes/x")`, `import x from "./routes/x"`, `import { x } from ...`. */
function importedRouterKey(id: Node, filePath: string): string | undefined {
  const name = id.getText();
  const text = id.getSourceFile().getFullText();
  const esc = name.replace(/\$/g, "\\$");
  const m =
    new RegExp(`\\b(?:const|let|var)\\s+${esc}\\s*=\\s*require\\(\\s*["'](\\.[^"']+)["']\\s*\\)`).exec(text) ??
    new RegExp(`\\bimport\\s+${esc}\\s+from\\s*["'](\\.[^"']+)["']`).exec(text);
  const named =
    new RegExp(`\\b(?:const|let|var)\\s*\\{[^}]*\\b${esc}\\b[^}]*\\}\\s*=\\s*require\\(\\s*["'](\\.[^"']+)["']\\s*\\)`).exec(text) ??
    new RegExp(`\\bimport\\s*\\{[^}]*\\b${esc}\\b[^}]*\\}\\s*from\\s*["'](\\.[^"']+)["']`).exec(text);
  const spec = m?.[1] ?? named?.[1];
  if (!spec) return undefined;
  const parts = filePath.split("/").slice(0, -1);
  for (const seg of spec.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return `file:${stripExt(parts.join("/"))}#${m ? "default" : name}`;
}

let currentPath = "";

function routerFacts(h: Node, facts: Facts): FnFacts | undefined {
  if (!Node.isIdentifier(h)) return undefined;
  const key = importedRouterKey(h, currentPath);
  const viaImport = key ? facts.get(key) : undefined;
  if (viaImport && ROUTER_FACT.has(viaImport)) return viaImport;
  const byName = facts.get(h.getText());
  return byName && ROUTER_FACT.has(byName) ? byName : undefined;
}

function mountedReads(reg: Registration, facts: Facts): string[] {
  return reg.handlers.flatMap((h) => [...(routerFacts(h, facts)?.reads ?? [])]);
}

function checkGroup(regs: Registration[], facts: Facts, reports: Report[]): void {
  regs.forEach((reg, i) => {
    const later = regs.slice(i + 1);
    if (reg.kind === "use" && reg.handlers.some((h) => isErrorHandler(h, facts))) {
      const route = later.find((r) => r.kind === "route" || isRouterMount(r));
      if (route) {
        reports.push({
          line: reg.call.getStartLineNumber(),
          message: `Error-handling middleware \`${useLabel(reg)}\` is registered before \`${label(route)}\` (line ${route.call.getStartLineNumber()}): Express only passes errors to error handlers registered after the route, so errors from the later routes get the default handler.`,
        });
      }
      return;
    }
    if (reg.kind !== "route" && !isRouterMount(reg)) return;
    const own = reg.handlers.map((h) => argFacts(h, facts));
    const before = regs.slice(0, i).filter((r) => r.kind === "use" && covers(r.path, reg.path)).flatMap((r) => r.handlers.map((h) => argFacts(h, facts)));
    const provided = new Set([...before, ...own.slice(0, -1)].flatMap((f) => [...f.sets]));
    // A mounted router needs what its own routes read (collected per router variable across files).
    const reads = new Set(reg.kind === "route" ? own.flatMap((f) => [...f.reads]) : mountedReads(reg, facts));
    for (const use of later.filter((r) => r.kind === "use" && covers(r.path, reg.path))) {
      for (const h of use.handlers) {
        const f = argFacts(h, facts);
        const needed = [...f.sets].find((s) => reads.has(s) && !provided.has(s));
        if (needed) {
          reports.push({
            line: reg.call.getStartLineNumber(),
            message: `\`${label(reg)}\` ${reg.kind === "route" ? "reads" : "mounts routes that read"} \`req.${needed}\`, but it is registered before \`${useLabel(use)}\` (line ${use.call.getStartLineNumber()}), which sets it. Express runs middleware and routes in registration order, so this handler runs without it.`,
          });
          return;
        }
      }
    }
    const protectedBefore = [...before, ...own.slice(0, -1)].some((f) => f.sets.has("user") || f.sets.has("auth")) ||
      reg.handlers.slice(0, -1).some((h) => AUTH_NAME.test(calleeText(h)));
    if (protectedBefore || PUBLIC_PATH.test(reg.path ?? "/")) return;
    // A GET above auth is often a deliberate public page; a write or an admin/account path rarely is.
    // A GET of one resource by a route parameter (`/reports/:id`) serves that record to anyone who guesses an id.
    const byId = reg.kind === "route" && /\/:\w+/.test(reg.path ?? "") && !PUBLIC_RESOURCE.test(reg.path ?? "");
    const sensitive = (reg.kind === "route" && !/^(get|head|options)$/.test(reg.method)) || SENSITIVE_PATH.test(reg.path ?? "") || byId;
    if (!sensitive) return;
    const auth = later.find((r) => r.kind === "use" && covers(r.path, reg.path) && r.handlers.some((h) => isAuthMiddleware(h, argFacts(h, facts)) && !isRouterMount(r)));
    if (auth) {
      reports.push({
        line: reg.call.getStartLineNumber(),
        message: `\`${label(reg)}\` is registered before \`${useLabel(auth)}\` (line ${auth.call.getStartLineNumber()}). Express matches in registration order, so this route is served without that authentication.`,
      });
    }
  });
}

const EXPRESS_IMPORT = /from\s+["']express["']|require\(\s*["']express["']\s*\)/;

function detect(file: ParsedFile, ctx: RuleContext<Facts>): Report[] {
  if (!EXPRESS_IMPORT.test(file.text)) return [];
  const reports: Report[] = [];
  currentPath = file.path;
  for (const group of registrations(file.ts!)) checkGroup(group, ctx.facts, reports);
  currentPath = "";
  return reports;
}

export default defineRule<Facts>({
  meta: {
    id: "express-route-before-middleware",
    category: "framework",
    languages: ["typescript"],
    severity: "failure",
    description: "An Express route is registered before the middleware it depends on (auth, tenant context, body parsing), or an error handler before the routes.",
    why: "Express runs `app.use` middleware and routes strictly in registration order. A route added above `app.use(authenticate)` is served without authentication and sees no `req.user`; one above `express.json()` sees no `req.body`; an error handler added above the routes never receives their errors.",
    fix: "Register body parsing, authentication and tenant middleware before the routes that need them (or attach them to the route), and register error-handling middleware last, after every route and router.",
    docs: [
      "https://expressjs.com/en/guide/writing-middleware.html",
      "https://expressjs.com/en/guide/using-middleware.html",
      "https://expressjs.com/en/guide/error-handling.html",
    ],
  },
  collect,
  detect: { typescript: detect },
  cases: CASES(),
});

function CASES() {
  const authTs = `import type { NextFunction, Request, Response } from "express";
import jwt from "jsonwebtoken";

export function authenticate(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization?.replace(/^Bearer /, "");
  if (!token) return res.status(401).json({ error: "unauthenticated" });
  const claims = jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ["RS256"] }) as Claims;
  req.user = { id: claims.sub, tenantId: claims.tenant_id };
  next();
}
`;
  const app = (body: string) => `import express from "express";
import helmet from "helmet";
import { authenticate } from "./middleware/auth";
import { listOrders, createOrder } from "./orders/controller";

const app = express();
app.use(helmet());
${body}

export default app;
`;
  const controller = `import type { Request, Response } from "express";
import { orders } from "./repository";

export async function listOrders(req: Request, res: Response) {
  const items = await orders.list(req.user.tenantId);
  res.json({ items });
}

export async function createOrder(req: Request, res: Response) {
  const order = await orders.create(req.user.tenantId, req.body);
  res.status(201).json(order);
}
`;
  const files = (body: string) => [
    { path: "src/middleware/auth.ts", code: authTs },
    { path: "src/orders/controller.ts", code: controller },
    { path: "src/app.ts", code: app(body) },
  ];
  return [
    {
      name: "route reading req.user registered before app.use(authenticate) (cross-file)",
      files: files(`app.use(express.json());
app.get("/api/orders", listOrders);
app.use(authenticate);
app.post("/api/orders", createOrder);`),
      expect: ["src/app.ts:9"],
    },
    {
      name: "route reading req.body registered before express.json()",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./auth";
import { invoices } from "./invoices";

const app = express();
app.use(authenticate);

app.post("/api/invoices", async (req, res) => {
  const { customerId, lines } = req.body;
  const invoice = await invoices.create(req.user.tenantId, customerId, lines);
  res.status(201).json(invoice);
});

app.use(express.json({ limit: "1mb" }));

app.listen(3000);
`,
      expect: [8],
    },
    {
      name: "error handler registered before the routes",
      language: "typescript" as const,
      code: `import express, { type NextFunction, type Request, type Response } from "express";
import { logger } from "./logger";
import { ordersRouter } from "./orders/router";

const app = express();
app.use(express.json());

app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
  logger.error({ err, path: req.path }, "unhandled error");
  res.status(500).json({ error: "internal" });
});

app.use("/api/orders", ordersRouter);
app.get("/api/status", (_req, res) => res.json({ ok: true }));

export default app;
`,
      expect: [8],
    },
    {
      name: "router: admin route above router.use(requireAuth)",
      language: "typescript" as const,
      code: `import { Router } from "express";
import { requireAuth } from "../middleware/require-auth";
import * as users from "./users.service";

export const adminRouter = Router();

adminRouter.delete("/users/:id", async (req, res) => {
  await users.remove(req.params.id);
  res.status(204).end();
});

adminRouter.use(requireAuth);

adminRouter.get("/users", async (_req, res) => {
  res.json(await users.list());
});
`,
      expect: [7],
    },
    {
      name: "tenant context set by a later middleware, read via destructuring",
      language: "typescript" as const,
      code: `import express from "express";

const app = express();
app.use(express.json());

app.get("/api/reports/usage", async (req, res) => {
  const { tenantId } = req;
  res.json(await usage.forTenant(tenantId));
});

app.use(function tenantContext(req, _res, next) {
  req.tenantId = String(req.headers["x-tenant-id"]);
  next();
});
`,
      expect: [6],
    },
    {
      name: "admin router mounted before app.use(authenticate)",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./middleware/auth";
import { adminRouter } from "./admin/router";
import { ordersRouter } from "./orders/router";

export function buildApp() {
  const app = express();
  app.use(express.json());
  app.use("/api/admin", adminRouter);
  app.use(authenticate);
  app.use("/api/orders", ordersRouter);
  return app;
}
`,
      expect: [9],
    },
    {
      name: "router mounted before express.json(): its routes (another file) read req.body",
      files: MOUNT_FILES(`app.use(requireUser);\napp.use("/api/widgets", widgetsRouter);\napp.use(express.json());`),
      expect: ["src/app.ts:8"],
    },
    {
      name: "router on a neutral path mounted before the auth middleware its routes read req.user from",
      files: MOUNT_FILES(`app.use(express.json());\napp.use("/api/widgets", widgetsRouter);\napp.use(requireUser);`),
      expect: ["src/app.ts:8"],
    },
    {
      name: "GET of one record by route parameter above auth; a product page by slug stays public",
      language: "typescript" as const,
      code: `import express from "express";
import { requireUser } from "./auth";
const app = express();
app.get("/api/widgets/:widgetId", async (req, res) => res.json(await widgets.get(req.params.widgetId)));
app.get("/api/products/:slug", async (req, res) => res.json(await products.get(req.params.slug)));
app.get("/api/widgets", async (_req, res) => res.json(await widgets.count()));
app.use(requireUser);
`,
      expect: [4],
    },
    {
      name: "routers imported by require/named import (each module's router is called \`router\`) mounted before the middleware their routes need",
      files: [
        { path: "src/routes/orders.js", code: `const express = require("express");
const router = express.Router();
router.get("/", async (req, res) => res.json(await list(req.orgId)));
module.exports = router;
` },
        { path: "src/routes/status.js", code: `const express = require("express");
const router = express.Router();
router.get("/", (req, res) => res.json({ ok: true }));
module.exports = router;
` },
        { path: "src/routes/items.ts", code: `import { Router } from "express";
export const itemRoutes = Router();
itemRoutes.post("/", async (req, res) => res.status(201).json(await create(req.body)));
` },
        { path: "src/mw/org.js", code: `function orgContext(req, res, next) {
  req.orgId = req.headers["x-org"];
  next();
}
module.exports = { orgContext };
` },
        { path: "src/app.js", code: `const express = require("express");
const ordersRouter = require("./routes/orders");
const statusRouter = require("./routes/status");
const { itemRoutes } = require("./routes/items");
const { orgContext } = require("./mw/org");

const app = express();
app.use("/status", statusRouter);
app.use("/orders", ordersRouter);
app.use("/items", itemRoutes);
app.use(express.json());
app.use(orgContext);
module.exports = app;
` },
      ],
      expect: ["src/app.js:10", "src/app.js:9"],
    },
    {
      name: "router that authenticates itself (router.use) mounted before the global auth",
      files: MOUNT_FILES(`app.use(express.json());\napp.use("/api/gadgets", gadgetsRouter);\napp.use(requireUser);`),
      expect: [],
    },
    {
      name: "public catalogue GET above auth is left alone",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./middleware/auth";

const app = express();
app.get("/api/plans", async (_req, res) => res.json(await plans.listPublic()));
app.use(authenticate);
app.post("/api/subscriptions", async (req, res) => res.json(await subscribe(req.user.id, req.body.planId)));
`,
      expect: [],
    },
    {
      name: "Koa router (not Express) is out of scope",
      language: "typescript" as const,
      code: `import Koa from "koa";
import Router from "@koa/router";

const app = new Koa();
const router = new Router();
router.post("/api/users", async (ctx) => { ctx.body = await users.create(ctx.request.body); });
router.use(requireAuth);
app.use(router.routes());
`,
      expect: [],
    },
    {
      name: "correct order: parsers and auth before routes, error handler last",
      files: files(`app.use(express.json());
app.use(authenticate);
app.get("/api/orders", listOrders);
app.post("/api/orders", createOrder);
app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ error: err.message });
});`),
      expect: [],
    },
    {
      name: "public health and login routes above auth are intentional",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./middleware/auth";
import { login } from "./auth/login";
import { api } from "./api";

const app = express();
app.use(express.json());

app.get("/healthz", (_req, res) => res.send("ok"));
app.post("/auth/login", login);
app.post("/webhooks/stripe", express.raw({ type: "application/json" }), stripeWebhook);

app.use(authenticate);
app.use("/api", api);
`,
      expect: [],
    },
    {
      name: "route with its own auth middleware, registered before a global one",
      language: "typescript" as const,
      code: `import express from "express";
import { requireAuth } from "./auth";

const app = express();
app.use(express.json());

app.get("/api/me", requireAuth, (req, res) => {
  res.json({ id: req.user.id });
});

// note: app.use(requireAuth) below protects everything registered after it
app.use(requireAuth);
app.get("/api/orders", (req, res) => res.json([]));
`,
      expect: [],
    },
    {
      name: "settings getter app.get('env') and strings mentioning app.use(auth)",
      language: "typescript" as const,
      code: `import express from "express";

const app = express();
const env = app.get("env");
const doc = "register app.use(authenticate) before app.get('/orders')";

app.use(express.json());
app.use(authenticate);
app.get("/orders", (req, res) => res.json({ env, doc, user: req.user }));
`,
      expect: [],
    },
  ];
}

function MOUNT_FILES(body: string) {
  return [
    {
      path: "src/routes/widgets.ts",
      changed: false,
      code: `import { Router } from "express";
export const widgetsRouter = Router();
widgetsRouter.get("/", async (req, res) => res.json(await widgets.list(req.user.orgId)));
widgetsRouter.post("/", async (req, res) => res.status(201).json(await widgets.create(req.user.orgId, req.body)));
`,
    },
    {
      path: "src/routes/gadgets.ts",
      changed: false,
      code: `import { Router } from "express";
import { requireUser } from "../auth";
export const gadgetsRouter = Router();
gadgetsRouter.use(requireUser);
gadgetsRouter.get("/", async (req, res) => res.json(await list(req.user.orgId)));
`,
    },
    { path: "src/auth.ts", changed: false, code: `export function requireUser(req, res, next) { req.user = verify(req.headers.authorization); next(); }\n` },
    {
      path: "src/app.ts",
      code: `import express from "express";
import { widgetsRouter } from "./routes/widgets";
import { gadgetsRouter } from "./routes/gadgets";
import { requireUser } from "./auth";

const app = express();
${body}
export default app;
`,
    },
  ];
}
