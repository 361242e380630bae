import { outsidePlatformScope, platformScopeCases } from "./_lib/platform-scope.js";
import { Node as TsNode, SyntaxKind, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleCase } from "../src/engine/rule.js";
import { descendants, enclosingFunction, line } from "./_lib/tree.js";
import { isChainTop, isTenantName, mentionsTenant, rsChain, treeMentionsTenant, treeWords, tsMentionsTenant, tsWords } from "./_lib/security.js";
import { ancestorOfKind, enclosingFunctions } from "./_lib/ts.js";

// DynamoDB docs: a Scan "reads every item in a table or a secondary index"; a Query on a global secondary
// index returns items of every partition that matches the index key, so the tenant must be part of the
// key condition or filter for a tenant-scoped read.

/** Request fields that can carry the tenant: key condition, filter, the values/names they use, the table. */
const TS_SCOPE_PROPS = /^(KeyConditionExpression|FilterExpression|ExpressionAttributeValues|ExpressionAttributeNames|TableName|IndexName|KeyConditions|QueryFilter|ScanFilter)$/;
const PY_SCOPE_ARGS = TS_SCOPE_PROPS;
const RS_SCOPE_METHODS = /^(key_condition_expression|filter_expression|expression_attribute_values|expression_attribute_names|set_expression_attribute_values|set_expression_attribute_names|table_name|index_name|key_conditions|query_filter|scan_filter)$/;

function messageFor(kind: "Query" | "Scan", index: string | undefined): string {
  return kind === "Query"
    ? `DynamoDB Query on index ${index ?? "(secondary index)"} has no tenant key in its key condition or filter, so it returns every tenant's items.`
    : "DynamoDB Scan has no tenant key in its filter, so it reads every tenant's items.";
}

// ---------- TypeScript ----------

function tsResolveObject(node: TsNode | undefined): ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  if (TsNode.isObjectLiteralExpression(node)) return node;
  if (TsNode.isIdentifier(node)) {
    const decl = node.getSourceFile().getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === node.getText() && d.getStart() < node.getStart());
    const init = decl?.getInitializer();
    if (init && TsNode.isObjectLiteralExpression(init)) return init;
  }
  return undefined;
}

function tsProp(obj: ObjectLiteralExpression, name: string): TsNode | undefined {
  const p = obj.getProperty(name);
  if (!p) return undefined;
  return TsNode.isPropertyAssignment(p) ? p.getInitializer() : p;
}

/** A value mentions the tenant directly, or through a variable of the file whose initializer does. */
function tsScoped(obj: ObjectLiteralExpression, file: SourceFile): boolean {
  for (const p of obj.getProperties()) {
    const name = TsNode.isPropertyAssignment(p) || TsNode.isShorthandPropertyAssignment(p) ? p.getName() : "";
    if (TsNode.isSpreadAssignment(p)) return true; // built elsewhere: cannot tell
    if (!TS_SCOPE_PROPS.test(name)) continue;
    // A table name scopes the read only when built from the tenant's value (`${tenantId}-orders`), not when the
    // word is in a constant or an environment key (`process.env.TENANT_TABLE`: one table shared by every tenant).
    const mentions = name === "TableName" ? tsTenantValue : tsMentionsTenant;
    if (mentions(p)) return true;
    for (const id of [p, ...p.getDescendants()].filter((d) => TsNode.isIdentifier(d))) {
      const decl = file.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === id.getText());
      if (decl?.getInitializer() && mentions(decl.getInitializer()!)) return true;
    }
  }
  return false;
}

/** An identifier or property in `node` naming a tenant value (`tenantId`, `msg.tenantId`), not a SHOUTING constant or env key. */
function tsTenantValue(node: TsNode): boolean {
  return [node, ...node.getDescendants()].some((d) => TsNode.isIdentifier(d) && !/^[A-Z0-9_]+$/.test(d.getText()) && isTenantName(d.getText()));
}

const ASSUMED = /\b(AssumeRoleCommand|assumeRole|fromTemporaryCredentials|fromIni|AssumeRoleWithWebIdentityCommand)\b/;

/**
 * The request is sent with a client built from credentials of the tenant's own account (`AssumeRole` into the
 * customer's role): the table is the customer's, holding only its items, so a Scan there crosses no tenant.
 */
function tsOwnAccountClient(node: TsNode, sf: SourceFile): boolean {
  const send = ancestorOfKind(node, SyntaxKind.CallExpression);
  const callee = send?.getExpression();
  if (!callee || !TsNode.isPropertyAccessExpression(callee) || callee.getName() !== "send") return false;
  const recv = callee.getExpression().getText();
  const fn = enclosingFunctions(node).find((a) => TsNode.isFunctionDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a) || TsNode.isMethodDeclaration(a)) ?? sf;
  const decl = fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === recv);
  const init = decl?.getInitializer();
  if (!init) return false;
  if (ASSUMED.test(init.getText()) || /\bcredentials\s*:/.test(init.getText())) return true;
  const called = init.getDescendantsOfKind(SyntaxKind.CallExpression).concat(TsNode.isCallExpression(init) ? [init] : []).map((c) => c.getExpression().getText());
  return called.some((name) => {
    const target = sf.getFunction(name) ?? sf.getVariableDeclaration(name)?.getInitializer();
    return Boolean(target && ASSUMED.test(target.getText()));
  });
}

function tsDetect(file: ParsedFile): Report[] {
  const sf = file.ts!;
  if (!tsWords(sf).some((w) => isTenantName(w) || mentionsTenant(w))) return [];
  const out: Report[] = [];
  const consider = (node: TsNode, kind: "Query" | "Scan", arg: TsNode | undefined, needTable: boolean) => {
    const obj = tsResolveObject(arg);
    if (!obj || (needTable && !obj.getProperty("TableName"))) return;
    const index = tsProp(obj, "IndexName");
    if (kind === "Query" && !index) return;
    if (tsScoped(obj, sf) || tsOwnAccountClient(node, sf)) return;
    out.push({ line: node.getStartLineNumber(), message: messageFor(kind, index?.getText()) });
  };
  for (const n of sf.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const m = /(?:^|\.)(Query|Scan)(?:Item)?Command$/.exec(n.getExpression().getText());
    if (m) consider(n, m[1] as "Query" | "Scan", n.getArguments()[0], false);
  }
  for (const c of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = c.getExpression().getText();
    const pag = /(?:^|\.)paginate(Query|Scan)$/.exec(callee);
    if (pag) consider(c, pag[1] as "Query" | "Scan", c.getArguments()[1], false);
    const m = /\.(query|scan)$/.exec(callee);
    if (m) consider(c, m[1] === "query" ? "Query" : "Scan", c.getArguments()[0], true);
  }
  return out;
}

// ---------- Python ----------

function pyKwargs(call: Node, fn: Node | undefined, root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (a?.type === "keyword_argument") out.set(a.childForFieldName("name")!.text, a.childForFieldName("value")!);
    else if (a?.type === "dictionary_splat") {
      const name = a.namedChildren[0]?.text;
      const assign = descendants(fn ?? root, "assignment").find((x) => x.childForFieldName("left")?.text === name && x.childForFieldName("right")?.type === "dictionary");
      if (!assign) out.set("**", a);
      for (const p of descendants(assign?.childForFieldName("right") ?? a, "pair")) {
        const key = p.childForFieldName("key")?.text.replace(/["']/g, "");
        if (key) out.set(key, p.childForFieldName("value")!);
      }
    }
  }
  return out;
}

function treeScoped(values: Node[], fn: Node | undefined, root: Node, assignTypes: string[]): boolean {
  if (values.some((v) => treeMentionsTenant(v))) return true;
  const names = new Set(values.flatMap((v) => (v.type === "identifier" ? [v.text] : treeWords(v))));
  for (const a of descendants(fn ?? root, assignTypes)) {
    const left = (a.childForFieldName("left") ?? a.childForFieldName("pattern"))?.text;
    const right = a.childForFieldName("right") ?? a.childForFieldName("value");
    if (left && names.has(left) && right && treeMentionsTenant(right)) return true;
  }
  return false;
}

/** The receiver was bound to a table whose name is built from the tenant (`Table(f"{tenant_id}-orders")`). */
function pyTenantTable(recv: string, fn: Node | undefined, root: Node): boolean {
  const bindings = (scope: Node, own: boolean) =>
    descendants(scope, "assignment").filter((a) => a.childForFieldName("left")?.text === recv && (own || enclosingFunction(a) === undefined));
  // The function's own binding wins; otherwise a module-level one (not another function's local of the same name).
  const found = fn ? bindings(fn, true) : [];
  return (found.length ? found : bindings(root, false)).some((a) => {
    const right = a.childForFieldName("right");
    return right?.type === "call" && /(^|\.)Table$/.test(right.childForFieldName("function")?.text ?? "") && treeMentionsTenant(right.childForFieldName("arguments")!);
  });
}

function pyDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  if (!treeMentionsTenant(root)) return [];
  const out: Report[] = [];
  for (const call of descendants(root, "call")) {
    const f = call.childForFieldName("function");
    if (f?.type !== "attribute") continue;
    const method = f.childForFieldName("attribute")?.text ?? "";
    const recv = f.childForFieldName("object")?.text ?? "";
    let kind: "Query" | "Scan" | undefined;
    if (method === "query" || method === "scan") kind = method === "query" ? "Query" : "Scan";
    else if (method === "paginate") kind = /get_paginator\(\s*["']query["']/.test(recv) ? "Query" : /get_paginator\(\s*["']scan["']/.test(recv) ? "Scan" : undefined;
    if (!kind) continue;
    const fn = enclosingFunction(call);
    const kw = pyKwargs(call, fn, root);
    if (kw.has("**")) continue;
    const dynamo = kw.has("TableName") || kw.has("KeyConditionExpression") || kw.has("IndexName") || kw.has("FilterExpression") || method === "paginate" || /table|dynamo|ddb/i.test(recv);
    if (!dynamo || (kind === "Query" && !kw.has("IndexName"))) continue;
    if (kind === "Query" && !kw.has("KeyConditionExpression") && !kw.has("KeyConditions")) continue;
    const values = [...kw].filter(([k]) => PY_SCOPE_ARGS.test(k)).map(([, v]) => v);
    if (/tenant|capsule|workspace|org/i.test(recv)) continue; // a tenant-scoped table handle
    // `table = dynamodb.Table(table_name("tenant", "settings", tenant_id))`: the tenant's own table (silo model).
    if (/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/.test(recv) && pyTenantTable(recv, fn, root)) continue;
    if (treeScoped(values, fn, root, ["assignment"])) continue;
    out.push({ line: line(call), message: messageFor(kind, kw.get("IndexName")?.text) });
  }
  return out;
}

// ---------- Rust ----------

function rsDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  if (!treeMentionsTenant(root)) return [];
  const out: Report[] = [];
  for (const call of descendants(root, "call_expression")) {
    if (!isChainTop(call)) continue;
    const chain = rsChain(call);
    const op = chain.findIndex((c) => (c.method === "query" || c.method === "scan") && (c.call.childForFieldName("arguments")?.namedChildCount ?? 1) === 0);
    if (op < 0) continue;
    const rest = chain.slice(op + 1);
    if (!rest.some((c) => /^(table_name|send|into_paginator|index_name)$/.test(c.method))) continue;
    const kind = chain[op]!.method === "query" ? "Query" : "Scan";
    const index = rest.find((c) => c.method === "index_name");
    if (kind === "Query" && !index) continue;
    const values = rest.filter((c) => RS_SCOPE_METHODS.test(c.method)).map((c) => c.call.childForFieldName("arguments")!);
    const recv = chain[op]!.call.childForFieldName("function")?.childForFieldName("value")?.text ?? "";
    if (/tenant|capsule|workspace/i.test(recv)) continue;
    if (treeScoped(values, enclosingFunction(call), root, ["let_declaration"])) continue;
    const field = chain[op]!.call.childForFieldName("function")?.childForFieldName("field") ?? call;
    out.push({ line: line(field), message: messageFor(kind, index?.call.childForFieldName("arguments")?.namedChildren[0]?.text) });
  }
  return out;
}

const CASES: RuleCase[] = [
  {
    name: "ts: a GSI query on the shared table named by TENANT_DATA_TABLE has no tenant in its key condition",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const TABLE = process.env.TENANT_DATA_TABLE!;

export async function recentInvoices(ddb: DynamoDBDocumentClient, tenantId: string, since: string) {
  const res = await ddb.send(new QueryCommand({
    TableName: TABLE,
    IndexName: "by-issued-at",
    KeyConditionExpression: "kind = :k AND issuedAt > :s",
    ExpressionAttributeValues: { ":k": "INVOICE", ":s": since },
  }));
  return res.Items ?? [];
}
`,
    expect: [6],
  },
  {
    name: "ts: a GSI query on a table whose name is built from the tenant id",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

export async function recentInvoices(ddb: DynamoDBDocumentClient, tenantId: string, since: string) {
  const res = await ddb.send(new QueryCommand({
    TableName: \`invoices-\${tenantId}\`,
    IndexName: "by-issued-at",
    KeyConditionExpression: "kind = :k AND issuedAt > :s",
    ExpressionAttributeValues: { ":k": "INVOICE", ":s": since },
  }));
  return res.Items ?? [];
}
`,
    expect: [],
  },
  {
    name: "ts: a Scan of the tenant's own table through a client assumed into the tenant's account",
    language: "typescript",
    code: `import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

const sts = new STSClient({});

async function tenantDynamo(tenantId: string, roleArn: string) {
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: tenantId }));
  return new DynamoDBClient({ credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey! } });
}

export async function exportAll(tenantId: string, roleArn: string, table: string) {
  const client = await tenantDynamo(tenantId, roleArn);
  return client.send(new ScanCommand({ TableName: table }));
}
`,
    expect: [],
  },
  {
    name: "ts: a Scan through the service's shared client, in a function that takes the tenant",
    language: "typescript",
    code: `import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

const shared = new DynamoDBClient({});

export async function exportAll(tenantId: string, table: string) {
  const client = shared;
  return client.send(new ScanCommand({ TableName: table }));
}
`,
    expect: [7],
  },
  {
    name: "SDK v3: QueryCommand on a status GSI without the tenant",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

export class OrdersRepo {
  constructor(private readonly ddb: DynamoDBDocumentClient, private readonly table: string) {}

  async byTenant(tenantId: string) {
    return this.ddb.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": \`TENANT#\${tenantId}\` } }));
  }

  async openOrders(tenantId: string) {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: "status-createdAt-index",
        KeyConditionExpression: "#s = :open",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":open": "OPEN" },
      }),
    );
    return out.Items ?? [];
  }
}
`,
    expect: [12],
  },
  {
    name: "SDK v2 DocumentClient query on a timestamp GSI",
    language: "typescript",
    code: `import AWS from "aws-sdk";

const docClient = new AWS.DynamoDB.DocumentClient();

export async function recentEvents(tenantId: string, since: string) {
  const params = {
    TableName: "events",
    IndexName: "createdAt-index",
    KeyConditionExpression: "gsi1pk = :day AND createdAt > :since",
    ExpressionAttributeValues: { ":day": since.slice(0, 10), ":since": since },
  };
  const res = await docClient.query(params).promise();
  return res.Items;
}
`,
    expect: [12],
  },
  {
    name: "ScanCommand in a tenant handler",
    language: "typescript",
    code: `import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

const client = new DynamoDBClient({});

export async function listUsers(req: { user: { tenantId: string } }) {
  const out = await client.send(new ScanCommand({ TableName: "users", Limit: 100 }));
  return out.Items;
}
`,
    expect: [6],
  },
  {
    name: "paginateQuery on an index",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, paginateQuery } from "@aws-sdk/lib-dynamodb";

export async function* overdueInvoices(client: DynamoDBDocumentClient, tenantId: string) {
  const pages = paginateQuery({ client }, {
    TableName: "invoices",
    IndexName: "dueDate-index",
    KeyConditionExpression: "dueMonth = :m",
    ExpressionAttributeValues: { ":m": "2024-06" },
  });
  for await (const page of pages) yield* page.Items ?? [];
}
`,
    expect: [4],
  },
  {
    name: "GSI keyed by tenant and status",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

export async function openOrders(ddb: DynamoDBDocumentClient, tenantId: string) {
  const out = await ddb.send(new QueryCommand({
    TableName: "orders",
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": \`TENANT#\${tenantId}#STATUS#OPEN\` },
  }));
  return out.Items ?? [];
}
`,
    expect: [],
  },
  {
    name: "key built in a variable from the tenant; scan filtered by tenant",
    language: "typescript",
    code: `import AWS from "aws-sdk";

const db = new AWS.DynamoDB.DocumentClient();

export async function recent(tenantId: string) {
  const pk = \`T#\${tenantId}\`;
  const q = await db.query({ TableName: "events", IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": pk } }).promise();
  const s = await db.scan({ TableName: "events", FilterExpression: "tenantId = :t", ExpressionAttributeValues: { ":t": tenantId } }).promise();
  return [...(q.Items ?? []), ...(s.Items ?? [])];
}
`,
    expect: [],
  },
  {
    name: "base-table query (partition key is the tenant)",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

export async function orders(ddb: DynamoDBDocumentClient, tenantId: string) {
  return ddb.send(new QueryCommand({ TableName: "orders", KeyConditionExpression: "tenantId = :t", ExpressionAttributeValues: { ":t": tenantId } }));
}
`,
    expect: [],
  },
  {
    name: "single-tenant service with no tenant concept; comments mention Scan",
    language: "typescript",
    code: `import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

// A ScanCommand over the whole feature-flag table is fine: it holds a few global rows.
const client = new DynamoDBClient({});

export async function loadFlags() {
  const out = await client.send(new ScanCommand({ TableName: "feature-flags" }));
  return out.Items ?? [];
}
`,
    expect: [],
  },
  {
    name: "boto3 resource: table.query on a GSI with Key('status')",
    language: "python",
    code: `import boto3
from boto3.dynamodb.conditions import Key

table = boto3.resource("dynamodb").Table("orders")


def open_orders(tenant_id: str) -> list[dict]:
    resp = table.query(
        IndexName="status-index",
        KeyConditionExpression=Key("status").eq("OPEN"),
    )
    return resp["Items"]
`,
    expect: [8],
  },
  {
    name: "boto3 client query with a date GSI",
    language: "python",
    code: `import boto3

dynamodb = boto3.client("dynamodb")


def events_since(tenant_id: str, day: str):
    return dynamodb.query(
        TableName="events",
        IndexName="day-index",
        KeyConditionExpression="event_day = :d",
        ExpressionAttributeValues={":d": {"S": day}},
    )["Items"]
`,
    expect: [7],
  },
  {
    name: "table.scan() in a tenant API",
    language: "python",
    code: `from fastapi import APIRouter, Depends

from .auth import get_current_user
from .db import users_table

router = APIRouter()


@router.get("/users")
def list_users(user=Depends(get_current_user)):
    tenant_id = user.tenant_id
    return users_table.scan()["Items"]
`,
    expect: [12],
  },
  {
    name: "scan paginator without a tenant filter",
    language: "python",
    code: `import boto3

client = boto3.client("dynamodb")


def export_invoices(tenant_id: str):
    paginator = client.get_paginator("scan")
    for page in client.get_paginator("scan").paginate(TableName="invoices"):
        yield from page["Items"]
`,
    expect: [8],
  },
  {
    name: "GSI partition key includes the tenant",
    language: "python",
    code: `from boto3.dynamodb.conditions import Key


def open_orders(table, tenant_id: str) -> list[dict]:
    resp = table.query(
        IndexName="gsi1",
        KeyConditionExpression=Key("gsi1pk").eq(f"TENANT#{tenant_id}#STATUS#OPEN"),
    )
    return resp["Items"]
`,
    expect: [],
  },
  {
    name: "scan filtered by tenant attribute",
    language: "python",
    code: `from boto3.dynamodb.conditions import Attr


def list_users(users_table, tenant_id: str):
    return users_table.scan(FilterExpression=Attr("tenant_id").eq(tenant_id))["Items"]
`,
    expect: [],
  },
  {
    name: "params dict built with the tenant key",
    language: "python",
    code: `def recent(client, tenant_id: str, since: str):
    pk = f"T#{tenant_id}"
    params = {
        "TableName": "events",
        "IndexName": "gsi2",
        "KeyConditionExpression": "gsi2pk = :pk AND created_at > :s",
        "ExpressionAttributeValues": {":pk": {"S": pk}, ":s": {"S": since}},
    }
    return client.query(**params)["Items"]
`,
    expect: [],
  },
  {
    name: "SQLAlchemy query and a tenant comment are not DynamoDB",
    language: "python",
    code: `from sqlalchemy.orm import Session

# table.query(IndexName="status-index") would leak across tenants


def orders(session: Session, tenant_id: str):
    return session.query(Order).filter(Order.tenant_id == tenant_id).all()
`,
    expect: [],
  },
  {
    name: "Rust SDK: query on a status GSI",
    language: "rust",
    code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

pub async fn open_orders(client: &Client, tenant_id: &str) -> Result<Vec<Order>, Error> {
    let out = client
        .query()
        .table_name("orders")
        .index_name("status-index")
        .key_condition_expression("#s = :open")
        .expression_attribute_names("#s", "status")
        .expression_attribute_values(":open", AttributeValue::S("OPEN".into()))
        .send()
        .await?;
    Ok(parse(out.items()))
}
`,
    expect: [5],
  },
  {
    name: "Rust SDK: scan in tenant code",
    language: "rust",
    code: `use aws_sdk_dynamodb::Client;

pub async fn users(client: &Client, claims: &Claims) -> Result<Vec<User>, Error> {
    let tenant = &claims.tenant_id;
    let out = client.scan().table_name("users").send().await?;
    Ok(parse(out.items()))
}
`,
    expect: [5],
  },
  {
    name: "Rust SDK: paginator query on a date index",
    language: "rust",
    code: `pub async fn by_day(client: &aws_sdk_dynamodb::Client, tenant_id: &str, day: &str) -> Vec<Event> {
    let pages = client.query()
        .table_name("events")
        .index_name("day-index")
        .key_condition_expression("event_day = :d")
        .expression_attribute_values(":d", AttributeValue::S(day.to_string()))
        .into_paginator()
        .items()
        .send();
    collect(pages).await
}
`,
    expect: [2],
  },
  {
    name: "Rust SDK: scan with a filter on another attribute",
    language: "rust",
    code: `pub async fn stale(client: &aws_sdk_dynamodb::Client, tenant_id: &str) -> Result<Vec<Job>, Error> {
    let out = client.scan()
        .table_name("jobs")
        .filter_expression("job_state = :s")
        .expression_attribute_values(":s", AttributeValue::S("STALE".into()))
        .send()
        .await?;
    Ok(parse(out.items()))
}
`,
    expect: [2],
  },
  {
    name: "Rust SDK: GSI key includes the tenant",
    language: "rust",
    code: `pub async fn open_orders(client: &aws_sdk_dynamodb::Client, tenant_id: &str) -> Result<Vec<Order>, Error> {
    let pk = format!("TENANT#{tenant_id}#STATUS#OPEN");
    let out = client.query()
        .table_name("orders")
        .index_name("gsi1")
        .key_condition_expression("gsi1pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(pk))
        .send()
        .await?;
    Ok(parse(out.items()))
}
`,
    expect: [],
  },
  {
    name: "Rust SDK: scan filtered by tenant",
    language: "rust",
    code: `pub async fn users(client: &aws_sdk_dynamodb::Client, tenant_id: &str) -> Result<Vec<User>, Error> {
    let out = client.scan()
        .table_name("users")
        .filter_expression("tenant_id = :t")
        .expression_attribute_values(":t", AttributeValue::S(tenant_id.to_string()))
        .send()
        .await?;
    Ok(parse(out.items()))
}
`,
    expect: [],
  },
  {
    name: "Rust SDK: base-table query by tenant partition key",
    language: "rust",
    code: `pub async fn orders(client: &aws_sdk_dynamodb::Client, tenant_id: &str) -> Result<Vec<Order>, Error> {
    let out = client.query()
        .table_name("orders")
        .key_condition_expression("tenant_id = :t")
        .expression_attribute_values(":t", AttributeValue::S(tenant_id.into()))
        .send()
        .await?;
    Ok(parse(out.items()))
}
`,
    expect: [],
  },
  {
    name: "Rust: per-tenant table name and a sqlx query",
    language: "rust",
    code: `pub async fn audit(client: &aws_sdk_dynamodb::Client, pool: &PgPool, tenant: &TenantClient) -> Result<(), Error> {
    // client.scan() over the audit table is fine: the table is per tenant
    let out = client.scan().table_name(tenant.table_name("audit")).send().await?;
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}
`,
    expect: [],
  },
  {
    name: "py: GSI query on the tenant's own table (table name built from the tenant id)",
    language: "python",
    code: `import boto3

dynamodb = boto3.resource("dynamodb")


def settings_by_kind(tenant_id, kind):
    table = dynamodb.Table(f"prod-{tenant_id}-settings")
    return table.query(IndexName="kind-index", KeyConditionExpression="kind = :k", ExpressionAttributeValues={":k": kind})["Items"]
`,
    expect: [],
  },
  {
    name: "py: same GSI query on the shared table, next to a function that uses a per-tenant table",
    language: "python",
    code: `import boto3

dynamodb = boto3.resource("dynamodb")


def settings_by_kind(tenant_id, kind):
    table = dynamodb.Table(f"prod-{tenant_id}-settings")
    return table.query(IndexName="kind-index", KeyConditionExpression="kind = :k", ExpressionAttributeValues={":k": kind})["Items"]


def shared_settings_by_kind(tenant_id, kind):
    table = dynamodb.Table("prod-settings")
    return table.query(IndexName="kind-index", KeyConditionExpression="kind = :k", ExpressionAttributeValues={":k": kind})["Items"]
`,
    expect: [13],
  },
];

export default defineRule({
  meta: {
    scope: "service",
    id: "cross-tenant-index-query",
    category: "security",
    languages: ["typescript", "rust", "python"],
    severity: "failure",
    description: "A DynamoDB Query on a secondary index, or a Scan, in tenant-scoped code has no tenant key in its key condition or filter.",
    why: "A global secondary index keyed by status or timestamp holds every tenant's items under the same key, and a Scan reads the whole table; without the tenant in the key condition (or at least the filter), one tenant's request returns other tenants' data.",
    fix: "Put the tenant in the index's partition key (for example `TENANT#<id>#STATUS#open`) and in the KeyConditionExpression, taking the tenant from the verified principal; use a FilterExpression on the tenant only as a stop-gap, and avoid Scan on request paths.",
    docs: [
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html",
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html",
    ],
  },
  detect: {
    typescript: (file) => outsidePlatformScope(file, tsDetect(file)),
    python: (file) => outsidePlatformScope(file, pyDetect(file)),
    rust: (file) => outsidePlatformScope(file, rsDetect(file)),
  },
  cases: [...CASES, ...platformScopeCases()],
});
