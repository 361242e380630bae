import { Node as TsNode, SyntaxKind } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleCase } from "../src/engine/rule.js";
import { descendants, line } from "./_lib/tree.js";
import {
  functionsOf, isTenantName, mentionsTenant, pyContainsRequestExpr, pyHasPrincipal, pyTaintedNames, rsChain, rsContainsRequestExpr,
  rsHasPrincipal, rsTaintedNames, treeHasTenantComparison, treeMentionsTenant, tsContainsRequestExpr, tsFunctions, tsHasPrincipal,
  tsHasTenantComparison, tsMentionsTenant, tsTaintedNames, tsWords, type TsFn,
} from "./_lib/security.js";
import { enclosingFunctions } from "./_lib/ts.js";

/** Calls that read or change a stored item (the per-item work of a loop over caller ids). */
const DATA_CALL = /^(get|find\w*|fetch\w*|load\w*|delete\w*|remove\w*|update\w*|put\w*|send|save\w*|archive\w*|patch\w*|destroy|upsert\w*|get_item|put_item|delete_item|update_item|query|execute|fetch_one|fetch_optional)$/i;
const TS_BATCH = /(?:^|\.)(BatchGet|BatchWrite|BatchGetItem|BatchWriteItem|BatchExecuteStatement)Command$/;
const TS_BATCH_METHOD = /\.(batchGet|batchWrite|batchGetItem|batchWriteItem)$/;

/** ORM calls that take a where clause: an id set in it picks items across tenants unless the clause names the tenant. */
const ORM_SET_CALL = /^(findMany|findAll|find|findBy|findAndCount|deleteMany|updateMany|delete|update|destroy|softDelete|restore|count|aggregate)$/;

/** A parameter holding a list of ids (`accountIds`, `order_ids`, `ids`). */
const ID_LIST_PARAM = /^(ids|keys|\w*Ids|\w*_ids|\w*IDs|\w*Keys|\w*_keys)$/;

/**
 * A function that takes the tenant and a list of ids (`archive(session, tenant_id, order_ids)`) is handed those ids by
 * its caller; they are as untrusted as request data until checked against that tenant.
 */
function idParamsBesideTenant(params: string[]): string[] {
  return params.some(isTenantName) ? params.filter((p) => ID_LIST_PARAM.test(p)) : [];
}

/** Raw SQL that selects or changes a set of ids: `WHERE id = ANY($1)`, `id IN (%s)`. */
const SQL_ID_SET = /\b(select|update|delete)\b[\s\S]*\bwhere\b[\s\S]*\b\w*id\s*(=\s*any\s*\(|in\s*\(|in\s+unnest)/i;

/** The id-set SQL's WHERE clause does not name the tenant (a tenant column in the select list does not scope it). */
function sqlUnscoped(sql: string): boolean {
  return SQL_ID_SET.test(sql) && !mentionsTenant(sql.slice(sql.search(/\bwhere\b/i)));
}

function sqlExcerpt(literal: string): string {
  const sql = literal.replace(/^[rbfu]*#*["'`]+|["'`]+#*$/gi, "").replace(/\s+/g, " ").trim();
  return sql.length > 70 ? `${sql.slice(0, 67)}...` : sql;
}

function message(what: string): string {
  return `${what} acts on ids the caller supplied without checking that each item belongs to the caller's tenant.`;
}

// ---------- TypeScript ----------

function tsDataCalls(node: TsNode): boolean {
  return node.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => {
    const e = c.getExpression();
    const name = TsNode.isPropertyAccessExpression(e) ? e.getName() : e.getText();
    return DATA_CALL.test(name);
  });
}

function tsDetect(file: ParsedFile): Report[] {
  const sf = file.ts!;
  const fileTenant = tsWords(sf).some((w) => isTenantName(w) || mentionsTenant(w));
  const out: Report[] = [];
  for (const fn of tsFunctions(sf)) {
    if (enclosingFunctions(fn).some((a) => TsNode.isFunctionDeclaration(a) || TsNode.isMethodDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a))) continue;
    if (!fileTenant && !tsHasPrincipal(fn)) continue;
    if (tsHasTenantComparison(fn)) continue;
    // Id lists handed in beside the tenant seed the taint, so what is built from them (`keys = ids.map(..)`) is tainted too.
    const params = TsNode.isFunctionLikeDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn) ? fn.getParameters().map((x) => x.getName()) : [];
    const tainted = tsTaintedNames(fn, idParamsBesideTenant(params));
    for (const sink of tsSinks(fn, tainted)) {
      if (tsScopeMentionsTenant(sink.scope, fn)) continue;
      out.push({ line: sink.node.getStartLineNumber(), message: message(sink.what) });
    }
  }
  return out;
}

function tsSinks(fn: TsFn, tainted: Set<string>): { node: TsNode; scope: TsNode; what: string }[] {
  const out: { node: TsNode; scope: TsNode; what: string }[] = [];
  for (const n of fn.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const m = TS_BATCH.exec(n.getExpression().getText());
    const arg = n.getArguments()[0];
    if (m && arg && tsContainsRequestExpr(arg, tainted)) out.push({ node: n, scope: arg, what: `\`${m[1]}\`` });
  }
  for (const c of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = c.getExpression().getText();
    const arg = c.getArguments()[0];
    if (TS_BATCH_METHOD.test(callee) && arg && tsContainsRequestExpr(arg, tainted)) out.push({ node: c, scope: arg, what: `\`${callee}\`` });
    const e = c.getExpression();
    if (TsNode.isPropertyAccessExpression(e) && /^(map|forEach|flatMap)$/.test(e.getName()) && isCollection(e.getExpression(), tainted)) {
      const cb = c.getArguments()[0];
      if (cb && tsDataCalls(cb)) out.push({ node: c, scope: cb, what: `The loop over \`${e.getExpression().getText()}\`` });
    }
  }
  // ORM set filters: Prisma `{ id: { in: ids } }`, Sequelize `{ [Op.in]: ids }`, TypeORM `In(ids)`.
  const setFilters: TsNode[] = [
    ...fn.getDescendantsOfKind(SyntaxKind.PropertyAssignment).filter((p) => /^(in|\[Op\.in\])$/.test(p.getNameNode().getText())).map((p) => p.getInitializer()!),
    ...fn.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => c.getExpression().getText() === "In").map((c) => c.getArguments()[0]),
  ].filter((n): n is TsNode => Boolean(n));
  for (const ids of setFilters) {
    if (!tsContainsRequestExpr(ids, tainted)) continue;
    const call = ids.getAncestors().find((a): a is import("ts-morph").CallExpression =>
      TsNode.isCallExpression(a) && TsNode.isPropertyAccessExpression(a.getExpression()) && ORM_SET_CALL.test((a.getExpression() as import("ts-morph").PropertyAccessExpression).getName()));
    // The where clause is what scopes the query: a tenant column in `select` or `data` does not.
    const where = ids.getAncestors().find((a) => TsNode.isPropertyAssignment(a) && a.getName() === "where" && call?.containsRange(a.getPos(), a.getEnd()));
    if (call) out.push({ node: call, scope: where ?? call, what: `\`${(call.getExpression() as import("ts-morph").PropertyAccessExpression).getName()}\` over \`${ids.getText()}\`` });
  }
  // node-postgres / mysql2: `pool.query("SELECT .. WHERE id = ANY($1)", [req.body.ids])`.
  for (const c of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const [sql, ...rest] = c.getArguments();
    const ids = sql && (TsNode.isStringLiteral(sql) || TsNode.isNoSubstitutionTemplateLiteral(sql)) && sqlUnscoped(sql.getText()) ? rest.find((a) => tsContainsRequestExpr(a, tainted)) : undefined;
    if (ids) out.push({ node: c, scope: ids, what: `The query \`${sqlExcerpt(sql!.getText())}\`` });
  }
  for (const loop of fn.getDescendantsOfKind(SyntaxKind.ForOfStatement)) {
    if (isCollection(loop.getExpression(), tainted) && tsDataCalls(loop.getStatement())) {
      out.push({ node: loop, scope: tsLoopScope(loop, fn), what: `The loop over \`${loop.getExpression().getText()}\`` });
    }
  }
  return out;
}

/**
 * What must name the tenant in a loop over ids: the data calls handed the loop variable (`update({ where: { id } })`).
 * The tenant in another call of the body (an event payload, a log line) scopes nothing. The whole body when no data
 * call takes the variable directly.
 */
function tsLoopScope(loop: import("ts-morph").ForOfStatement, fn: TsFn): TsNode {
  const vars = new Set(loop.getInitializer().getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
  const calls = loop.getStatement().getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => {
    const e = c.getExpression();
    const name = TsNode.isPropertyAccessExpression(e) ? e.getName() : e.getText();
    return DATA_CALL.test(name) && c.getArguments().some((a) => [a, ...a.getDescendantsOfKind(SyntaxKind.Identifier)].some((i) => TsNode.isIdentifier(i) && vars.has(i.getText())));
  });
  if (!calls.length) return loop.getStatement();
  return calls.find((c) => !c.getArguments().some((a) => tsScopeMentionsTenant(a, fn))) ?? calls[0];
}

/** The scope mentions the tenant, directly or through a variable of the function built from it. */
function tsScopeMentionsTenant(scope: TsNode, fn: TsFn): boolean {
  if (tsMentionsTenant(scope)) return true;
  const names = new Set(scope.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
  return fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).some((d) => names.has(d.getName()) && Boolean(d.getInitializer()) && tsMentionsTenant(d.getInitializer()!));
}

function treeScopeMentionsTenant(scope: Node, fn: Node): boolean {
  if (treeMentionsTenant(scope)) return true;
  const names = new Set(descendants(scope, "identifier").map((i) => i.text));
  return descendants(fn, ["assignment", "let_declaration"]).some((a) => {
    const left = a.childForFieldName("left") ?? a.childForFieldName("pattern");
    const right = a.childForFieldName("right") ?? a.childForFieldName("value");
    return Boolean(left && right && names.has(left.text) && treeMentionsTenant(right));
  });
}

function isCollection(expr: TsNode, tainted: Set<string>): boolean {
  return tsContainsRequestExpr(expr, tainted);
}

// ---------- Python ----------

/**
 * A call in the loop's body that reads or changes a stored item. Not: the iterable of a comprehension itself
 * (`{int(i) for i in json.loads(request.body)["ids"]}`), parsing (`json.loads`), or a dict lookup with a default
 * (`tags.get(i["id"], [])`).
 */
function pyDataCalls(node: Node, iterable?: Node): boolean {
  return descendants(node, "call").some((c) => {
    if (iterable && c.startIndex >= iterable.startIndex && c.endIndex <= iterable.endIndex) return false;
    const f = c.childForFieldName("function");
    const name = f?.type === "attribute" ? f.childForFieldName("attribute")?.text ?? "" : f?.text ?? "";
    if (/^(json|orjson|ujson|simplejson|yaml|pickle|toml|tomllib|msgpack)\.(loads?|safe_load)$/.test(f?.text ?? "")) return false;
    const args = (c.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    // `session.get(Ticket, ticket_id)` (SQLAlchemy) names the model first; `tags.get(key, default)` is a dict lookup.
    if (name === "get" && args.length === 2 && args.every((a) => a!.type !== "keyword_argument") && !/^([a-z_]\w*\.)*[A-Z]\w*$/.test(args[0]!.text)) return false;
    return DATA_CALL.test(name);
  });
}

function pyDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const fileTenant = treeMentionsTenant(root);
  const out: Report[] = [];
  for (const fn of functionsOf(root)) {
    if (!fileTenant && !pyHasPrincipal(fn)) continue;
    if (treeHasTenantComparison(fn)) continue;
    const tainted = pyTaintedNames(fn, idParamsBesideTenant(treeParamNames(fn)));
    const sinks: { node: Node; scope: Node; what: string }[] = [];
    for (const c of descendants(fn, "call")) {
      const args = c.childForFieldName("arguments");
      const sql = args?.namedChildren[0];
      const ids = sql?.type === "string" && sqlUnscoped(sql.text) ? args!.namedChildren.slice(1).find((a) => a && pyContainsRequestExpr(a, tainted)) : undefined;
      if (ids) sinks.push({ node: c, scope: ids, what: `The query \`${sqlExcerpt(sql!.text)}\`` });
    }
    for (const c of descendants(fn, "call")) {
      const f = c.childForFieldName("function");
      const name = f?.type === "attribute" ? f.childForFieldName("attribute")?.text ?? "" : "";
      const args = c.childForFieldName("arguments");
      if (/^batch_(get|write)_item$/.test(name) && args && pyContainsRequestExpr(args, tainted)) sinks.push({ node: c, scope: args, what: `\`${name}\`` });
    }
    // Django `Model.objects.filter(id__in=ids)`, SQLAlchemy `Model.id.in_(ids)`: one query over every id the caller sent.
    for (const c of descendants(fn, "call")) {
      const f = c.childForFieldName("function");
      const args = c.childForFieldName("arguments");
      if (!f || !args) continue;
      const djangoIn = args.namedChildren.find((a) => a?.type === "keyword_argument" && /__in$/.test(a.childForFieldName("name")?.text ?? "") && pyContainsRequestExpr(a.childForFieldName("value")!, tainted));
      const sqlaIn = f.type === "attribute" && f.childForFieldName("attribute")?.text === "in_" && pyContainsRequestExpr(args, tainted);
      if (djangoIn && !/^[A-Z]\w*\.objects\b/.test(f.text)) continue;
      if (!djangoIn && !sqlaIn) continue;
      const top = pyChainTop(c);
      sinks.push({ node: top, scope: top, what: djangoIn ? `\`${djangoIn.text}\`` : `\`${c.text}\`` });
    }
    for (const loop of descendants(fn, ["for_statement", "for_in_clause"])) {
      const right = loop.childForFieldName("right");
      const body = loop.type === "for_statement" ? loop.childForFieldName("body") : loop.parent;
      if (!right || !body || !pyContainsRequestExpr(right, tainted) || !pyDataCalls(body, loop.type === "for_in_clause" ? right : undefined)) continue;
      if (/^(range|enumerate\(range)/.test(right.text)) continue;
      sinks.push({ node: loop, scope: body, what: `The loop over \`${right.text}\`` });
    }
    for (const s of sinks) if (!treeScopeMentionsTenant(s.scope, fn)) out.push({ line: line(s.node), message: message(s.what) });
  }
  return out;
}

/** The whole expression a call sits in: up through chained calls, attributes and arguments (`select(..).where(X.in_(ids))`). */
function pyChainTop(call: Node): Node {
  let top = call;
  for (let p = call.parent; p && /^(call|attribute|argument_list|keyword_argument|boolean_operator|comparison_operator|await)$/.test(p.type); p = p.parent) {
    if (p.type === "call") top = p;
  }
  return top;
}

/** Parameter names of a Python or Rust function (`tenant_id: str`, `ids: &[Uuid]`, `*args` aside). */
function treeParamNames(fn: Node): string[] {
  return (fn.childForFieldName("parameters")?.namedChildren ?? []).flatMap((p) => {
    if (!p) return [];
    if (p.type === "identifier") return [p.text];
    const name = p.childForFieldName("pattern") ?? p.childForFieldName("name") ?? p.namedChildren.find((c) => c?.type === "identifier");
    return name?.type === "identifier" ? [name.text] : [];
  });
}

// ---------- Rust ----------

function rsDataCalls(node: Node): boolean {
  return descendants(node, "call_expression").some((c) => {
    const f = c.childForFieldName("function");
    const name = f?.type === "field_expression" ? f.childForFieldName("field")?.text ?? "" : f?.text.replace(/^.*::/, "") ?? "";
    return DATA_CALL.test(name);
  });
}

function rsDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const fileTenant = treeMentionsTenant(root);
  const out: Report[] = [];
  for (const fn of functionsOf(root)) {
    if (!fileTenant && !rsHasPrincipal(fn)) continue;
    if (treeHasTenantComparison(fn)) continue;
    const tainted = rsTaintedNames(fn, idParamsBesideTenant(treeParamNames(fn)));
    const sinks: { node: Node; scope: Node; what: string }[] = [];
    for (const c of descendants(fn, "call_expression")) {
      const chain = rsChain(c);
      const last = chain[chain.length - 1];
      if (!last || last.call.startIndex !== c.startIndex || c.parent?.type === "field_expression") continue;
      const batch = chain.find((x) => /^batch_(get|write)_item$/.test(x.method));
      if (batch && chain.some((x) => x.method === "send") && chain.some((x) => rsContainsRequestExpr(x.call.childForFieldName("arguments")!, tainted))) {
        sinks.push({ node: batch.call.childForFieldName("function")?.childForFieldName("field") ?? c, scope: c, what: `\`${batch.method}\`` });
      }
      // sqlx `query_as("SELECT .. WHERE id = ANY($1)").bind(&req.ids)`: one query over every id the caller sent.
      const sql = chain[0]?.call.childForFieldName("arguments")?.namedChildren.find((a) => a && /string_literal$/.test(a.type));
      const bound = sql && sqlUnscoped(sql.text) ? chain.find((x) => x.method === "bind" && rsContainsRequestExpr(x.call.childForFieldName("arguments")!, tainted)) : undefined;
      if (bound) sinks.push({ node: chain[0]!.call, scope: bound.call.childForFieldName("arguments")!, what: `The query \`${sqlExcerpt(sql!.text)}\`` });
      const iter = chain.findIndex((x) => /^(map|for_each|then|filter_map)$/.test(x.method));
      if (iter > 0) {
        const recv = chain[0]!.call.childForFieldName("function")?.childForFieldName("value");
        const closure = chain[iter]!.call.childForFieldName("arguments")?.namedChildren[0];
        if (recv && closure && rsContainsRequestExpr(recv, tainted) && rsDataCalls(closure)) sinks.push({ node: c, scope: closure, what: `The loop over \`${recv.text}\`` });
      }
    }
    for (const loop of descendants(fn, "for_expression")) {
      const value = loop.childForFieldName("value");
      const body = loop.childForFieldName("body");
      if (value && body && rsContainsRequestExpr(value, tainted) && rsDataCalls(body)) sinks.push({ node: loop, scope: body, what: `The loop over \`${value.text}\`` });
    }
    for (const s of sinks) if (!treeScopeMentionsTenant(s.scope, fn)) out.push({ line: line(s.node), message: message(s.what) });
  }
  // A query chain is reached from its `.await` and from its `?`: one report per line.
  return out.filter((r, i) => out.findIndex((x) => x.line === r.line) === i);
}

const CASES: RuleCase[] = [
  {
    name: "ts: loop over ids handed in beside the tenant; the tenant is only in the event payload, not the update",
    language: "typescript",
    code: `export class InvoicesService {
  constructor(private readonly prisma: any, private readonly bus: any) {}

  async voidMany(tenantId: string, invoiceIds: string[]) {
    for (const invoiceId of invoiceIds) {
      const inv = await this.prisma.invoice.update({ where: { id: invoiceId }, data: { status: "VOID" } });
      await this.bus.emit("invoice.voided", { tenantId, invoiceId: inv.id });
    }
  }
}
`,
    expect: [5],
  },
  {
    name: "ts: loop over ids whose update is scoped by the tenant, with the tenant in the event too",
    language: "typescript",
    code: `export class InvoicesService {
  constructor(private readonly prisma: any, private readonly bus: any) {}

  async voidMany(tenantId: string, invoiceIds: string[]) {
    for (const invoiceId of invoiceIds) {
      const res = await this.prisma.invoice.updateMany({ where: { id: invoiceId, tenantId }, data: { status: "VOID" } });
      if (res.count) await this.bus.emit("invoice.voided", { tenantId, invoiceId });
    }
  }
}
`,
    expect: [],
  },
  {
    name: "BatchGetCommand keyed by ids from the body",
    language: "typescript",
    code: `import { BatchGetCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Request, Response } from "express";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function getDocuments(req: Request, res: Response) {
  const { ids } = req.body as { ids: string[] };
  const out = await ddb.send(new BatchGetCommand({
    RequestItems: { documents: { Keys: ids.map((id) => ({ id })) } },
  }));
  res.json({ items: out.Responses?.documents ?? [], requestedBy: req.user.id });
}
`,
    expect: [8],
  },
  {
    name: "for-of over caller ids deleting each",
    language: "typescript",
    code: `import { Router } from "express";
import { requireAuth } from "./auth";
import { files } from "./files-repo";

export const router = Router();

router.post("/files/bulk-delete", requireAuth, async (req, res) => {
  for (const fileId of req.body.fileIds) {
    await files.delete(fileId);
  }
  res.status(204).end();
});
`,
    expect: [8],
  },
  {
    name: "Promise.all over ids.map in a NestJS-style service call",
    language: "typescript",
    code: `import { Router } from "express";
import { authenticate } from "./auth";
import { orders } from "./orders";

export const router = Router();

router.post("/orders/archive", authenticate, async (req, res) => {
  const orderIds: string[] = req.body.orderIds;
  await Promise.all(orderIds.map((id) => orders.archive(id)));
  res.json({ archived: orderIds.length, tenant: req.user.tenantId });
});
`,
    expect: [9],
  },
  {
    name: "SDK v2 batchWrite with keys from the request",
    language: "typescript",
    code: `import AWS from "aws-sdk";

const db = new AWS.DynamoDB.DocumentClient();

export const handler = async (event: { body: string; requestContext: { authorizer: { tenantId: string } } }) => {
  const { keys } = JSON.parse(event.body);
  const params = { RequestItems: { notes: keys.map((k: string) => ({ DeleteRequest: { Key: { noteId: k } } })) } };
  await db.batchWrite(params).promise();
  return { statusCode: 204 };
};
`,
    expect: [8],
  },
  {
    name: "keys scoped by the principal's tenant",
    language: "typescript",
    code: `import { BatchGetCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Request, Response } from "express";

export async function getDocuments(ddb: DynamoDBDocumentClient, req: Request, res: Response) {
  const { ids } = req.body as { ids: string[] };
  const tenantId = req.user.tenantId;
  const out = await ddb.send(new BatchGetCommand({
    RequestItems: { documents: { Keys: ids.map((id) => ({ pk: \`TENANT#\${tenantId}\`, sk: id })) } },
  }));
  res.json(out.Responses?.documents ?? []);
}
`,
    expect: [],
  },
  {
    name: "each loaded item checked against the caller's tenant",
    language: "typescript",
    code: `import { Router } from "express";
import { requireAuth } from "./auth";
import { files } from "./files-repo";

export const router = Router();

router.post("/files/bulk-delete", requireAuth, async (req, res) => {
  for (const fileId of req.body.fileIds) {
    const file = await files.get(fileId);
    if (!file || file.tenantId !== req.user.tenantId) return res.status(404).end();
    await files.delete(fileId);
  }
  res.status(204).end();
});
`,
    expect: [],
  },
  {
    name: "per-item calls carry the tenant",
    language: "typescript",
    code: `import type { Request, Response } from "express";
import { orders } from "./orders";

export async function archive(req: Request, res: Response) {
  const { tenantId } = res.locals;
  await Promise.all((req.body.orderIds as string[]).map((id) => orders.archive(tenantId, id)));
  res.status(204).end();
}
`,
    expect: [],
  },
  {
    name: "loop over server-side ids (not caller-supplied); comment mentions BatchGetCommand",
    language: "typescript",
    code: `import { orders } from "./orders";

// BatchGetCommand over caller ids would need a tenant check; these ids come from our own query.
export async function closeExpired(tenantId: string) {
  const expired = await orders.listExpired(tenantId);
  for (const order of expired) {
    await orders.close(order.id);
  }
}
`,
    expect: [],
  },
  {
    name: "boto3 batch_get_item with keys from the request body",
    language: "python",
    code: `import boto3
from fastapi import APIRouter, Depends
from pydantic import BaseModel

from .auth import get_current_user

router = APIRouter()
dynamodb = boto3.client("dynamodb")


class BatchRequest(BaseModel):
    ids: list[str]


@router.post("/documents/batch")
def get_documents(body: BatchRequest, user=Depends(get_current_user)):
    keys = [{"id": {"S": i}} for i in body.ids]
    resp = dynamodb.batch_get_item(RequestItems={"documents": {"Keys": keys}})
    return resp["Responses"]["documents"]
`,
    expect: [18],
  },
  {
    name: "Flask loop deleting caller ids",
    language: "python",
    code: `from flask import Blueprint, request
from flask_login import current_user, login_required

from .repo import files

bp = Blueprint("files", __name__)


@bp.post("/files/bulk-delete")
@login_required
def bulk_delete():
    for file_id in request.get_json()["file_ids"]:
        files.delete(file_id)
    return "", 204
`,
    expect: [12],
  },
  {
    name: "batch_writer loop over payload ids",
    language: "python",
    code: `from fastapi import APIRouter, Depends

from .auth import current_principal
from .db import notes_table

router = APIRouter()


@router.post("/notes/delete")
def delete_notes(payload: DeleteNotes, principal=Depends(current_principal)):
    with notes_table.batch_writer() as batch:
        for note_id in payload.note_ids:
            batch.delete_item(Key={"note_id": note_id})
    return {"deleted": len(payload.note_ids)}
`,
    expect: [12],
  },
  {
    name: "list comprehension fetching each id",
    language: "python",
    code: `def handler(event, context):
    tenant = event["requestContext"]["authorizer"]["tenant_id"]
    ids = json.loads(event["body"])["ids"]
    items = [orders_table.get_item(Key={"order_id": i}).get("Item") for i in ids]
    return {"statusCode": 200, "body": json.dumps(items)}
`,
    expect: [4],
  },
  {
    name: "keys include the principal's tenant",
    language: "python",
    code: `from fastapi import APIRouter, Depends

from .auth import get_current_user

router = APIRouter()


@router.post("/documents/batch")
def get_documents(body: BatchRequest, user=Depends(get_current_user)):
    keys = [{"tenant_id": {"S": user.tenant_id}, "id": {"S": i}} for i in body.ids]
    resp = dynamodb.batch_get_item(RequestItems={"documents": {"Keys": keys}})
    return resp["Responses"]["documents"]
`,
    expect: [],
  },
  {
    name: "each item's tenant compared",
    language: "python",
    code: `from flask import request
from flask_login import current_user


def bulk_delete():
    for file_id in request.get_json()["file_ids"]:
        f = files.get(file_id)
        if f is None or f.tenant_id != current_user.tenant_id:
            abort(404)
        files.delete(file_id)
    return "", 204
`,
    expect: [],
  },
  {
    name: "repository call scoped with tenant",
    language: "python",
    code: `from fastapi import Depends

from .auth import get_current_user


async def archive(body: ArchiveRequest, user=Depends(get_current_user)):
    for order_id in body.order_ids:
        await orders.archive(tenant_id=user.tenant_id, order_id=order_id)
`,
    expect: [],
  },
  {
    name: "loop over range and over server data; comment mentions batch_get_item",
    language: "python",
    code: `# batch_get_item over caller ids needs a tenant check; not here.


def close_expired(tenant_id: str):
    for order in orders.list_expired(tenant_id):
        orders.close(order.id)
    for attempt in range(3):
        orders.flush()
`,
    expect: [],
  },
  {
    name: "axum: for loop over Json body ids",
    language: "rust",
    code: `use axum::{extract::State, Extension, Json};

pub async fn bulk_delete(
    State(repo): State<Repo>,
    Extension(claims): Extension<Claims>,
    Json(body): Json<BulkDelete>,
) -> Result<StatusCode, ApiError> {
    for id in &body.ids {
        repo.delete_file(id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
`,
    expect: [8],
  },
  {
    name: "Rust SDK batch_get_item with caller keys",
    language: "rust",
    code: `use aws_sdk_dynamodb::{types::{AttributeValue, KeysAndAttributes}, Client};

pub async fn get_documents(State(client): State<Client>, user: AuthUser, Json(req): Json<BatchReq>) -> Result<Json<Vec<Doc>>, ApiError> {
    let keys: Vec<_> = req.ids.iter().map(|id| HashMap::from([("id".to_string(), AttributeValue::S(id.clone()))])).collect();
    let out = client
        .batch_get_item()
        .request_items("documents", KeysAndAttributes::builder().set_keys(Some(keys)).build()?)
        .send()
        .await?;
    Ok(Json(parse(out)))
}
`,
    expect: [6],
  },
  {
    name: "iterator map over caller ids with join_all",
    language: "rust",
    code: `pub async fn archive(State(repo): State<Repo>, user: CurrentUser, Json(body): Json<Archive>) -> Result<(), ApiError> {
    let futures = body.order_ids.iter().map(|id| repo.archive_order(id));
    futures::future::try_join_all(futures).await?;
    Ok(())
}
`,
    expect: [2],
  },
  {
    name: "actix: loop over web::Json ids",
    language: "rust",
    code: `use actix_web::{post, web, HttpResponse};

#[post("/notes/delete")]
pub async fn delete_notes(body: web::Json<DeleteNotes>, claims: web::ReqData<Claims>, repo: web::Data<Repo>) -> HttpResponse {
    for note_id in body.note_ids.iter() {
        repo.remove_note(note_id).await.ok();
    }
    HttpResponse::NoContent().finish()
}
`,
    expect: [5],
  },
  {
    name: "per-item calls carry the claims tenant",
    language: "rust",
    code: `pub async fn bulk_delete(State(repo): State<Repo>, Extension(claims): Extension<Claims>, Json(body): Json<BulkDelete>) -> Result<(), ApiError> {
    for id in &body.ids {
        repo.delete_file(&claims.tenant_id, id).await?;
    }
    Ok(())
}
`,
    expect: [],
  },
  {
    name: "each item checked against the claims tenant",
    language: "rust",
    code: `pub async fn bulk_delete(State(repo): State<Repo>, Extension(claims): Extension<Claims>, Json(body): Json<BulkDelete>) -> Result<(), ApiError> {
    for id in &body.ids {
        let file = repo.get_file(id).await?;
        if file.tenant_id != claims.tenant_id {
            return Err(ApiError::NotFound);
        }
        repo.delete_file(id).await?;
    }
    Ok(())
}
`,
    expect: [],
  },
  {
    name: "loop over server-side rows",
    language: "rust",
    code: `pub async fn close_expired(repo: &Repo, tenant_id: &str) -> Result<(), Error> {
    for order in repo.list_expired(tenant_id).await? {
        repo.close(&order.id).await?;
    }
    Ok(())
}
`,
    expect: [],
  },
  {
    name: "batch_write_item keyed with the tenant; comment mentions body.ids",
    language: "rust",
    code: `// body.ids come from the caller, so every key carries claims.tenant_id
pub async fn delete_notes(State(client): State<Client>, Extension(claims): Extension<Claims>, Json(body): Json<DeleteNotes>) -> Result<(), ApiError> {
    let requests = body.ids.iter().map(|id| delete_request(&claims.tenant_id, id)).collect();
    client.batch_write_item().request_items("notes", requests).send().await?;
    Ok(())
}
`,
    expect: [],
  },
  {
    name: "Prisma deleteMany with an id set from the body",
    language: "typescript",
    code: `import { Body, Controller, Delete, Req, UseGuards } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

@Controller("documents")
@UseGuards(AuthGuard("jwt"))
export class DocumentsController {
  @Delete("bulk")
  async bulkDelete(@Body() dto: { ids: string[] }, @Req() req: { user: { tenantId: string } }) {
    await prisma.document.deleteMany({ where: { id: { in: dto.ids } } });
    return { deleted: dto.ids.length };
  }
}
`,
    expect: [12],
  },
  {
    name: "Prisma and TypeORM id sets scoped by the tenant",
    language: "typescript",
    code: `import { Body, Controller, Delete, Post, Req } from "@nestjs/common";
import { PrismaClient } from "@prisma/client";
import { In, Repository } from "typeorm";

const prisma = new PrismaClient();
declare const subs: Repository<{ id: string; tenantId: string; paused: boolean }>;

@Controller("documents")
export class DocumentsController {
  @Delete("bulk")
  async bulkDelete(@Body() dto: { ids: string[] }, @Req() req: { user: { tenantId: string } }) {
    await prisma.document.deleteMany({ where: { id: { in: dto.ids }, tenantId: req.user.tenantId } });
  }

  @Post("pause")
  async pause(@Body() dto: { ids: string[] }, @Req() req: { user: { tenantId: string } }) {
    await subs.update({ id: In(dto.ids), tenantId: req.user.tenantId }, { paused: true });
  }
}
`,
    expect: [],
  },
  {
    name: "Django filter(id__in=...) on caller ids",
    language: "python",
    code: `from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .models import Document


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def bulk_archive(request):
    ids = request.data["ids"]
    Document.objects.filter(id__in=ids).update(archived=True)
    return Response({"archived": len(ids)})


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def bulk_archive_scoped(request):
    ids = request.data["ids"]
    Document.objects.filter(id__in=ids, tenant=request.user.tenant).update(archived=True)
    return Response({"archived": len(ids)})
`,
    expect: [12],
  },
  {
    name: "SQLAlchemy in_() over ids from the body",
    language: "python",
    code: `from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import User, get_current_user
from app.db import get_session
from app.models import Invoice

router = APIRouter()


@router.post("/invoices/void")
async def void_invoices(body: dict, user: User = Depends(get_current_user), db: AsyncSession = Depends(get_session)):
    rows = await db.execute(select(Invoice).where(Invoice.id.in_(body["invoice_ids"])))
    for inv in rows.scalars():
        inv.status = "void"


@router.post("/invoices/void-own")
async def void_own(body: dict, user: User = Depends(get_current_user), db: AsyncSession = Depends(get_session)):
    stmt = select(Invoice).where(Invoice.tenant_id == user.tenant_id, Invoice.id.in_(body["invoice_ids"]))
    rows = await db.execute(stmt)
    for inv in rows.scalars():
        inv.status = "void"
`,
    expect: [14],
  },
  {
    name: "rs: sqlx id-set query over the body's ids, tenant only in the select list",
    language: "rust",
    code: `use axum::{extract::State, Extension, Json};

pub async fn fetch_many(
    State(state): State<AppState>,
    Extension(ctx): Extension<TenantContext>,
    Json(body): Json<IdList>,
) -> Result<Json<Vec<Doc>>, AppError> {
    let docs = sqlx::query_as::<_, Doc>("SELECT id, tenant_id, title FROM docs WHERE id = ANY($1)")
        .bind(&body.ids)
        .fetch_all(&state.pool)
        .await?;
    Ok(Json(docs))
}
`,
    expect: [8],
  },
  {
    name: "rs: sqlx id-set query scoped by the context's tenant",
    language: "rust",
    code: `use axum::{extract::State, Extension, Json};

pub async fn fetch_many(
    State(state): State<AppState>,
    Extension(ctx): Extension<TenantContext>,
    Json(body): Json<IdList>,
) -> Result<Json<Vec<Doc>>, AppError> {
    let docs = sqlx::query_as::<_, Doc>("SELECT id, title FROM docs WHERE tenant_id = $1 AND id = ANY($2)")
        .bind(&ctx.tenant_id)
        .bind(&body.ids)
        .fetch_all(&state.pool)
        .await?;
    Ok(Json(docs))
}
`,
    expect: [],
  },
  {
    name: "py: service takes tenant_id and ids, loops over the ids without using the tenant",
    language: "python",
    code: `from app.models import Ticket


def close_tickets(session, tenant_id, ticket_ids):
    for ticket_id in ticket_ids:
        ticket = session.get(Ticket, ticket_id)
        if ticket is not None:
            ticket.state = "closed"
    session.commit()
`,
    expect: [5],
  },
  {
    name: "py: service checks each ticket's tenant",
    language: "python",
    code: `from app.models import Ticket


def close_tickets(session, tenant_id, ticket_ids):
    for ticket_id in ticket_ids:
        ticket = session.get(Ticket, ticket_id)
        if ticket is not None and ticket.tenant_id == tenant_id:
            ticket.state = "closed"
    session.commit()
`,
    expect: [],
  },
  {
    name: "py: psycopg id-set query over the ids argument",
    language: "python",
    code: `def delete_notes(conn, tenant_id, note_ids):
    with conn.cursor() as cur:
        cur.execute("DELETE FROM notes WHERE id = ANY(%s)", (note_ids,))
`,
    expect: [3],
  },
  {
    name: "ts: repository builds batchGet keys from the ids argument only",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, BatchGetCommand } from "@aws-sdk/lib-dynamodb";

export async function getCards(ddb: DynamoDBDocumentClient, tenantId: string, cardIds: string[]) {
  const res = await ddb.send(new BatchGetCommand({ RequestItems: { Cards: { Keys: cardIds.map((id) => ({ pk: id })) } } }));
  return res.Responses?.Cards ?? [];
}
`,
    expect: [4],
  },
  {
    name: "ts: repository builds batchGet keys under the tenant's partition",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, BatchGetCommand } from "@aws-sdk/lib-dynamodb";

export async function getCards(ddb: DynamoDBDocumentClient, tenantId: string, cardIds: string[]) {
  const res = await ddb.send(new BatchGetCommand({ RequestItems: { Cards: { Keys: cardIds.map((id) => ({ pk: \`TENANT#\${tenantId}\`, sk: id })) } } }));
  return res.Responses?.Cards ?? [];
}
`,
    expect: [],
  },
  {
    name: "py: a comprehension that only converts caller ids, then a tenant-scoped update",
    language: "python",
    code: `import json

from django.http import JsonResponse

from app.auth import tenant_required
from app.models import Report


@tenant_required
def bulk_archive(request):
    ids = [str(i) for i in json.loads(request.body)["report_ids"]]
    Report.objects.filter(tenant=request.tenant, id__in=ids).update(archived=True)
    return JsonResponse({"archived": ids})

`,
    expect: [],
  },
  {
    name: "py: a comprehension that loads and deletes each caller id",
    language: "python",
    code: `import json

from django.http import JsonResponse

from app.auth import tenant_required
from app.models import Report


@tenant_required
def bulk_delete(request):
    ids = [Report.objects.get(id=i).delete() for i in json.loads(request.body)["report_ids"]]
    return JsonResponse({"deleted": len(ids)})
`,
    expect: [11],
  },
  {
    name: "py: rows of a tenant-scoped lookup and dict.get with a default are not caller ids",
    language: "python",
    code: `from flask import Blueprint, g, jsonify

from app.auth import login_required
from app.models import Project

bp = Blueprint("projects", __name__)


@bp.get("/<project_id>/members")
@login_required
def members(project_id: str):
    project = Project.query.filter_by(tenant_id=g.principal.tenant_id, id=project_id).first_or_404()
    people = project.member_list()
    roles = lookup_roles()
    return jsonify([{"id": p.id, "role": roles.get(p.id, "viewer")} for p in people])
`,
    expect: [],
  },
  {
    name: "py: key lists passed beside the tenant, used raw or rebuilt without it",
    language: "python",
    code: `def get_many(tenant_id: str, invoice_keys: list[dict]) -> list[dict]:
    resp = dynamodb.batch_get_item(RequestItems={"invoices": {"Keys": invoice_keys}})
    return resp["Responses"]["invoices"]


def get_many_scoped(tenant_id: str, invoice_keys: list[dict]) -> list[dict]:
    keys = [{"pk": f"TENANT#{tenant_id}", "sk": k["sk"]} for k in invoice_keys]
    resp = dynamodb.batch_get_item(RequestItems={"invoices": {"Keys": keys}})
    return resp["Responses"]["invoices"]


def get_many_derived(tenant_id: str, invoice_ids: list[str]) -> list[dict]:
    keys = [{"pk": {"S": i}} for i in invoice_ids]
    resp = dynamodb.batch_get_item(RequestItems={"invoices": {"Keys": keys}})
    return resp["Responses"]["invoices"]
`,
    expect: [2, 14],
  },
  {
    name: "rs: keys built from an id slice passed beside the tenant",
    language: "rust",
    code: `use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};

pub async fn load_many(ddb: &aws_sdk_dynamodb::Client, tenant_id: &str, ids: &[String]) -> anyhow::Result<usize> {
    let keys = ids.iter().map(|id| HashMap::from([("pk".to_owned(), AttributeValue::S(id.clone()))])).collect::<Vec<_>>();
    let out = ddb.batch_get_item().request_items("docs", KeysAndAttributes::builder().set_keys(Some(keys)).build()?).send().await?;
    Ok(out.responses.map(|r| r.len()).unwrap_or(0))
}

pub async fn load_many_scoped(ddb: &aws_sdk_dynamodb::Client, tenant_id: &str, ids: &[String]) -> anyhow::Result<usize> {
    let keys = ids.iter().map(|id| HashMap::from([("pk".to_owned(), AttributeValue::S(format!("{tenant_id}#{id}")))])).collect::<Vec<_>>();
    let out = ddb.batch_get_item().request_items("docs", KeysAndAttributes::builder().set_keys(Some(keys)).build()?).send().await?;
    Ok(out.responses.map(|r| r.len()).unwrap_or(0))
}
`,
    expect: [7],
  },
  {
    name: "ts: Prisma set filters judged by their where clause, not the select list",
    language: "typescript",
    code: `import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function bulkClose(tenantId: string, ticketIds: string[]) {
  const tickets = await prisma.ticket.findMany({
    where: { id: { in: ticketIds } },
    select: { id: true, tenantId: true },
  });
  return tickets.length;
}

export async function bulkCloseScoped(tenantId: string, ticketIds: string[]) {
  const tickets = await prisma.ticket.updateMany({
    where: { tenantId, id: { in: ticketIds } },
    data: { closed: true },
  });
  return tickets.count;
}

export async function bulkKeys(tenantId: string, ticketKeys: string[]) {
  return prisma.ticket.deleteMany({ where: { key: { in: ticketKeys } } });
}
`,
    expect: [6, 22],
  },
];

export default defineRule({
  meta: {
    scope: "service",
    id: "batch-without-tenant-check",
    category: "security",
    languages: ["typescript", "rust", "python"],
    severity: "failure",
    description: "A batch get/write or a loop over caller-supplied ids never checks each item's tenant against the caller's.",
    why: "Batch endpoints take a list of ids from the request; if the keys are not scoped to the caller's tenant (or each result checked), one id from another tenant is enough to read, change or delete that tenant's data, and a single-item check elsewhere does not protect the batch path.",
    fix: "Build every key with the caller's tenant from the verified principal (for example `{ pk: TENANT#<id>, sk: <item id> }`), or check `item.tenantId === caller.tenantId` for each result before returning or writing, and reject the whole batch on a mismatch.",
    docs: ["https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html"],
  },
  detect: {
    typescript: (file) => tsDetect(file),
    python: (file) => pyDetect(file),
    rust: (file) => rsDetect(file),
  },
  cases: CASES,
});
