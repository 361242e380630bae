// Express and Koa adapter. Express: "The order of middleware loading is important: middleware functions that
// are loaded first are also executed first" (https://expressjs.com/en/guide/writing-middleware.html), and
// "You define error-handling middleware last, after other app.use() and routes calls"
// (https://expressjs.com/en/guide/error-handling.html); passport sets `req.user`
// (https://www.passportjs.org/concepts/authentication/middleware/), express-jwt sets `req.auth`
// (https://github.com/auth0/express-jwt#usage). Koa runs `app.use` middleware in registration order, each
// awaiting `next()` downstream (https://koajs.com/#application), and @koa/router's `router.use` middleware
// runs for the routes registered after it; koa-jwt sets `ctx.state.user`
// (https://github.com/koajs/jwt#usage).
import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import type { ParsedFile, ReviewFacts } from "../../../src/engine/rule.js";
import { guessIdentity } from "./guess.js";
import { isSensitiveRoute } from "./http.js";
import type { Pipeline, PipelineRoute, PipelineStep } from "./model.js";
import { compactText, enclosingFunctions } from "../ts.js";

interface FnFacts {
  sets: Set<string>;
  reads: Set<string>;
  params: number;
  /** Defined in a file the PR changed (false: an unchanged repository file). */
  changed?: boolean;
  /** For a value built by a call (`const errorHandler = morgan(format)`): the function called. */
  madeBy?: string;
}
export type Facts = Map<string, FnFacts>;

const ROUTE_METHODS = /^(get|post|put|patch|delete|all|options|head)$/;
export const REQUEST_PROPS = /^(user|auth|tenant|tenantId|tenant_id|account|accountId|principal|claims|session|body|cookies|signedCookies|file|files|org|orgId|organization|workspace|currentUser|identity|token|scope|permissions|roles|oidc)$/;
export const AUTH_NAME = /auth(?!or)|jwt|passport|session|requireUser|ensureLoggedIn|isAuthenticated|verifyToken|requireLogin|protect|clerk|bearer/i;
const ERROR_HANDLER_NAME = /^(error|err)\w*(handler|middleware)$|^handle\w*errors?$|^\w*ErrorHandler$/i;
/**
 * Library middleware factories whose middleware takes (req, res, next): request loggers and the like, whatever the
 * variable holding one is called (`const errorHandler = morgan(errorFormat, { skip })` logs error responses; it
 * handles no error). express-winston's `errorLogger` is the one logger that is error middleware.
 */
const PLAIN_MIDDLEWARE_FACTORY = /^(morgan|pinoHttp|pino|expressPino|expressWinston\.logger|winstonExpress|helmet|cors|compression|rateLimit|slowDown|express\.(json|urlencoded|static|text|raw)|bodyParser\.\w+|serveStatic|responseTime|requestId|addRequestId|cookieParser|session)$/;

/** Library middleware and what it puts on `req`. */
const LIBRARY_SETS: [RegExp, string[]][] = [
  [/^(express\.)?(json|urlencoded|text|raw)$|^bodyParser\.(json|urlencoded|text|raw)$|^bodyParser$/, ["body"]],
  [/^cookieParser$|^cookie-parser$/, ["cookies", "signedCookies"]],
  [/^(session|expressSession|cookieSession)$/, ["session"]],
  [/^passport\.(session|authenticate)$/, ["user"]],
  [/^(expressjwt|expressJwt|jwt)$/, ["auth", "user"]],
  [/\.(single|array|fields|any)$|^multer$/, ["file", "files"]],
  [/^clerkMiddleware$/, ["auth"]],
  [/^koaBody$/, ["body"]],
];

function fnLike(node: Node): node is Node & { getParameters(): { getName(): string }[] } {
  return Node.isFunctionDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node);
}

/** What a function (and the functions it returns) sets on and reads from `req` / `res.locals`. */
export function requestUse(fn: Node): FnFacts {
  const facts: FnFacts = { sets: new Set(), reads: new Set(), params: fnLike(fn) ? fn.getParameters().length : 0 };
  const reqNames = new Set(["req", "request"]);
  for (const inner of [fn, ...fn.getDescendants().filter(fnLike)]) {
    const first = fnLike(inner) ? inner.getParameters()[0]?.getName() : undefined;
    if (first) reqNames.add(first);
  }
  // Koa: `ctx.state.user` (koa-jwt, koa-passport) and `ctx.request.body` (koa-bodyparser) play req's part.
  for (const n of [...reqNames]) if (/^(ctx|context)$/.test(n)) reqNames.add(`${n}.state`).add(`${n}.request`);
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

export function expressFacts(review: ReviewFacts): Facts {
  const facts: Facts = new Map();
  let changed = true;
  const put = (name: string | undefined, node: Node) => {
    if (!name) return;
    const use = { ...requestUse(node), changed };
    const prev = facts.get(name);
    if (prev) {
      use.sets.forEach((s) => prev.sets.add(s));
      use.reads.forEach((r) => prev.reads.add(r));
    } else facts.set(name, use);
  };
  // Each top-level definition also under its module's key (`file:<path>#<name>`), so `morgan.errorHandler` and
  // `const { errorHandler } = require("./middlewares/error")` resolve to the one they import, not any of that name.
  const own = (file: ParsedFile, name: string | undefined, node: Node) => {
    if (!name) return;
    const use: FnFacts = { ...requestUse(node), changed: file.changed };
    if (Node.isCallExpression(node)) use.madeBy = calleeText(node);
    facts.set(`file:${stripExt(file.path)}#${name}`, use);
    if (new RegExp(`(?:module\\.exports|export\\s+default)\\s*=?\\s*${name.replace(/\$/g, "\\$")}\\s*;?\\s*$`, "m").test(file.text)) facts.set(`file:${stripExt(file.path)}#default`, use);
  };
  for (const file of review.files) {
    if (!file.ts) continue;
    changed = file.changed;
    for (const fn of file.ts.getFunctions()) (put(fn.getName(), fn), own(file, fn.getName(), fn));
    for (const decl of file.ts.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
      const init = decl.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init) || Node.isCallExpression(init))) {
        put(decl.getName(), init);
        if (Node.isVariableStatement(decl.getParent()?.getParent()) && decl.getParent()?.getParent()?.getParent() === file.ts) own(file, decl.getName(), init);
      }
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
    if (!file.ts || !HTTP_IMPORT.test(file.text)) continue;
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
    if (/^(express|express\.Router|Router|express\.default)\(|^new(Koa|Router|KoaRouter)\(/.test(init)) names.add(decl.getName());
  }
  return names;
}

function scopeKey(node: Node): Node {
  return enclosingFunctions(node).find((a) => Node.isFunctionDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isMethodDeclaration(a)) ?? node.getSourceFile();
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
  if (Node.isCallExpression(node)) return compactText(node.getExpression());
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

/** The definition a middleware reference names through the file's imports: `errorHandler`, `morgan.errorHandler`. */
function resolvedFacts(node: Node, facts: Facts): FnFacts | undefined {
  if (Node.isIdentifier(node)) {
    const key = importedRouterKey(node, currentPath) ?? `file:${stripExt(currentPath)}#${node.getText()}`;
    return facts.get(key);
  }
  if (Node.isPropertyAccessExpression(node) && Node.isIdentifier(node.getExpression())) {
    const key = importedRouterKey(node.getExpression(), currentPath);
    return key?.endsWith("#default") ? facts.get(key.replace(/#default$/, `#${node.getName()}`)) : undefined;
  }
  return undefined;
}

/**
 * Express: "Define error-handling middleware functions in the same way as other middleware functions, except
 * error-handling functions have four arguments instead of three: (err, req, res, next)"
 * (https://expressjs.com/en/guide/error-handling.html). Judged by arity where the definition is read; by its name
 * only when it is not, and never when the value is built by a plain middleware factory (a request logger).
 */
function isErrorHandler(node: Node, facts: Facts): boolean {
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return node.getParameters().length === 4;
  if (Node.isCallExpression(node)) return ERROR_HANDLER_NAME.test(calleeText(node).replace(/^.*\./, "")) && !PLAIN_MIDDLEWARE_FACTORY.test(calleeText(node));
  if (!Node.isIdentifier(node) && !Node.isPropertyAccessExpression(node)) return false;
  const name = node.getText().slice(node.getText().lastIndexOf(".") + 1);
  const def = resolvedFacts(node, facts) ?? facts.get(name);
  if (def?.params) return def.params === 4;
  if (def?.madeBy && PLAIN_MIDDLEWARE_FACTORY.test(def.madeBy)) return false;
  return ERROR_HANDLER_NAME.test(name);
}

function isAuthMiddleware(node: Node, f: FnFacts): boolean {
  return AUTH_NAME.test(calleeText(node)) || f.sets.has("user") || f.sets.has("auth") || f.sets.has("principal");
}

/** `app.use(router)`, `app.use("/x", routes)`, Koa's `app.use(router.routes())`. */
function mountedRouter(h: Node): Node | undefined {
  if (Node.isIdentifier(h) && /router|routes$/i.test(h.getText())) return h;
  if (Node.isCallExpression(h) && /\.(routes|middleware)$/.test(calleeText(h))) {
    const target = (h.getExpression() as any).getExpression?.();
    return target && Node.isIdentifier(target) ? target : undefined;
  }
  return undefined;
}

function isRouterMount(r: Registration): boolean {
  return r.kind === "use" && r.handlers.some((h) => mountedRouter(h));
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

function routerFacts(node: Node, facts: Facts): FnFacts | undefined {
  const h = mountedRouter(node);
  if (!h) return undefined;
  const key = importedRouterKey(h, currentPath);
  const viaImport = key ? facts.get(key) : undefined;
  if (viaImport && ROUTER_FACT.has(viaImport)) return viaImport;
  const byName = facts.get(h.getText());
  return byName && ROUTER_FACT.has(byName) ? byName : undefined;
}

function mountedReads(reg: Registration, facts: Facts): string[] {
  return reg.handlers.flatMap((h) => [...(routerFacts(h, facts)?.reads ?? [])]);
}


export const HTTP_IMPORT = /from\s+["'](express|koa|@koa\/router|koa-router)["']|require\(\s*["'](express|koa|@koa\/router|koa-router)["']\s*\)/;
const KOA_IMPORT = /from\s+["'](koa|@koa\/router|koa-router)["']|require\(\s*["'](koa|@koa\/router|koa-router)["']\s*\)/;

function registrationLabel(r: Registration): string {
  return r.kind === "route" ? label(r) : useLabel(r);
}

/** Where a handler's definition was read. */
function sourceOf(h: Node, facts: Facts): PipelineStep["source"] {
  if (Node.isArrowFunction(h) || Node.isFunctionExpression(h)) return "pr";
  const name = calleeText(h);
  if (LIBRARY_SETS.some(([p]) => p.test(name))) return "pr";
  const last = name.slice(name.lastIndexOf(".") + 1);
  const known = facts.get(last) ?? facts.get(name);
  if (!known) return "unseen";
  return known.changed === false ? "repo" : "pr";
}

export function expressPipelines(file: ParsedFile, facts: Facts): Pipeline[] {
  if (!HTTP_IMPORT.test(file.text)) return [];
  const koa = KOA_IMPORT.test(file.text);
  const ns = koa ? "ctx" : "req";
  const q = (xs: Iterable<string>) => new Set([...xs].map((x) => `${ns}:${x}`));
  currentPath = file.path;
  const out: Pipeline[] = [];
  for (const regs of registrations(file.ts!)) {
    const steps = regs.map((reg): PipelineStep => {
      const own = reg.handlers.map((h) => argFacts(h, facts));
      const line = reg.call.getStartLineNumber();
      const base = { label: registrationLabel(reg), path: file.path, line, scope: reg.path };
      if (reg.kind === "route") {
        return { ...base, kind: "route", provides: new Set(), requires: q(own.flatMap((f) => [...f.reads])), source: "pr" };
      }
      if (reg.handlers.some((h) => isErrorHandler(h, facts))) return { ...base, kind: "error-handler", provides: new Set(), requires: new Set(), source: "pr" };
      if (isRouterMount(reg)) return { ...base, kind: "router", provides: new Set(), requires: q(mountedReads(reg, facts)), source: "pr" };
      const unseen = reg.handlers.every((h) => sourceOf(h, facts) === "unseen");
      const guess = unseen ? guessIdentity(calleeText(reg.handlers[reg.handlers.length - 1]), koa ? ["user"] : ["user", "auth"]) : undefined;
      const sets = own.flatMap((f) => [...f.sets]);
      return {
        ...base, kind: "middleware",
        provides: q([...sets, ...(guess?.provides ?? [])]),
        requires: q(own.flatMap((f) => [...f.reads]).filter((r) => !sets.includes(r))),
        source: unseen ? "unseen" : reg.handlers.some((h) => sourceOf(h, facts) === "repo") ? "repo" : "pr",
        guessedFrom: guess?.from,
        authenticates: reg.handlers.some((h, i) => isAuthMiddleware(h, own[i])),
      };
    });
    const routes: PipelineRoute[] = [];
    regs.forEach((reg, i) => {
      if (reg.kind !== "route" && !isRouterMount(reg)) return;
      const own = reg.handlers.map((h) => argFacts(h, facts));
      const covering = (r: Registration, j: number) => r.kind === "use" && !isRouterMount(r) && covers(r.path, reg.path) && steps[j].kind === "middleware";
      const before = regs.map((r, j) => (j < i && covering(r, j) ? steps[j] : undefined)).filter((s): s is PipelineStep => Boolean(s));
      const ownMw = reg.handlers.slice(0, -1);
      if (ownMw.length) {
        before.push({
          label: ownMw.map((h) => calleeText(h)).join(", "), kind: "middleware", path: file.path, line: steps[i].line, source: "pr",
          provides: q([
            ...own.slice(0, -1).flatMap((f) => [...f.sets]),
            ...ownMw.flatMap((h) => (sourceOf(h, facts) === "unseen" ? guessIdentity(calleeText(h), koa ? ["user"] : ["user", "auth"])?.provides ?? [] : [])),
          ]),
          requires: new Set(),
          authenticates: ownMw.some((h, k) => isAuthMiddleware(h, own[k]) || AUTH_NAME.test(calleeText(h))),
        });
      }
      const skipped = regs.map((r, j) => (j > i && covering(r, j) ? steps[j] : undefined)).filter((s): s is PipelineStep => Boolean(s));
      routes.push({
        step: steps[i], before, skipped,
        sensitive: isSensitiveRoute(reg.method, reg.path, reg.kind === "route"),
        skipReason: `${koa ? "Koa" : "Express"} runs middleware and routes in registration order, so middleware registered after a route never runs for it`,
      });
    });
    const receiver = regs[0].call.getExpression();
    out.push({
      framework: koa ? "Koa" : "Express",
      name: Node.isPropertyAccessExpression(receiver) ? receiver.getExpression().getText() : "app",
      path: file.path,
      line: regs[0].call.getStartLineNumber(),
      steps,
      routes,
      order: `${koa ? "Koa" : "Express"} runs middleware and routes in registration order`,
    });
  }
  currentPath = "";
  return out;
}
