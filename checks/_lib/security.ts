// Helpers shared by the security rules: tenant key names, request-derived expressions, principals.
import { Node as TsNode, SyntaxKind, type SourceFile } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { tailText, ancestors, descendants, enclosingFunction } from "./tree.js";
import { compactText, enclosingFunctions } from "./ts.js";

// ---------- names ----------

/** An identifier or key naming a tenant: tenantId, tenant_id, orgId, workspace_id, capsuleCode, "x-tenant-id". */
export function isTenantName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z]/g, "");
  return n.includes("tenant") || /^x?(org|organi[sz]ation|workspace|capsule)(id|key|code|slug)?$/.test(n);
}

/** A string (key condition, attribute name, key template) that mentions a tenant key. */
export function mentionsTenant(text: string): boolean {
  return /tenant|\borg_?id\b|organi[sz]ation_?id|workspace_?id|capsule/i.test(text);
}

export function isLockName(text: string): boolean {
  if (/lock|lease|mutex|idempot|idem[:_\-#]|dedup|semaphore|in_?flight/i.test(text)) return true;
  // A hold or reservation on a slot/seat/stock item is a lease by another name (`_hold_slot`, `holds`, `seatHold`).
  return /(^|[^a-z])(hold|holds|holder|reservation|reservations)([^a-z]|$)/.test(text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase());
}

// ---------- TypeScript ----------

/** A call whose result is checked data, not raw request input: verify/decode/authenticate/validate. */
export const VERIFYING_CALL = /^[\w$.:<>]*(verify|decode|authenticat|validat|jwtVerify)\w*(::<[^>]*>)?\s*\(/i;

export type TsFn = TsNode;

const TS_REQUEST_ROOT =
  /^(?:req|request|ctx\.request|ctx|c\.req)(?:\?)?\.(?:body|params|query|headers|cookies)\b|^(?:event|evt)(?:\?)?\.(?:body|pathParameters|queryStringParameters|multiValueQueryStringParameters|headers)\b|^(?:req|request|c\.req)\.(?:header|get|param|query|json|formData)\(/;

/** `req.body.x`, `req.params`, `event.pathParameters`, `JSON.parse(event.body)`, `await request.json()`. */
export function isTsRequestExpr(node: TsNode, tainted: Set<string>): boolean {
  let text = compactText(node);
  text = text.replace(/^await/, "").replace(/^JSON\.parse\(/, "");
  if (TS_REQUEST_ROOT.test(text)) return true;
  const root = /^[A-Za-z_$][\w$]*/.exec(text)?.[0];
  return Boolean(root && tainted.has(root) && !/^\w+\(/.test(text));
}

/** True when any sub-expression of `node` is request-derived. */
export function tsContainsRequestExpr(node: TsNode, tainted: Set<string>): boolean {
  if (isTsRequestExpr(node, tainted)) return true;
  return node.getDescendants().some(
    (d) => (TsNode.isPropertyAccessExpression(d) || TsNode.isElementAccessExpression(d) || TsNode.isIdentifier(d) || TsNode.isCallExpression(d)) &&
      isTsRequestExpr(d, tainted),
  );
}

/** Names bound in a function from request-derived values (one forward pass), plus NestJS @Body/@Param/@Query/@Headers params. */
export function tsTaintedNames(fn: TsFn, seed: Iterable<string> = []): Set<string> {
  const tainted = new Set<string>(seed);
  if (TsNode.isFunctionLikeDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn)) {
    for (const p of fn.getParameters()) {
      if (p.getDecorators().some((d) => /^(Body|Param|Query|Headers)$/.test(d.getName()))) bindingNames(p.getNameNode()).forEach((n) => tainted.add(n));
    }
  }
  for (const decl of fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer();
    if (init && !VERIFYING_CALL.test(init.getText().replace(/^await\s+/, "")) && tsContainsRequestExpr(init, tainted) && !tsScopedLookup(init, tainted)) {
      bindingNames(decl.getNameNode()).forEach((n) => tainted.add(n));
    }
  }
  return tainted;
}

/**
 * A lookup scoped to the caller's tenant (`findFirst({ where: { tenantId: req.user.tenantId, id: req.params.id } })`):
 * what it returns is the tenant's own data, not caller input, even though a request value picked it.
 */
function tsScopedLookup(init: TsNode, tainted: Set<string>): boolean {
  if (!init.getDescendantsOfKind(SyntaxKind.CallExpression).length && !TsNode.isCallExpression(init)) return false;
  return init.getDescendants().some((d) => {
    if (TsNode.isPropertyAssignment(d)) {
      const value = d.getInitializer();
      return isTenantName(d.getName()) && Boolean(value) && !tsContainsRequestExpr(value!, tainted) && !TsNode.isLiteralExpression(value!);
    }
    return TsNode.isShorthandPropertyAssignment(d) && isTenantName(d.getName()) && !tainted.has(d.getName());
  });
}

export function bindingNames(node: TsNode): string[] {
  if (TsNode.isIdentifier(node)) return [node.getText()];
  return node.getDescendantsOfKind(SyntaxKind.BindingElement).filter((b) => TsNode.isIdentifier(b.getNameNode())).map((b) => b.getName());
}

const TS_PRINCIPAL =
  /\b(?:req|request)\.(?:user|auth|principal|identity|claims|session\.user|tenant)\b|\bres\.locals\.(?:user|auth|claims|principal|tenant\w*)\b|\bctx\.state\.(?:user|auth|claims)\b|requestContext\.authorizer\b|\bgetServerSession\(|\bjwt\.verify\(|\bjwtVerify\(|\bverify(?:Token|Jwt|JWT|AccessToken)\(/;
const TS_AUTH_MIDDLEWARE = /auth|jwt|passport|requireUser|requireLogin|protect|ensureLoggedIn|verifyToken|session/i;

/** The authenticated principal is available in this handler (req.user, res.locals.user, @CurrentUser, auth middleware on the route). */
export function tsHasPrincipal(fn: TsFn): boolean {
  const code = fn
    .getDescendants()
    .filter((d) => (TsNode.isPropertyAccessExpression(d) || TsNode.isCallExpression(d)) && !isAssignmentTarget(d))
    .map((d) => d.getText().replace(/\s+/g, "").replace(/\((\w+)as[\w<>[\]]+\)/g, "$1"));
  if (code.some((t) => TS_PRINCIPAL.test(t))) return true;
  if (TsNode.isFunctionLikeDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn)) {
    for (const p of fn.getParameters()) {
      if (p.getDecorators().some((d) => /user|principal|claims|auth|session|tenant/i.test(d.getName()))) return true;
    }
    if (TsNode.isMethodDeclaration(fn)) {
      const decorators = [...fn.getDecorators(), ...(fn.getParentIfKind(SyntaxKind.ClassDeclaration)?.getDecorators() ?? [])];
      if (decorators.some((d) => /^(UseGuards|Authorized|Auth)$/.test(d.getName()))) return true;
    }
  }
  const call = fn.getParentIfKind(SyntaxKind.CallExpression);
  if (call) {
    const before = call.getArguments().slice(0, call.getArguments().indexOf(fn as any));
    if (before.some((a) => !TsNode.isStringLiteral(a) && TS_AUTH_MIDDLEWARE.test(a.getText()))) return true;
    if (authMiddlewareBefore(call)) return true;
  }
  return false;
}

/** `app.use(requireAuth)` registered on the same app/router before this route. */
function authMiddlewareBefore(route: TsNode): boolean {
  const callee = (route as any).getExpression?.();
  if (!callee || !TsNode.isPropertyAccessExpression(callee)) return false;
  const first = firstAuthUses(route.getSourceFile()).get(callee.getExpression().getText());
  return first !== undefined && first < route.getStart();
}

const authUses = new WeakMap<SourceFile, Map<string, number>>();

/** Per app/router of a file, where its first `app.use(<auth middleware>)` starts (one walk per file, not per route). */
function firstAuthUses(file: SourceFile): Map<string, number> {
  let found = authUses.get(file);
  if (found) return found;
  found = new Map();
  for (const c of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const e = c.getExpression();
    if (!TsNode.isPropertyAccessExpression(e) || e.getName() !== "use") continue;
    const auth = c.getArguments().some((a) => !TsNode.isStringLiteral(a) && !TsNode.isArrowFunction(a) && !TsNode.isFunctionExpression(a) && TS_AUTH_MIDDLEWARE.test(a.getText()));
    const app = e.getExpression().getText();
    if (auth && !found.has(app)) found.set(app, c.getStart());
  }
  authUses.set(file, found);
  return found;
}

function isAssignmentTarget(node: TsNode): boolean {
  const p = node.getParent();
  return Boolean(p && TsNode.isBinaryExpression(p) && p.getOperatorToken().getKind() === SyntaxKind.EqualsToken && p.getLeft() === node);
}

/** Function-like nodes of a file. */
const FUNCTION_KINDS = [SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.ArrowFunction, SyntaxKind.FunctionExpression];

/** Every function-like node in document order (through the per-kind walks the engine shares across rules). */
export function tsFunctions(file: SourceFile): TsFn[] {
  return FUNCTION_KINDS.flatMap((k) => file.getDescendantsOfKind(k) as TsFn[]).sort((a, b) => a.getPos() - b.getPos());
}

/** Innermost function-like ancestor. */
export function tsEnclosingFn(node: TsNode): TsFn | undefined {
  return enclosingFunctions(node).find((a) => TsNode.isFunctionDeclaration(a) || TsNode.isMethodDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a));
}

/** Outermost function-like ancestor (the handler that owns nested callbacks). */
export function tsOutermostFn(node: TsNode): TsFn | undefined {
  let fn = tsEnclosingFn(node);
  for (let up = fn && tsEnclosingFn(fn); up; up = tsEnclosingFn(up)) fn = up;
  return fn;
}

/** Names and string contents mentioned under a node (identifiers, property names, string/template text). */
const wordsOf = new WeakMap<TsNode, string[]>();

/** Identifiers and string texts under a node (remembered: rules ask for the same functions' words often). */
export function tsWords(node: TsNode): string[] {
  const known = wordsOf.get(node);
  if (known) return known;
  const out: string[] = [];
  wordsOf.set(node, out);
  for (const d of [node, ...node.getDescendants()]) {
    if (TsNode.isIdentifier(d) || TsNode.isPrivateIdentifier(d)) out.push(d.getText());
    else if (TsNode.isStringLiteral(d) || TsNode.isNoSubstitutionTemplateLiteral(d)) out.push(d.getLiteralText());
    else if (d.getKind() === SyntaxKind.TemplateHead || d.getKind() === SyntaxKind.TemplateMiddle || d.getKind() === SyntaxKind.TemplateTail) out.push(d.getText());
  }
  return out;
}

export function tsMentionsTenant(node: TsNode): boolean {
  return tsWords(node).some((w) => isTenantName(w) || mentionsTenant(w));
}

/** A comparison (===, !==, ==, !=, includes, some) in `scope` that involves a tenant name. */
export function tsHasTenantComparison(scope: TsNode): boolean {
  for (const b of scope.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const op = b.getOperatorToken().getKind();
    if (![SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken].includes(op)) continue;
    if (tsMentionsTenant(b)) return true;
  }
  for (const c of scope.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const name = c.getExpression().getText();
    if (/\.(includes|has|some|every)$/.test(name) && tsMentionsTenant(c)) return true;
    if (/(assert|ensure|check|verify|authori[sz]e|require|can)\w*$/i.test(name) && tsMentionsTenant(c)) return true;
  }
  return false;
}

// ---------- tree-sitter (Rust, Python) ----------

export function functionsOf(root: Node): Node[] {
  return descendants(root, ["function_item", "function_definition"]);
}

/** Identifiers and string contents under a node. */
export function treeWords(node: Node): string[] {
  return descendants(node, ["identifier", "field_identifier", "string_content", "type_identifier"]).map((n) => n.text);
}

export function treeMentionsTenant(node: Node): boolean {
  return treeWords(node).some((w) => isTenantName(w) || mentionsTenant(w));
}

/** Comparisons (==, !=, in, not in) involving a tenant name, or assert/ensure/authorize(...) calls given one. */
export function treeHasTenantComparison(scope: Node): boolean {
  for (const b of descendants(scope, ["comparison_operator", "binary_expression"])) {
    const op = b.type === "binary_expression" ? b.childForFieldName("operator")?.text ?? "" : "==";
    if (!/^(==|!=)$/.test(op)) continue;
    if (pyColumnPredicate(b)) continue;
    if (treeMentionsTenant(b)) return true;
  }
  for (const c of descendants(scope, ["call", "call_expression", "macro_invocation"])) {
    // Both tests read the callee's end: its last part is enough on a long chain.
    const callee = tailText(c.childForFieldName("function") ?? c.childForFieldName("macro"), 200);
    // `fetch_all(..)` over SQL that mentions tenant_id is not a comparison: `any`/`all`/`contains` must be the method itself.
    // SQLAlchemy's `.all()` (no argument) fetches rows; builtin `all(..)`, Rust `.any(|x| ..)` / `.contains(&x)` take what they test.
    const hasArgs = (c.childForFieldName("arguments")?.namedChildren.length ?? 0) > 0;
    if ((/(^|[.:_])(assert\w*|ensure\w*|check\w*|verify\w*|authori[sz]e\w*|require\w*|can_\w+|same_tenant)$/i.test(callee) || (/(^|[.:])(contains|any|all)$/.test(callee) && hasArgs)) && treeMentionsTenant(c)) return true;
  }
  return false;
}

/**
 * SQLAlchemy's `select(X).where(X.tenant_id == tenant_id)`: a column expression handed to the query builder. It scopes
 * the query by whatever `tenant_id` holds; it does not compare a caller-supplied tenant with the principal's.
 */
export function pyColumnPredicate(cmp: Node): boolean {
  if (cmp.type !== "comparison_operator") return false;
  const operands = cmp.namedChildren.filter((c): c is Node => c !== null);
  if (!operands.some((o) => /^([a-z_]\w*\.)*[A-Z]\w*\.\w+$/.test(o.text))) return false;
  for (let p = cmp.parent; p; p = p.parent) {
    if (p.type === "argument_list") return true;
    if (!/^(boolean_operator|parenthesized_expression|not_operator)$/.test(p.type)) return false;
  }
  return false;
}

/** The outermost function definition around a node (Python nested defs, Rust closures stay inside). */
export function outermostFunction(node: Node): Node | undefined {
  let fn = enclosingFunction(node);
  for (let up = fn && enclosingFunction(fn); up; up = enclosingFunction(up)) fn = up;
  return fn;
}

// Python

const PY_REQUEST_ROOT =
  /^(?:await)?\s*(?:request|req|self\.request)\.(?:json|get_json|args|form|values|headers|view_args|data|POST|GET|META|query_params|path_params|body|cookies)\b|^(?:json\.loads\()?\s*event\s*\[\s*["'](?:body|pathParameters|queryStringParameters|headers)["']|^(?:json\.loads\()?\s*event\.get\(\s*["'](?:body|pathParameters|queryStringParameters|headers)["']|^self\.kwargs\b/;

const PY_ROUTE_DECORATOR = /@\s*\w+(?:\.\w+)*\.(?:get|post|put|patch|delete|route|api_route)\s*\(/;
const PY_AUTH_DEP = /user|auth|principal|claims|token|identity|session|current|verify|caller/i;

function pyParams(fn: Node): { name: string; node: Node; type: string; default: string }[] {
  const params = fn.childForFieldName("parameters");
  if (!params) return [];
  return params.namedChildren.filter((p): p is Node => p !== null).map((p) => {
    const nameNode = p.type === "identifier" ? p : p.childForFieldName("name") ?? p.namedChildren.find((c) => c?.type === "identifier") ?? p;
    const type = p.childForFieldName("type")?.text ?? "";
    // `x: Annotated[str, Header()]` is FastAPI's spelling of `x: str = Header()`: the marker stands in for the default.
    const annotated = /^Annotated\[[^,]+,\s*([\s\S]*)\]$/.exec(type.trim())?.[1]?.trim() ?? "";
    return { name: nameNode.text, node: p, type, default: p.childForFieldName("value")?.text || annotated };
  });
}

function pyDecorators(fn: Node): string {
  return fn.parent?.type === "decorated_definition" ? fn.parent.namedChildren.filter((c) => c?.type === "decorator").map((c) => c!.text).join("\n") : "";
}

export function pyIsRoute(fn: Node): boolean {
  return PY_ROUTE_DECORATOR.test(pyDecorators(fn));
}

/** Parameters of a route function that carry request data (path/query/header/body), not dependencies. */
export function pyRequestParams(fn: Node): { name: string; node: Node }[] {
  const route = pyIsRoute(fn);
  const all = pyParams(fn);
  const reqIndex = all.findIndex((p) => /^(request|req)$/.test(p.name));
  const django = reqIndex >= 0 && reqIndex <= 1 && !route;
  return all.filter((p, i) => {
    if (/^(self|cls|request|req|response|background_tasks|db|session|event|context)$/.test(p.name)) return false;
    if (/^(Depends|Security)\(/.test(p.default) || /\b(Request|Session|AsyncSession|BackgroundTasks|Response)\b/.test(p.type)) return false;
    if (/^(Header|Query|Path|Body|Form|Cookie)\(/.test(p.default)) return true;
    return route || (django && i > reqIndex);
  });
}

export function pyHasPrincipal(fn: Node): boolean {
  if (pyParams(fn).some((p) => /^(Depends|Security)\(/.test(p.default) && PY_AUTH_DEP.test(p.default))) return true;
  if (/@\s*(login_required|jwt_required|requires_auth|auth_required|authenticated|permission_classes|token_required)/.test(pyDecorators(fn))) return true;
  const texts = descendants(fn, ["attribute", "call", "identifier"])
    .filter((n) => !(n.parent?.type === "assignment" && n.parent.childForFieldName("left")?.startIndex === n.startIndex))
    .map((n) => n.text);
  return texts.some((t) => /^(request\.(user|auth|state\.(user|claims|principal|tenant\w*))|g\.(user|claims|principal|identity|current_user|auth|tenant\w*)|current_user|get_jwt_identity\(|get_jwt\(|self\.request\.user)\b/.test(t));
}

export function pyIsRequestExpr(node: Node, tainted: Set<string>): boolean {
  const text = node.text;
  if (PY_REQUEST_ROOT.test(text)) return true;
  const root = /^(?:await\s+)?([A-Za-z_]\w*)/.exec(text)?.[1];
  return Boolean(root && tainted.has(root) && (text === root || /^[\w\s]*[.[]/.test(text.replace(/^await\s+/, ""))));
}

export function pyContainsRequestExpr(node: Node, tainted: Set<string>): boolean {
  if (pyIsRequestExpr(node, tainted)) return true;
  return descendants(node, ["attribute", "subscript", "call", "identifier"]).some((d) => pyIsRequestExpr(d, tainted));
}

/** Names bound from request data: route params, then assignments from request-derived values. */
export function pyTaintedNames(fn: Node, seed: Iterable<string> = []): Set<string> {
  const tainted = new Set([...pyRequestParams(fn).map((p) => p.name), ...seed]);
  for (const a of descendants(fn, ["assignment"])) {
    const right = a.childForFieldName("right");
    const left = a.childForFieldName("left");
    if (right && left && !VERIFYING_CALL.test(right.text.replace(/^await\s+/, "")) && pyContainsRequestExpr(right, tainted) && !pyScopedLookup(right, tainted)) {
      for (const id of left.type === "identifier" ? [left] : descendants(left, "identifier")) tainted.add(id.text);
    }
  }
  for (const f of descendants(fn, "for_statement")) {
    const right = f.childForFieldName("right");
    const left = f.childForFieldName("left");
    if (right && left && pyContainsRequestExpr(right, tainted)) for (const id of left.type === "identifier" ? [left] : descendants(left, "identifier")) tainted.add(id.text);
  }
  return tainted;
}

/**
 * A query scoped to the caller's tenant (`X.query.filter_by(tenant_id=g.principal.tenant_id, id=account_id).first()`,
 * `select(X).where(X.tenant_id == principal.tenant_id, X.id == x)`): its result is the tenant's own row, not caller input.
 */
function pyScopedLookup(right: Node, tainted: Set<string>): boolean {
  if (right.type !== "call" && !descendants(right, "call").length) return false;
  for (const k of descendants(right, "keyword_argument")) {
    const value = k.childForFieldName("value");
    if (isTenantName(k.childForFieldName("name")?.text ?? "") && value && !/^(string|integer|none|true|false)$/.test(value.type) && !pyContainsRequestExpr(value, tainted)) return true;
  }
  for (const c of descendants(right, "comparison_operator")) {
    const [l, r] = [c.namedChildren[0], c.namedChildren[c.namedChildren.length - 1]];
    if (!l || !r || !/==/.test(c.text)) continue;
    for (const [col, value] of [[l, r], [r, l]]) {
      if (isTenantName(col.text.replace(/^.*\./, "")) && /^[A-Z]\w*\./.test(col.text) && !pyContainsRequestExpr(value, tainted)) return true;
    }
  }
  return false;
}

// Rust

const RS_EXTRACTOR = /^(?:web::|axum::extract::|extract::)?(Path|Json|Query|Form|RawQuery)$/;
const RS_PRINCIPAL_TYPE = /Claims|AuthUser|CurrentUser|Principal|Identity|AuthContext|Authenticated|Session|\bUser\b|Caller/;

export function rsParams(fn: Node): Node[] {
  return fn.childForFieldName("parameters")?.namedChildren.filter((p): p is Node => p?.type === "parameter") ?? [];
}

function rsTypeHead(type: string): string {
  return type.replace(/<.*$/s, "").trim();
}

/** Names bound from request extractors: `Path(tenant_id)`, `Json(body)`, `body: web::Json<T>`. */
export function rsRequestBindings(fn: Node): { name: string; node: Node; extractor: string }[] {
  const out: { name: string; node: Node; extractor: string }[] = [];
  for (const p of rsParams(fn)) {
    const pattern = p.childForFieldName("pattern");
    const type = p.childForFieldName("type")?.text ?? "";
    const head = rsTypeHead(type);
    if (!RS_EXTRACTOR.test(head) || !pattern) continue;
    const ids = pattern.type === "identifier" ? [pattern] : descendants(pattern, "identifier").filter((i) => !RS_EXTRACTOR.test(i.text) && i.text !== "web");
    for (const id of ids) out.push({ name: id.text, node: id, extractor: head.replace(/^.*::/, "") });
  }
  return out;
}

/** What middleware resolved for the request: actix `ReqData<TenantCtx>`, axum `Extension<TenantId>`, an extractor type `TenantContext`. */
const RS_CONTEXT_TYPE = /^(?:(?:web::|actix_web::web::|axum::)?(?:ReqData|Extension)<\s*)?[\w:]*Tenant(Ctx|Context|Id|Info|Scope)?\s*>?$/;

export function rsHasPrincipal(fn: Node): boolean {
  if (rsParams(fn).some((p) => RS_PRINCIPAL_TYPE.test(p.childForFieldName("type")?.text ?? ""))) return true;
  if (rsParams(fn).some((p) => RS_CONTEXT_TYPE.test((p.childForFieldName("type")?.text ?? "").replace(/\s+/g, "")))) return true;
  if (rsMiddlewareTenantContext(fn)) return true;
  return descendants(fn, "call_expression").some((c) => /extensions\(\)\s*\.get::<\s*\w*(Claims|User|Principal|Identity)/.test(c.text));
}

/**
 * A context middleware resolved for the request and the handler reads the tenant from: actix `ctx: ReqData<CapsuleContext>`
 * or axum `Extension(scope): Extension<RegionScope>` with `ctx.tenant_id` / `scope.tenant_id` read in the body.
 */
function rsMiddlewareTenantContext(fn: Node): boolean {
  const bindings = rsParams(fn).flatMap((p) => {
    const type = (p.childForFieldName("type")?.text ?? "").replace(/\s+/g, "");
    if (!/^(?:[\w:]*::)?(?:ReqData|Extension)</.test(type)) return [];
    const pattern = p.childForFieldName("pattern");
    if (!pattern) return [];
    return pattern.type === "identifier" ? [pattern.text] : descendants(pattern, "identifier").map((i) => i.text).filter((t) => !/^(Extension|ReqData|web|axum|actix_web)$/.test(t));
  });
  if (!bindings.length) return false;
  const body = fn.childForFieldName("body");
  return Boolean(body && descendants(body, "field_expression").some((f) => bindings.includes(f.childForFieldName("value")?.text ?? "") && isTenantName(f.childForFieldName("field")?.text ?? "")));
}

export function rsIsRequestExpr(node: Node, tainted: Set<string>): boolean {
  const text = node.text.replace(/\s+/g, "");
  const root = /^&?(?:mut)?([A-Za-z_]\w*)/.exec(text)?.[1];
  if (root && tainted.has(root)) return true;
  return /^(?:req|request)\.(?:headers|match_info|query_string|uri)\(\)/.test(text);
}

export function rsContainsRequestExpr(node: Node, tainted: Set<string>): boolean {
  if (rsIsRequestExpr(node, tainted)) return true;
  return descendants(node, ["identifier", "field_expression", "call_expression"]).some((d) => rsIsRequestExpr(d, tainted));
}

/** Names bound from extractors, then `let` bindings from request-derived values. */
export function rsTaintedNames(fn: Node, seed: Iterable<string> = []): Set<string> {
  const tainted = new Set([...rsRequestBindings(fn).map((b) => b.name), ...seed]);
  for (const l of descendants(fn, ["let_declaration", "for_expression"])) {
    const value = l.childForFieldName("value");
    const pattern = l.childForFieldName("pattern");
    if (value && pattern && !VERIFYING_CALL.test(value.text) && rsContainsRequestExpr(value, tainted)) {
      for (const id of pattern.type === "identifier" ? [pattern] : descendants(pattern, "identifier")) tainted.add(id.text);
    }
  }
  return tainted;
}

/** Rust method-call chain `a.b().c(x).d()`: the calls from the innermost receiver outwards. */
export function rsChain(call: Node): { method: string; call: Node }[] {
  const out: { method: string; call: Node }[] = [];
  let cur: Node | null = call;
  while (cur) {
    if (cur.type === "call_expression") {
      let f = cur.childForFieldName("function");
      // `conn.set_ex::<_, _, ()>(..)`: the turbofish wraps the method in a generic_function.
      if (f?.type === "generic_function" && f.childForFieldName("function")?.type === "field_expression") f = f.childForFieldName("function");
      if (f?.type === "field_expression") {
        out.unshift({ method: f.childForFieldName("field")?.text ?? "", call: cur });
        cur = f.childForFieldName("value");
        continue;
      }
      out.unshift({ method: f?.text ?? "", call: cur });
      break;
    }
    if (cur.type === "await_expression" || cur.type === "try_expression") {
      cur = cur.namedChildren[0] ?? null;
      continue;
    }
    break;
  }
  return out;
}

/** The outermost call of a method chain containing `node` (so each chain is seen once). */
export function isChainTop(call: Node): boolean {
  const p = call.parent;
  return !(p?.type === "field_expression" && p.parent?.type === "call_expression");
}

// ---------- unverified token claims ----------

/**
 * A call that decodes a JWT without verifying it: jsonwebtoken `jwt.decode(token)`, jose `decodeJwt`,
 * `jwtDecode`, NestJS `jwtService.decode`; PyJWT `jwt.decode(.., options={"verify_signature": False})`,
 * python-jose `get_unverified_claims`.
 */
export function isUnverifiedDecode(callee: string, args: string): boolean {
  const c = callee.replace(/\s+/g, "");
  if (/(^|\.)(decodeJwt|jwtDecode|jwt_decode|get_unverified_claims|dangerous_insecure_decode|insecure_decode)$/.test(c)) return true;
  if (!/(^|\.)decode$/.test(c) || !/jwt|jose|token/i.test(c)) return false;
  if (/verify_signature["']?\s*:\s*False|\bverify\s*=\s*False/.test(args)) return true;
  // jsonwebtoken's decode takes the token and at most an options object; verify takes a key.
  return /^\(\s*[\w.$\[\]"']+\s*(,\s*\{[^}]*\})?\s*\)$/.test(args.replace(/\s+/g, " ")) && !/^(jose_?jwt|pyjwt)$/i.test(c.split(".")[0] ?? "");
}

/** Names a TS function binds to unverified claims (`const claims = jwt.decode(token) as JwtPayload`). */
export function tsUnverifiedNames(fn: TsFn): Set<string> {
  const out = new Set<string>();
  for (const decl of fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    let init = decl.getInitializer();
    while (init && (TsNode.isAwaitExpression(init) || TsNode.isAsExpression(init) || TsNode.isParenthesizedExpression(init) || TsNode.isNonNullExpression(init))) init = init.getExpression();
    if (init && TsNode.isCallExpression(init) && isUnverifiedDecode(init.getExpression().getText(), init.getText().slice(init.getExpression().getText().length))) {
      bindingNames(decl.getNameNode()).forEach((n) => out.add(n));
    }
  }
  return out;
}

/** Names a Python function binds to unverified claims (`claims = jwt.decode(t, options={"verify_signature": False})`). */
export function pyUnverifiedNames(fn: Node): Set<string> {
  const out = new Set<string>();
  for (const a of descendants(fn, "assignment")) {
    const right = a.childForFieldName("right");
    const left = a.childForFieldName("left");
    const call = right?.type === "await" ? right.namedChildren[0] : right;
    if (left?.type !== "identifier" || call?.type !== "call") continue;
    if (isUnverifiedDecode(call.childForFieldName("function")?.text ?? "", call.childForFieldName("arguments")?.text ?? "")) out.add(left.text);
  }
  return out;
}

/** Rust jsonwebtoken calls that hand back claims with no signature check. */
const RS_INSECURE_DECODE = /(^|::)(dangerous_insecure_decode|dangerous_insecure_decode_with_validation|dangerous_unsafe_decode|insecure_decode)$/;

function rsCallee(call: Node): string {
  const f = call.childForFieldName("function");
  if (!f) return "";
  if (f.type === "generic_function") return f.childForFieldName("function")?.text ?? "";
  if (f.type === "field_expression") return f.childForFieldName("field")?.text ?? "";
  return f.text;
}

/**
 * The Rust function decodes a JWT without checking its signature: `dangerous::insecure_decode`, or a `decode(..)` whose
 * `Validation` had `insecure_disable_signature_validation()` / `validate_signature = false`, with no verified decode beside it.
 */
export function rsDecodesUnverified(fn: Node): boolean {
  const calls = descendants(fn, "call_expression");
  const disabled = new Set<string>();
  for (const c of calls) {
    if (rsCallee(c) !== "insecure_disable_signature_validation") continue;
    const recv = c.childForFieldName("function")?.childForFieldName("value")?.text;
    if (recv) disabled.add(recv);
  }
  for (const a of descendants(fn, "assignment_expression")) {
    const m = /^(\w+)\.validate_signature$/.exec(a.childForFieldName("left")?.text ?? "");
    if (m && a.childForFieldName("right")?.text === "false") disabled.add(m[1]);
  }
  const decodes = calls.filter((c) => rsCallee(c).replace(/^.*::/, "") === "decode" && (c.childForFieldName("arguments")?.namedChildren.length ?? 0) >= 3);
  const verified = decodes.filter((c) => !disabled.has(c.childForFieldName("arguments")!.namedChildren[2]!.text.replace(/^&\s*(mut\s+)?/, "")));
  if (verified.length) return false;
  return calls.some((c) => RS_INSECURE_DECODE.test(rsCallee(c))) || (disabled.size > 0 && decodes.length > 0);
}

/** Names of the file's functions that return claims decoded without a signature check (`fn partner_claims(..)`). */
export function rsUnverifiedFunctions(root: Node): Set<string> {
  const out = new Set<string>();
  for (const fn of descendants(root, "function_item")) {
    const name = fn.childForFieldName("name")?.text;
    if (name && fn.childForFieldName("return_type") && rsDecodesUnverified(fn)) out.add(name);
  }
  return out;
}

/**
 * Names a Rust function binds to unverified claims: `let claims = partner_claims(&req)?;` (a function of
 * `unverifiedFns`), `let data = insecure_decode::<C>(t)?;`, or a `decode` in a function that disabled the check.
 */
export function rsUnverifiedNames(fn: Node, unverifiedFns: Set<string>): Set<string> {
  const out = new Set<string>();
  const local = rsDecodesUnverified(fn);
  for (const l of descendants(fn, "let_declaration")) {
    const pattern = l.childForFieldName("pattern");
    let value = l.childForFieldName("value");
    // Through `?`, `.await`, `.unwrap()`, `.expect(..)`, `.map_err(..)`, `.claims`.
    while (value) {
      if (value.type === "try_expression" || value.type === "await_expression") value = value.namedChildren[0] ?? null;
      else if (value.type === "field_expression" && value.childForFieldName("field")?.text === "claims") value = value.childForFieldName("value");
      else if (value.type === "call_expression" && /^(unwrap|expect|map_err|unwrap_or_default|ok_or|ok)$/.test(rsCallee(value)) && value.childForFieldName("function")?.type === "field_expression") {
        value = value.childForFieldName("function")!.childForFieldName("value");
      } else break;
    }
    if (!pattern || value?.type !== "call_expression") continue;
    const callee = rsCallee(value);
    const name = callee.replace(/^.*::/, "");
    if (unverifiedFns.has(name) || RS_INSECURE_DECODE.test(callee) || (local && name === "decode")) {
      for (const id of pattern.type === "identifier" ? [pattern] : descendants(pattern, "identifier")) out.add(id.text);
    }
  }
  return out;
}

export { ancestors };

// ---------- a request id that only narrows the principal's own scope ----------

/** Expressions that stand for the authenticated principal, in any of the three languages. */
const PRINCIPAL_TEXT =
  /\b(current_user|currentUser|current_principal|principal|claims|auth_user|authUser|authed_user|identity|caller|subject|viewer)\b|\b(req|request|ctx\.state|g|self\.request|res\.locals|session)\.user\b|\buser\.(id|sub|user_id|userId)\b/;

/** Names of parameters that carry the principal: `current_user: CurrentUser`, `user = Depends(get_current_user)`, `claims: Claims`, `@CurrentUser() user`. */
export function principalParams(paramsText: string): Set<string> {
  const out = new Set<string>();
  for (const m of paramsText.matchAll(/(?:@\w*(?:User|Principal|Claims|Auth)\w*\([^)]*\)\s*)?\b([a-z_]\w*)\s*[:=]\s*(?:&?\s*)?(?:Annotated\[\s*)?(?:[\w:]*<\s*)?([\w.]*(?:User|Principal|Claims|Identity|Subject|Caller|AuthContext|Session)\w*|Depends\(\s*\w*(?:user|auth|principal|claims|token|identity|current)\w*)/gi)) {
    if (!/^(self|cls|db|db_session|session|request|req)$/.test(m[1])) out.add(m[1]);
  }
  for (const m of paramsText.matchAll(/@(?:CurrentUser|User|AuthUser|Principal|Claims)\(\s*\)\s*(\w+)/g)) out.add(m[1]);
  return out;
}

/**
 * The request-supplied tenant id is not the only scope of what it reaches: the same call also receives the
 * principal (`list_cases(db, user=current_user, organization=org)`: the id only narrows a query already scoped to the
 * caller), or the id is handed to the principal itself (`current_user.get_organization_role(org)`, `user.isMemberOf(orgId)`):
 * a membership check. `call` is the call the id is an argument of.
 */
export function narrowsPrincipalScope(callee: string, argsText: string, principals: Set<string>): boolean {
  const names = [...principals].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const mentions = (text: string) => PRINCIPAL_TEXT.test(text) || (names.length > 0 && new RegExp(String.raw`\b(${names.join("|")})\b`).test(text));
  if (callee.includes(".") && mentions(callee.replace(/\.[\w$]+$/, ""))) return true;
  // A write (`create(tenant_id=body.tenant_id, owner=user)`) puts the row in the caller's chosen tenant whoever owns it.
  return READ_CALL.test(callee.replace(/^.*[.:]/, "")) && mentions(argsText);
}

/** Calls that read (look up, list, count) rather than write. */
const READ_CALL = /^(get|list|find|search|query|filter|count|fetch|load|read|select|lookup|all)([A-Z_]\w*)?$|_by_|By[A-Z]/;

/** The call a node is an argument of (through keyword arguments, object literals, `&`/`.clone()`), Python/Rust trees. */
export function treeArgumentOf(node: Node): Node | undefined {
  for (let cur: Node | null = node.parent; cur; cur = cur.parent) {
    if (cur.type === "call" || cur.type === "call_expression") return cur;
    if (!/^(keyword_argument|argument_list|arguments|pair|dictionary|reference_expression|field_expression|parenthesized_expression|unary_expression|generic_function)$/.test(cur.type)) return undefined;
  }
  return undefined;
}

/** FastAPI route decorators that run an authorization dependency first: `dependencies=[Depends(PermissionsDependency([...]))]`. */
export function pyRouteAuthorizes(fn: Node): boolean {
  const deco = fn.parent?.type === "decorated_definition" ? fn.parent.text.slice(0, fn.parent.text.indexOf("def ")) : "";
  return /\bdependencies\s*=\s*\[[^\]]*Depends\(\s*\w*(Permission|Authori[sz]|Role|Access|Member|Guard|Scope|Owner)/i.test(deco);
}

// ---------- a signature verified by hand ----------

const VERIFY_CALLEE = /(^|[.:])(verify|verify_signature|verify_strict|verify_prehashed|verify_digest|verifySignature)$/;

/**
 * Earlier in the same function, a key object's `verify(...)` whose failure stops the function: a statement of its own
 * (cryptography/ed25519 raise on a bad signature), `?` on its result (Rust), or the condition of a branch that returns
 * or raises. A decode after it reads claims whose signature was already checked.
 */
export function treeVerifiedBefore(node: Node): boolean {
  const fn = outermostFunction(node);
  if (!fn) return false;
  return descendants(fn, ["call", "call_expression"]).some((c) => {
    if (c.endIndex > node.startIndex) return false;
    let callee = c.childForFieldName("function");
    if (callee?.type === "generic_function") callee = callee.childForFieldName("function");
    if (!callee || !VERIFY_CALLEE.test(callee.text.replace(/\s+/g, "")) || !/[.:]/.test(callee.text)) return false;
    return verifyStops(c);
  });
}

function verifyStops(call: Node): boolean {
  for (let cur: Node = call, p = call.parent; p; cur = p, p = p.parent) {
    if (p.type === "try_expression") return true;
    if (p.type === "expression_statement") return p.namedChildCount === 1 && (p.namedChild(0)?.id === cur.id || cur.type === "try_expression");
    if (p.type === "if_statement" || p.type === "if_expression") {
      const body = p.childForFieldName("consequence")?.text ?? "";
      return p.childForFieldName("condition")?.id === cur.id && /\b(return|raise|abort|bail!|panic!)\b|Err\(/.test(body);
    }
    if (p.type === "match_expression") return /\b(return|raise)\b|Err\(/.test(p.childForFieldName("body")?.text ?? "");
    if (!/^(field_expression|call_expression|arguments|await_expression|await|not_operator|unary_expression|parenthesized_expression|boolean_operator|binary_expression|call|argument_list|attribute)$/.test(p.type)) return false;
  }
  return false;
}
