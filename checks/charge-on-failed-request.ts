// Usage metered for billing whatever the request's outcome: failed (5xx) calls, health probes, errors.
// Node.js http docs: 'finish' is "emitted when the response has been sent" (whatever its status);
// Express runs middleware in order, so code before `next()` runs before the handler has produced a status.
import { Node as TsNode, SyntaxKind, type CallExpression, type SourceFile, type VariableDeclaration } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleContext } from "../src/engine/rule.js";
import { ancestorOfKind, calleeName, calleeText, enclosingFunction as tsEnclosingFunction, isRequestHandler as tsIsHandler, line } from "./_lib/ts.js";
import { compactTreeText, enclosingFunction, isRequestHandler, line as tline } from "./_lib/tree.js";
import { billingExclusionCases, maintenanceNotExcluded, treeHealthBilled, tsHealthBilled } from "./_lib/billing-exclusions.js";
import { dedupeByLine, isHealthPath, isMeteringCall, isStatusName, nameParts, stringContent } from "./_lib/business.js";

const MSG = {
  noStatus: (call: string) => `\`${call}\` meters the request without checking the response status, so failed (5xx) requests are billed.`,
  before: (call: string) => `\`${call}\` runs before the request's outcome is known; failed requests are billed too.`,
  failure: (call: string) => `\`${call}\` runs on the failure path, billing a request that failed.`,
  health: (call: string, path: string) => `\`${call}\` bills calls to the health-check route \`${path}\`; probes are not billable usage.`,
  early: (call: string) => `\`${call}\` is recorded before the work it bills has succeeded; if the work fails the customer is still charged.`,
  finalize: (call: string) => `\`${call}\` runs in \`finalize\`, which fires when the request errors as well as when it succeeds, so failed requests are billed.`,
  maintenance: (call: string, concept: string) =>
    `\`${call}\` records usage without checking the maintenance window (\`${concept}\` exists in this code base), so calls served during maintenance are billed.`,
  swallowed: (call: string) => `\`${call}\` runs after a \`catch\` that swallows the error, so failed requests are billed.`,
};

// --- TypeScript ---

const RESPONSE_RECEIVER = /^(res|response|reply|ctx|c|h)\b/;

function tsFunctions(node: TsNode): TsNode[] {
  const out: TsNode[] = [];
  for (let fn = tsEnclosingFunction(node); fn; fn = tsEnclosingFunction(fn)) out.push(fn);
  return out;
}

function tsParams(fn: TsNode): string[] {
  return TsNode.isFunctionLikeDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn) ? fn.getParameters().map((p) => p.getName()) : [];
}

/** `res.on("finish", cb)`, a hook (`addHook("onResponse", cb)`), or a `(req, res, next)` / `(ctx, next)` middleware. */
function tsMiddleware(fn: TsNode): "finish" | "before" | "hook" | undefined {
  const reg = fn.getParentIfKind(SyntaxKind.CallExpression);
  const first = reg?.getArguments()[0];
  const event = first && TsNode.isStringLiteral(first) ? first.getLiteralText() : "";
  if (reg && /^(on|once|addListener)$/.test(calleeName(reg)) && /^(finish|close)$/.test(event)) return "finish";
  if (reg && calleeName(reg) === "addHook") return /^(onRequest|preHandler|preValidation|preParsing)$/.test(event) ? "before" : "hook";
  const params = tsParams(fn);
  if (params.includes("next") || params.includes("call_next")) return "hook";
  return undefined;
}

function tsStatusChecked(scope: TsNode): boolean {
  const conditions: TsNode[] = [
    ...scope.getDescendantsOfKind(SyntaxKind.IfStatement).map((s) => s.getExpression()),
    ...scope.getDescendantsOfKind(SyntaxKind.ConditionalExpression).map((c) => c.getCondition()),
    ...scope.getDescendantsOfKind(SyntaxKind.BinaryExpression).filter((b) => /^(&&|\|\||[<>]=?|===?|!==?)$/.test(b.getOperatorToken().getText())),
  ];
  return conditions.some((c) => c.getDescendantsOfKind(SyntaxKind.Identifier).some((i) => isStatusName(i.getText())) || (TsNode.isIdentifier(c) && isStatusName(c.getText())));
}

function tsRoutePath(fn: TsNode): string | undefined {
  const reg = fn.getParentIfKind(SyntaxKind.CallExpression);
  const first = reg?.getArguments()[0];
  if (!reg || !/^(get|post|put|patch|delete|all|head|route)$/.test(calleeName(reg))) return undefined;
  return first && TsNode.isStringLiteral(first) ? first.getLiteralText() : undefined;
}

/** An awaited call after `call` in `fn` whose result is kept: the work the request is billed for. */
function tsLaterWork(fn: TsNode, call: CallExpression): boolean {
  return fn.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((aw) => {
    if (aw.getStart() <= call.getEnd() || tsEnclosingFunction(aw) !== fn) return false;
    const inner = aw.getExpression();
    if (TsNode.isCallExpression(inner) && (isMeteringCall(calleeText(inner)) || RESPONSE_RECEIVER.test(calleeText(inner)))) return false;
    const parent = aw.getParent();
    return Boolean(parent && (TsNode.isVariableDeclaration(parent) || (TsNode.isBinaryExpression(parent) && parent.getOperatorToken().getText() === "=")));
  });
}

/** A try/catch before `call` in the same block whose catch neither returns nor throws. */
function tsSwallowedBefore(call: CallExpression, fn: TsNode): boolean {
  return fn.getDescendantsOfKind(SyntaxKind.TryStatement).some((t) => {
    if (t.getEnd() > call.getStart() || tsEnclosingFunction(t) !== fn) return false;
    const c = t.getCatchClause();
    return Boolean(c && !c.getDescendants().some((d) => TsNode.isReturnStatement(d) || TsNode.isThrowStatement(d)));
  });
}

/**
 * RxJS operators around a NestJS interceptor's `next.handle().pipe(...)`: `tap(fn)`/`map(fn)` run on
 * success only, `finalize(fn)` on success and error alike, `catchError(fn)` / `tap({ error })` on error.
 */
function tsRxOperator(fn: TsNode): "success" | "finalize" | "error" | undefined {
  let arg: TsNode = fn;
  const prop = fn.getParentIfKind(SyntaxKind.PropertyAssignment) ?? fn.getParentIfKind(SyntaxKind.MethodDeclaration);
  if (prop && TsNode.isObjectLiteralExpression(prop.getParent())) arg = prop.getParent()!;
  const op = arg.getParentIfKind(SyntaxKind.CallExpression);
  if (!op || !op.getArguments().includes(arg as any)) return undefined;
  const inPipe = op.getParentIfKind(SyntaxKind.CallExpression);
  if (!inPipe || calleeName(inPipe) !== "pipe") return undefined;
  const name = calleeName(op);
  if (name === "finalize") return "finalize";
  if (name === "catchError") return "error";
  if (/^(tap|map|mergeMap|switchMap|concatMap|exhaustMap)$/.test(name)) {
    if (arg === fn) return "success";
    const key = (prop as any).getName?.() ?? "";
    return key === "error" ? "error" : key === "finalize" ? "finalize" : "success";
  }
  return undefined;
}

/** The metering call sits in a middleware, hook or request handler: a request path. */
function tsOnRequestPath(call: CallExpression): boolean {
  return tsFunctions(call).some((fn) => tsMiddleware(fn) !== undefined || tsIsHandler(fn) || /^(intercept|use)$/.test((fn as any).getName?.() ?? ""));
}

function tsCheck(call: CallExpression): string | undefined {
  const text = calleeText(call);
  const fns = tsFunctions(call);
  if (!fns.length) return undefined;
  const inner = fns[0];
  const onFailure = call.getFirstAncestor((a) => TsNode.isCatchClause(a) || (TsNode.isBlock(a) && a.getParentIfKind(SyntaxKind.TryStatement)?.getFinallyBlock() === a));
  if (onFailure && fns.some((f) => f.containsRange(onFailure.getPos(), onFailure.getEnd()))) return MSG.failure(text);
  const rx = tsRxOperator(inner);
  if (rx === "success") return undefined;
  if (rx === "finalize") return MSG.finalize(text);
  if (rx === "error") return MSG.failure(text);
  for (const fn of fns) {
    const kind = tsMiddleware(fn);
    if (!kind) continue;
    if (kind === "before") return MSG.before(text);
    const scopes = fns.slice(0, fns.indexOf(fn) + 1);
    if (scopes.some(tsStatusChecked)) return undefined;
    if (kind === "hook" && fns.indexOf(fn) === 0) {
      const nextCall = fn.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => /^(next|call_next)$/.test(calleeText(c)));
      if (nextCall && nextCall.getStart() > call.getEnd()) return MSG.before(text);
    }
    return MSG.noStatus(text);
  }
  const handler = fns.find(tsIsHandler);
  if (!handler) return undefined;
  const path = tsRoutePath(handler);
  if (path && isHealthPath(path)) return MSG.health(text, path);
  if (tsStatusChecked(inner)) return undefined;
  if (tsSwallowedBefore(call, inner)) return MSG.swallowed(text);
  if (tsLaterWork(inner, call)) return MSG.early(text);
  return undefined;
}

/**
 * `store.record(...)` where `store` is declared as a usage/metering type (`store: UsageStore`,
 * `const store = new MeterClient()`): the callee read with the receiver's type in place of its name.
 */
function tsTypedCallee(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  if (!TsNode.isPropertyAccessExpression(callee)) return undefined;
  const recv = callee.getExpression();
  // `this.sink.write(..)`: the type of the class property or constructor parameter property.
  if (TsNode.isPropertyAccessExpression(recv) && recv.getExpression().getKind() === SyntaxKind.ThisKeyword) {
    const cls = ancestorOfKind(call, SyntaxKind.ClassDeclaration);
    const field = recv.getName();
    const prop = cls?.getProperty(field);
    const param = cls?.getConstructors().flatMap((c) => c.getParameters()).find((p) => p.getName() === field && p.isParameterProperty());
    const typeNode = prop?.getTypeNode() ?? param?.getTypeNode();
    const type = typeNode?.getText() ?? /^new\s+([\w.]+)/.exec(prop?.getInitializer()?.getText() ?? "")?.[1];
    return type ? `${type.replace(/<.*$/s, "")}.${callee.getName()}` : undefined;
  }
  if (!TsNode.isIdentifier(recv)) return undefined;
  const name = recv.getText();
  for (const fn of tsFunctions(call)) {
    if (!(TsNode.isFunctionLikeDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn))) continue;
    const p = fn.getParameters().find((x) => x.getName() === name);
    const type = p?.getTypeNode()?.getText();
    if (type) return `${type.replace(/<.*$/s, "")}.${callee.getName()}`;
  }
  const decl = variablesByName(call.getSourceFile()).get(name);
  const type = decl?.getTypeNode()?.getText() ?? /^new\s+([\w.]+)/.exec(decl?.getInitializer()?.getText() ?? "")?.[1];
  return type ? `${type.replace(/<.*$/s, "")}.${callee.getName()}` : undefined;
}

const variables = new WeakMap<SourceFile, Map<string, VariableDeclaration>>();

/** The file's first variable declaration of each name (one walk per file, not one per call). */
function variablesByName(sf: SourceFile): Map<string, VariableDeclaration> {
  let byName = variables.get(sf);
  if (!byName) {
    byName = new Map();
    for (const d of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) if (!byName.has(d.getName())) byName.set(d.getName(), d);
    variables.set(sf, byName);
  }
  return byName;
}

/** `INSERT INTO usage_events ...`, `insert into api_usage`: SQL that records a usage row. */
export function isUsageInsert(sql: string): boolean {
  const table = /^\s*insert\s+into\s+[`"]?(?:\w+[`"]?\.[`"]?)?(\w+)/i.exec(sql)?.[1] ?? "";
  return nameParts(table).some((p) => /^(usage|usages|meter|meters|metering|metered|billable)$/.test(p));
}

function tsIsMetering(call: CallExpression): boolean {
  if (isMeteringCall(calleeText(call))) return true;
  const first = call.getArguments()[0];
  if (first && (TsNode.isStringLiteral(first) || TsNode.isNoSubstitutionTemplateLiteral(first) || TsNode.isTemplateExpression(first)) && isUsageInsert(first.getText().slice(1))) return true;
  const typed = tsTypedCallee(call);
  return Boolean(typed && isMeteringCall(typed));
}

function tsDetect(file: ParsedFile, ctx: RuleContext<unknown>): Report[] {
  const out: Report[] = [];
  let concept: string | undefined | null = null;
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (!tsIsMetering(call)) continue;
    let message = tsCheck(call);
    if (!message && tsOnRequestPath(call)) {
      if (concept === null) concept = maintenanceConcept(file, ctx);
      const scopes = tsFunctions(call);
      const gated = maintenanceGate(file.text) && scopes.some(tsStatusChecked);
      if (concept && !gated && !scopes.some((fn) => fn.getDescendantsOfKind(SyntaxKind.Identifier).some((i) => MAINTENANCE.test(i.getText())))) {
        message = MSG.maintenance(calleeText(call), concept);
      }
    }
    message ??= maintenanceNotExcluded(call.getText(), calleeText(call), ctx.files) ?? tsHealthBilled(call, calleeText(call), ctx.files);
    if (message) out.push({ line: line(call), message });
  }
  return dedupeByLine(out);
}

// --- Maintenance windows ---

const MAINTENANCE = /maint(enance)?(_?(mode|window|windows|period|flag|active|enabled|on))?(?![a-z])|maintenance/i;
const MAINTENANCE_DECL = /\b(?:function|def|fn|class|struct|enum|const|let|static|interface|type)\s+(\w*maintenance\w*)/i;

/**
 * A maintenance notion the metering code should honour: a maintenance flag/window named in the file's code
 * (imports included), or declared by another file of the review (`isMaintenanceWindow`, `MaintenanceWindow`).
 * Comments and strings do not count.
 */
function maintenanceConcept(file: ParsedFile, ctx: RuleContext<unknown>): string | undefined {
  const own = file.ts
    ? [...file.ts.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()), ...file.ts.getImportDeclarations().map((d) => d.getModuleSpecifierValue())]
    : file.tree
      ? file.tree.rootNode.descendantsOfType(["identifier", "field_identifier", "type_identifier", "dotted_name"]).map((n) => n!.text)
      : [];
  const hit = own.find((w) => /maintenance/i.test(w));
  if (hit) return hit;
  for (const other of ctx.files) {
    if (other.path === file.path) continue;
    const decl = MAINTENANCE_DECL.exec(other.text);
    if (decl) return decl[1];
  }
  return undefined;
}

/**
 * The file turns requests away with 503 during maintenance (a maintenance-mode gate): then a metering call
 * that skips 5xx responses already skips them. A window during which requests are still served is not such a gate.
 */
function maintenanceGate(text: string): boolean {
  return /maintenance[\s\S]{0,400}?(\b503\b|SERVICE_UNAVAILABLE|ServiceUnavailable)/i.test(text);
}

function treeMentionsMaintenance(fn: Node): boolean {
  const deco = decoratorText(fn);
  if (/maintenance/i.test(deco)) return true;
  return fn.descendantsOfType(["identifier", "field_identifier", "type_identifier"]).some((n) => MAINTENANCE.test(n!.text));
}

// --- Python and Rust (tree-sitter) ---

interface Lang {
  call: string;
  /** Code that runs only when something failed (`child`: the ancestor's child on the way to the call). */
  failure: (n: Node, child: Node) => boolean;
  /** Is `fn` a middleware/hook, and does it run before the handler? */
  middleware: (fn: Node) => "before" | "after" | undefined;
  routePath: (fn: Node) => string | undefined;
  /** A later statement that keeps the result of a call (the work being billed). */
  laterWork: (fn: Node, call: Node) => boolean;
  conditions: string[];
}

function calleeOf(call: Node): string {
  return compactTreeText(call.childForFieldName("function"));
}

/**
 * A metering call: by name, SQL inserting into a usage table (`sqlx::query("INSERT INTO usage_events ..")`,
 * `cur.execute("insert into usage ..")`), or a method of a parameter typed as a usage store (`store: &UsageStore`).
 */
function treeIsMetering(call: Node): boolean {
  const callee = calleeOf(call);
  if (isMeteringCall(callee)) return true;
  const first = call.childForFieldName("arguments")?.namedChildren[0];
  if (first && /^(string|string_literal|raw_string_literal)$/.test(first.type) && isUsageInsert(first.text.replace(/^[rbf]*#*["']+/i, ""))) return true;
  const m = /^(self\.)?(\w+)(?:\.|::)(\w+)$/.exec(callee);
  if (!m) return false;
  if (m[1]) {
    const type = selfFieldType(call, m[2]);
    return Boolean(type && isMeteringCall(`${type}.${m[3]}`));
  }
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const type = paramType(fn, m[2]);
    if (type) return isMeteringCall(`${type}.${m[3]}`);
  }
  return false;
}

/** The declared type of a parameter, without references and wrappers (`&Arc<UsageStore>` -> `UsageStore`). */
function paramType(fn: Node, name: string): string | undefined {
  for (const p of fn.childForFieldName("parameters")?.namedChildren ?? []) {
    const pname = (p?.childForFieldName("pattern") ?? p?.childForFieldName("name") ?? p?.namedChildren[0])?.text;
    if (pname === name) return unwrapType(p?.childForFieldName("type")?.text ?? "") || undefined;
  }
  return undefined;
}

function unwrapType(type: string): string {
  let t = type.trim();
  for (let prev = ""; prev !== t; ) {
    prev = t;
    t = t.replace(/^&\s*(mut\s+)?/, "").replace(/^(Arc|Rc|Box|Optional|Option|web::Data|Data|Mutex|RwLock)<(.*)>$/s, "$2").replace(/^Optional\[(.*)\]$/s, "$1").trim();
  }
  return t.replace(/<.*$/s, "").replace(/\[.*$/s, "");
}

/**
 * The type of `self.<field>` (a service a middleware was constructed with): Python `self.recorder = recorder` from a
 * typed `__init__` parameter, `self.recorder = UsageRecorder(..)`, `self.recorder: UsageRecorder`, or a class-level
 * annotation; Rust the field of the struct the `impl` block is for.
 */
function selfFieldType(call: Node, field: string): string | undefined {
  let cls: Node | null = call.parent;
  while (cls && cls.type !== "class_definition" && cls.type !== "impl_item") cls = cls.parent;
  if (!cls) return undefined;
  if (cls.type === "impl_item") {
    const typeName = cls.childForFieldName("type")?.text.replace(/<.*$/s, "");
    let root: Node = cls;
    while (root.parent) root = root.parent;
    const struct = root.descendantsOfType("struct_item").find((st) => st?.childForFieldName("name")?.text === typeName);
    const decl = struct?.descendantsOfType("field_declaration").find((d) => d?.childForFieldName("name")?.text === field);
    return decl ? unwrapType(decl.childForFieldName("type")?.text ?? "") || undefined : undefined;
  }
  const body = cls.childForFieldName("body");
  for (const a of body?.descendantsOfType("assignment") ?? []) {
    const left = a!.childForFieldName("left")?.text;
    const type = a!.childForFieldName("type")?.text;
    const right = a!.childForFieldName("right");
    const classLevel = a!.parent?.parent?.id === body!.id;
    if (left === `self.${field}` || (classLevel && left === field)) {
      if (type) return unwrapType(type);
      if (right?.type === "call" && /^[A-Z]/.test((right.childForFieldName("function")?.text ?? "").replace(/^.*\./, ""))) return right.childForFieldName("function")!.text.replace(/^.*\./, "");
      if (right?.type === "identifier") {
        const method = enclosingFunction(a!);
        const t = method && paramType(method, right.text);
        if (t) return t;
      }
    }
  }
  return undefined;
}

/** Variables holding a metering call's own result: `let recorded = sqlx::query("INSERT INTO usage ..")...await;`. */
function meteringResults(scope: Node, lang: Lang): Set<string> {
  const out = new Set<string>();
  for (const d of scope.descendantsOfType(["let_declaration", "assignment"])) {
    const left = d!.childForFieldName("pattern") ?? d!.childForFieldName("left");
    const value = d!.childForFieldName("value") ?? d!.childForFieldName("right");
    if (left?.type !== "identifier" || !value) continue;
    if ([value, ...value.descendantsOfType(lang.call)].some((c) => c && c.type === lang.call && treeIsMetering(c))) out.add(left.text);
  }
  return out;
}

function statusChecked(scope: Node, lang: Lang): boolean {
  const results = meteringResults(scope, lang);
  for (const cond of scope.descendantsOfType(lang.conditions)) {
    const test = cond!.childForFieldName("condition") ?? cond!.childForFieldName("value") ?? cond!;
    // `if let Err(e) = sqlx::query("INSERT INTO usage_events ..").bind(status)..`: handling the metering call's own result.
    if ([test, ...test.descendantsOfType(lang.call)].some((c) => c && c.type === lang.call && treeIsMetering(c))) continue;
    // `let recorded = <metering>.await; if let Err(err) = recorded {..}`: the same, through a variable.
    const value = test.type === "let_condition" ? test.childForFieldName("value") : test;
    if (value && [value, ...value.descendantsOfType("identifier")].some((n) => n?.type === "identifier" && results.has(n.text)) && !test.descendantsOfType(["field_identifier", "identifier"]).some((n) => n && !results.has(n.text) && isStatusName(n.text) && !/^(err|error|ok|is_err|is_ok)$/i.test(n.text))) continue;
    const names = test.descendantsOfType(["identifier", "field_identifier"]).map((n) => n!.text);
    if (names.some(isStatusName)) return true;
  }
  return false;
}

function decoratorText(fn: Node): string {
  if (fn.parent?.type === "decorated_definition") return fn.parent.namedChildren.filter((c) => c?.type === "decorator").map((c) => c!.text).join("\n");
  const attrs: string[] = [];
  for (let cur = fn.previousNamedSibling; cur && cur.type === "attribute_item"; cur = cur.previousNamedSibling) attrs.push(cur.text);
  return attrs.join("\n");
}

function firstStringArg(text: string): string | undefined {
  return /\(\s*[rb]?["']([^"']*)["']/.exec(text)?.[1];
}

function laterAssignedCall(fn: Node, call: Node, stmtTypes: string[], valueOf: (s: Node) => Node | null): boolean {
  return fn.descendantsOfType(stmtTypes).some((s) => {
    if (!s || s.startIndex <= call.endIndex || enclosingFunction(s)?.id !== fn.id) return false;
    const value = valueOf(s);
    if (!value) return false;
    const calls = [value, ...value.descendantsOfType(["call", "call_expression"])].filter((n): n is Node => Boolean(n && /^call(_expression)?$/.test(n.type)));
    return calls.some((c) => !isMeteringCall(calleeOf(c)) && !/^[A-Z]|(^|\.)(jsonify|json|render|make_response|to_response)$|^(HttpResponse|Json|Ok|Err|Some)\b/.test(calleeOf(c)));
  });
}

const PY: Lang = {
  call: "call",
  failure: (n) => n.type === "except_clause" || n.type === "finally_clause",
  middleware: (fn) => {
    const deco = decoratorText(fn);
    if (/\.(before_request|before_app_request)\b/.test(deco)) return "before";
    if (/\.(after_request|after_app_request|teardown_request|middleware)\b/.test(deco)) return "after";
    const params = fn.childForFieldName("parameters")?.text ?? "";
    if (/\b(call_next|get_response)\b/.test(params) || /\bself\.get_response\(|\bcall_next\(|\bawait handler\(request\)/.test(fn.text)) return "after";
    return undefined;
  },
  routePath: (fn) => {
    const deco = decoratorText(fn);
    return /\.(get|post|put|patch|delete|route|api_route)\(/.test(deco) ? firstStringArg(deco.slice(deco.search(/\.(get|post|put|patch|delete|route|api_route)\(/))) : undefined;
  },
  laterWork: (fn, call) => laterAssignedCall(fn, call, ["assignment"], (s) => s.childForFieldName("right")),
  conditions: ["if_statement", "elif_clause", "conditional_expression", "boolean_operator", "comparison_operator", "not_operator"],
};

const RS: Lang = {
  call: "call_expression",
  failure: (n, child) => {
    if (n.type === "match_arm") return /^Err\b/.test(n.childForFieldName("pattern")?.text ?? "") && child.id !== n.childForFieldName("pattern")?.id;
    // `if let Err(e) = meter(..) { .. }`: the call in the condition runs whatever happened; only its block is the failure path.
    if (n.type === "if_expression") return /^let\s+Err\b/.test(n.childForFieldName("condition")?.text ?? "") && child.id === n.childForFieldName("consequence")?.id;
    if (n.type === "closure_expression") return /\.(map_err|or_else|unwrap_or_else|inspect_err)$/.test(calleeOf(n.parent?.parent ?? n));
    return false;
  },
  middleware: (fn) => {
    const params = fn.childForFieldName("parameters")?.text ?? "";
    if (/\bNext\b|\bServiceRequest\b/.test(params) || /\bnext\.run\(|\bsrv\.call\(|\bservice\.call\(/.test(fn.text)) return "after";
    return undefined;
  },
  routePath: (fn) => {
    const attrs = decoratorText(fn);
    return /#\[(get|post|put|patch|delete|route)\(/.test(attrs) ? firstStringArg(attrs) : undefined;
  },
  laterWork: (fn, call) => laterAssignedCall(fn, call, ["let_declaration"], (s) => s.childForFieldName("value")),
  conditions: ["if_expression", "match_expression", "binary_expression", "unary_expression"],
};

/** A Rust route registered with `.route("/health", get(handler))`: the handler names of health routes in the file. */
function rustHealthHandlers(root: Node): Map<string, string> {
  const out = new Map<string, string>();
  for (const call of root.descendantsOfType("call_expression")) {
    if (!/\.route$/.test(calleeOf(call!))) continue;
    const [pathArg, handler] = call!.childForFieldName("arguments")?.namedChildren ?? [];
    if (pathArg?.type !== "string_literal" || !handler) continue;
    const path = pathArg.text.replace(/^"|"$/g, "");
    if (!isHealthPath(path)) continue;
    for (const id of handler.descendantsOfType("identifier")) if (id && !/^(get|post|put|delete|patch|any|to|web)$/.test(id.text)) out.set(id.text, path);
  }
  return out;
}

function treeCheck(call: Node, lang: Lang, healthByName: Map<string, string>): string | undefined {
  const text = calleeOf(call);
  const fn = enclosingFunction(call);
  if (!fn) return undefined;
  for (let child: Node = call, cur = call.parent; cur && cur.id !== fn.id; child = cur, cur = cur.parent) if (lang.failure(cur, child)) return MSG.failure(text);
  const kind = lang.middleware(fn);
  if (kind === "before") return MSG.before(text);
  if (kind === "after") return statusChecked(fn, lang) ? undefined : MSG.noStatus(text);
  const name = fn.childForFieldName("name")?.text ?? "";
  const path = lang.routePath(fn) ?? healthByName.get(name);
  if (path !== undefined && isHealthPath(path)) return MSG.health(text, path);
  if (path === undefined && !isRequestHandler(fn)) return undefined;
  if (statusChecked(fn, lang)) return undefined;
  return lang.laterWork(fn, call) ? MSG.early(text) : undefined;
}

/** The metering call sits in a middleware, hook or request handler. */
function treeOnRequestPath(call: Node, lang: Lang, healthByName: Map<string, string>): boolean {
  const fn = enclosingFunction(call);
  if (!fn) return false;
  return Boolean(lang.middleware(fn) || lang.routePath(fn) !== undefined || healthByName.has(fn.childForFieldName("name")?.text ?? "") || isRequestHandler(fn));
}

function treeDetect(file: ParsedFile, lang: Lang, ctx: RuleContext<unknown>): Report[] {
  const root = file.tree!.rootNode;
  const health = lang === RS ? rustHealthHandlers(root) : new Map<string, string>();
  const out: Report[] = [];
  let concept: string | undefined | null = null;
  for (const call of root.descendantsOfType(lang.call)) {
    if (!treeIsMetering(call!)) continue;
    let message = treeCheck(call!, lang, health);
    if (!message && treeOnRequestPath(call!, lang, health)) {
      if (concept === null) concept = maintenanceConcept(file, ctx);
      const scopes: Node[] = [];
      for (let fn = enclosingFunction(call!); fn; fn = enclosingFunction(fn)) scopes.push(fn);
      const gated = maintenanceGate(file.text) && scopes.some((fn) => statusChecked(fn, lang));
      if (concept && !gated && !scopes.some(treeMentionsMaintenance)) message = MSG.maintenance(calleeOf(call!), concept);
    }
    message ??= maintenanceNotExcluded(call!.text, calleeOf(call!), ctx.files) ?? treeHealthBilled(call!, calleeOf(call!), ctx.files);
    if (message) out.push({ line: tline(call!), message });
  }
  return dedupeByLine(out);
}

export default defineRule({
  meta: {
    id: "charge-on-failed-request",
    category: "business",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "Billable usage is recorded whatever the request's outcome: failed (5xx) requests, error paths, health-check probes or maintenance windows.",
    why: "Customers are charged for calls the service failed to serve, for retries of those failures and for load-balancer probes; every invoice then needs a manual credit, and the billing data cannot be trusted in a dispute.",
    fix: "Record usage after the response is known and only for successful, billable requests (check the status, e.g. < 400 or < 500 per contract), exclude health/readiness routes and maintenance windows, and never meter from catch/finally blocks.",
    docs: [
      "https://nodejs.org/api/http.html#event-finish",
      "https://expressjs.com/en/guide/writing-middleware.html",
      "https://www.starlette.io/middleware/#basehttpmiddleware",
      "https://docs.rs/axum/latest/axum/middleware/fn.from_fn.html",
    ],
  },
  detect: { typescript: tsDetect, python: (f, ctx) => treeDetect(f, PY, ctx), rust: (f, ctx) => treeDetect(f, RS, ctx) },
  cases: [...CASES(), ...billingExclusionCases()],
});

function CASES() {
  return [
    {
      name: "ts: express middleware meters on finish without a status check",
      language: "typescript" as const,
      code: `import type { Request, Response, NextFunction } from "express";
import { usage } from "../billing/usage.js";

export function meterRequests(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    usage.record({ customerId: req.auth.customerId, route: req.route?.path, at: Date.now() });
  });
  next();
}
`,
      expect: [6],
    },
    {
      name: "ts: handler records usage before calling the model",
      language: "typescript" as const,
      code: `import { Router } from "express";
import { recordUsage } from "../billing/meter.js";
import { translator } from "../services/translator.js";

export const router = Router();

router.post("/v1/translate", async (req, res) => {
  await recordUsage(req.auth.customerId, "translate", 1);
  const result = await translator.translate(req.body.text, req.body.target);
  res.json(result);
});
`,
      expect: [8],
    },
    {
      name: "ts: usage recorded in finally",
      language: "typescript" as const,
      code: `import { billing } from "./billing.js";
import { renderPdf } from "./pdf.js";

export async function handlePdfRequest(req: { customerId: string; html: string }) {
  try {
    return await renderPdf(req.html);
  } finally {
    await billing.chargeUsage(req.customerId, "pdf", 1);
  }
}
`,
      expect: [8],
    },
    {
      name: "ts: health route metered",
      language: "typescript" as const,
      code: `import express from "express";
import { meter } from "./metering.js";

const app = express();

app.get("/healthz", (req, res) => {
  meter.increment(req.header("x-api-key") ?? "anonymous", "healthz");
  res.send("ok");
});

export default app;
`,
      expect: [7],
    },
    {
      name: "ts: fastify onResponse hook meters every status",
      language: "typescript" as const,
      code: `import type { FastifyInstance } from "fastify";
import { usageService } from "./usage-service.js";

export async function billingPlugin(app: FastifyInstance) {
  app.addHook("onResponse", async (request, reply) => {
    await usageService.trackBillableCall(request.tenantId, request.routeOptions.url);
  });
}
`,
      expect: [6],
    },
    {
      name: "ts: finish listener checks the status",
      language: "typescript" as const,
      code: `import type { Request, Response, NextFunction } from "express";
import { usage } from "../billing/usage.js";

const UNBILLED = new Set(["/healthz", "/readyz"]);

export function meterRequests(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    if (res.statusCode >= 400 || UNBILLED.has(req.path)) return;
    usage.record({ customerId: req.auth.customerId, route: req.path });
  });
  next();
}
`,
      expect: [],
    },
    {
      name: "ts: handler records usage after the work succeeded",
      language: "typescript" as const,
      code: `import { Router } from "express";
import { recordUsage } from "../billing/meter.js";
import { translator } from "../services/translator.js";

export const router = Router();

router.post("/v1/translate", async (req, res) => {
  const result = await translator.translate(req.body.text, req.body.target);
  await recordUsage(req.auth.customerId, "translate", 1);
  res.json(result);
});
`,
      expect: [],
    },
    {
      name: "ts: fastify hook with reply.statusCode guard",
      language: "typescript" as const,
      code: `import type { FastifyInstance } from "fastify";
import { usageService } from "./usage-service.js";

export async function billingPlugin(app: FastifyInstance) {
  app.addHook("onResponse", async (request, reply) => {
    const ok = reply.statusCode < 500;
    if (ok) await usageService.trackBillableCall(request.tenantId, request.routeOptions.url);
  });
}
`,
      expect: [],
    },
    {
      name: "ts: usage reads and metering words in strings",
      language: "typescript" as const,
      code: `import { Router } from "express";
import { usageRepo } from "../billing/usage-repo.js";

export const router = Router();

// recordUsage() must run after success
router.get("/v1/usage", async (req, res) => {
  const rows = await usageRepo.getUsage(req.auth.customerId);
  res.json({ rows, note: "recordUsage is called after success" });
});
`,
      expect: [],
    },
    {
      name: "py: starlette middleware meters without checking the status",
      language: "python" as const,
      code: `from starlette.middleware.base import BaseHTTPMiddleware
from app.billing import usage

class MeteringMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        await usage.record(request.state.customer_id, request.url.path)
        return response
`,
      expect: [7],
    },
    {
      name: "py: flask after_request meters every response",
      language: "python" as const,
      code: `from flask import Flask, g
from billing.meter import record_usage

app = Flask(__name__)

@app.after_request
def meter(response):
    record_usage(g.customer_id, 1)
    return response
`,
      expect: [8],
    },
    {
      name: "py: fastapi handler bills before the work",
      language: "python" as const,
      code: `from fastapi import APIRouter, Depends
from app.billing import billing_client
from app.auth import current_customer
from app.ocr import ocr_engine

router = APIRouter()

@router.post("/v1/ocr")
async def ocr(payload: dict, customer=Depends(current_customer)):
    await billing_client.charge_usage(customer.id, "ocr", 1)
    text = await ocr_engine.run(payload["image"])
    return {"text": text}
`,
      expect: [10],
    },
    {
      name: "py: usage recorded in except",
      language: "python" as const,
      code: `from app.billing import meter
from app.render import render_report

def handle_report(request):
    try:
        report = render_report(request.json)
    except Exception:
        meter.increment(request.customer_id, "report")
        raise
    meter.increment(request.customer_id, "report")
    return report
`,
      expect: [8],
    },
    {
      name: "py: middleware checks status before metering",
      language: "python" as const,
      code: `from starlette.middleware.base import BaseHTTPMiddleware
from app.billing import usage

UNBILLED = {"/healthz", "/readyz"}

class MeteringMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        if response.status_code < 400 and request.url.path not in UNBILLED:
            await usage.record(request.state.customer_id, request.url.path)
        return response
`,
      expect: [],
    },
    {
      name: "py: handler bills after the work",
      language: "python" as const,
      code: `from fastapi import APIRouter
from app.billing import billing_client
from app.ocr import ocr_engine

router = APIRouter()

@router.post("/v1/ocr")
async def ocr(payload: dict, customer_id: str):
    text = await ocr_engine.run(payload["image"])
    await billing_client.charge_usage(customer_id, "ocr", 1)
    return {"text": text}
`,
      expect: [],
    },
    {
      name: "py: batch job records usage from stored events",
      language: "python" as const,
      code: `from app.billing import usage

def backfill_usage(events):
    for event in events:
        if event.billable:
            usage.record(event.customer_id, event.route)
`,
      expect: [],
    },
    {
      name: "py: metering words in strings and comments only",
      language: "python" as const,
      code: `from flask import Flask

app = Flask(__name__)

@app.after_request
def add_headers(response):
    # record_usage(...) happens in the billing worker
    response.headers["X-Billing"] = "record_usage after success"
    return response
`,
      expect: [],
    },
    {
      name: "rs: axum middleware meters every response",
      language: "rust" as const,
      code: `use axum::{extract::{Request, State}, middleware::Next, response::Response};
use crate::billing::UsageMeter;

pub async fn meter_usage(State(meter): State<UsageMeter>, req: Request, next: Next) -> Response {
    let customer = req.headers().get("x-customer-id").cloned();
    let response = next.run(req).await;
    meter.record_call(customer).await;
    response
}
`,
      expect: [7],
    },
    {
      name: "rs: handler records usage before the work",
      language: "rust" as const,
      code: `use axum::{extract::State, Json};
use crate::{AppState, billing, models::{Req, Out}};

pub async fn summarize(State(state): State<AppState>, Json(body): Json<Req>) -> Result<Json<Out>, crate::Error> {
    billing::record_usage(&state.db, &body.customer_id, 1).await?;
    let summary = state.llm.summarize(&body.text).await?;
    Ok(Json(Out { summary }))
}
`,
      expect: [5],
    },
    {
      name: "rs: usage recorded in the Err arm",
      language: "rust" as const,
      code: `use actix_web::{web, HttpResponse};
use crate::{AppState, render};

pub async fn render_handler(state: web::Data<AppState>, body: web::Json<render::Req>) -> HttpResponse {
    match render::run(&body).await {
        Ok(pdf) => {
            state.meter.increment(&body.customer_id).await;
            HttpResponse::Ok().body(pdf)
        }
        Err(e) => {
            state.meter.increment(&body.customer_id).await;
            HttpResponse::InternalServerError().body(e.to_string())
        }
    }
}
`,
      expect: [11],
    },
    {
      name: "rs: health route metered",
      language: "rust" as const,
      code: `use axum::{routing::get, Router, extract::State};
use crate::AppState;

async fn health(State(state): State<AppState>) -> &'static str {
    state.usage.record_request("health").await;
    "ok"
}

pub fn routes(state: AppState) -> Router {
    Router::new().route("/health", get(health)).with_state(state)
}
`,
      expect: [5],
    },
    {
      name: "rs: middleware checks the status",
      language: "rust" as const,
      code: `use axum::{extract::{Request, State}, middleware::Next, response::Response};
use crate::billing::UsageMeter;

pub async fn meter_usage(State(meter): State<UsageMeter>, req: Request, next: Next) -> Response {
    let customer = req.headers().get("x-customer-id").cloned();
    let response = next.run(req).await;
    if response.status().is_success() {
        meter.record_call(customer).await;
    }
    response
}
`,
      expect: [],
    },
    {
      name: "rs: handler records usage after the work",
      language: "rust" as const,
      code: `use axum::{extract::State, Json};
use crate::{AppState, billing, models::{Req, Out}};

pub async fn summarize(State(state): State<AppState>, Json(body): Json<Req>) -> Result<Json<Out>, crate::Error> {
    let summary = state.llm.summarize(&body.text).await?;
    billing::record_usage(&state.db, &body.customer_id, 1).await?;
    Ok(Json(Out { summary }))
}
`,
      expect: [],
    },
    {
      name: "rs: Ok arm only",
      language: "rust" as const,
      code: `use actix_web::{web, HttpResponse};
use crate::{AppState, render};

pub async fn render_handler(state: web::Data<AppState>, body: web::Json<render::Req>) -> HttpResponse {
    match render::run(&body).await {
        Ok(pdf) => {
            state.meter.increment(&body.customer_id).await;
            HttpResponse::Ok().body(pdf)
        }
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}
`,
      expect: [],
    },
    {
      name: "rs: metering in a comment and a string",
      language: "rust" as const,
      code: `// meter.record_call() runs in the billing worker, not here.
pub async fn health() -> &'static str {
    let _doc = "meter.record_call(customer)";
    "ok"
}
`,
      expect: [],
    },
    {
      name: "ts: NestJS interceptor meters in finalize (runs on errors too)",
      language: "typescript" as const,
      code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from "@nestjs/common";
import { Observable, finalize } from "rxjs";
import { UsageService } from "../billing/usage.service";

@Injectable()
export class MeteringInterceptor implements NestInterceptor {
  constructor(private readonly usage: UsageService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest();
    return next.handle().pipe(finalize(() => this.usage.recordUsage(req.user.accountId, req.route.path)));
  }
}
`,
      expect: [11],
    },
    {
      name: "ts: NestJS interceptor meters in tap (success only)",
      language: "typescript" as const,
      code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from "@nestjs/common";
import { Observable, tap } from "rxjs";
import { UsageService } from "../billing/usage.service";

@Injectable()
export class MeteringInterceptor implements NestInterceptor {
  constructor(private readonly usage: UsageService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest();
    return next.handle().pipe(tap(() => this.usage.recordUsage(req.user.accountId, req.route.path)));
  }
}
`,
      expect: [],
    },
    {
      name: "ts: status checked but the maintenance window in scope is ignored",
      language: "typescript" as const,
      code: `import type { Request, Response, NextFunction } from "express";
import { maintenance } from "../ops/maintenance";
import { billing } from "../billing/client";

export function usageMeter(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    if (res.statusCode >= 500) return;
    billing.recordUsage({ accountId: res.locals.accountId, units: 1 });
  });
  next();
}

export function usageMeterOutsideMaintenance(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    if (res.statusCode >= 500 || maintenance.isActive(new Date())) return;
    billing.recordUsage({ accountId: res.locals.accountId, units: 1 });
  });
  next();
}
`,
      expect: [8],
    },
    {
      name: "py: Django middleware skips 5xx and health but not the maintenance window",
      language: "python" as const,
      code: `from django.utils import timezone

from billing.models import UsageRecord
from ops.maintenance import in_maintenance_window


class MaintenanceBlindMeter:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500 and request.path != "/healthz":
            UsageRecord.objects.create(account=request.user.account, path=request.path, at=timezone.now())
        return response


class SafeMeter:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500 and not in_maintenance_window(timezone.now()):
            UsageRecord.objects.create(account=request.user.account, path=request.path, at=timezone.now())
        return response
`,
      expect: [14],
    },
    {
      name: "py: maintenance mode answers 503, so metering that skips 5xx is enough",
      language: "python" as const,
      code: `from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.config import settings
from app.metering import meter

app = FastAPI()


@app.middleware("http")
async def meter_requests(request: Request, call_next):
    response = await call_next(request)
    if response.status_code < 500:
        await meter.record_usage(request.state.account_id, request.url.path)
    return response


@app.middleware("http")
async def reject_during_maintenance(request: Request, call_next):
    if settings.MAINTENANCE_MODE:
        return JSONResponse({"detail": "maintenance"}, status_code=503)
    return await call_next(request)
`,
      expect: [],
    },
    {
      name: "rs: actix middleware checks the status and the maintenance window",
      language: "rust" as const,
      code: `use actix_web::{body::MessageBody, dev::{ServiceRequest, ServiceResponse}, middleware::Next, Error, HttpMessage};

use crate::billing::UsageMeter;
use crate::ops::MaintenanceWindow;

pub async fn meter_usage(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let meter = req.app_data::<actix_web::web::Data<UsageMeter>>().cloned();
    let window = req.app_data::<actix_web::web::Data<MaintenanceWindow>>().cloned();
    let account = req.extensions().get::<String>().cloned();
    let res = next.call(req).await?;
    let in_window = window.map(|w| w.contains(chrono::Utc::now())).unwrap_or(false);
    if res.status().is_success() && !in_window {
        if let (Some(meter), Some(account)) = (meter, account) {
            meter.record(&account, 1).await;
        }
    }
    Ok(res)
}
`,
      expect: [],
    },
    {
      name: "rs: axum middleware checks the status but not the maintenance window",
      language: "rust" as const,
      code: `use axum::{extract::{Request, State}, middleware::Next, response::Response};

use crate::{billing::UsageMeter, ops::MaintenanceWindow};

pub async fn meter(State(meter): State<UsageMeter>, req: Request, next: Next) -> Response {
    let account = req.headers().get("x-account").and_then(|v| v.to_str().ok()).map(String::from);
    let res = next.run(req).await;
    if res.status().is_success() {
        if let Some(account) = account {
            meter.record_usage(&account, 1).await;
        }
    }
    res
}
`,
      expect: [10],
    },
    {
      name: "ts: maintenance window declared in another file of the change",
      files: [
        {
          path: "src/ops/maintenance.ts",
          code: `export function isMaintenanceWindow(now: Date, windows: { start: Date; end: Date }[]): boolean {
  return windows.some((w) => now >= w.start && now < w.end);
}
`,
        },
        {
          path: "src/billing/meter.ts",
          code: `import type { Request, Response, NextFunction } from "express";
import { usage } from "./usage";

export function meter(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    if (res.statusCode < 500) usage.recordUsage(res.locals.accountId, req.path);
  });
  next();
}
`,
        },
      ],
      expect: ["src/billing/meter.ts:6"],
    },
    {
      name: "ts: finish listener records through a parameter typed as a usage sink",
      language: "typescript" as const,
      code: `import type { Request, Response, NextFunction } from "express";
import type { UsageSink } from "./usage-sink";

export function countCalls(sink: UsageSink) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      void sink.add({ account: req.params.accountId, path: req.path, code: res.statusCode });
    });
    next();
  };
}
`,
      expect: [7],
    },
    {
      name: "ts: typed usage sink behind a status guard",
      language: "typescript" as const,
      code: `import type { Request, Response, NextFunction } from "express";
import type { UsageSink } from "./usage-sink";

export function countCalls(sink: UsageSink) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      if (res.statusCode >= 500) return;
      void sink.add({ account: req.params.accountId, path: req.path, code: res.statusCode });
    });
    next();
  };
}
`,
      expect: [],
    },
    {
      name: "py: django middleware inserts a usage row for every response",
      language: "python" as const,
      code: `from django.db import connection


class CallCounter:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        with connection.cursor() as cur:
            cur.execute("INSERT INTO api_usage (account_id, path) VALUES (%s, %s)", [request.account_id, request.path])
        return response
`,
      expect: [11],
    },
    {
      name: "py: usage row inserted only for non-5xx responses",
      language: "python" as const,
      code: `from django.db import connection


class CallCounter:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500:
            with connection.cursor() as cur:
                cur.execute("INSERT INTO api_usage (account_id, path) VALUES (%s, %s)", [request.account_id, request.path])
        return response
`,
      expect: [],
    },
    {
      name: "rs: axum middleware inserts a metered row and stores, but never checks, the status",
      language: "rust" as const,
      code: `use axum::{extract::{Request, State}, middleware::Next, response::Response};

pub async fn count_calls(State(pool): State<sqlx::PgPool>, req: Request, next: Next) -> Response {
    let account = req.headers().get("x-account").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let res = next.run(req).await;
    let code = res.status().as_u16() as i32;
    if let Err(e) = sqlx::query("INSERT INTO metered_calls (account, code) VALUES ($1, $2)").bind(&account).bind(code).execute(&pool).await {
        tracing::warn!(error = %e, "call not recorded");
    }
    res
}
`,
      expect: [7],
    },
    {
      name: "rs: metered row inserted only for successful responses",
      language: "rust" as const,
      code: `use axum::{extract::{Request, State}, middleware::Next, response::Response};

pub async fn count_calls(State(pool): State<sqlx::PgPool>, req: Request, next: Next) -> Response {
    let account = req.headers().get("x-account").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let res = next.run(req).await;
    if res.status().is_success() {
        if let Err(e) = sqlx::query("INSERT INTO metered_calls (account) VALUES ($1)").bind(&account).execute(&pool).await {
            tracing::warn!(error = %e, "call not recorded");
        }
    }
    res
}
`,
      expect: [],
    },
    {
      name: "py: middleware meters through self.<attr> typed by its __init__ parameter",
      language: "python" as const,
      code: `from starlette.middleware.base import BaseHTTPMiddleware

from app.metering import UsageRecorder


class UsageMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, sink: UsageRecorder):
        super().__init__(app)
        self.sink = sink

    async def dispatch(self, request, call_next):
        response = await call_next(request)
        await self.sink.record(account=request.state.account_id, units=1)
        return response
`,
      expect: [13],
    },
    {
      name: "py: self.<attr> built from a meter client, metered only below 500",
      language: "python" as const,
      code: `from app.metering import MeterClient


class BillingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.client = MeterClient(region="eu")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500:
            self.client.add(request.user.tenant_id, 1)
        return response
`,
      expect: [],
    },
    {
      name: "py: self.recorder of unknown type records timings, not usage",
      language: "python" as const,
      code: `from starlette.middleware.base import BaseHTTPMiddleware


class TimingMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, recorder):
        super().__init__(app)
        self.recorder = recorder

    async def dispatch(self, request, call_next):
        response = await call_next(request)
        self.recorder.record(request.url.path, response.status_code)
        return response
`,
      expect: [],
    },
    {
      name: "ts: finish listener enqueues usage on a billing queue",
      language: "typescript" as const,
      code: `import type { NextFunction, Request, Response } from "express";
import { billingQueue } from "../queues";

export function meter(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    billingQueue.enqueueUsage({ tenantId: req.auth!.tenantId, units: 1 });
  });
  next();
}
`,
      expect: [6],
    },
    {
      name: "ts: class middleware writes to this.sink typed as a usage sink",
      language: "typescript" as const,
      code: `import type { NextFunction, Request, Response } from "express";
import type { UsageSink } from "../usage";

export class MeterMiddleware {
  constructor(private readonly sink: UsageSink) {}

  handle = (req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      this.sink.write({ tenantId: req.auth!.tenantId, units: 1 });
    });
    next();
  };
}
`,
      expect: [9],
    },
    {
      name: "ts: usage enqueued only for responses below 500",
      language: "typescript" as const,
      code: `import type { NextFunction, Request, Response } from "express";
import { usageQueue } from "../usage";

export function meter(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    if (res.statusCode < 500) usageQueue.enqueue({ tenantId: req.auth!.tenantId, units: 1 });
  });
  next();
}
`,
      expect: [],
    },
    {
      name: "rs: actix middleware method meters through a struct field typed as a usage recorder",
      language: "rust" as const,
      code: `use std::sync::Arc;

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::usage::UsageRecorder;

pub struct Metered {
    recorder: Arc<UsageRecorder>,
}

impl Metered {
    pub async fn handle(&self, req: ServiceRequest, next: Next<actix_web::body::BoxBody>) -> Result<ServiceResponse, actix_web::Error> {
        let res = next.call(req).await?;
        self.recorder.add(1).await;
        Ok(res)
    }
}
`,
      expect: [15],
    },
    {
      name: "ts: saving a usage alert setting is not metering",
      language: "typescript" as const,
      code: `import { Router } from "express";
import { prisma } from "../db";

export const alerts = Router();

alerts.post("/alerts", async (req, res) => {
  const saved = await prisma.usageAlert.upsert({
    where: { tenantId: req.auth!.tenantId },
    create: { tenantId: req.auth!.tenantId, thresholdUnits: req.body.thresholdUnits },
    update: { thresholdUnits: req.body.thresholdUnits },
  });
  res.status(201).json(saved);
});
`,
      expect: [],
    },
    {
      name: "rs: middleware keeps the usage insert's result in a variable and checks only that, never the response status",
      language: "rust" as const,
      code: `use axum::{extract::{Request, State}, middleware::Next, response::Response};

pub async fn bill_calls(State(db): State<sqlx::PgPool>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let written = sqlx::query("INSERT INTO metered_calls (code) VALUES ($1)")
        .bind(i32::from(response.status().as_u16()))
        .execute(&db)
        .await;
    if let Err(e) = written {
        tracing::warn!(error = %e, "metering failed");
    }
    response
}
`,
      expect: [5],
    },
    {
      name: "rs: middleware checks the response status and, separately, the usage insert's result",
      language: "rust" as const,
      code: `use axum::{extract::{Request, State}, middleware::Next, response::Response};

pub async fn bill_calls(State(db): State<sqlx::PgPool>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status().is_success() {
        let written = sqlx::query("INSERT INTO metered_calls (code) VALUES ($1)").bind(200).execute(&db).await;
        if let Err(e) = written {
            tracing::warn!(error = %e, "metering failed");
        }
    }
    response
}
`,
      expect: [],
    },
    {
      name: "py: middleware checks only whether recording usage succeeded",
      language: "python" as const,
      code: `class UsageMiddleware:
    def __init__(self, get_response, usage_store):
        self.get_response = get_response
        self.usage_store = usage_store

    def __call__(self, request):
        response = self.get_response(request)
        ok = self.usage_store.record_usage(request.user.id, request.path)
        if not ok:
            logger.warning("usage not recorded")
        return response
`,
      expect: [8],
    },
    {
      name: "py: middleware records usage only for successful responses and logs a failed write",
      language: "python" as const,
      code: `class UsageMiddleware:
    def __init__(self, get_response, usage_store):
        self.get_response = get_response
        self.usage_store = usage_store

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500:
            ok = self.usage_store.record_usage(request.user.id, request.path)
            if not ok:
                logger.warning("usage not recorded")
        return response
`,
      expect: [],
    },
  ];
}
