import { Node as TsNode, SyntaxKind, type ParameterDeclaration } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { pyScopeHolders, rsScopeHolders, scopeHolderCases, tsScopeHolders } from "./_lib/scope-holder.js";
import { tsFunctions } from "./_lib/security.js";
import { enclosingFunctions, isRequestHandler as tsIsRequestHandler } from "./_lib/ts.js";
import { descendants, isRequestHandler as treeIsRequestHandler, line } from "./_lib/tree.js";

// The pattern: a client/table-name/prefix helper takes the scope (platform, tenant, capsule, operator...)
// as a string, enum or optional value and checks it at run time, panicking on "invalid" values or
// branching to build differently scoped clients. The caller always knows the scope, so a type per scope
// (PlatformClient, TenantClient, newtypes, branded ids) would make misuse fail to compile instead.
// Parsing untrusted input (FromStr, validators, request handlers) is the right place for runtime checks.

const SCOPE_NAME = /^(scope|\w*_scope|\w+Scope|scope_?(type|kind|level)|tenancy|role|client_?type|account_?type|tenant_?type)$/i;
const SCOPE_TYPE = /^(\w*Scope|Role|\w*Tenancy|ClientKind|ScopeKind)$/;
const TENANT_NAME = /^(tenant|tenant_?id|tenant_?code|capsule|capsule_?(id|code)|org|org_?id|organization_?id|account_?id|workspace_?id)$/i;
const PURPOSE = /client|table|prefix|factory|connection|conn$|^db|database|store|bucket|namespace|partition|resource|repo|queue|topic|index_?name|key_?for|for_?scope|scoped|credentials|session|pool|schema|search_?path|keyspace|dataset/i;
const BOUNDARY = /^(parse|from_?str|try_?from|from|validate|deserialize|decode|fmt|display|to_?string|assert|check|ensure|guard|authori[sz]e|require|permit|allow)/i;
const PREDICATE = /^(is|has|can|should|may)([A-Z_]|$)/;

interface Hit {
  line: number;
  kind: "throw" | "branch";
  check: string;
}

function message(fn: string, param: string, hit: Hit): string {
  const what = hit.kind === "throw"
    ? `rejects an invalid \`${param}\` at run time (\`${hit.check}\`)`
    : `branches on \`${param}\` at run time (\`${hit.check}\`) to build differently scoped values`;
  return `\`${fn}\` ${what}. The caller always knows its scope, so wrong caller code still compiles and only fails in production; give each scope its own type (e.g. separate client types or newtypes) so the compiler rejects misuse.`;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 50 ? `${one.slice(0, 47)}...` : one;
}

// ---------- TypeScript ----------

function tsScopeParam(params: ParameterDeclaration[]): ParameterDeclaration | undefined {
  return params.find((p) => {
    const name = p.getName();
    const type = p.getTypeNode()?.getText().replace(/\s+/g, "") ?? "";
    if (SCOPE_NAME.test(name) || SCOPE_TYPE.test(type)) return true;
    const optional = p.hasQuestionToken() || p.hasInitializer() || /\|(undefined|null)\b|\b(undefined|null)\|/.test(type);
    return TENANT_NAME.test(name) && optional;
  });
}

function tsRefs(node: TsNode, name: string): boolean {
  return (TsNode.isIdentifier(node) && node.getText() === name) || node.getDescendantsOfKind(SyntaxKind.Identifier).some((i) => i.getText() === name);
}

function tsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  const fns = tsFunctions(file.ts!);
  for (const fn of fns) {
    const f = fn as TsNode & { getParameters(): ParameterDeclaration[]; getBody(): TsNode | undefined };
    const name = TsNode.hasName(fn) ? fn.getName() : TsNode.isVariableDeclaration(fn.getParent()!) ? (fn.getParent() as any).getName() : "";
    if (!name || BOUNDARY.test(name) || PREDICATE.test(name) || tsIsRequestHandler(fn)) continue;
    const param = tsScopeParam(f.getParameters());
    const body = f.getBody();
    if (!param || !body) continue;
    const pname = param.getName();
    const builds = /new \w*(Client|DocumentClient|Pool|Connection)\(|\$\{[^}]+\}[_#:/.-]|\+ ?["'`][_#:]/.test(body.getText());
    if (!PURPOSE.test(name) && !builds) continue;
    const hit = tsHit(body, pname);
    // The defect is the signature that takes the scope; the span runs from it to the runtime check.
    if (hit) reports.push({ line: fn.getStartLineNumber(), endLine: hit.line, message: message(name, pname, hit) });
  }
  return reports;
}

function tsHit(body: TsNode, pname: string): Hit | undefined {
  const ownFn = body.getParent();
  const mine = (n: TsNode) => enclosingFunctions(n).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a)) === ownFn;
  for (const t of body.getDescendantsOfKind(SyntaxKind.ThrowStatement).filter(mine)) {
    const guard = t.getAncestors().find((a) =>
      (TsNode.isIfStatement(a) && tsRefs(a.getExpression(), pname)) ||
      (TsNode.isSwitchStatement(a) && tsRefs(a.getExpression(), pname)));
    if (guard) return { line: t.getStartLineNumber(), kind: "throw", check: short(t.getText()) };
  }
  const branch = body.getDescendants().filter(mine).find((n) =>
    ((TsNode.isIfStatement(n) || TsNode.isSwitchStatement(n) || TsNode.isConditionalExpression(n)) &&
      tsRefs(TsNode.isConditionalExpression(n) ? n.getCondition() : (n as any).getExpression(), pname)));
  if (branch) return { line: branch.getStartLineNumber(), kind: "branch", check: short(branch.getText().split("\n")[0]) };
  return undefined;
}

// ---------- Python ----------

function pyParamName(p: Node): string {
  if (p.type === "identifier") return p.text;
  return (p.childForFieldName("name") ?? p.namedChildren.find((c) => c?.type === "identifier"))?.text ?? "";
}

/** An ASGI application's `(scope, receive, send)`: that `scope` is the connection's dict (`scope["type"] == "http"`), no tenancy. */
const importsScope = new WeakMap<object, boolean>();

/** The file imports an ASGI `Scope` type (asked once per file, not once per function). */
function pyImportsAsgiScope(param: Node): boolean {
  let known = importsScope.get(param.tree);
  if (known === undefined) {
    known = /from\s+(starlette|asgiref|fastapi|uvicorn)[\w.]*\s+import\s+[^\n]*\bScope\b/.test(param.tree.rootNode.text);
    importsScope.set(param.tree, known);
  }
  return known;
}

function pyAsgiCallable(params: Node[]): boolean {
  const names = params.map(pyParamName);
  if (names.includes("receive") && names.includes("send")) return true;
  const asgiScope = params.length > 0 && pyImportsAsgiScope(params[0]);
  return params.some((p) => /^(starlette\.types\.Scope|asgiref\.typing\.\w*Scope)$/.test(p.childForFieldName("type")?.text ?? "") || (asgiScope && p.childForFieldName("type")?.text === "Scope"));
}

function pyScopeParam(fn: Node): string | undefined {
  const params = fn.childForFieldName("parameters")?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  if (pyAsgiCallable(params)) return undefined;
  for (const p of params) {
    const name = pyParamName(p);
    const type = p.childForFieldName("type")?.text.replace(/\s+/g, "") ?? "";
    if (SCOPE_NAME.test(name) || SCOPE_TYPE.test(type)) return name;
    const optional = /default_parameter$/.test(p.type) || /Optional\[|\|None|None\|/.test(type);
    if (TENANT_NAME.test(name) && optional) return name;
  }
  return undefined;
}

function treeRefs(node: Node | null | undefined, name: string): boolean {
  if (!node) return false;
  return (node.type === "identifier" && node.text === name) || descendants(node, "identifier").some((i) => i.text === name);
}

function ownedBy(node: Node, fn: Node): boolean {
  for (let cur = node.parent; cur; cur = cur.parent) {
    if (cur.equals(fn)) return true;
    if (cur.type === "function_definition" || cur.type === "function_item" || cur.type === "closure_expression" || cur.type === "lambda") return false;
  }
  return false;
}

function pyDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const fn of descendants(file.tree!.rootNode, "function_definition")) {
    const name = fn.childForFieldName("name")?.text ?? "";
    const decorators = fn.parent?.type === "decorated_definition" ? fn.parent.text.slice(0, fn.parent.text.indexOf("def ")) : "";
    if (BOUNDARY.test(name) || PREDICATE.test(name) || treeIsRequestHandler(fn) || /@\w*(validator|field_validator|model_validator|root_validator)/.test(decorators)) continue;
    const pname = pyScopeParam(fn);
    const body = fn.childForFieldName("body");
    if (!pname || !body) continue;
    const builds = /boto3\.(client|resource)\(|\b\w*Client\(|f["'][^"']*\{[^}]*\}_|["']_["']\s*\+|\+\s*["']_/.test(body.text);
    if (!PURPOSE.test(name) && !builds) continue;
    const hit = pyHit(fn, body, pname);
    if (hit) reports.push({ line: line(fn), endLine: hit.line, message: message(name, pname, hit) });
  }
  return reports;
}

function pyHit(fn: Node, body: Node, pname: string): Hit | undefined {
  for (const r of descendants(body, "raise_statement").filter((n) => ownedBy(n, fn))) {
    for (let cur = r.parent; cur && !cur.equals(fn); cur = cur.parent) {
      const cond = cur.type === "if_statement" || cur.type === "elif_clause" ? cur.childForFieldName("condition") : cur.type === "match_statement" ? cur.childForFieldName("subject") : null;
      const chain = cur.type === "if_statement" ? [cond, ...cur.namedChildren.filter((c) => c?.type === "elif_clause").map((c) => c!.childForFieldName("condition"))] : [cond];
      if (chain.some((c) => treeRefs(c, pname))) return { line: line(r), kind: "throw", check: short(r.text) };
    }
  }
  const branch = descendants(body, ["if_statement", "match_statement", "conditional_expression"]).filter((n) => ownedBy(n, fn)).find((n) => {
    if (n.type === "conditional_expression") return treeRefs(n.namedChildren[1], pname);
    return treeRefs(n.childForFieldName(n.type === "match_statement" ? "subject" : "condition"), pname);
  });
  if (branch) return { line: line(branch), kind: "branch", check: short(branch.text.split("\n")[0]) };
  return undefined;
}

// ---------- Rust ----------

const PARSE_TRAITS = /^(FromStr|TryFrom|From|Display|Deserialize|Serialize|FromRequest|FromRequestParts|Debug|Visitor|FromRow)$/;

function rsScopeParam(fn: Node): string | undefined {
  const params = descendants(fn.childForFieldName("parameters") ?? fn, "parameter");
  for (const p of params) {
    const name = p.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") ?? "";
    const type = (p.childForFieldName("type")?.text ?? "").replace(/\s+/g, "").replace(/^&(mut)?/, "");
    if (SCOPE_NAME.test(name) || SCOPE_TYPE.test(type)) return name;
    if (TENANT_NAME.test(name) && /^Option</.test(type)) return name;
  }
  return undefined;
}

function rsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const fn of descendants(file.tree!.rootNode, "function_item")) {
    const name = fn.childForFieldName("name")?.text ?? "";
    const impl = fn.parent?.parent?.type === "impl_item" ? fn.parent.parent : undefined;
    const trait = impl?.childForFieldName("trait");
    if (trait && PARSE_TRAITS.test((trait.type === "generic_type" ? trait.childForFieldName("type") : trait)?.text.split("::").pop() ?? "")) continue;
    if (BOUNDARY.test(name) || PREDICATE.test(name) || treeIsRequestHandler(fn)) continue;
    const pname = rsScopeParam(fn);
    const body = fn.childForFieldName("body");
    if (!pname || !body) continue;
    const builds = /Client::(new|from_conf)|Client\s*\{|format!\(\s*"[^"]*(\{[^}]*\}[_:./#-]|[_:./#-]\{)/.test(body.text);
    if (!PURPOSE.test(name) && !builds) continue;
    const hit = rsHit(fn, body, pname);
    if (hit) reports.push({ line: line(fn), endLine: hit.line, message: message(name, pname, hit) });
  }
  return reports;
}

function rsHit(fn: Node, body: Node, pname: string): Hit | undefined {
  const failing = descendants(body, ["macro_invocation", "call_expression", "return_expression"]).filter((n) => ownedBy(n, fn)).filter((n) => {
    if (n.type === "macro_invocation") return /^(panic|unreachable|unimplemented|bail|todo)$/.test(n.childForFieldName("macro")?.text.split("::").pop() ?? "");
    if (n.type === "call_expression") return n.childForFieldName("function")?.text === "Err";
    return false;
  });
  for (const f of failing) {
    for (let cur = f.parent; cur && !cur.equals(fn); cur = cur.parent) {
      const cond = cur.type === "if_expression" ? cur.childForFieldName("condition") : cur.type === "match_expression" ? cur.childForFieldName("value") : null;
      if (treeRefs(cond, pname)) {
        const stmt = f.type === "call_expression" && f.parent?.type === "return_expression" ? f.parent : f;
        return { line: line(stmt), kind: "throw", check: short(stmt.text) };
      }
    }
  }
  const branch = descendants(body, ["if_expression", "match_expression"]).filter((n) => ownedBy(n, fn)).find((n) =>
    treeRefs(n.childForFieldName(n.type === "match_expression" ? "value" : "condition"), pname));
  if (branch) return { line: line(branch), kind: "branch", check: short(branch.text.split("\n")[0]) };
  return undefined;
}

export default defineRule({
  meta: {
    scope: "service",
    id: "runtime-scope-validation",
    category: "novel",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "A client, table-name or prefix helper checks a scope/tenant/role discriminator at run time where a type per scope would make misuse fail to compile.",
    why: "When the scope is a string, enum or optional value checked inside the helper, caller code that asks for the wrong scope compiles and passes review; the mistake surfaces only at run time as a panic, a 500 or, worse, a tenant reading another scope's table. A requirement to enforce isolation at compile time is not met by a runtime check.",
    fix: "Model each scope as its own type (PlatformClient, TenantClient, CapsuleClient; newtypes or branded ids for tenant keys) with the prefixing rule inside it, so functions accept only the client they may use. Keep runtime validation for untrusted input at the boundary (parsing requests, FromStr, validators).",
  },
  detect: {
    typescript: (f) => [...tsDetect(f), ...tsScopeHolders(f)],
    python: (f) => [...pyDetect(f), ...pyScopeHolders(f)],
    rust: (f) => [...rsDetect(f), ...rsScopeHolders(f)],
  },
  cases: [...CASES(), ...scopeHolderCases()],
});

function CASES() {
  return [
    {
      name: "py: an ASGI middleware branching on the connection scope's type",
      language: "python" as const,
      path: "app/middleware.py",
      code: `class TimingMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            return await self.app(scope, receive, send)
        start = time.monotonic()
        await self.app(scope, receive, send)
        log_duration(time.monotonic() - start)
`,
      expect: [],
    },
    // ---- Rust
    {
      name: "rs: schema-name helper panics on a tenant scope without an id (reported from the signature to the panic); a plain label match is not a scope builder",
      language: "rust" as const,
      code: `pub enum Scope { Global, Tenant(Option<String>) }

pub fn schema_name(scope: &Scope) -> String {
    match scope {
        Scope::Global => "public".to_owned(),
        Scope::Tenant(Some(id)) => format!("t_{id}"),
        Scope::Tenant(None) => {
            tracing::error!("tenant scope without id");
            panic!("tenant scope without id")
        }
    }
}

pub fn label(scope: &Scope) -> String {
    match scope {
        Scope::Global => "global".into(),
        Scope::Tenant(_) => "tenant".into(),
    }
}
`,
      expect: [3],
    },
    {
      name: "py: schema-name helper raises on an unknown or incomplete scope",
      language: "python" as const,
      code: `def schema_for(scope: str, tenant_id: str | None = None) -> str:
    if scope == "platform":
        return "platform"
    if scope == "tenant":
        if tenant_id is None:
            raise ValueError("tenant scope requires a tenant id")
        return f"tenant_{tenant_id}"
    raise ValueError(f"unknown scope {scope}")
`,
      expect: [1],
    },
    {
      name: "paper's client factory: is_valid() then panic",
      language: "rust" as const,
      code: `use aws_sdk_dynamodb::Client;

pub struct ClientFactory {
    config: aws_config::SdkConfig,
}

impl ClientFactory {
    pub fn get_client(&self, scope: Scope) -> ScopedClient {
        if scope.is_valid() {
            ScopedClient::new(Client::new(&self.config), scope)
        } else {
            panic!("Invalid scope")
        }
    }
}
`,
      expect: [8],
    },
    {
      name: "table name from a &str scope with a catch-all error arm",
      language: "rust" as const,
      code: `pub fn table_name(scope: &str, capsule_code: &str, base: &str) -> Result<String, ScopeError> {
    match scope {
        "platform" => Ok(base.to_string()),
        "capsule" => Ok(format!("{}_{}", capsule_code, base)),
        "tenant" => Ok(format!("t_{}_{}", capsule_code, base)),
        _ => Err(ScopeError::Invalid(scope.to_string())),
    }
}
`,
      expect: [1],
    },
    {
      name: "optional capsule decides the prefix",
      language: "rust" as const,
      code: `impl DynamoRepository {
    pub fn table_for(&self, base: &str, capsule: Option<&CapsuleContext>) -> String {
        match capsule {
            Some(c) => format!("{}_{}", c.code, base),
            None => base.to_string(),
        }
    }
}
`,
      expect: [2],
    },
    {
      name: "enum scope matched to build different clients",
      language: "rust" as const,
      code: `pub async fn client_for(config: &AppConfig, scope: ClientScope) -> anyhow::Result<aws_sdk_dynamodb::Client> {
    let sdk = match scope {
        ClientScope::Platform => aws_config::load_from_env().await,
        ClientScope::Operator => assume_operator_role(config).await?,
        ClientScope::Tenant(ref id) => tenant_config(config, id).await?,
    };
    Ok(aws_sdk_dynamodb::Client::new(&sdk))
}
`,
      expect: [1],
    },
    {
      name: "separate client types per scope (the compile-time design)",
      language: "rust" as const,
      code: `pub struct PlatformClient { inner: aws_sdk_dynamodb::Client }
pub struct CapsuleClient { inner: aws_sdk_dynamodb::Client, capsule: CapsuleContext }

impl PlatformClient {
    pub fn table_name(&self, base: &str) -> String {
        base.to_string()
    }
}

impl CapsuleClient {
    pub fn table_name(&self, base: &str) -> String {
        format!("{}_{}", self.capsule.code, base)
    }
}
`,
      expect: [],
    },
    {
      name: "FromStr parses an untrusted scope at the boundary",
      language: "rust" as const,
      code: `impl std::str::FromStr for Scope {
    type Err = ScopeError;
    fn from_str(scope: &str) -> Result<Self, Self::Err> {
        match scope {
            "platform" => Ok(Scope::Platform),
            "tenant" => Ok(Scope::Tenant),
            other => Err(ScopeError::Invalid(other.to_string())),
        }
    }
}
`,
      expect: [],
    },
    {
      name: "actix handler validates the scope from the path",
      language: "rust" as const,
      code: `#[get("/admin/{scope}/tables")]
async fn list_tables(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, Error> {
    let scope = path.into_inner();
    if scope != "platform" && scope != "tenant" {
        return Err(actix_web::error::ErrorBadRequest("unknown scope"));
    }
    Ok(HttpResponse::Ok().json(state.tables(&scope).await?))
}
`,
      expect: [],
    },
    {
      name: "scope mentioned in a comment and a log string only",
      language: "rust" as const,
      code: `// get_client(scope) used to panic!("Invalid scope"); now each scope has its own type.
pub fn table_name(client: &CapsuleClient, base: &str) -> String {
    tracing::debug!("building table name for scope capsule");
    client.table_name(base)
}
`,
      expect: [],
    },
    {
      name: "span starts at a multi-line signature (after doc comment and attribute), ends at the Err arm",
      language: "rust" as const,
      code: `impl Factory {
    /// Builds the queue url for a scope.
    #[inline]
    pub fn queue_url(
        &self,
        scope: &str,
        tenant: Option<&str>,
    ) -> Result<String, FactoryError> {
        let base = &self.base;
        let out = match (scope, tenant) {
            ("shared", None) => format!("{}/shared", base),
            ("tenant", Some(t)) => format!("{}/t-{}", base, t),
            _ => return Err(FactoryError::BadScope(scope.into())),
        };
        Ok(out)
    }
}
`,
      expect: [4],
    },
    // ---- TypeScript
    {
      name: "string scope switch with a throwing default",
      language: "typescript" as const,
      code: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const base = new DynamoDBClient({});

export function tableName(scope: string, table: string, capsuleCode?: string): string {
  switch (scope) {
    case "platform":
      return table;
    case "capsule":
      return \`\${capsuleCode}_\${table}\`;
    default:
      throw new Error(\`Invalid scope: \${scope}\`);
  }
}

export const documentClient = DynamoDBDocumentClient.from(base);
`,
      expect: [6],
    },
    {
      name: "union-typed scope builds different clients",
      language: "typescript" as const,
      code: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";

type Scope = "platform" | "tenant" | "operator";

export class ClientFactory {
  constructor(private readonly region: string, private readonly operatorRoleArn: string) {}

  getClient(scope: Scope): DynamoDBClient {
    if (scope === "operator") {
      return new DynamoDBClient({ region: this.region, credentials: fromTemporaryCredentials({ params: { RoleArn: this.operatorRoleArn } }) });
    }
    return new DynamoDBClient({ region: this.region });
  }
}
`,
      expect: [9],
    },
    {
      name: "optional tenant id decides the prefix",
      language: "typescript" as const,
      code: `export class OrdersRepository {
  constructor(private readonly doc: DynamoDBDocumentClient) {}

  private tableFor(base: string, tenantId?: string): string {
    return tenantId ? \`\${tenantId}_\${base}\` : base;
  }

  async get(tenantId: string, id: string) {
    return this.doc.send(new GetCommand({ TableName: this.tableFor("orders", tenantId), Key: { id } }));
  }
}
`,
      expect: [4],
    },
    {
      name: "role discriminator throws for unknown roles",
      language: "typescript" as const,
      code: `export const connectionFor = (role: "reader" | "writer" | "admin"): Pool => {
  if (role === "reader") return readerPool;
  if (role === "writer") return writerPool;
  throw new Error("unsupported role " + role);
};
`,
      expect: [1],
    },
    {
      name: "per-scope classes with a branded tenant id",
      language: "typescript" as const,
      code: `type TenantId = string & { readonly __brand: "TenantId" };

export class PlatformTables {
  name(base: string): string {
    return base;
  }
}

export class TenantTables {
  constructor(private readonly tenantId: TenantId) {}
  name(base: string): string {
    return \`\${this.tenantId}_\${base}\`;
  }
}
`,
      expect: [],
    },
    {
      name: "express handler validates the scope from the query string",
      language: "typescript" as const,
      code: `import type { Request, Response } from "express";

export async function listTables(req: Request, res: Response) {
  const scope = String(req.query.scope);
  if (scope !== "platform" && scope !== "tenant") {
    return res.status(400).json({ error: "invalid scope" });
  }
  res.json(await tables.list(scope));
}
`,
      expect: [],
    },
    {
      name: "parseScope at the boundary",
      language: "typescript" as const,
      code: `const SCOPES = ["platform", "tenant", "capsule"] as const;
export type Scope = (typeof SCOPES)[number];

export function parseScope(scope: string): Scope {
  if (!(SCOPES as readonly string[]).includes(scope)) throw new Error(\`invalid scope \${scope}\`);
  return scope as Scope;
}
`,
      expect: [],
    },
    {
      name: "scope only in strings and comments; non-factory function",
      language: "typescript" as const,
      code: `// getClient(scope) used to throw on an invalid scope
export function describeScope(scope: string): string {
  return \`scope: \${scope}\`;
}

export function formatAudit(entry: AuditEntry): string {
  if (entry.scope === "platform") return "platform change";
  return "tenant change";
}
`,
      expect: [],
    },
    {
      name: "plan tier label and a scope predicate are not scoped clients",
      language: "typescript" as const,
      code: `export function priceLabel(tier: "free" | "pro", amount: number): string {
  switch (tier) {
    case "free":
      return "Free";
    default:
      return \`\${amount} / month\`;
  }
}

export function isPlatformScope(scope: string): boolean {
  if (scope === "platform") return true;
  return false;
}
`,
      expect: [],
    },
    {
      name: "span starts at the method signature, far from the nested throw",
      language: "typescript" as const,
      code: `export class Buckets {
  bucketFor(
    scope: "shared" | "tenant",
    tenantId?: string,
  ): string {
    const stage = process.env.STAGE;
    if (scope === "tenant") {
      if (!tenantId) {
        throw new Error("tenant buckets need a tenant id");
      }
      return \`\${stage}-t-\${tenantId}\`;
    }
    return \`\${stage}-shared\`;
  }
}
`,
      expect: [2],
    },
    // ---- Python
    {
      name: "boto3 client factory raises on an unknown scope",
      language: "python" as const,
      code: `import boto3


class ClientFactory:
    def __init__(self, operator_role_arn: str):
        self._operator_role_arn = operator_role_arn

    def get_client(self, scope: str):
        if scope == "platform":
            return boto3.client("dynamodb")
        elif scope == "operator":
            creds = assume_role(self._operator_role_arn)
            return boto3.client("dynamodb", **creds)
        else:
            raise ValueError(f"Invalid scope: {scope}")
`,
      expect: [8],
    },
    {
      name: "optional tenant id changes the table prefix",
      language: "python" as const,
      code: `from typing import Optional


def table_name(base: str, tenant_id: Optional[str] = None) -> str:
    if tenant_id is None:
        return base
    return f"{tenant_id}_{base}"
`,
      expect: [4],
    },
    {
      name: "enum scope match builds a prefix",
      language: "python" as const,
      code: `from enum import Enum


class Scope(Enum):
    PLATFORM = "platform"
    CAPSULE = "capsule"


def key_prefix(scope: Scope, capsule_code: str) -> str:
    match scope:
        case Scope.PLATFORM:
            return ""
        case Scope.CAPSULE:
            return f"{capsule_code}#"
`,
      expect: [9],
    },
    {
      name: "role string picks the connection pool and asserts",
      language: "python" as const,
      code: `def get_connection(role: str = "reader"):
    pools = {"reader": READER_POOL, "writer": WRITER_POOL}
    if role not in pools:
        raise RuntimeError("unknown role")
    return pools[role].getconn()
`,
      expect: [1],
    },
    {
      name: "separate classes per scope",
      language: "python" as const,
      code: `class PlatformTables:
    def name(self, base: str) -> str:
        return base


class CapsuleTables:
    def __init__(self, capsule_code: str):
        self._code = capsule_code

    def name(self, base: str) -> str:
        return f"{self._code}_{base}"
`,
      expect: [],
    },
    {
      name: "FastAPI route validates the scope parameter",
      language: "python" as const,
      code: `from fastapi import APIRouter, HTTPException

router = APIRouter()


@router.get("/admin/{scope}/tables")
async def list_tables(scope: str):
    if scope not in ("platform", "tenant"):
        raise HTTPException(status_code=400, detail="invalid scope")
    return await tables.list(scope)
`,
      expect: [],
    },
    {
      name: "pydantic validator checks the scope of input",
      language: "python" as const,
      code: `from pydantic import BaseModel, field_validator


class ExportRequest(BaseModel):
    scope: str

    @field_validator("scope")
    @classmethod
    def client_scope_ok(cls, scope: str) -> str:
        if scope not in {"platform", "tenant"}:
            raise ValueError("invalid scope")
        return scope
`,
      expect: [],
    },
    {
      name: "scope in a docstring; required tenant id used directly",
      language: "python" as const,
      code: `def table_for(tenant_id: str, base: str) -> str:
    """Used to take scope: str and raise ValueError on an invalid scope."""
    return f"{tenant_id}_{base}"
`,
      expect: [],
    },
    {
      name: "span starts at the def of a decorated method with a docstring",
      language: "python" as const,
      code: `class Tables:
    @staticmethod
    def resolve_table(kind: str, entity: str, org_id=None) -> str:
        """Resolve the physical table.

        Global tables are shared; org tables carry the org id.
        """
        stage = STAGE
        suffix = entity.lower()
        if kind == "global":
            return f"{stage}-{suffix}"
        if kind == "org":
            if org_id is None:
                raise LookupError("org tables need an org id")
            return f"{stage}-{org_id}-{suffix}"
        raise LookupError(kind)
`,
      expect: [3],
    },
  ];
}
