// Platform-level code: admin, operations and reporting paths that read across tenants on purpose (a staff-only
// dashboard, a nightly usage report, an ops backfill). A read without a tenant there is the point, not a leak.
import { Node as TsNode } from "ts-morph";
import type { Node } from "web-tree-sitter";
import type { ParsedFile, Report, RuleCase } from "../../src/engine/rule.js";
import { nameParts } from "./business.js";
import { enclosingFunctions } from "./ts.js";

const PLATFORM_DIR = /(^|\/)(admin|ops|operations|internal|reporting|reports|backoffice|back-office|platform|analytics|superadmin|staff)(\/|$)/i;
const PLATFORM_FILE = /(^|\/|_|-)(admin|ops|reporting|backoffice|platform|analytics|superadmin)[\w-]*\.\w+$/i;
/** Name words of platform-level functions and classes: `adminListInvoices`, `OpsBackfill`, `scan_all_tenants`. */
const PLATFORM_WORD = /^(admin|platform|ops|backoffice|staff|superuser|superadmin)$/;
const ACROSS = /all_?tenants|across_?tenants|cross_?tenants?|every_?tenant/i;

function platformName(name: string): boolean {
  return nameParts(name).some((p) => PLATFORM_WORD.test(p)) || ACROSS.test(name);
}

/** A guard that admits platform staff only. */
const STAFF_GUARD = /require_?(admin|staff|platform|superuser|ops)\w*|is_?(staff|superuser|platform_?admin)\b|@(admin_required|staff_member_required|superuser_required|platform_only)|requireRole\(\s*["'](admin|ops|platform|staff)|Role\.(Admin|Platform|Ops|Staff)\b|hasRole\(\s*["'](admin|platform|ops|staff)|PlatformAdmin|AdminGuard|StaffGuard|PlatformGuard/;

/** A parameter naming one tenant: the function acts for that tenant, so a read across tenants there is a leak. */
const TENANT_PARAM = /^(tenant|tenant_?id|tenantId|org_?id|orgId|organization_?id|account_?id|accountId|customer_?id|customerId|workspace_?id|workspaceId)$/i;

function tsScopes(file: ParsedFile, at: number): { names: string[]; text: string; params: string[] } {
  const sf = file.ts!;
  const pos = sf.compilerNode.getPositionOfLineAndCharacter(Math.max(0, at - 1), 0);
  const node = sf.getDescendantAtPos(Math.min(pos + (file.lines[at - 1]?.search(/\S/) ?? 0), sf.getEnd() - 1));
  const names: string[] = [];
  let text = "";
  const fn = node && enclosingFunctions(node).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a));
  const params = fn && (TsNode.isFunctionLikeDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn)) ? fn.getParameters().map((p) => p.getName()) : [];
  for (const a of node?.getAncestors() ?? []) {
    if (TsNode.isFunctionDeclaration(a) || TsNode.isMethodDeclaration(a) || TsNode.isClassDeclaration(a)) names.push(a.getName() ?? "");
    else if ((TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a)) && TsNode.isVariableDeclaration(a.getParent())) names.push((a.getParent() as any).getName());
    if (TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a) || TsNode.isClassDeclaration(a)) {
      const call = a.getParent();
      // `router.get("/admin/usage", requireRole("admin"), async (req, res) => …)`: the registration holds the guard.
      text += ` ${TsNode.isCallExpression(call) ? call.getText().slice(0, 400) : ""} ${(a as any).getDecorators?.().map((d: TsNode) => d.getText()).join(" ") ?? ""}`;
    }
  }
  return { names, text, params };
}

function treeScopes(file: ParsedFile, at: number): { names: string[]; text: string; params: string[] } {
  const row = at - 1;
  const col = file.lines[row]?.search(/\S/) ?? 0;
  let node: Node | null = file.tree!.rootNode.descendantForPosition({ row, column: Math.max(0, col) });
  const names: string[] = [];
  let text = "";
  const params: string[] = [];
  for (; node; node = node.parent) {
    if (!params.length && /^(function_definition|function_item)$/.test(node.type)) {
      for (const p of node.childForFieldName("parameters")?.namedChildren ?? []) {
        params.push((p?.childForFieldName("pattern") ?? p?.childForFieldName("name") ?? (p?.type === "identifier" ? p : p?.namedChildren[0]))?.text ?? "");
      }
      params.push("");
    }
    if (/^(function_definition|class_definition|function_item|impl_item)$/.test(node.type)) {
      names.push(node.childForFieldName("name")?.text ?? node.childForFieldName("type")?.text ?? "");
      const decorated = node.parent?.type === "decorated_definition" ? node.parent.text.slice(0, node.parent.text.indexOf(node.text)) : "";
      let attrs = "";
      for (let s = node.previousNamedSibling; s && s.type === "attribute_item"; s = s.previousNamedSibling) attrs += s.text;
      const head = node.text.slice(0, 600);
      text += ` ${decorated} ${attrs} ${head}`;
    }
  }
  return { names, text, params };
}

/** True when the line sits in admin/ops/reporting code (by its path, its function or class name, or a staff-only guard) that acts for no one tenant. */
export function inPlatformScope(file: ParsedFile, at: number): boolean {
  const { names, text, params } = file.ts ? tsScopes(file, at) : file.tree ? treeScopes(file, at) : { names: [], text: "", params: [] };
  if (params.some((p) => TENANT_PARAM.test(p))) return false;
  if (PLATFORM_DIR.test(file.path) || PLATFORM_FILE.test(file.path)) return true;
  return names.some(platformName) || STAFF_GUARD.test(text);
}

export function outsidePlatformScope(file: ParsedFile, reports: Report[]): Report[] {
  return reports.filter((r) => !inPlatformScope(file, r.line));
}

const INVOICES = (fn: string, params = "ddb: DynamoDBDocumentClient, since: string") => `import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const TABLE = process.env.TENANT_DATA_TABLE!;

export async function ${fn}(${params}) {
  const res = await ddb.send(new QueryCommand({
    TableName: TABLE,
    IndexName: "by-issued-at",
    KeyConditionExpression: "kind = :k AND issuedAt > :s",
    ExpressionAttributeValues: { ":k": "INVOICE", ":s": since },
  }));
  return res.Items ?? [];
}
`;

export function platformScopeCases(): RuleCase[] {
  return [
    {
      name: "ts: the same query in an admin function that lists invoices across tenants on purpose",
      language: "typescript",
      code: INVOICES("adminRecentInvoices"),
      expect: [],
    },
    {
      name: "ts: the same query under an ops/ folder (a platform backfill)",
      path: "src/ops/backfill.ts",
      code: INVOICES("recentInvoices"),
      expect: [],
    },
    {
      name: "ts: a tenant-facing function whose name only contains 'stops' is still checked",
      language: "typescript",
      code: INVOICES("recentStopsInvoices"),
      expect: [6],
    },
    {
      name: "ts: an admin function acting for one tenant (it takes the tenant id) must still scope to it",
      language: "typescript",
      code: INVOICES("adminTenantInvoices", "ddb: DynamoDBDocumentClient, tenantId: string, since: string"),
      expect: [6],
    },
    {
      name: "py: a staff-only Django view reading every tenant's open orders from the GSI",
      language: "python",
      code: `import boto3
from boto3.dynamodb.conditions import Key
from django.contrib.admin.views.decorators import staff_member_required

table = boto3.resource("dynamodb").Table("orders")


@staff_member_required
def open_orders(request) -> list[dict]:
    resp = table.query(
        IndexName="status-index",
        KeyConditionExpression=Key("status").eq("OPEN"),
    )
    return [{"tenant_id": item["tenant_id"], "order": item["id"]} for item in resp["Items"]]
`,
      expect: [],
    },
  ];
}
