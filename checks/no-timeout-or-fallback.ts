import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type ReviewFacts } from "../src/engine/rule.js";
import { callLine as tsCallLine, compactText, inRequestHandler as tsInHandler } from "./_lib/ts.js";
import { compactTreeText, descendants, enclosingFunction, inRequestHandler as treeInHandler, line } from "./_lib/tree.js";
import { pyHasSplat, pyKwarg, rsCallName, rsChain, rsChainTop, tsHasSpread, tsInTry, tsIsBrowserCode, tsObjectArg, tsProp } from "./_lib/resilience.js";
import { isServiceFile } from "./_lib/context.js";

// Docs relied on:
// - Node fetch (undici): no overall request timeout is applied unless a `signal` (e.g. AbortSignal.timeout()) is passed.
// - axios: "`timeout` specifies the number of milliseconds before the request times out ... default is `0` (no timeout)".
// - requests: "Nearly all production code should use this parameter in nearly all requests ... requests do not time out unless a timeout value is set explicitly."
// - reqwest ClientBuilder::timeout: "Default is no timeout."
// - got: `timeout` — "By default, there's no timeout"; instances from `got.extend(options)` inherit its options.
// - undici request/fetch: no overall deadline; headersTimeout and bodyTimeout default to 300 seconds each.
// - aiohttp: ClientSession's default ClientTimeout is total=300 s (five minutes per request).
// - ureq 2.x/3.x: no overall or read timeout unless set on the agent or request.

const CONFIG_METHOD = /^(get|fetch|load|read|refresh|pull)_?(latest_?)?(remote_?)?(app_?)?(config|configuration|flags|feature_?flags|features|toggles|feature_?toggles)$/i;
const CONFIG_RECEIVER = /config|flag|feature|toggle|appconfig|launchdarkly|unleash|remote/i;
const NOT_REMOTE = /cache|local|static|default|memo/i;
const AXIOS_METHODS: Record<string, number> = { get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2, request: 0 };

interface Facts {
  /** `axios.defaults.timeout = ...` somewhere in the PR's files or the repository. */
  axiosDefaultTimeout: boolean;
  /** Rust: some request in the PR sets its own `.timeout(...)` before `.send()` (timeouts are set per request). */
  rsPerRequestTimeout: boolean;
  /** Rust: some reqwest client builder in the PR sets an overall `.timeout(...)`. */
  rsBuilderTimeout: boolean;
  /** Rust: struct fields typed `reqwest::Client` (`http: reqwest::Client`), by name. */
  rsClientFields: Set<string>;
}

function collect(review: ReviewFacts): Facts {
  const facts: Facts = {
    axiosDefaultTimeout: review.files.some((f) => f.language === "typescript" && /\baxios\.defaults\.timeout\s*=/.test(f.text)),
    rsPerRequestTimeout: false,
    rsBuilderTimeout: false,
    rsClientFields: new Set(),
  };
  for (const f of review.files) {
    if (f.language !== "rust" || !f.tree || !isServiceFile(f)) continue;
    const root = f.tree.rootNode;
    for (const c of descendants(root, "call_expression")) {
      if (rsCallName(c) !== "timeout") continue;
      const chain = rsChain(rsChainTop(c));
      if (chain.includes("send")) facts.rsPerRequestTimeout = true;
      else if (chain.includes("build")) facts.rsBuilderTimeout = true;
    }
    const usesClient = /use\s+reqwest::(\{[^}]*\bClient\b[^}]*\}|Client\b)/.test(f.text);
    for (const d of descendants(root, "field_declaration")) {
      const type = d.childForFieldName("type")?.text.replace(/\s+/g, "") ?? "";
      const name = d.childForFieldName("name")?.text;
      if (name && (/^reqwest::Client$/.test(type) || (usesClient && type === "Client"))) facts.rsClientFields.add(name);
    }
  }
  return facts;
}

// ---------- TypeScript ----------

/** Local names of a module's default/namespace import (`import got from "got"`, `import * as undici from "undici"`). */
function defaultImports(sf: SourceFile, module: RegExp): Set<string> {
  const names = new Set<string>();
  for (const d of sf.getImportDeclarations()) {
    if (!module.test(d.getModuleSpecifierValue())) continue;
    const def = d.getDefaultImport()?.getText() ?? d.getNamespaceImport()?.getText();
    if (def) names.add(def);
  }
  return names;
}

/** Local names of named imports from a module: `import { request as undiciRequest } from "undici"` -> alias -> "request". */
function namedImports(sf: SourceFile, module: RegExp): Map<string, string> {
  const names = new Map<string, string>();
  for (const d of sf.getImportDeclarations()) {
    if (!module.test(d.getModuleSpecifierValue())) continue;
    for (const n of d.getNamedImports()) names.set(n.getAliasNode()?.getText() ?? n.getName(), n.getName());
  }
  return names;
}

const GOT_METHODS = /^(get|post|put|patch|delete|head)$/;
const UNDICI_TIMEOUTS = ["signal", "headersTimeout", "bodyTimeout", "dispatcher"];

/** got and undici calls without a deadline. */
function tsGotUndici(sf: SourceFile): Report[] {
  const out: Report[] = [];
  const got = defaultImports(sf, /^got$/);
  const undiciNs = defaultImports(sf, /^undici$/);
  const undiciNamed = namedImports(sf, /^undici$/);
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = compactText(call.getExpression());
    const args = call.getArguments();
    const m = /^(\w+)(?:\.(\w+))?$/.exec(callee);
    if (!m) continue;
    const [, base, method] = m;
    if (got.has(base)) {
      if (method === "extend") {
        if (args.length && args.every((a) => !tsSets(a, ["timeout"]))) out.push({ line: tsCallLine(call), message: `\`${callee}\` builds a got instance with no \`timeout\` (got has none by default): every call through it can hang.` });
        continue;
      }
      if (method !== undefined && !GOT_METHODS.test(method)) continue;
      // got(url, options) / got(options) / got.post(url, options)
      const opts = args.length === 1 && Node.isObjectLiteralExpression(args[0]) ? args[0] : args[1];
      if (!tsSets(opts, ["timeout", "signal"])) out.push({ line: tsCallLine(call), message: `\`${callee}\` has no \`timeout\` (got waits forever by default): a hung dependency holds this request open.` });
      continue;
    }
    const undiciFn = method === undefined ? undiciNamed.get(base) : undiciNs.has(base) ? method : undefined;
    if (undiciFn === "request" || undiciFn === "fetch") {
      if (!tsSets(args[1], UNDICI_TIMEOUTS)) out.push({ line: tsCallLine(call), message: `undici \`${callee}\` has no \`signal\` or \`headersTimeout\`/\`bodyTimeout\`: a stalled dependency can hold it for up to 300 s per phase (the defaults), with no overall deadline.` });
    }
  }
  return out;
}

function axiosNames(sf: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const d of sf.getImportDeclarations()) {
    if (d.getModuleSpecifierValue() !== "axios") continue;
    const def = d.getDefaultImport()?.getText() ?? d.getNamespaceImport()?.getText();
    if (def) names.add(def);
  }
  for (const v of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    if (/^require\(\s*["']axios["']\s*\)(\.default)?$/.test(v.getInitializer()?.getText() ?? "")) names.add(v.getName());
  }
  return names;
}

/** True when the options object (resolved if a local) sets one of `keys`; unknown shapes count as set. */
function tsSets(arg: Node | undefined, keys: string[]): boolean {
  if (!arg) return false;
  const obj = tsObjectArg(arg);
  if (!obj) return true;
  if (tsHasSpread(obj)) return true;
  return keys.some((k) => {
    const v = tsProp(obj, k);
    return v !== undefined && !/^(undefined|null|0)$/.test(v.getText());
  });
}

function tsDetect(file: ParsedFile, ctx: { facts: Facts }): Report[] {
  if (tsIsBrowserCode(file.path, file.ts!)) return [];
  const sf = file.ts!;
  const reports: Report[] = [];
  const ax = axiosNames(sf);
  const fileDefault = (name: string) => new RegExp(`\\b${name}\\.defaults\\.timeout\\s*=`).test(file.text);
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = compactText(call.getExpression());
    const args = call.getArguments();
    if (callee === "fetch" || callee === "globalThis.fetch") {
      if (!tsSets(args[1], ["signal", "timeout"])) reports.push({ line: tsCallLine(call), message: "`fetch` has no `signal` (e.g. `AbortSignal.timeout(ms)`): a hung dependency holds this request open with no limit." });
      continue;
    }
    const m = /^(\w+)(?:\.(\w+))?$/.exec(callee);
    if (!m || !ax.has(m[1])) continue;
    const [, name, method] = m;
    if (method === "create") {
      if (!tsSets(args[0], ["timeout"]) && !tsInstanceDefault(call, file.text)) {
        // An instance whose calls pass their own `timeout`: the convention is per call, so the calls without one are the defect.
        const perCall = tsInstanceCalls(call);
        if (perCall.some((c) => c.timed)) {
          for (const c of perCall.filter((x) => !x.timed)) reports.push({ line: tsCallLine(c.call), message: `\`${c.call.getExpression().getText()}\` passes no \`timeout\`, although other calls through this axios instance do and the instance has none (axios defaults to none): this call can hang.` });
          continue;
        }
      }
      if (!tsSets(args[0], ["timeout"]) && !tsInstanceDefault(call, file.text)) reports.push({ line: tsCallLine(call), message: `\`${callee}\` builds a client with no \`timeout\` (axios defaults to none): every call through it can hang.` });
      continue;
    }
    const pos = method === undefined ? 0 : AXIOS_METHODS[method];
    if (pos === undefined || ctx.facts.axiosDefaultTimeout || fileDefault(name)) continue;
    if (!tsSets(args[pos], ["timeout", "signal"])) reports.push({ line: tsCallLine(call), message: `\`${callee}\` has no \`timeout\` (axios defaults to none): a slow dependency hangs this call.` });
  }
  reports.push(...tsGotUndici(sf));
  reports.push(...tsConfigCalls(file));
  return reports;
}

/** Calls through the variable an `axios.create(...)` is bound to, and whether each passes a `timeout`/`signal`. */
function tsInstanceCalls(create: CallExpression): { call: CallExpression; timed: boolean }[] {
  const name = create.getParentIfKind(SyntaxKind.VariableDeclaration)?.getName();
  if (!name) return [];
  const out: { call: CallExpression; timed: boolean }[] = [];
  for (const call of create.getSourceFile().getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const m = /^(\w+)\.(\w+)$/.exec(compactText(call.getExpression()));
    if (!m || m[1] !== name) continue;
    const pos = AXIOS_METHODS[m[2]];
    if (pos === undefined) continue;
    out.push({ call, timed: tsSets(call.getArguments()[pos], ["timeout", "signal"]) });
  }
  return out;
}

function tsInstanceDefault(create: CallExpression, text: string): boolean {
  const decl = create.getParentIfKind(SyntaxKind.VariableDeclaration);
  const name = decl?.getName() ?? create.getParentIfKind(SyntaxKind.PropertyDeclaration)?.getName();
  return Boolean(name && new RegExp(`\\b${name}\\.defaults\\.timeout\\s*=`).test(text));
}

/** Config / feature-flag fetches in a request path with no try/catch or `.catch` fallback. */
function tsConfigCalls(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const label = tsConfigLabel(call);
    if (!label || !Node.isAwaitExpression(call.getParent()) || tsInTry(call) || !tsInHandler(call)) continue;
    reports.push({ line: tsCallLine(call), message: `\`${label}\` is awaited on the request path with no fallback: when the config/flag service is down, every request fails.` });
  }
  return reports;
}

function tsConfigLabel(call: CallExpression): string | undefined {
  const expr = call.getExpression();
  if (!Node.isPropertyAccessExpression(expr)) return undefined;
  const method = expr.getName();
  const receiver = expr.getExpression().getText().replace(/^this\./, "");
  if (method === "send") {
    const arg = call.getArguments()[0];
    if (arg && Node.isNewExpression(arg) && /GetLatestConfigurationCommand$/.test(arg.getExpression().getText())) return "GetLatestConfigurationCommand";
    return undefined;
  }
  if (CONFIG_METHOD.test(method) && CONFIG_RECEIVER.test(receiver) && !NOT_REMOTE.test(receiver)) return `${receiver}.${method}()`;
  return undefined;
}

// ---------- Python ----------

const PY_HTTP = /^(get|post|put|patch|delete|head|options|request)$/;

function pyDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const reports: Report[] = [];
  const imports = descendants(root, ["import_from_statement", "import_statement"]);
  const fromRequests = new Set(imports.filter((i) => /^from\s+requests\s+import\b/.test(i.text)).flatMap((i) => i.text.replace(/^from\s+requests\s+import\s+/, "").replace(/[()\s]/g, "").split(",")).filter((n) => PY_HTTP.test(n)));
  const customSession = descendants(root, "class_definition").some((c) => /\b(Session|HTTPAdapter)\b/.test(c.childForFieldName("superclasses")?.text ?? ""));
  const sessions = new Set<string>();
  const aioSessions = new Set<string>();
  for (const a of descendants(root, ["assignment", "with_item", "as_pattern"])) {
    const value = a.type === "assignment" ? a.childForFieldName("right") : a.namedChild(0);
    const target = a.type === "assignment" ? a.childForFieldName("left") : a.childForFieldName("alias") ?? a.namedChild(0)?.nextNamedSibling;
    if (value && target && /^requests\.[sS]ession\(\)$/.test(value.text)) sessions.add(target.text.replace(/^as\s+/, ""));
    // aiohttp.ClientSession() with no timeout= keeps aiohttp's five-minute default for every request made through it.
    if (value && target && /^(aiohttp\.)?ClientSession\(/.test(value.text) && value.type === "call" && !pyKwarg(value, "timeout") && !pyHasSplat(value)) {
      aioSessions.add(target.text.replace(/^as\s+/, ""));
    }
  }
  for (const call of descendants(root, "call")) {
    const fn = call.childForFieldName("function");
    if (!fn || pyHasSplat(call)) continue;
    const text = fn.text;
    const method = fn.type === "attribute" ? fn.childForFieldName("attribute")?.text ?? "" : text;
    const obj = fn.type === "attribute" ? fn.childForFieldName("object")?.text ?? "" : "";
    const timeout = pyKwarg(call, "timeout");
    const noTimeout = !timeout || timeout.text === "None";
    if (((obj === "requests" && PY_HTTP.test(method)) || (fn.type === "identifier" && fromRequests.has(text))) && noTimeout) {
      reports.push({ line: line(call), message: `\`${text}\` has no \`timeout=\`: requests waits forever on a hung dependency.` });
    } else if (sessions.has(obj) && PY_HTTP.test(method) && noTimeout && !customSession) {
      reports.push({ line: line(call), message: `\`${text}\` on a \`requests.Session\` has no \`timeout=\`: sessions have no default timeout.` });
    } else if (/^(urllib\.request\.)?urlopen$/.test(text) && noTimeout && (call.childForFieldName("arguments")?.namedChildCount ?? 0) < 3) {
      reports.push({ line: line(call), message: `\`${text}\` has no \`timeout=\`: it blocks on the socket default, which is no timeout.` });
    } else if (aioSessions.has(obj) && PY_HTTP.test(method) && noTimeout) {
      reports.push({ line: line(call), message: `\`${text}\` runs on an \`aiohttp.ClientSession\` created without \`timeout=\` and passes none itself: aiohttp's default lets one request hang for five minutes.` });
    } else if (text === "aiohttp.request" && noTimeout) {
      reports.push({ line: line(call), message: "`aiohttp.request` has no `timeout=`: aiohttp's default lets one request hang for five minutes." });
    } else if (/^httpx\.(\w+)$/.test(text) && timeout?.text === "None") {
      reports.push({ line: line(call), message: `\`${text}\` sets \`timeout=None\`, turning off httpx's default timeout.` });
    }
  }
  for (const call of descendants(root, "call")) {
    const fn = call.childForFieldName("function");
    if (fn?.type !== "attribute") continue;
    const method = fn.childForFieldName("attribute")?.text ?? "";
    const receiver = (fn.childForFieldName("object")?.text ?? "").replace(/^self\./, "");
    const isConfig = method === "get_latest_configuration" || (CONFIG_METHOD.test(method) && CONFIG_RECEIVER.test(receiver) && !NOT_REMOTE.test(receiver));
    if (!isConfig || pyInTry(call) || !treeInHandler(call)) continue;
    reports.push({ line: line(call), message: `\`${receiver}.${method}()\` runs on the request path with no fallback: when the config/flag service is down, every request fails.` });
  }
  return reports;
}

function pyInTry(node: TNode): boolean {
  for (let cur = node.parent; cur && cur.type !== "function_definition"; cur = cur.parent) {
    if (cur.type === "block" && cur.parent?.type === "try_statement" && cur.parent.childForFieldName("body")?.id === cur.id) return true;
  }
  return false;
}

// ---------- Rust ----------

function rsDetect(file: ParsedFile, ctx: { facts: Facts }): Report[] {
  const facts = ctx.facts;
  const root = file.tree!.rootNode;
  const reports: Report[] = [];
  const uses = descendants(root, "use_declaration").map((u) => u.text).join("\n");
  const reqwestClient = /use\s+reqwest::(\{[^}]*\bClient\b[^}]*\}|Client\b)/.test(uses);
  const perRequestTimeout = descendants(root, "call_expression").some((c) => rsCallName(c) === "timeout" && rsChain(rsChainTop(c)).includes("send"));
  for (const call of descendants(root, "call_expression")) {
    const fn = compactTreeText(call.childForFieldName("function"));
    if (fn === "reqwest::get") {
      reports.push({ line: line(call), message: "`reqwest::get` uses a client with no timeout: a hung dependency holds this task forever." });
      continue;
    }
    // ureq::get(url).call(): ureq sets no overall or read timeout unless the request or agent does.
    const u = /^ureq::(get|post|put|patch|delete|head|request)$/.exec(fn);
    if (u) {
      const chain = rsChain(rsChainTop(call));
      if (!chain.some((c) => /^timeout/.test(c) || c === "config")) reports.push({ line: line(call), message: `\`${fn}\` goes through ureq's default agent, which has no overall or read timeout: a hung dependency blocks this thread forever. Build an agent with a timeout and reuse it.` });
      continue;
    }
    if (/^ureq::AgentBuilder::new$/.test(fn)) {
      const chain = rsChain(rsChainTop(call));
      if (chain.includes("build") && !chain.some((c) => /^timeout/.test(c) && c !== "timeout_connect")) reports.push({ line: line(call), message: "ureq agent built without `.timeout(...)` or `.timeout_read(...)`: only the connect phase is bounded, so a stalled response blocks callers forever." });
      continue;
    }
    const m = /^(reqwest::)?(Client|ClientBuilder)::(new|default|builder)$/.exec(fn);
    if (!m || (m[2] === "ClientBuilder" && m[3] !== "new")) continue;
    if (!m[1] && !(m[2] === "Client" ? reqwestClient : /use\s+reqwest::[^;]*\bClientBuilder\b/.test(uses))) continue;
    const chain = rsChain(rsChainTop(call));
    if (m[3] === "builder" || m[2] === "ClientBuilder") {
      // Where the code sets timeouts per request, the requests that lack one are reported instead (below).
      if (chain.includes("build") && !chain.includes("timeout") && facts.rsPerRequestTimeout) {
        reports.push(...rsUntimedRequests(call));
        continue;
      }
      if (chain.includes("build") && !chain.includes("timeout")) reports.push({ line: line(call), endLine: rsFirstRequest(call), message: "reqwest client built without `.timeout(...)`: reqwest has no default timeout, so a hung dependency blocks callers forever." });
    } else if (!perRequestTimeout && !facts.rsPerRequestTimeout) {
      reports.push({ line: line(call), endLine: rsFirstRequest(call), message: `\`${fn}()\` has no timeout (reqwest's default is none): use \`Client::builder().timeout(...)\`.` });
    } else {
      reports.push(...rsUntimedRequests(call));
    }
  }
  // Requests through a shared client field (`state.http.get(..).send()`) where the code sets timeouts per request and
  // no builder in the PR sets an overall one: the request without `.timeout(...)` can hang.
  if (facts.rsPerRequestTimeout && !facts.rsBuilderTimeout && facts.rsClientFields.size) {
    for (const call of descendants(root, "call_expression")) {
      const f = call.childForFieldName("function");
      if (f?.type !== "field_expression" || !RS_REQUEST.test(f.childForFieldName("field")?.text ?? "")) continue;
      const recv = f.childForFieldName("value");
      const field = recv?.type === "field_expression" ? recv.childForFieldName("field")?.text ?? "" : "";
      if (!facts.rsClientFields.has(field)) continue;
      const chain = rsChain(rsChainTop(call));
      if (chain.includes("send") && !chain.includes("timeout") && !reports.some((r) => r.line === line(call))) {
        reports.push({ line: line(call), message: `\`${recv!.text.replace(/\s+/g, "")}.${f.childForFieldName("field")?.text}(...)\` is sent with no \`.timeout(...)\`, although this code sets timeouts per request and the client has no overall one (reqwest's default is none): a hung dependency blocks this request forever.` });
      }
    }
  }
  for (const call of descendants(root, "call_expression")) {
    const name = rsCallName(call);
    const recv = call.childForFieldName("function")?.childForFieldName("value")?.text.replace(/^self\./, "") ?? "";
    const isConfig = name === "get_latest_configuration" || (CONFIG_METHOD.test(name) && CONFIG_RECEIVER.test(recv) && !NOT_REMOTE.test(recv));
    if (!isConfig || !treeInHandler(call)) continue;
    const top = rsChainTop(call);
    const unwrap = top.parent?.type === "field_expression" && /^(unwrap|expect)$/.test(top.parent.childForFieldName("field")?.text ?? "");
    const propagates = top.type === "try_expression" || unwrap;
    if (!propagates) continue;
    reports.push({ line: line(call), message: `\`${recv}.${name}()\` is propagated with \`?\` on the request path: when the config/flag service is down, every request fails.` });
  }
  return reports;
}

const RS_REQUEST = /^(get|post|put|patch|delete|head|request|execute)$/;

/** Requests made through the local a timeout-less client is bound to, that set no `.timeout(...)` themselves. */
function rsUntimedRequests(ctor: TNode): Report[] {
  const top = rsChainTop(ctor);
  const decl = top.parent?.type === "let_declaration" ? top.parent : undefined;
  const local = decl?.childForFieldName("pattern")?.text.replace(/^mut\s+/, "");
  const body = decl && enclosingFunction(decl);
  if (!local || !/^\w+$/.test(local) || !body) return [];
  const out: Report[] = [];
  for (const c of descendants(body, "call_expression")) {
    const f = c.childForFieldName("function");
    if (c.startIndex <= decl!.endIndex || f?.type !== "field_expression" || f.childForFieldName("value")?.text !== local) continue;
    const method = f.childForFieldName("field")?.text ?? "";
    if (!RS_REQUEST.test(method)) continue;
    const chain = rsChain(rsChainTop(c));
    if (chain.includes("send") && !chain.includes("timeout")) {
      out.push({ line: line(c), message: `\`${local}.${method}(...)\` is sent with no \`.timeout(...)\` on a client built without one (reqwest's default is none), although this code sets timeouts per request: a hung dependency blocks this request forever.` });
    }
  }
  return out;
}

/**
 * `let http = reqwest::Client::new(); ... http.post(url)...send()`: the line of the first request made through a client
 * bound to a local in the same function, so the finding spans the construction and the call that can hang.
 */
function rsFirstRequest(call: TNode): number | undefined {
  const top = rsChainTop(call);
  const decl = top.parent?.type === "let_declaration" ? top.parent : undefined;
  const local = decl?.childForFieldName("pattern")?.text.replace(/^mut\s+/, "");
  const body = decl && enclosingFunction(decl);
  if (!local || !/^\w+$/.test(local) || !body) return undefined;
  const use = descendants(body, "call_expression").find((c) => {
    const f = c.childForFieldName("function");
    return c.startIndex > decl!.endIndex && f?.type === "field_expression" && f.childForFieldName("value")?.text === local && RS_REQUEST.test(f.childForFieldName("field")?.text ?? "");
  });
  return use ? line(use.childForFieldName("function")!.childForFieldName("field")!) : undefined;
}

export default defineRule<Facts>({
  meta: {
    scope: "service",
    id: "no-timeout-or-fallback",
    category: "resilience",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "HTTP calls to dependencies with no timeout, and config or feature-flag fetches on the request path with no fallback.",
    why: "Without a timeout, one slow dependency holds connections, threads and memory until the service itself falls over; without a fallback, an outage of the config or flag service fails every request even though the last known values would do.",
    fix: "Set a timeout on every outbound call (AbortSignal.timeout, axios `timeout`, requests `timeout=`, reqwest `.timeout(...)`), and wrap config/flag fetches so a failure falls back to cached or default values.",
    docs: [
      "https://nodejs.org/api/globals.html#fetch",
      "https://axios-http.com/docs/req_config",
      "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
      "https://docs.rs/reqwest/latest/reqwest/struct.ClientBuilder.html#method.timeout",
      "https://github.com/sindresorhus/got/blob/main/documentation/6-timeout.md",
      "https://undici.nodejs.org/#/docs/api/Dispatcher",
      "https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts",
      "https://docs.rs/ureq/2/ureq/struct.AgentBuilder.html#method.timeout",
    ],
  },
  collect,
  detect: { typescript: tsDetect, python: pyDetect, rust: rsDetect },
  cases: [
    {
      name: "ts: a call split over lines is reported on the line of the called method",
      language: "typescript",
      path: "src/routes/items.ts",
      code: `import axios from "axios";
import { Router } from "express";
export const r = Router();
r.get("/x", async (req, res) => {
  const { data } = await axios
    .get("https://partner.example.com/items/" + req.params.id);
  res.json(data);
});
`,
      expect: [6],
    },
    {
      name: "fetch to a dependency with no signal",
      language: "typescript",
      code: `import type { Request, Response } from "express";

const INVENTORY_URL = process.env.INVENTORY_URL!;

export async function getStock(req: Request, res: Response) {
  const r = await fetch(\`\${INVENTORY_URL}/stock/\${req.params.sku}\`, {
    headers: { accept: "application/json" },
  });
  res.json(await r.json());
}
`,
      expect: [6],
    },
    {
      name: "axios.post with no timeout",
      language: "typescript",
      code: `import axios from "axios";

export class PaymentGateway {
  async charge(amountCents: number, token: string) {
    const { data } = await axios.post("https://pay.internal/charges", { amountCents, token }, {
      headers: { "Idempotency-Key": token },
    });
    return data;
  }
}
`,
      expect: [5],
    },
    {
      name: "axios instance created with no timeout",
      language: "typescript",
      code: `import axios from "axios";

export const usersApi = axios.create({
  baseURL: process.env.USERS_API_URL,
  headers: { "x-service": "orders" },
});

export async function getUser(id: string) {
  return (await usersApi.get(\`/users/\${id}\`)).data;
}
`,
      expect: [3],
    },
    {
      name: "feature flags fetched in a handler with no fallback",
      language: "typescript",
      code: `import { Router } from "express";
import { flagClient } from "../flags.js";

export const router = Router();

router.get("/checkout", async (req, res) => {
  const flags = await flagClient.getFlags(req.user.tenantId);
  res.render("checkout", { newFlow: flags.newCheckout });
});
`,
      expect: [7],
    },
    {
      name: "AppConfig GetLatestConfigurationCommand in a Lambda handler",
      language: "typescript",
      code: `import { AppConfigDataClient, GetLatestConfigurationCommand } from "@aws-sdk/client-appconfigdata";

const appconfig = new AppConfigDataClient({});
let token: string | undefined;

export const handler = async (event: APIGatewayProxyEvent) => {
  const out = await appconfig.send(new GetLatestConfigurationCommand({ ConfigurationToken: token }));
  token = out.NextPollConfigurationToken;
  return { statusCode: 200, body: new TextDecoder().decode(out.Configuration) };
};
`,
      expect: [7],
    },
    {
      name: "fetch with AbortSignal.timeout, axios with timeout and defaults",
      language: "typescript",
      code: `import axios from "axios";

const http = axios.create({ baseURL: process.env.API_URL, timeout: 3000 });
axios.defaults.timeout = 5000;

export async function load(id: string) {
  const r = await fetch(\`https://catalog.internal/items/\${id}\`, { signal: AbortSignal.timeout(2000) });
  const extra = await axios.get(\`https://extra.internal/\${id}\`);
  return { item: await r.json(), extra: extra.data, more: (await http.get("/more")).data };
}
`,
      expect: [],
    },
    {
      name: "flags fetched with a fallback to defaults",
      language: "typescript",
      code: `import { flagClient } from "../flags.js";

const DEFAULT_FLAGS = { newCheckout: false };

export async function handler(event: APIGatewayProxyEvent) {
  let flags = DEFAULT_FLAGS;
  try {
    flags = await flagClient.getFlags(event.requestContext.accountId);
  } catch (err) {
    logger.warn({ err }, "flag service unavailable, using defaults");
  }
  return { statusCode: 200, body: JSON.stringify(flags) };
}
`,
      expect: [],
    },
    {
      name: "options passed through, config loaded at startup",
      language: "typescript",
      code: `import { configClient } from "./config.js";

export async function call(url: string, init: RequestInit) {
  return fetch(url, { ...init, method: "POST" });
}

export async function main() {
  const config = await configClient.getConfig();
  startServer(config);
}
`,
      expect: [],
    },
    {
      name: "browser component and strings mentioning fetch",
      language: "typescript",
      path: "src/components/Profile.tsx",
      code: `import { useEffect, useState } from "react";

export function Profile({ id }: { id: string }) {
  const [p, setP] = useState(null);
  useEffect(() => { fetch(\`/api/profile/\${id}\`).then((r) => r.json()).then(setP); }, [id]);
  return <div title="fetch(url) without timeout">{String(p)}</div>;
}
`,
      expect: [],
    },
    {
      name: "requests.get without timeout",
      language: "python",
      code: `import requests
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/weather/<city>")
def weather(city):
    resp = requests.get(f"https://weather.internal/v1/{city}", headers={"accept": "application/json"})
    return jsonify(resp.json())
`,
      expect: [9],
    },
    {
      name: "requests.Session post without timeout",
      language: "python",
      code: `import requests


class BillingClient:
    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()

    def create_invoice(self, payload):
        resp = self.session.post(f"{self.base_url}/invoices", json=payload)
        resp.raise_for_status()
        return resp.json()
`,
      expect: [10],
    },
    {
      name: "from requests import post, urlopen without timeout",
      language: "python",
      code: `from urllib.request import urlopen
from requests import post


def notify(url, body):
    post(url, json=body)


def read_manifest(url):
    with urlopen(url) as f:
        return f.read()
`,
      expect: [6, 10],
    },
    {
      name: "config service read in a FastAPI route without fallback",
      language: "python",
      code: `from fastapi import APIRouter, Request
from .clients import config_client

router = APIRouter()


@router.get("/pricing")
async def pricing(request: Request):
    config = await config_client.fetch_config(request.state.tenant_id)
    return {"currency": config["currency"]}
`,
      expect: [9],
    },
    {
      name: "requests with timeout, httpx default timeout",
      language: "python",
      code: `import httpx
import requests

TIMEOUT = (3.05, 10)


def fetch(url):
    return requests.get(url, timeout=TIMEOUT).json()


async def fetch_async(url):
    async with httpx.AsyncClient() as client:
        return (await client.get(url)).json()
`,
      expect: [],
    },
    {
      name: "flags read with a fallback in the handler",
      language: "python",
      code: `from fastapi import APIRouter, Request

router = APIRouter()
DEFAULT_FLAGS = {"new_checkout": False}


@router.get("/checkout")
async def checkout(request: Request):
    try:
        flags = await flag_client.get_flags(request.state.tenant_id)
    except FlagServiceError:
        flags = DEFAULT_FLAGS
    return {"new_flow": flags["new_checkout"]}
`,
      expect: [],
    },
    {
      name: "kwargs passed through and a session subclass with a default timeout",
      language: "python",
      code: `import requests


class TimeoutSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 5)
        return super().request(*args, **kwargs)


session = requests.Session()


def get(url, **kwargs):
    return requests.get(url, **kwargs)


def ping(url):
    return session.get(url)
`,
      expect: [],
    },
    {
      name: "docstring mentions requests.get",
      language: "python",
      code: `def explain():
    """Never call requests.get(url) without timeout=."""
    return "requests.get(url)"
`,
      expect: [],
    },
    {
      name: "reqwest Client::new with no timeout",
      language: "rust",
      code: `use reqwest::Client;

pub struct InventoryClient {
    http: Client,
    base: String,
}

impl InventoryClient {
    pub fn new(base: String) -> Self {
        Self { http: Client::new(), base }
    }

    pub async fn stock(&self, sku: &str) -> reqwest::Result<Stock> {
        self.http.get(format!("{}/stock/{sku}", self.base)).send().await?.json().await
    }
}
`,
      expect: [10],
    },
    {
      name: "reqwest builder without timeout",
      language: "rust",
      code: `use std::time::Duration;

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        .user_agent("orders/1.0")
        .build()
        .expect("client")
}
`,
      expect: [4],
    },
    {
      name: "reqwest::get convenience call",
      language: "rust",
      code: `pub async fn fetch_rates(base: &str) -> Result<Rates, reqwest::Error> {
    let body = reqwest::get(format!("https://rates.internal/{base}")).await?.json().await?;
    Ok(body)
}
`,
      expect: [2],
    },
    {
      name: "config fetched with ? in an axum handler",
      language: "rust",
      code: `use axum::{extract::State, Json};

pub async fn pricing(State(app): State<AppState>) -> Result<Json<Pricing>, ApiError> {
    let config = app.config_client.fetch_config(&app.tenant).await?;
    Ok(Json(Pricing::from(config)))
}
`,
      expect: [4],
    },
    {
      name: "reqwest builder with timeout",
      language: "rust",
      code: `use std::time::Duration;
use reqwest::Client;

pub fn http_client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("client")
}
`,
      expect: [],
    },
    {
      name: "Client::new with per-request timeouts; aws sdk Client::new",
      language: "rust",
      code: `use std::time::Duration;
use reqwest::Client;

pub async fn ping(url: &str) -> reqwest::Result<u16> {
    let client = Client::new();
    let res = client.get(url).timeout(Duration::from_secs(3)).send().await?;
    Ok(res.status().as_u16())
}

pub fn dynamo(conf: &aws_config::SdkConfig) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(conf)
}
`,
      expect: [],
    },
    {
      name: "config with a fallback in a handler",
      language: "rust",
      code: `use axum::{extract::State, Json};

pub async fn pricing(State(app): State<AppState>) -> Json<Pricing> {
    let config = match app.config_client.fetch_config(&app.tenant).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "config service down, using last known");
            app.last_config.read().await.clone()
        }
    };
    Json(Pricing::from(config))
}
`,
      expect: [],
    },
    {
      name: "comment about reqwest::get",
      language: "rust",
      code: `// reqwest::get(url) and Client::new() have no timeout; use http_client().
pub fn note() -> &'static str {
    "reqwest::Client::new()"
}
`,
      expect: [],
    },
    {
      name: "got and undici calls with no timeout",
      language: "typescript",
      path: "src/clients/rates.ts",
      code: `import got from "got";
import { request } from "undici";

export async function getRate(currency: string) {
  return got(\`https://rates.internal/v1/\${currency}\`).json<{ rate: number }>();
}

export async function postAudit(entry: object) {
  await got.post("https://audit.internal/entries", { json: entry });
}

export const partner = got.extend({ prefixUrl: process.env.PARTNER_URL });

export async function getProfile(id: string) {
  const { body } = await request(\`https://profiles.internal/users/\${id}\`);
  return body.json();
}
`,
      expect: [5, 9, 12, 15],
    },
    {
      name: "got and undici with timeouts, ky with its default",
      language: "typescript",
      path: "src/clients/rates.ts",
      code: `import got from "got";
import * as undici from "undici";
import ky from "ky";

const partner = got.extend({ prefixUrl: process.env.PARTNER_URL, timeout: { request: 5000 } });

export async function getRate(currency: string) {
  return got(\`https://rates.internal/v1/\${currency}\`, { timeout: { request: 3000 } }).json();
}

export async function getProfile(id: string) {
  const { body } = await undici.request(\`https://profiles.internal/users/\${id}\`, { headersTimeout: 2000, bodyTimeout: 5000 });
  return body.json();
}

export const weather = (city: string) => ky.get(\`https://weather.internal/\${city}\`).json();
export const quote = (sku: string) => partner.get(\`quotes/\${sku}\`).json();
`,
      expect: [],
    },
    {
      name: "aiohttp session without a timeout, and aiohttp.request",
      language: "python",
      path: "app/clients/profiles.py",
      code: `import aiohttp


async def fetch_profile(user_id: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"https://profiles.internal/{user_id}") as resp:
            return await resp.json()


async def ping():
    async with aiohttp.request("GET", "https://health.internal/ping") as resp:
        return resp.status
`,
      expect: [6, 11],
    },
    {
      name: "aiohttp with ClientTimeout on the session or the call",
      language: "python",
      path: "app/clients/profiles.py",
      code: `import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=5)


async def fetch_profile(user_id: str):
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        async with session.get(f"https://profiles.internal/{user_id}") as resp:
            return await resp.json()


async def fetch_orders(session: aiohttp.ClientSession, user_id: str):
    async with session.get(f"https://orders.internal/{user_id}", timeout=aiohttp.ClientTimeout(total=3)) as resp:
        return await resp.json()
`,
      expect: [],
    },
    {
      name: "ureq default agent and an agent without a read timeout",
      language: "rust",
      path: "src/clients/rates.rs",
      code: `use std::time::Duration;

pub fn fetch_rates(base: &str) -> anyhow::Result<String> {
    Ok(ureq::get(&format!("{base}/rates")).call()?.into_string()?)
}

pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout_connect(Duration::from_secs(2)).build()
}
`,
      expect: [4, 8],
    },
    {
      name: "ureq agent with a timeout; blocking reqwest has a 30 s default",
      language: "rust",
      path: "src/clients/rates.rs",
      code: `use std::time::Duration;

pub fn fetch_rates(base: &str) -> anyhow::Result<String> {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(5)).build();
    Ok(agent.get(&format!("{base}/rates")).call()?.into_string()?)
}

pub fn fetch_blocking(url: &str) -> anyhow::Result<String> {
    Ok(reqwest::blocking::get(url)?.text()?)
}
`,
      expect: [],
    },
    {
      name: "rs: client built per call without a timeout, first request a few lines below",
      language: "rust",
      path: "src/partner/push.rs",
      code: `pub async fn push(url: &str, token: &str, body: Vec<u8>) -> anyhow::Result<String> {
    let http = reqwest::Client::builder()
        .user_agent("exports/1.0")
        .build()?;
    let signed = sign(&body, token);
    let res = http
        .post(url)
        .header("x-signature", signed)
        .body(body)
        .send()
        .await?;
    Ok(res.text().await?)
}
`,
      expect: [2],
    },
    {
      name: "axios instances without a timeout: where calls pass their own, the call without one is flagged; otherwise the create",
      path: "src/clients/partner.js",
      code: `const axios = require('axios');
const api = axios.create({ baseURL: process.env.API });
const other = axios.create({ baseURL: process.env.OTHER });

async function a(id) {
  const { data } = await api.get(\`/a/\${id}\`, { timeout: 2000 });
  return data;
}
async function b(body) {
  const { data } = await api.post('/b', body);
  return data;
}
async function c(id) {
  return (await other.get(\`/c/\${id}\`)).data;
}
module.exports = { a, b, c };
`,
      expect: [3, 10],
    },
    {
      name: "rs: per-request timeouts on a shared client field and a local client: the requests without one are flagged, not the builder",
      path: "src/deps.rs",
      code: `use std::time::Duration;
pub struct Deps { pub http: reqwest::Client, pub base: String }
impl Deps {
    pub fn new(base: String) -> Self {
        let http = reqwest::Client::builder().connect_timeout(Duration::from_millis(300)).build().unwrap();
        Self { http, base }
    }
    pub async fn quick(&self, id: &str) -> reqwest::Result<String> {
        self.http.get(format!("{}/q/{id}", self.base)).timeout(Duration::from_secs(1)).send().await?.text().await
    }
    pub async fn slow(&self, id: &str) -> reqwest::Result<String> {
        self.http.get(format!("{}/s/{id}", self.base)).send().await?.text().await
    }
    pub async fn adhoc(&self, id: &str) -> reqwest::Result<String> {
        let c = reqwest::Client::new();
        let a = c.get(format!("{}/a/{id}", self.base)).timeout(Duration::from_secs(2)).send().await?.text().await?;
        let b = c.post(format!("{}/b/{id}", self.base)).body(a).send().await?.text().await?;
        Ok(b)
    }
}
`,
      expect: [12, 17],
    },
    {
      name: "rs: no request sets a timeout: the builder that lacks one is flagged",
      path: "src/deps.rs",
      code: `use std::time::Duration;
pub struct Deps { pub http: reqwest::Client }
pub fn deps() -> Deps {
    Deps { http: reqwest::Client::builder().connect_timeout(Duration::from_millis(300)).build().unwrap() }
}
pub async fn slow(d: &Deps, url: &str) -> reqwest::Result<String> {
    d.http.get(url).send().await?.text().await
}
`,
      expect: [4],
    },
  ],
});
