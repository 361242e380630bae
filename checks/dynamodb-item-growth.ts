import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { descendants, enclosingFunction, line } from "./_lib/tree.js";
import { pyCallName, pyKwarg, rsCallName, rsChainTop, treeString, tsFunctionOf, tsObjectArg, tsProp, tsString } from "./_lib/resilience.js";

// AWS docs (Service, account, and table quotas in Amazon DynamoDB): "The maximum item size in DynamoDB is
// 400 KB, which includes both attribute name binary length (UTF-8 length) and attribute value lengths".
// Update expressions: list_append adds elements to a list; ADD adds elements to a set.

/** An update expression (it starts with a clause keyword) that appends to a list. */
const LIST_APPEND = /^\s*(SET|ADD|DELETE)\s[\s\S]*\blist_append\s*\(/i;
const ADD_CLAUSE = /(?:^|\s)ADD\s+([#\w.[\]]+)\s+(:\w+)/gi;
/** Attributes that grow with activity (events, history...), as opposed to a bounded list like line items. */
const GROWING_NAME = /event|histor|(^|_)log|entries|audit|change|activit|message|comment|notification|transaction|reading|update|version|timeline|trail|record|snapshot|view|visit|login|attempt|session|ledger|journal|step|status_?changes|transitions/i;
/** Small-vocabulary sets that stay bounded. */
const SMALL_SET = /^(tags?|labels?|roles?|permissions?|scopes?|flags?|features?|categories|groups?|regions?|channels?)$/i;
const SIZE_GUARD = /size\s*\(|\.size\(\)/;

const listMsg = (where: string) => `\`list_append\` in ${where} grows one item without a size bound; it fails once the item reaches DynamoDB's 400 KB limit.`;
const setMsg = (attr: string) => `\`ADD ${attr}\` keeps adding set members to one item without a size bound; it fails once the item reaches 400 KB.`;
const pushMsg = (target: string, put: string) => `\`${target}\` grows on every call and the whole item is written back with \`${put}\`; with no cap it fails at DynamoDB's 400 KB item limit.`;

// ---------- TypeScript ----------

function tsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  const literals = [
    ...file.ts!.getDescendantsOfKind(SyntaxKind.StringLiteral),
    ...file.ts!.getDescendantsOfKind(SyntaxKind.NoSubstitutionTemplateLiteral),
    ...file.ts!.getDescendantsOfKind(SyntaxKind.TemplateExpression),
  ];
  for (const lit of literals) {
    const text = tsString(lit) ?? "";
    if (!LIST_APPEND.test(text) && !/\bADD\b/.test(text)) continue;
    const params = tsParamsObject(lit);
    const guard = params ? tsProp(params, "ConditionExpression")?.getText() ?? "" : (tsFunctionOf(lit) ?? file.ts!).getText().match(/ConditionExpression[^,}]*/g)?.join(" ") ?? "";
    if (SIZE_GUARD.test(guard) || /\bREMOVE\b/i.test(text)) continue;
    const at = tsReportLine(lit, params);
    if (LIST_APPEND.test(text)) {
      reports.push({ ...at, message: listMsg("this update expression") });
      continue;
    }
    if (!params) continue;
    for (const [, attr, placeholder] of text.matchAll(ADD_CLAUSE)) {
      const values = tsObjectArg(tsProp(params, "ExpressionAttributeValues"));
      const value = values?.getProperties().find((p) => Node.isPropertyAssignment(p) && p.getName().replace(/['"]/g, "") === placeholder);
      const valueText = value && Node.isPropertyAssignment(value) ? value.getInitializer()?.getText() ?? "" : "";
      if (!/^new Set\b|\b(SS|NS|BS)\s*:|createSet\s*\(/.test(valueText)) continue;
      if (SMALL_SET.test(tsAttrName(params, attr))) continue;
      reports.push({ ...at, message: setMsg(attr) });
    }
  }
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const grown = tsGrowth(call);
    if (!grown) continue;
    const fn = tsFunctionOf(call) ?? file.ts!;
    const put = tsPutOf(fn, grown.root);
    if (!put || tsBounded(fn, grown.target)) continue;
    reports.push({ line: call.getStartLineNumber(), message: pushMsg(grown.target, put) });
  }
  for (const arr of file.ts!.getDescendantsOfKind(SyntaxKind.ArrayLiteralExpression)) {
    const spread = arr.getElements().find((e) => Node.isSpreadElement(e));
    const target = spread && Node.isSpreadElement(spread) ? spread.getExpression().getText() : "";
    const prop = arr.getParentIfKind(SyntaxKind.PropertyAssignment);
    if (!prop || !GROWING_NAME.test(prop.getName()) || !/^[\w.]+\.\w+$/.test(target) || !target.endsWith(`.${prop.getName()}`)) continue;
    const item = prop.getParentIfKind(SyntaxKind.ObjectLiteralExpression)?.getParentIfKind(SyntaxKind.PropertyAssignment);
    const fn = tsFunctionOf(arr) ?? file.ts!;
    if (item?.getName() !== "Item" || tsBounded(fn, target)) continue;
    reports.push({ line: arr.getStartLineNumber(), message: pushMsg(target, "Put") });
  }
  return reports;
}

/** The update call (`new UpdateCommand({...})`, `.update({...})`) when the expression is written inline in it, else the literal. */
function tsReportLine(lit: Node, params: ObjectLiteralExpression | undefined): { line: number; endLine?: number } {
  const owner = params?.getParent();
  const inline = lit.getParentIfKind(SyntaxKind.PropertyAssignment)?.getParent() === params;
  if (inline && owner && (Node.isNewExpression(owner) || Node.isCallExpression(owner))) return { line: owner.getStartLineNumber(), endLine: lit.getStartLineNumber() };
  return { line: lit.getStartLineNumber() };
}

/** The request-parameters object a literal belongs to (`{ UpdateExpression: "..." }`), directly or through a local variable. */
function tsParamsObject(lit: Node): ObjectLiteralExpression | undefined {
  const prop = lit.getParentIfKind(SyntaxKind.PropertyAssignment);
  if (prop?.getName() === "UpdateExpression") return prop.getParentIfKind(SyntaxKind.ObjectLiteralExpression);
  const decl = lit.getParentIfKind(SyntaxKind.VariableDeclaration);
  if (!decl) return undefined;
  const fn = tsFunctionOf(lit) ?? lit.getSourceFile();
  const use = fn.getDescendantsOfKind(SyntaxKind.PropertyAssignment).find((p) => (p.getName() === "UpdateExpression" && p.getInitializer()?.getText() === decl.getName()));
  return use?.getParentIfKind(SyntaxKind.ObjectLiteralExpression)
    ?? fn.getDescendantsOfKind(SyntaxKind.ShorthandPropertyAssignment).find((p) => p.getName() === "UpdateExpression")?.getParentIfKind(SyntaxKind.ObjectLiteralExpression);
}

function tsAttrName(params: ObjectLiteralExpression, attr: string): string {
  if (!attr.startsWith("#")) return attr;
  const names = tsObjectArg(tsProp(params, "ExpressionAttributeNames"));
  const p = names?.getProperties().find((x) => Node.isPropertyAssignment(x) && x.getName().replace(/['"]/g, "") === attr);
  return (p && Node.isPropertyAssignment(p) ? tsString(p.getInitializer()) : undefined) ?? attr;
}

/** `agg.events.push(e)`, `agg.events = agg.events.concat(e)`: the grown list and the object holding it. */
function tsGrowth(call: CallExpression): { target: string; root: string } | undefined {
  const expr = call.getExpression();
  if (!Node.isPropertyAccessExpression(expr) || !/^(push|unshift|concat)$/.test(expr.getName())) return undefined;
  const list = expr.getExpression();
  if (!Node.isPropertyAccessExpression(list) || !GROWING_NAME.test(list.getName())) return undefined;
  if (expr.getName() === "concat" && !Node.isBinaryExpression(call.getParent())) return undefined;
  const root = list.getExpression().getText().replace(/!$/, "");
  return { target: list.getText(), root };
}

/** A whole-item write of `root` in the function: `new PutCommand({ Item: root })`, `.put({ Item: marshall(root) })`. */
function tsPutOf(fn: Node, root: string): string | undefined {
  for (const obj of fn.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression)) {
    const item = tsProp(obj, "Item");
    if (!item) continue;
    const mentions = item.getText() === root || item.getDescendants().some((d) => d.getText() === root);
    if (!mentions) continue;
    const owner = obj.getParent();
    if (Node.isNewExpression(owner)) return owner.getExpression().getText();
    if (Node.isCallExpression(owner)) return owner.getExpression().getText();
  }
  return undefined;
}

/** True when the function caps the list: a length check, slice/splice/shift, or a size condition. */
function tsBounded(fn: Node, target: string): boolean {
  const text = fn.getText();
  const t = target.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`${t}\\.(length|slice|splice|shift|pop)\\b|${t}\\s*=\\s*[^;]*\\.slice\\(`).test(text) || SIZE_GUARD.test(text.match(/ConditionExpression[^,}]*/g)?.join(" ") ?? "");
}

// ---------- Python ----------

function pyDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const str of descendants(file.tree!.rootNode, "string")) {
    if (str.parent?.type === "expression_statement") continue; // docstring
    const text = treeString(str) ?? "";
    if (!LIST_APPEND.test(text) && !/\bADD\b/.test(text)) continue;
    const call = pyOwnerCall(str);
    const scope = call ?? enclosingFunction(str) ?? file.tree!.rootNode;
    const guards = descendants(scope, "keyword_argument").filter((k) => k.childForFieldName("name")?.text === "ConditionExpression");
    if (guards.some((g) => SIZE_GUARD.test(g.text)) || /\bREMOVE\b/i.test(text)) continue;
    const at = call ? { line: line(call), endLine: line(str) } : { line: line(str) };
    if (LIST_APPEND.test(text)) {
      reports.push({ ...at, message: listMsg("this update expression") });
      continue;
    }
    if (!call) continue;
    for (const [, attr, placeholder] of text.matchAll(ADD_CLAUSE)) {
      const values = pyKwarg(call, "ExpressionAttributeValues");
      const pair = descendants(values ?? call, "pair").find((p) => treeString(p.childForFieldName("key")) === placeholder);
      const value = pair?.childForFieldName("value");
      if (!value || !(value.type === "set" || /^set\(|^\{\s*["'](SS|NS|BS)["']/.test(value.text))) continue;
      if (SMALL_SET.test(pyAttrName(call, attr))) continue;
      reports.push({ ...at, message: setMsg(attr) });
    }
  }
  // PynamoDB: Model.update(actions=[Thread.replies.set(Thread.replies.append([r]))]) / Model.tags.add({...})
  for (const call of descendants(file.tree!.rootNode, "call")) {
    const actions = pyCallName(call) === "update" ? pyKwarg(call, "actions") : undefined;
    if (!actions || SIZE_GUARD.test(pyKwarg(call, "condition")?.text ?? "")) continue;
    for (const grow of descendants(actions, "call")) {
      const op = pyCallName(grow);
      const attr = grow.childForFieldName("function")?.childForFieldName("object");
      if (!attr || attr.type !== "attribute" || !/^(append|prepend|add)$/.test(op)) continue;
      const name = attr.childForFieldName("attribute")?.text ?? "";
      // `add` also increments numbers (`Post.views.add(1)`): only a set argument grows the item.
      const arg = grow.childForFieldName("arguments")?.namedChild(0);
      if (op === "add" && (SMALL_SET.test(name) || !arg || !/^(\{|set\(|frozenset\()/.test(arg.text))) continue;
      reports.push({ line: line(call), endLine: line(grow), message: op === "add"
        ? `\`${attr.text}.add(...)\` keeps adding set members to one item without a size bound; it fails once the item reaches 400 KB.`
        : listMsg(`\`${attr.text}.${op}(...)\``) });
    }
  }
  for (const call of descendants(file.tree!.rootNode, "call")) {
    if (!/^(append|extend|insert)$/.test(pyCallName(call))) continue;
    const list = call.childForFieldName("function")?.childForFieldName("object");
    const name = pyListName(list);
    if (!list || !name || !GROWING_NAME.test(name)) continue;
    const root = pyRoot(list);
    const fn = enclosingFunction(call);
    if (!fn || !root) continue;
    const put = descendants(fn, "call").find((c) => pyCallName(c) === "put_item" && descendants(pyKwarg(c, "Item") ?? c, "identifier").some((i) => i.text === root));
    if (!put || pyBounded(fn, list.text, name)) continue;
    reports.push({ line: line(call), message: pushMsg(list.text, "put_item") });
  }
  return reports;
}

function pyOwnerCall(str: TNode): TNode | undefined {
  const kw = str.parent?.type === "keyword_argument" ? str.parent : undefined;
  if (kw && kw.childForFieldName("name")?.text === "UpdateExpression") return kw.parent?.parent ?? undefined;
  return undefined;
}

function pyAttrName(call: TNode, attr: string): string {
  if (!attr.startsWith("#")) return attr;
  const pair = descendants(pyKwarg(call, "ExpressionAttributeNames") ?? call, "pair").find((p) => treeString(p.childForFieldName("key")) === attr);
  return treeString(pair?.childForFieldName("value")) ?? attr;
}

/** `item["events"]` -> "events"; `agg.history` -> "history"; `item.setdefault("log", [])` -> "log". */
function pyListName(list: TNode | null | undefined): string | undefined {
  if (!list) return undefined;
  if (list.type === "subscript") return treeString(list.childForFieldName("subscript")) ?? undefined;
  if (list.type === "attribute") return list.childForFieldName("attribute")?.text;
  if (list.type === "call" && /^(setdefault|get)$/.test(pyCallName(list))) return treeString(list.childForFieldName("arguments")?.namedChild(0));
  return undefined;
}

function pyRoot(node: TNode): string | undefined {
  let cur: TNode | null = node;
  while (cur && cur.type !== "identifier") {
    cur = cur.type === "subscript" ? cur.childForFieldName("value") : cur.type === "attribute" ? cur.childForFieldName("object") : cur.type === "call" ? cur.childForFieldName("function") : null;
  }
  return cur?.text === "self" ? undefined : cur?.text;
}

function pyBounded(fn: TNode, listText: string, name: string): boolean {
  const text = fn.text;
  const t = listText.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`len\\(\\s*${t}\\s*\\)|${t}\\s*\\[\\s*-|${t}\\.pop\\(|del\\s+${t}\\[|\\[\\s*["']${name}["']\\s*\\]\\s*=\\s*[^\\n]*\\[\\s*-`).test(text)
    || /maxlen\s*=/.test(text) || SIZE_GUARD.test(text.match(/ConditionExpression[^\n]*/g)?.join(" ") ?? "");
}

// ---------- Rust ----------

function rsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const str of descendants(file.tree!.rootNode, ["string_literal", "raw_string_literal"])) {
    const text = treeString(str) ?? "";
    if (!LIST_APPEND.test(text) && !/\bADD\b/.test(text)) continue;
    const call = str.parent?.parent?.type === "call_expression" ? str.parent.parent : undefined;
    const chain = call ? rsChainTop(call) : undefined;
    const scope = chain ?? enclosingFunction(str) ?? file.tree!.rootNode;
    const guards = descendants(scope, "call_expression").filter((c) => rsCallName(c) === "condition_expression");
    if (guards.some((g) => SIZE_GUARD.test(g.childForFieldName("arguments")?.text ?? "")) || /\bREMOVE\b/i.test(text)) continue;
    const update = chain && descendants(chain, "call_expression").find((c) => rsCallName(c) === "update_item");
    const at = update ? { line: line(update.childForFieldName("function")?.childForFieldName("field") ?? update), endLine: line(str) } : { line: line(str) };
    if (LIST_APPEND.test(text)) {
      reports.push({ ...at, message: listMsg("this update expression") });
      continue;
    }
    if (!chain || !call || rsCallName(call) !== "update_expression") continue;
    for (const [, attr, placeholder] of text.matchAll(ADD_CLAUSE)) {
      const value = descendants(chain, "call_expression").find((c) => rsCallName(c) === "expression_attribute_values" && treeString(c.childForFieldName("arguments")?.namedChild(0)) === placeholder);
      if (!value || !/AttributeValue::(Ss|Ns|Bs)\b/.test(value.text)) continue;
      const nameCall = descendants(chain, "call_expression").find((c) => rsCallName(c) === "expression_attribute_names" && treeString(c.childForFieldName("arguments")?.namedChild(0)) === attr);
      if (SMALL_SET.test(treeString(nameCall?.childForFieldName("arguments")?.namedChild(1)) ?? attr)) continue;
      reports.push({ ...at, message: setMsg(attr) });
    }
  }
  for (const call of descendants(file.tree!.rootNode, "call_expression")) {
    if (!/^(push|extend|push_back)$/.test(rsCallName(call))) continue;
    const list = call.childForFieldName("function")?.childForFieldName("value");
    const name = list?.type === "field_expression" ? list.childForFieldName("field")?.text ?? "" : "";
    if (!list || !GROWING_NAME.test(name)) continue;
    const root = rsRoot(list);
    const fn = enclosingFunction(call);
    if (!fn || !root) continue;
    const put = descendants(fn, "call_expression").find((c) => rsCallName(c) === "put_item" && descendants(rsChainTop(c), "identifier").some((i) => i.text === root));
    if (!put || rsBounded(fn, list.text)) continue;
    reports.push({ line: line(call), message: pushMsg(list.text, "put_item") });
  }
  return reports;
}

function rsRoot(node: TNode): string | undefined {
  let cur: TNode | null = node;
  while (cur && cur.type === "field_expression") cur = cur.childForFieldName("value");
  return cur?.type === "identifier" ? cur.text : undefined;
}

function rsBounded(fn: TNode, listText: string): boolean {
  const t = listText.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`${t}\\.(len|truncate|drain|remove|pop_front|split_off)\\(`).test(fn.text)
    || descendants(fn, "call_expression").some((c) => rsCallName(c) === "condition_expression" && SIZE_GUARD.test(c.text));
}

export default defineRule({
  meta: {
    id: "dynamodb-item-growth",
    category: "resilience",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "A DynamoDB item whose list, set or history attribute is appended to without a size bound.",
    why: "A DynamoDB item cannot exceed 400 KB. Appending events or history to one item works in development and then fails every write for that aggregate once production volume pushes it past the limit.",
    fix: "Store each event as its own item (partition key = aggregate id, sort key = sequence or time), or cap the list with a `size(...)` condition and trim, and snapshot aggregates instead of growing them.",
    docs: [
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items",
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html",
    ],
  },
  detect: { typescript: tsDetect, python: pyDetect, rust: rsDetect },
  cases: [
    {
      name: "event sourcing with list_append on the aggregate item",
      language: "typescript",
      code: `import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function appendEvent(aggregateId: string, event: DomainEvent): Promise<void> {
  await doc.send(new UpdateCommand({
    TableName: process.env.AGGREGATES_TABLE,
    Key: { pk: \`AGG#\${aggregateId}\` },
    UpdateExpression: "SET #events = list_append(if_not_exists(#events, :empty), :e), #v = #v + :one",
    ExpressionAttributeNames: { "#events": "events", "#v": "version" },
    ExpressionAttributeValues: { ":e": [event], ":empty": [], ":one": 1 },
  }));
}
`,
      expect: [7],
    },
    {
      name: "update expression built in a variable (v2 DocumentClient)",
      language: "typescript",
      code: `import { DynamoDB } from "aws-sdk";

const client = new DynamoDB.DocumentClient();

export async function recordLogin(userId: string, at: string) {
  const expr = \`SET loginHistory = list_append(loginHistory, :entry), lastLogin = :at\`;
  await client.update({
    TableName: "users",
    Key: { userId },
    UpdateExpression: expr,
    ExpressionAttributeValues: { ":entry": [{ at }], ":at": at },
  }).promise();
}
`,
      expect: [6],
    },
    {
      name: "ADD a follower id to a string set",
      language: "typescript",
      code: `import { UpdateItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

const ddb = new DynamoDBClient({});

export async function follow(userId: string, followerId: string) {
  await ddb.send(new UpdateItemCommand({
    TableName: "profiles",
    Key: { pk: { S: userId } },
    UpdateExpression: "ADD #followers :f",
    ExpressionAttributeNames: { "#followers": "followers" },
    ExpressionAttributeValues: { ":f": { SS: [followerId] } },
  }));
}
`,
      expect: [6],
    },
    {
      name: "push onto aggregate history then PutCommand of the whole item",
      language: "typescript",
      code: `import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { doc } from "../db.js";

export class OrderRepository {
  async addStatus(orderId: string, status: string) {
    const { Item: order } = await doc.send(new GetCommand({ TableName: "orders", Key: { orderId } }));
    order!.statusHistory.push({ status, at: new Date().toISOString() });
    order!.status = status;
    await doc.send(new PutCommand({ TableName: "orders", Item: order }));
  }
}
`,
      expect: [7],
    },
    {
      name: "spread of the existing events into the written Item",
      language: "typescript",
      code: `import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { doc } from "../db.js";

export async function save(agg: Aggregate, event: DomainEvent) {
  await doc.send(new PutCommand({
    TableName: "aggregates",
    Item: { ...agg, events: [...agg.events, event], version: agg.version + 1 },
  }));
}
`,
      expect: [7],
    },
    {
      name: "one item per event (the fix)",
      language: "typescript",
      code: `import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { doc } from "../db.js";

export async function appendEvent(aggregateId: string, seq: number, event: DomainEvent) {
  await doc.send(new PutCommand({
    TableName: "events",
    Item: { pk: \`AGG#\${aggregateId}\`, sk: seq, ...event },
    ConditionExpression: "attribute_not_exists(sk)",
  }));
}
`,
      expect: [],
    },
    {
      name: "list_append guarded by a size condition",
      language: "typescript",
      code: `import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { doc } from "../db.js";

export async function addRecent(userId: string, item: Recent) {
  await doc.send(new UpdateCommand({
    TableName: "users",
    Key: { userId },
    UpdateExpression: "SET #recent = list_append(#recent, :r)",
    ConditionExpression: "size(#recent) < :max",
    ExpressionAttributeNames: { "#recent": "recentItems" },
    ExpressionAttributeValues: { ":r": [item], ":max": 50 },
  }));
}
`,
      expect: [],
    },
    {
      name: "ADD to a counter and a bounded history trimmed before put",
      language: "typescript",
      code: `import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { doc } from "../db.js";

const MAX_HISTORY = 20;

export async function bump(pageId: string) {
  await doc.send(new UpdateCommand({
    TableName: "pages",
    Key: { pageId },
    UpdateExpression: "ADD #views :one",
    ExpressionAttributeNames: { "#views": "views" },
    ExpressionAttributeValues: { ":one": 1 },
  }));
}

export async function saveSession(session: Session, event: SessionEvent) {
  session.events.push(event);
  session.events = session.events.slice(-MAX_HISTORY);
  await doc.send(new PutCommand({ TableName: "sessions", Item: session }));
}
`,
      expect: [],
    },
    {
      name: "list_append in comments and docs strings, in-memory push",
      language: "typescript",
      code: `// Do not use SET events = list_append(events, :e): items cap at 400 KB.
const DOC = "Avoid UpdateExpression 'SET #events = list_append(#events, :e)' on aggregates";

export function collect(batch: Batch, event: DomainEvent) {
  batch.events.push(event);
  return batch;
}
`,
      expect: [],
    },
    {
      name: "boto3 update_item with list_append",
      language: "python",
      code: `import boto3

table = boto3.resource("dynamodb").Table("aggregates")


def append_event(aggregate_id, event):
    table.update_item(
        Key={"pk": f"AGG#{aggregate_id}"},
        UpdateExpression="SET events = list_append(if_not_exists(events, :empty), :e)",
        ExpressionAttributeValues={":e": [event], ":empty": []},
    )
`,
      expect: [7],
    },
    {
      name: "boto3 client ADD to a string set",
      language: "python",
      code: `import boto3

client = boto3.client("dynamodb")


def track_viewer(video_id: str, user_id: str) -> None:
    client.update_item(
        TableName="videos",
        Key={"video_id": {"S": video_id}},
        UpdateExpression="ADD viewers :v",
        ExpressionAttributeValues={":v": {"SS": [user_id]}},
    )
`,
      expect: [7],
    },
    {
      name: "append to item history then put_item",
      language: "python",
      code: `import boto3
from datetime import datetime, timezone

table = boto3.resource("dynamodb").Table("accounts")


def record_transaction(account_id, amount):
    item = table.get_item(Key={"account_id": account_id})["Item"]
    item["transactions"].append({"amount": amount, "at": datetime.now(timezone.utc).isoformat()})
    item["balance"] += amount
    table.put_item(Item=item)
`,
      expect: [9],
    },
    {
      name: "update expression in a module constant",
      language: "python",
      code: `import boto3

table = boto3.resource("dynamodb").Table("devices")
APPEND_READING = "SET readings = list_append(readings, :r), updated_at = :t"


async def on_reading(device_id, reading, now):
    table.update_item(
        Key={"device_id": device_id},
        UpdateExpression=APPEND_READING,
        ExpressionAttributeValues={":r": [reading], ":t": now},
    )
`,
      expect: [4],
    },
    {
      name: "one item per event with put_item",
      language: "python",
      code: `import boto3

table = boto3.resource("dynamodb").Table("events")


def append_event(aggregate_id, seq, event):
    table.put_item(
        Item={"pk": aggregate_id, "sk": seq, **event},
        ConditionExpression="attribute_not_exists(sk)",
    )
`,
      expect: [],
    },
    {
      name: "list_append with a size condition",
      language: "python",
      code: `import boto3

table = boto3.resource("dynamodb").Table("users")


def add_recent(user_id, item):
    table.update_item(
        Key={"user_id": user_id},
        UpdateExpression="SET recent = list_append(recent, :r)",
        ConditionExpression="size(recent) < :max",
        ExpressionAttributeValues={":r": [item], ":max": 50},
    )
`,
      expect: [],
    },
    {
      name: "history trimmed before put_item, ADD to a counter, tags set",
      language: "python",
      code: `import boto3

table = boto3.resource("dynamodb").Table("sessions")
MAX_EVENTS = 100


def save_session(session, event):
    session["events"].append(event)
    session["events"] = session["events"][-MAX_EVENTS:]
    table.put_item(Item=session)


def bump(page_id):
    table.update_item(Key={"id": page_id}, UpdateExpression="ADD hits :one", ExpressionAttributeValues={":one": 1})


def tag(page_id, t):
    table.update_item(Key={"id": page_id}, UpdateExpression="ADD tags :t", ExpressionAttributeValues={":t": {t}})
`,
      expect: [],
    },
    {
      name: "trigger words in a docstring and a local list",
      language: "python",
      code: `def explain():
    """We never SET events = list_append(events, :e) on one item."""
    events = []
    events.append("list_append")
    return events
`,
      expect: [],
    },
    {
      name: "Rust update_item with list_append",
      language: "rust",
      code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

pub async fn append_event(client: &Client, id: &str, event: AttributeValue) -> Result<(), Error> {
    client
        .update_item()
        .table_name("aggregates")
        .key("pk", AttributeValue::S(format!("AGG#{id}")))
        .update_expression("SET #events = list_append(if_not_exists(#events, :empty), :e)")
        .expression_attribute_names("#events", "events")
        .expression_attribute_values(":e", AttributeValue::L(vec![event]))
        .expression_attribute_values(":empty", AttributeValue::L(vec![]))
        .send()
        .await?;
    Ok(())
}
`,
      expect: [5],
    },
    {
      name: "Rust ADD to a number set",
      language: "rust",
      code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

pub async fn mark_seen(client: &Client, user: &str, msg_id: u64) -> Result<(), Error> {
    client
        .update_item()
        .table_name("inbox")
        .key("user", AttributeValue::S(user.into()))
        .update_expression("ADD seen_ids :m")
        .expression_attribute_values(":m", AttributeValue::Ns(vec![msg_id.to_string()]))
        .send()
        .await?;
    Ok(())
}
`,
      expect: [5],
    },
    {
      name: "Rust push then put_item of the aggregate",
      language: "rust",
      code: `use aws_sdk_dynamodb::Client;
use serde_dynamo::to_item;

pub async fn apply(client: &Client, mut agg: Aggregate, event: Event) -> Result<(), Error> {
    agg.events.push(event.clone());
    agg.version += 1;
    client
        .put_item()
        .table_name("aggregates")
        .set_item(Some(to_item(&agg)?))
        .send()
        .await?;
    Ok(())
}
`,
      expect: [5],
    },
    {
      name: "Rust update expression in a const",
      language: "rust",
      code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

const APPEND_AUDIT: &str = "SET audit_log = list_append(audit_log, :entry)";

pub async fn audit(client: &Client, id: &str, entry: AttributeValue) -> Result<(), Error> {
    client.update_item().table_name("tenants").key("id", AttributeValue::S(id.into()))
        .update_expression(APPEND_AUDIT)
        .expression_attribute_values(":entry", AttributeValue::L(vec![entry]))
        .send().await?;
    Ok(())
}
`,
      expect: [3],
    },
    {
      name: "Rust one item per event",
      language: "rust",
      code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

pub async fn append(client: &Client, id: &str, seq: u64, body: String) -> Result<(), Error> {
    client.put_item().table_name("events")
        .item("pk", AttributeValue::S(id.into()))
        .item("sk", AttributeValue::N(seq.to_string()))
        .item("body", AttributeValue::S(body))
        .condition_expression("attribute_not_exists(sk)")
        .send().await?;
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "Rust list_append with a size condition",
      language: "rust",
      code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

pub async fn add_recent(client: &Client, id: &str, v: AttributeValue) -> Result<(), Error> {
    client.update_item().table_name("users").key("id", AttributeValue::S(id.into()))
        .update_expression("SET recent = list_append(recent, :r)")
        .condition_expression("size(recent) < :max")
        .expression_attribute_values(":r", AttributeValue::L(vec![v]))
        .expression_attribute_values(":max", AttributeValue::N("50".into()))
        .send().await?;
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "Rust history truncated before put, ADD counter",
      language: "rust",
      code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

const MAX: usize = 50;

pub async fn save(client: &Client, mut s: Session, e: Event) -> Result<(), Error> {
    s.events.push(e);
    if s.events.len() > MAX {
        s.events.drain(..s.events.len() - MAX);
    }
    client.put_item().table_name("sessions").set_item(Some(to_item(&s)?)).send().await?;
    client.update_item().table_name("pages").update_expression("ADD hits :one")
        .expression_attribute_values(":one", AttributeValue::N("1".into())).send().await?;
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "Rust comment and in-memory push",
      language: "rust",
      code: `// Never "SET events = list_append(events, :e)": one item caps at 400 KB.
pub fn collect(mut batch: Batch, e: Event) -> Batch {
    batch.events.push(e);
    batch
}
`,
      expect: [],
    },
    {
      name: "PynamoDB list append and set add in update actions",
      language: "python",
      path: "app/models/thread.py",
      code: `from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.models import Model


class Thread(Model):
    class Meta:
        table_name = "threads"

    id = UnicodeAttribute(hash_key=True)
    replies = ListAttribute(default=list)
    followers = UnicodeSetAttribute(default=set)
    views = NumberAttribute(default=0)


def add_reply(thread_id: str, reply: dict):
    Thread(id=thread_id).update(actions=[Thread.replies.set(Thread.replies.append([reply]))])


def follow(thread_id: str, user_id: str):
    Thread(id=thread_id).update(actions=[Thread.followers.add({user_id})])


def view(thread_id: str):
    Thread(id=thread_id).update(actions=[Thread.views.add(1)])
`,
      expect: [16, 20],
    },
  ],
});
