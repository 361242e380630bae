// A repository or client that carries its scope (platform/tenant/role/…) as a run-time value and checks it in
// its constructor or in each method: the object could be one type per scope, so a wrong use fails to compile
// instead of throwing in production. Used by runtime-scope-validation beside its per-function check.
import { Node as TsNode, SyntaxKind, type ClassDeclaration } from "ts-morph";
import type { Node } from "web-tree-sitter";
import type { ParsedFile, Report, RuleCase } from "../../src/engine/rule.js";
import { descendants, line } from "./tree.js";

const SCOPE_NAME = /^(scope|\w*_scope|\w+Scope|scope_?(type|kind|level)|tenancy|role|client_?type|account_?type|tenant_?type)$/i;
const SCOPE_TYPE = /^(\w*Scope|Role|\w*Tenancy|ClientKind|ScopeKind)$/;
const HOLDER = /client|repo|repository|store|dao|gateway|service|table|bucket|queue|cache|db|database|connection|session/i;

function message(holder: string, field: string, where: string, check: string): string {
  return `\`${holder}\` carries its scope \`${field}\` as a run-time value and checks it ${where} (\`${check}\`). Every caller can construct it with the wrong scope and still compile; one type per scope (e.g. \`Platform${holder}\` / \`Tenant${holder}\`, or a type parameter) makes that misuse a compile error.`;
}

const short = (t: string) => {
  const one = t.replace(/\s+/g, " ").trim();
  return one.length > 50 ? `${one.slice(0, 47)}...` : one;
};

// ---------- TypeScript ----------

function tsScopeFields(cls: ClassDeclaration): { field: string; param: string }[] {
  const ctor = cls.getConstructors()[0];
  const out: { field: string; param: string }[] = [];
  for (const p of ctor?.getParameters() ?? []) {
    const type = p.getTypeNode()?.getText().replace(/\s+/g, "") ?? "";
    if (!SCOPE_NAME.test(p.getName()) && !SCOPE_TYPE.test(type)) continue;
    if (p.getScope() || p.isReadonly()) out.push({ field: p.getName(), param: p.getName() });
    const assign = ctor!.getDescendantsOfKind(SyntaxKind.BinaryExpression).find((b) => b.getRight().getText() === p.getName() && /^this\.\w+$/.test(b.getLeft().getText()));
    if (assign) out.push({ field: assign.getLeft().getText().slice(5), param: p.getName() });
  }
  return out;
}

export function tsScopeHolders(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const cls of file.ts!.getDescendantsOfKind(SyntaxKind.ClassDeclaration)) {
    const name = cls.getName() ?? "";
    if (!HOLDER.test(name)) continue;
    for (const { field, param } of tsScopeFields(cls)) {
      const refs = new RegExp(`\\bthis\\.${field}\\b|^${param}$|\\b${param}\\b`);
      const hit = [...cls.getConstructors(), ...cls.getMethods()].flatMap((m) => {
        const isCtor = TsNode.isConstructorDeclaration(m);
        const mine = (t: string) => (isCtor ? refs.test(t) : new RegExp(`\\bthis\\.${field}\\b`).test(t));
        const thrown = m.getDescendantsOfKind(SyntaxKind.ThrowStatement).find((t) =>
          t.getAncestors().some((a) => (TsNode.isIfStatement(a) || TsNode.isSwitchStatement(a)) && mine(a.getExpression().getText())));
        const at = thrown;
        return at ? [{ at, where: isCtor ? "in its constructor" : `in \`${(m as any).getName()}\``, check: short(at.getText().split("\n")[0]) }] : [];
      })[0];
      if (hit) reports.push({ line: cls.getStartLineNumber(), endLine: hit.at.getStartLineNumber(), message: message(name, field, hit.where, hit.check) });
    }
  }
  return reports;
}

// ---------- Python ----------

function pyFailsOn(fn: Node, test: (cond: string) => boolean): Node | undefined {
  for (const r of descendants(fn, ["raise_statement", "assert_statement"])) {
    if (r.type === "assert_statement" && test(r.text)) return r;
    for (let cur = r.parent; cur && !cur.equals(fn); cur = cur.parent) {
      const cond = cur.type === "if_statement" || cur.type === "elif_clause" ? cur.childForFieldName("condition") : cur.type === "match_statement" ? cur.childForFieldName("subject") : null;
      if (cond && test(cond.text)) return r;
    }
  }
  return undefined;
}

export function pyScopeHolders(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const cls of descendants(file.tree!.rootNode, "class_definition")) {
    const name = cls.childForFieldName("name")?.text ?? "";
    if (!HOLDER.test(name)) continue;
    const methods = descendants(cls, "function_definition").filter((f) => f.parent?.parent?.equals(cls) || f.parent?.parent?.parent?.equals(cls));
    const init = methods.find((m) => m.childForFieldName("name")?.text === "__init__");
    if (!init) continue;
    const params = (init.childForFieldName("parameters")?.namedChildren ?? []).map((p) => (p?.type === "identifier" ? p.text : p?.childForFieldName("name")?.text ?? p?.namedChildren[0]?.text ?? ""));
    for (const param of params.filter((p) => SCOPE_NAME.test(p))) {
      const field = new RegExp(`self\\.(\\w+)\\s*=\\s*${param}\\b`).exec(init.text)?.[1];
      if (!field) continue;
      for (const m of methods) {
        const isInit = m.equals(init);
        const at = pyFailsOn(m, (c) => new RegExp(`\\bself\\.${field}\\b${isInit ? `|\\b${param}\\b` : ""}`).test(c));
        if (!at) continue;
        const where = isInit ? "in its constructor" : `in \`${m.childForFieldName("name")?.text}\``;
        reports.push({ line: line(cls), endLine: line(at), message: message(name, field, where, short(at.text)) });
        break;
      }
    }
  }
  return reports;
}

// ---------- Rust ----------

const FAILS = /^(panic|unreachable|unimplemented|bail|assert|assert_eq|assert_ne|ensure)$/;

export function rsScopeHolders(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  const root = file.tree!.rootNode;
  for (const st of descendants(root, "struct_item")) {
    const name = st.childForFieldName("name")?.text ?? "";
    if (!HOLDER.test(name)) continue;
    const field = descendants(st, "field_declaration").find((f) => {
      const type = (f.childForFieldName("type")?.text ?? "").replace(/\s+/g, "").replace(/^&('\w+)?/, "");
      return SCOPE_NAME.test(f.childForFieldName("name")?.text ?? "") || SCOPE_TYPE.test(type);
    })?.childForFieldName("name")?.text;
    if (!field) continue;
    const impls = descendants(root, "impl_item").filter((i) => !i.childForFieldName("trait") && i.childForFieldName("type")?.text.replace(/<.*$/, "") === name);
    const refs = new RegExp(`\\bself\\.${field}\\b`);
    let hit: { node: Node; fn: string } | undefined;
    for (const fn of impls.flatMap((i) => descendants(i, "function_item"))) {
      const fails = descendants(fn, ["macro_invocation", "call_expression"]).find((n) => {
        if (n.type === "macro_invocation") {
          const m = n.childForFieldName("macro")?.text.split("::").pop() ?? "";
          if (!FAILS.test(m)) return false;
          if (/^(assert|assert_eq|assert_ne|ensure)$/.test(m)) return refs.test(n.text);
        } else if (n.childForFieldName("function")?.text !== "Err") return false;
        for (let cur = n.parent; cur && !cur.equals(fn); cur = cur.parent) {
          const cond = cur.type === "if_expression" ? cur.childForFieldName("condition") : cur.type === "match_expression" ? cur.childForFieldName("value") : null;
          if (cond && refs.test(cond.text)) return true;
        }
        return false;
      });
      if (fails) {
        hit = { node: fails, fn: fn.childForFieldName("name")?.text ?? "" };
        break;
      }
    }
    if (hit) reports.push({ line: line(st), endLine: line(hit.node), message: message(name, field, `in \`${hit.fn}\``, short(hit.node.text)) });
  }
  return reports;
}

export function scopeHolderCases(): RuleCase[] {
  return [
    {
      name: "ts: repository keeps a scope string and throws from each method when it is the wrong one",
      language: "typescript",
      code: `export class LedgerRepository {
  constructor(private readonly db: Pool, private readonly scope: "platform" | "tenant", private readonly tenantId?: string) {}

  async entries() {
    if (this.scope === "tenant" && !this.tenantId) throw new Error("tenant scope needs a tenant id");
    return this.db.query(this.scope === "platform" ? "select * from ledger" : "select * from ledger where tenant_id = $1", [this.tenantId]);
  }
}
`,
      expect: [1],
    },
    {
      name: "ts: one class per scope: nothing checked at run time",
      language: "typescript",
      code: `export class TenantLedgerRepository {
  constructor(private readonly db: Pool, private readonly tenantId: TenantId) {}
  entries() {
    return this.db.query("select * from ledger where tenant_id = $1", [this.tenantId]);
  }
}
`,
      expect: [],
    },
    {
      name: "py: client validates its scope in __init__",
      language: "python",
      code: `class ReportsClient:
    def __init__(self, session, scope: str, tenant_id: str | None = None):
        if scope not in ("platform", "tenant"):
            raise ValueError(f"bad scope {scope}")
        self.scope = scope
        self.tenant_id = tenant_id
        self.table = session.resource("dynamodb").Table("reports")
`,
      expect: [1],
    },
    {
      name: "py: a service that keeps its scope for logging and never checks it",
      language: "python",
      code: `class ExportService:
    def __init__(self, store, scope="tenant"):
        self.store = store
        self.scope = scope

    def run(self, rows):
        return self.store.write(rows)
`,
      expect: [],
    },
    {
      name: "rs: repo struct holding a scope enum asserts it per method",
      language: "rust",
      code: `pub enum Scope { Platform, Tenant(String) }

pub struct ItemRepo {
    client: aws_sdk_dynamodb::Client,
    scope: Scope,
}

impl ItemRepo {
    pub async fn tenant_items(&self) -> anyhow::Result<Vec<Item>> {
        let tenant = match &self.scope {
            Scope::Tenant(id) => id.clone(),
            Scope::Platform => anyhow::bail!("platform scope cannot list tenant items"),
        };
        query_items(&self.client, &tenant).await
    }
}
`,
      expect: [3],
    },
    {
      name: "rs: repo struct per scope, tenant id a newtype",
      language: "rust",
      code: `pub struct TenantItemRepo {
    client: aws_sdk_dynamodb::Client,
    tenant: TenantId,
}

impl TenantItemRepo {
    pub async fn items(&self) -> anyhow::Result<Vec<Item>> {
        query_items(&self.client, &self.tenant.0).await
    }
}
`,
      expect: [],
    },
  ];
}
