import { Node as TsNode, SyntaxKind } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleCase } from "../src/engine/rule.js";
import { descendants, line } from "./_lib/tree.js";
import {
  functionsOf, isTenantName, isTsRequestExpr, pyColumnPredicate, pyHasPrincipal, pyIsRequestExpr, pyRequestParams, pyTaintedNames, rsChain,
  pyUnverifiedNames, rsHasPrincipal, rsIsRequestExpr, rsRequestBindings, rsTaintedNames, rsUnverifiedFunctions, rsUnverifiedNames, treeHasTenantComparison, tsFunctions,
  tsHasPrincipal, tsHasTenantComparison, tsTaintedNames, tsUnverifiedNames, type TsFn,
  narrowsPrincipalScope, principalParams, pyRouteAuthorizes, treeArgumentOf,
} from "./_lib/security.js";
import { ancestorOfKind } from "./_lib/ts.js";

const isTenantString = (s: string) => isTenantName(s);

// ---------- TypeScript ----------

function tsSources(fn: TsFn): { node: TsNode; text: string }[] {
  const tainted = tsTaintedNames(fn);
  const out: { node: TsNode; text: string }[] = [];
  for (const d of fn.getDescendants()) {
    if (TsNode.isPropertyAccessExpression(d) && isTenantName(d.getName()) && isTsRequestExpr(d.getExpression(), tainted)) out.push({ node: d, text: d.getText() });
    else if (TsNode.isElementAccessExpression(d)) {
      const key = d.getArgumentExpression();
      if (key && TsNode.isStringLiteral(key) && isTenantString(key.getLiteralText()) && isTsRequestExpr(d.getExpression(), tainted)) out.push({ node: d, text: d.getText() });
    } else if (TsNode.isBindingElement(d)) {
      const prop = d.getPropertyNameNode()?.getText() ?? d.getName();
      const decl = ancestorOfKind(d, SyntaxKind.VariableDeclaration);
      const init = decl?.getInitializer();
      if (isTenantName(prop) && init && d.getParent()?.getParent() === decl && isTsRequestExpr(init, tainted)) out.push({ node: d, text: `${init.getText()}.${prop}` });
    } else if (TsNode.isCallExpression(d)) {
      const callee = d.getExpression();
      const arg = d.getArguments()[0];
      if (!arg || !TsNode.isStringLiteral(arg) || !isTenantString(arg.getLiteralText()) || !TsNode.isPropertyAccessExpression(callee)) continue;
      const viaRequest = /^(header|get|param|query)$/.test(callee.getName()) && (isTsRequestExpr(callee.getExpression(), tainted) || /^(req|request|c\.req|ctx)$/.test(callee.getExpression().getText()));
      const viaHeaders = callee.getName() === "get" && /headers$/.test(callee.getExpression().getText());
      if (viaRequest || viaHeaders) out.push({ node: d, text: d.getText() });
    } else if (TsNode.isParameterDeclaration(d)) {
      const dec = d.getDecorators().find((x) => /^(Param|Headers|Body|Query)$/.test(x.getName()));
      const arg = dec?.getArguments()[0];
      if (dec && ((arg && TsNode.isStringLiteral(arg) && isTenantString(arg.getLiteralText())) || (!arg && isTenantName(d.getName())))) {
        const use = fn.getDescendantsOfKind(SyntaxKind.Identifier).find((i) => i.getText() === d.getName() && i.getStart() > d.getEnd());
        out.push({ node: use ?? d, text: d.getText() });
      }
    }
  }
  return out;
}

/**
 * A tenant claim read from a token decoded without verification (`jwt.decode(t).tenant_id`) and put to use as the
 * tenant: assigned (to the principal, a context, a tenant variable) or returned. Echoing it in a log line is not a use.
 */
function tsUnverifiedSources(fn: TsFn): { node: TsNode; text: string }[] {
  const names = tsUnverifiedNames(fn);
  if (!names.size) return [];
  const out: { node: TsNode; text: string }[] = [];
  for (const d of fn.getDescendants()) {
    let key = "";
    if (TsNode.isPropertyAccessExpression(d)) key = d.getName();
    else if (TsNode.isElementAccessExpression(d)) key = d.getArgumentExpression()?.getText().replace(/^["'`]|["'`]$/g, "") ?? "";
    else continue;
    const obj = (d as any).getExpression() as TsNode;
    if (!isTenantName(key) || !TsNode.isIdentifier(obj) || !names.has(obj.getText())) continue;
    if (tsUsedAsTenant(d)) out.push({ node: d, text: d.getText() });
  }
  return out;
}

function tsUsedAsTenant(node: TsNode): boolean {
  let cur = node;
  for (let p = cur.getParent(); p; cur = p, p = p.getParent()) {
    if (TsNode.isAsExpression(p) || TsNode.isParenthesizedExpression(p) || TsNode.isNonNullExpression(p) || TsNode.isObjectLiteralExpression(p) || TsNode.isPropertyAssignment(p) || TsNode.isConditionalExpression(p)) continue;
    if (TsNode.isBinaryExpression(p) && /^(\?\?|\|\|)$/.test(p.getOperatorToken().getText())) continue;
    if (TsNode.isBinaryExpression(p) && p.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return p.getRight() === cur;
    if (TsNode.isReturnStatement(p)) return true;
    if (TsNode.isVariableDeclaration(p)) return isTenantName(p.getName());
    return false;
  }
  return false;
}

function tsDetect(file: ParsedFile): Report[] {
  const out: Report[] = [];
  const fns = tsFunctions(file.ts!);
  for (const fn of fns) {
    if (tsHasTenantComparison(fn)) continue;
    for (const s of tsUnverifiedSources(fn)) out.push({ line: s.node.getStartLineNumber(), message: unverifiedMessage(s.text) });
  }
  const withPrincipal = new Set(fns.filter((fn) => tsHasPrincipal(fn)));
  for (const fn of withPrincipal) {
    if (fn.getAncestors().some((a) => withPrincipal.has(a))) continue;
    if (tsHasTenantComparison(fn)) continue;
    const seen = new Set<number>();
    const principals = principalParams((fn as any).getParameters?.().map((p: TsNode) => p.getText()).join(", ") ?? "");
    for (const s of tsSources(fn)) {
      if (tsOnlyNarrows(s.node, principals)) continue;
      const ln = s.node.getStartLineNumber();
      if (seen.has(ln)) continue;
      seen.add(ln);
      out.push({ line: ln, message: message(s.text.replace(/\s+/g, " ")) });
    }
  }
  return dedupe(out);
}

/** The source goes into a call that also gets the principal, or to a method of the principal (see narrowsPrincipalScope). */
function tsOnlyNarrows(node: TsNode, principals: Set<string>): boolean {
  let cur: TsNode = node;
  for (let p = cur.getParent(); p; cur = p, p = p.getParent()) {
    if (TsNode.isCallExpression(p) && p.getArguments().includes(cur as any)) {
      return narrowsPrincipalScope(p.getExpression().getText(), p.getArguments().map((a) => a.getText()).join(", "), principals);
    }
    if (!(TsNode.isPropertyAssignment(p) || TsNode.isShorthandPropertyAssignment(p) || TsNode.isObjectLiteralExpression(p) || TsNode.isAsExpression(p) || TsNode.isNonNullExpression(p))) return false;
  }
  return false;
}

function unverifiedMessage(source: string): string {
  return `The tenant comes from \`${source}\`, a claim of a token decoded without verifying its signature: anyone can mint that token and pick the tenant.`;
}

/** One report per line (an unverified claim can also be request data). */
function dedupe(reports: Report[]): Report[] {
  const seen = new Set<number>();
  return reports.filter((r) => !seen.has(r.line) && Boolean(seen.add(r.line)));
}

function message(source: string): string {
  return `The tenant comes from \`${source}\`, which the caller controls, although the authenticated principal's tenant is available and is never compared with it.`;
}

/** Where a parameter is first used in the body (the line that takes the tenant), else the parameter. */
function firstUse(fn: Node, name: string, param: Node): Node {
  const body = fn.childForFieldName("body");
  return (body && descendants(body, "identifier").find((i) => i.text === name)) || param;
}

// ---------- Python ----------

function pyStringArg(call: Node): string | undefined {
  const a = call.childForFieldName("arguments")?.namedChildren[0];
  return a?.type === "string" ? a.text.replace(/^[rbuf]*["']|["']$/g, "") : undefined;
}

function pySources(fn: Node): { node: Node; text: string }[] {
  const tainted = pyTaintedNames(fn);
  const out: { node: Node; text: string }[] = [];
  for (const p of pyRequestParams(fn)) if (isTenantName(p.name)) out.push({ node: firstUse(fn, p.name, p.node), text: p.node.text });
  for (const d of descendants(fn, ["attribute", "subscript", "call"])) {
    if (d.type === "attribute") {
      const obj = d.childForFieldName("object");
      if (obj && isTenantName(d.childForFieldName("attribute")?.text ?? "") && pyIsRequestExpr(obj, tainted)) out.push({ node: d, text: d.text });
    } else if (d.type === "subscript") {
      const key = d.childForFieldName("subscript");
      const obj = d.childForFieldName("value");
      if (obj && key?.type === "string" && isTenantString(key.text) && pyIsRequestExpr(obj, tainted)) out.push({ node: d, text: d.text });
    } else {
      const f = d.childForFieldName("function");
      const key = pyStringArg(d);
      if (f?.type === "attribute" && f.childForFieldName("attribute")?.text === "get" && key && isTenantString(key)) {
        const obj = f.childForFieldName("object")!;
        if (pyIsRequestExpr(obj, tainted) || /(^|\.)headers$/.test(obj.text)) out.push({ node: d, text: d.text });
      }
    }
  }
  return out;
}

/** Python twin of tsUnverifiedSources: `return claims["tenant_id"]`, `g.tenant_id = claims.get("tenant_id")`. */
function pyUnverifiedSources(fn: Node): { node: Node; text: string }[] {
  const names = pyUnverifiedNames(fn);
  if (!names.size) return [];
  const out: { node: Node; text: string }[] = [];
  for (const d of descendants(fn, ["subscript", "call", "attribute"])) {
    let obj: Node | null = null;
    let key = "";
    if (d.type === "subscript") {
      obj = d.childForFieldName("value");
      const k = d.childForFieldName("subscript");
      key = k?.type === "string" ? k.text.replace(/^[rbuf]*["']|["']$/g, "") : "";
    } else if (d.type === "call") {
      const f = d.childForFieldName("function");
      if (f?.type !== "attribute" || f.childForFieldName("attribute")?.text !== "get") continue;
      obj = f.childForFieldName("object");
      key = pyStringArg(d) ?? "";
    } else {
      obj = d.childForFieldName("object");
      key = d.childForFieldName("attribute")?.text ?? "";
    }
    if (!obj || obj.type !== "identifier" || !names.has(obj.text) || !isTenantName(key)) continue;
    if (pyUsedAsTenant(d)) out.push({ node: d, text: d.text });
  }
  return out;
}

function pyUsedAsTenant(node: Node): boolean {
  let cur = node;
  for (let p = cur.parent; p; cur = p, p = p.parent) {
    // `filter_by(tenant_id=claims["tenant_id"])`, `.where(Invoice.tenant_id == claims["tenant_id"])`: the claim scopes a query.
    if (p.type === "keyword_argument" && isTenantName(p.childForFieldName("name")?.text ?? "") && p.childForFieldName("value")?.id === cur.id) return true;
    if (p.type === "comparison_operator") return pyColumnPredicate(p) && p.namedChildren.some((o) => o && o.id !== cur.id && isTenantName(o.text.replace(/^.*\./, "")));
    if (/^(parenthesized_expression|boolean_operator|conditional_expression|pair|dictionary|keyword_argument|argument_list)$/.test(p.type)) {
      if (p.type === "argument_list" && !/^(dict|\w*Principal|\w*Context|\w*Ctx)$/.test(p.parent?.childForFieldName("function")?.text ?? "")) return false;
      continue;
    }
    if (p.type === "call") continue;
    if (p.type === "return_statement") return true;
    if (p.type === "assignment") {
      const left = p.childForFieldName("left");
      return p.childForFieldName("right")?.id === cur.id && Boolean(left && (left.type !== "identifier" || isTenantName(left.text)));
    }
    return false;
  }
  return false;
}

function pyDetect(file: ParsedFile): Report[] {
  const out: Report[] = [];
  for (const fn of functionsOf(file.tree!.rootNode)) {
    if (!treeHasTenantComparison(fn)) for (const s of pyUnverifiedSources(fn)) out.push({ line: line(s.node), message: unverifiedMessage(s.text) });
  }
  for (const fn of functionsOf(file.tree!.rootNode)) {
    if (!pyHasPrincipal(fn) || treeHasTenantComparison(fn) || pyRouteAuthorizes(fn)) continue;
    const principals = principalParams(fn.childForFieldName("parameters")?.text ?? "");
    const seen = new Set<number>();
    for (const s of pySources(fn)) {
      if (treeOnlyNarrows(fn, s, principals)) continue;
      if (seen.has(line(s.node))) continue;
      seen.add(line(s.node));
      out.push({ line: line(s.node), message: message(s.text) });
    }
  }
  return dedupe(out);
}

/**
 * Every use of the source in the function goes into a call that also gets the principal, or to the principal itself:
 * the id narrows the caller's own scope (or is checked against it), so it is not the only scope.
 */
function treeOnlyNarrows(fn: Node, source: { node: Node; text: string }, principals: Set<string>): boolean {
  const name = source.node.type === "identifier" ? source.node.text : /^\w+$/.test(source.text) ? source.text : undefined;
  const uses = name ? descendants(fn.childForFieldName("body") ?? fn, "identifier").filter((i) => i.text === name) : [source.node];
  if (!uses.length) return false;
  const calls = uses.map((u) => treeArgumentOf(u));
  // a membership check anywhere (`current_user.get_organization_role(org)`) checks the id for the whole function
  if (calls.some((c) => c && narrowsPrincipalScope(c.childForFieldName("function")?.text ?? "", "", principals))) return true;
  return calls.every((c) => c && narrowsPrincipalScope(c.childForFieldName("function")?.text ?? "", c.childForFieldName("arguments")?.text ?? "", principals));
}

// ---------- Rust ----------

/** A read from the database (`sqlx::query_as(..).bind(id).fetch_one(..)`, `repo.find(..)`): what it returns is stored data. */
const RS_DB_READ = /\.(fetch_one|fetch_optional|fetch_all|fetch|get_result|get_results|first|load|find_by_id|find_one|one|one_or_none)\s*(::<[^>]*>)?\s*\(|\bsqlx::query(_as|_scalar)?(!|::<|\()|\.get_item\(\)/;

function rsSources(fn: Node): { node: Node; text: string }[] {
  const tainted = rsTaintedNames(fn);
  // A row loaded with a request id in its WHERE clause holds the stored tenant, not one the caller chose.
  const stored = new Set<string>();
  for (const l of descendants(fn, "let_declaration")) {
    const value = l.childForFieldName("value");
    const pattern = l.childForFieldName("pattern");
    if (value && pattern?.type === "identifier" && RS_DB_READ.test(value.text) && !rsRequestBindings(fn).some((b) => b.name === pattern.text)) stored.add(pattern.text);
  }
  // ... and what is bound from that row afterwards (`let owner = row.tenant_id.clone()`).
  for (const l of descendants(fn, "let_declaration")) {
    const root = /^&?(?:mut\s+)?([A-Za-z_]\w*)/.exec(l.childForFieldName("value")?.text ?? "")?.[1];
    const pattern = l.childForFieldName("pattern");
    if (root && stored.has(root) && pattern?.type === "identifier") stored.add(pattern.text);
  }
  for (const n of stored) tainted.delete(n);
  const out: { node: Node; text: string }[] = [];
  for (const b of rsRequestBindings(fn)) if (isTenantName(b.name)) out.push({ node: firstUse(fn, b.name, b.node), text: `${b.extractor}(${b.name})` });
  for (const l of descendants(fn, "let_declaration")) {
    const value = l.childForFieldName("value");
    const pattern = l.childForFieldName("pattern");
    if (!value || !pattern || value.type === "field_expression") continue;
    const ids = pattern.type === "identifier" ? [pattern] : descendants(pattern, "identifier");
    if (ids.some((i) => isTenantName(i.text)) && rsIsRequestExpr(value, tainted) && /into_inner|^\w+$|^&?\w+\.0$/.test(value.text.replace(/\s+/g, ""))) out.push({ node: l, text: value.text });
  }
  for (const f of descendants(fn, "field_expression")) {
    const obj = f.childForFieldName("value");
    if (obj && isTenantName(f.childForFieldName("field")?.text ?? "") && rsIsRequestExpr(obj, tainted)) out.push({ node: f, text: f.text });
  }
  for (const c of descendants(fn, "call_expression")) {
    const chain = rsChain(c);
    const last = chain[chain.length - 1];
    if (last?.method !== "get" || last.call.startIndex !== c.startIndex) continue;
    const arg = c.childForFieldName("arguments")?.namedChildren[0];
    const recv = c.childForFieldName("function")?.childForFieldName("value")?.text ?? "";
    if (arg?.type === "string_literal" && isTenantString(arg.text) && /headers(\(\))?$/.test(recv)) out.push({ node: c, text: c.text });
  }
  return out;
}

/**
 * Rust twin of tsUnverifiedSources: `claims.tenant` / `data.claims.tenant_id` of claims decoded without a signature
 * check, put to use (a call argument, a binding, a struct field, the return value). Macro arguments (log lines) are token
 * trees, not expressions, and comparisons only test the claim.
 */
function rsUnverifiedSources(fn: Node, unverifiedFns: Set<string>): { node: Node; text: string }[] {
  const names = rsUnverifiedNames(fn, unverifiedFns);
  if (!names.size) return [];
  const out: { node: Node; text: string }[] = [];
  for (const f of descendants(fn, "field_expression")) {
    if (!isTenantName(f.childForFieldName("field")?.text ?? "")) continue;
    const root = /^(\w+)/.exec(f.childForFieldName("value")?.text ?? "")?.[1] ?? "";
    if (!names.has(root) || !/^\w+(\.claims)?$/.test(f.childForFieldName("value")!.text)) continue;
    let tested = false;
    for (let p = f.parent; p && p.type !== "expression_statement" && p.type !== "let_declaration" && p.id !== fn.id; p = p.parent) {
      if ((p.type === "binary_expression" && /^(==|!=|<|>|<=|>=)$/.test(p.childForFieldName("operator")?.text ?? "")) || p.type === "match_expression") tested = true;
      if (p.type === "if_expression" || p.type === "while_expression") tested = true;
    }
    if (!tested) out.push({ node: f, text: f.text });
  }
  return out;
}

/** Rust functions anywhere in the review that decode tokens without verifying them (one pass, in collect). */
function collectUnverifiedFns(review: { files: ParsedFile[] }): Set<string> {
  const names = new Set<string>();
  for (const f of review.files) if (f.language === "rust" && f.tree) for (const n of rsUnverifiedFunctions(f.tree.rootNode)) names.add(n);
  return names;
}

function rsDetect(file: ParsedFile, unverifiedFns: Set<string>): Report[] {
  const out: Report[] = [];
  for (const fn of functionsOf(file.tree!.rootNode)) {
    if (treeHasTenantComparison(fn)) continue;
    for (const s of rsUnverifiedSources(fn, unverifiedFns)) out.push({ line: line(s.node), message: unverifiedMessage(s.text) });
  }
  for (const fn of functionsOf(file.tree!.rootNode)) {
    if (!rsHasPrincipal(fn) || treeHasTenantComparison(fn)) continue;
    const principals = principalParams(fn.childForFieldName("parameters")?.text ?? "");
    const seen = new Set<number>();
    for (const s of rsSources(fn)) {
      if (treeOnlyNarrows(fn, s, principals)) continue;
      if (seen.has(line(s.node))) continue;
      seen.add(line(s.node));
      out.push({ line: line(s.node), message: message(s.text.replace(/\/\/[^\n]*/g, "").replace(/\s+/g, " ").replace(/ \./g, ".")) });
    }
  }
  return dedupe(out);
}

const TS = "typescript" as const;
const RS = "rust" as const;
const PY = "python" as const;

const CASES: RuleCase[] = [
  {
    name: "FastAPI: an optional organisation filter handed to a query with the current user",
    language: PY,
    code: `from typing import Optional

from fastapi import APIRouter, Depends

router = APIRouter()


@router.get("/cases")
def list_cases(organization_id: Optional[int] = None, current_user=Depends(get_current_user)):
    return case_service.list_for_user(db, user=current_user, organization_id=organization_id)
`,
    expect: [],
  },
  {
    name: "FastAPI: the path organisation checked through the current user's role in it",
    language: PY,
    code: `from fastapi import APIRouter, HTTPException

router = APIRouter()


@router.post("/{organization}/users")
def create_user(organization: str, user_in: UserCreate, current_user: CurrentUser):
    role = current_user.get_organization_role(organization)
    if role != "owner":
        raise HTTPException(status_code=403)
    return user_service.create(organization=organization, user_in=user_in)
`,
    expect: [],
  },
  {
    name: "FastAPI: route whose permission dependency authorises the organisation first",
    language: PY,
    code: `from fastapi import APIRouter, Depends

router = APIRouter()


@router.put("/{organization}/incidents/{incident_id}", dependencies=[Depends(PermissionsDependency([IncidentEditPermission]))])
def update_incident(organization: str, incident_id: int, current_user: CurrentUser):
    return incident_service.update(organization_slug=organization, incident_id=incident_id)
`,
    expect: [],
  },
  {
    name: "express: an org filter narrowing the signed-in user's own projects",
    language: TS,
    code: `import { Router } from "express";

export const router = Router();

router.get("/projects", async (req, res) => {
  res.json(await projects.findByUser(req.user.id, { orgId: req.query.orgId }));
});
`,
    expect: [],
  },
  {
    name: "express: tenant from the body although req.user is set",
    language: TS,
    code: `import { Router } from "express";
import { requireAuth } from "../auth/middleware";
import { invoices } from "../repo/invoices";

export const router = Router();

router.post("/invoices", requireAuth, async (req, res) => {
  const { tenantId, customerId, lines } = req.body;
  const invoice = await invoices.create({ tenantId, customerId, lines, createdBy: req.user.id });
  res.status(201).json(invoice);
});
`,
    expect: [8],
  },
  {
    name: "express: X-Tenant-Id header overrides the principal's tenant",
    language: TS,
    code: `import type { Request, Response, NextFunction } from "express";

export function tenantContext(req: Request, res: Response, next: NextFunction) {
  const user = (req as any).user;
  res.locals.tenantId = req.header("x-tenant-id") ?? user.tenantId;
  next();
}
`,
    expect: [5],
  },
  {
    name: "express: path param used directly for the query",
    language: TS,
    code: `import express from "express";
import { authenticate } from "./auth";
import { ordersRepo } from "./orders-repo";

const app = express();

app.get("/tenants/:tenantId/orders", authenticate, async (req, res) => {
  const orders = await ordersRepo.list(req.params.tenantId, { limit: 50 });
  res.json(orders);
});
`,
    expect: [8],
  },
  {
    name: "NestJS controller with @Param('tenantId') and a guard",
    language: TS,
    code: `import { Controller, Get, Param, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "../auth/jwt.guard";
import { ReportsService } from "./reports.service";

@Controller("reports")
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @UseGuards(JwtAuthGuard)
  @Get(":tenantId/monthly")
  monthly(@Param("tenantId") tenantId: string) {
    return this.reports.monthly(tenantId);
  }
}
`,
    expect: [12],
  },
  {
    name: "Lambda: pathParameters tenant with authorizer claims present",
    language: TS,
    code: `import type { APIGatewayProxyEvent } from "aws-lambda";
import { getProjects } from "./projects";

export const handler = async (event: APIGatewayProxyEvent) => {
  const caller = event.requestContext.authorizer?.claims?.sub;
  const tenantId = event.pathParameters?.tenantId!;
  const projects = await getProjects(tenantId, caller);
  return { statusCode: 200, body: JSON.stringify(projects) };
};
`,
    expect: [6],
  },
  {
    name: "express: app.use(requireAuth) before the route, tenant from the body",
    language: TS,
    code: `import express from "express";
import { requireAuth } from "./middleware/auth";
import { search } from "./search";

const app = express();
app.use(express.json());
app.use(requireAuth);

app.post("/orders/search", async (req, res) => {
  const tenantId = req.body.tenantId;
  res.json(await search(tenantId, req.body.query));
});
`,
    expect: [10],
  },
  {
    name: "tenant from req.user",
    language: TS,
    code: `import { Router } from "express";
import { requireAuth } from "../auth/middleware";
import { invoices } from "../repo/invoices";

export const router = Router();

router.post("/invoices", requireAuth, async (req, res) => {
  const { customerId, lines } = req.body;
  const invoice = await invoices.create({ tenantId: req.user.tenantId, customerId, lines });
  res.status(201).json(invoice);
});
`,
    expect: [],
  },
  {
    name: "path tenant compared with the principal's tenant",
    language: TS,
    code: `import express from "express";
import { authenticate } from "./auth";
import { ordersRepo } from "./orders-repo";

const app = express();

app.get("/tenants/:tenantId/orders", authenticate, async (req, res) => {
  if (req.params.tenantId !== req.user.tenantId) return res.status(404).end();
  res.json(await ordersRepo.list(req.params.tenantId, { limit: 50 }));
});
`,
    expect: [],
  },
  {
    name: "public signup takes tenant from body (no principal yet)",
    language: TS,
    code: `import { Router } from "express";
import { tenants } from "../repo/tenants";

export const router = Router();

// Signup: the X-Tenant-Id header is ignored here; no req.user exists yet
router.post("/signup", async (req, res) => {
  const { tenantId, email } = req.body;
  res.status(201).json(await tenants.register(tenantId, email));
});
`,
    expect: [],
  },
  {
    name: "tenant id of an item in the body compared with res.locals.tenantId",
    language: TS,
    code: `import type { Request, Response } from "express";
import { docs } from "./docs";

export async function updateDoc(req: Request, res: Response) {
  const tenantId = res.locals.tenantId as string;
  const { title, tenantId: bodyTenant } = req.body;
  if (bodyTenant && bodyTenant !== tenantId) return res.status(403).end();
  await docs.update(tenantId, req.params.id, { title });
  res.status(204).end();
}
`,
    expect: [],
  },
  {
    name: "FastAPI: path tenant_id next to Depends(get_current_user)",
    language: PY,
    code: `from fastapi import APIRouter, Depends

from .auth import get_current_user
from .repo import OrdersRepo

router = APIRouter()


@router.get("/tenants/{tenant_id}/orders")
async def list_orders(tenant_id: str, user=Depends(get_current_user), repo: OrdersRepo = Depends()):
    return await repo.list_for_tenant(tenant_id)
`,
    expect: [11],
  },
  {
    name: "FastAPI: tenant from the pydantic body",
    language: PY,
    code: `from fastapi import APIRouter, Depends
from pydantic import BaseModel

from .auth import current_principal

router = APIRouter()


class CreateProject(BaseModel):
    tenant_id: str
    name: str


@router.post("/projects")
def create_project(body: CreateProject, principal=Depends(current_principal)):
    return projects.create(tenant_id=body.tenant_id, name=body.name, owner=principal.sub)
`,
    expect: [16],
  },
  {
    name: "Flask: X-Tenant-ID header with flask-jwt-extended",
    language: PY,
    code: `from flask import Blueprint, jsonify, request
from flask_jwt_extended import get_jwt_identity, jwt_required

bp = Blueprint("reports", __name__)


@bp.get("/reports")
@jwt_required()
def reports():
    user_id = get_jwt_identity()
    tenant_id = request.headers.get("X-Tenant-ID")
    return jsonify(load_reports(tenant_id, user_id))
`,
    expect: [11],
  },
  {
    name: "Django REST view: tenant from request.data",
    language: PY,
    code: `from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Project


class ProjectList(APIView):
    def post(self, request):
        project = Project.objects.create(
            tenant_id=request.data["tenant_id"],
            name=request.data["name"],
            owner=request.user,
        )
        return Response({"id": project.id}, status=201)
`,
    expect: [10],
  },
  {
    name: "FastAPI: tenant from the current user",
    language: PY,
    code: `from fastapi import APIRouter, Depends

from .auth import User, get_current_user

router = APIRouter()


@router.get("/orders")
async def list_orders(user: User = Depends(get_current_user)):
    return await orders.list_for_tenant(user.tenant_id)
`,
    expect: [],
  },
  {
    name: "FastAPI: path tenant checked against the user",
    language: PY,
    code: `from fastapi import APIRouter, Depends, HTTPException

from .auth import get_current_user

router = APIRouter()


@router.get("/tenants/{tenant_id}/orders")
async def list_orders(tenant_id: str, user=Depends(get_current_user)):
    if tenant_id != user.tenant_id:
        raise HTTPException(status_code=404)
    return await orders.list_for_tenant(tenant_id)
`,
    expect: [],
  },
  {
    name: "internal admin job without a principal",
    language: PY,
    code: `from .repo import orders


def rebuild_tenant_index(tenant_id: str) -> int:
    """Called from the ops CLI; tenant_id comes from the operator, not a request."""
    return orders.reindex(tenant_id)
`,
    expect: [],
  },
  {
    name: "tenant from request.state set by verified middleware; strings mention headers",
    language: PY,
    code: `from starlette.requests import Request

HEADER_NOTE = "X-Tenant-ID from request.headers is ignored"


async def list_projects(request: Request):
    tenant_id = request.state.tenant_id
    return await projects.for_tenant(tenant_id)
`,
    expect: [],
  },
  {
    name: "axum: Path(tenant_id) alongside Extension<Claims>",
    language: RS,
    code: `use axum::{extract::{Path, State}, Extension, Json};

use crate::{auth::Claims, error::ApiError, repo::Repo};

pub async fn list_orders(
    State(repo): State<Repo>,
    Extension(claims): Extension<Claims>,
    Path(tenant_id): Path<String>,
) -> Result<Json<Vec<Order>>, ApiError> {
    tracing::info!(user = %claims.sub, "listing orders");
    Ok(Json(repo.orders_for(&tenant_id).await?))
}
`,
    expect: [11],
  },
  {
    name: "axum: the tenant of a row loaded by a path id (stored data) goes into an event",
    language: RS,
    code: `use axum::{extract::{Path, State}, Extension};

pub async fn close_ticket(
    State(db): State<sqlx::PgPool>,
    Extension(user): Extension<AuthUser>,
    Path(ticket_id): Path<i64>,
) -> Result<(), ApiError> {
    let ticket: TicketRow = sqlx::query_as("UPDATE tickets SET open = false WHERE id = $1 AND tenant_id = $2 RETURNING *")
        .bind(ticket_id)
        .bind(&user.tenant_id)
        .fetch_one(&db)
        .await?;
    let owner = ticket.tenant_id.clone();
    events::publish(TicketClosed { tenant_id: owner, ticket_id: ticket.id }).await?;
    audit::record(&ticket.tenant_id, ticket_id).await
}
`,
    expect: [],
  },
  {
    name: "axum: a row loaded by id, but the tenant written comes from the JSON body",
    language: RS,
    code: `use axum::{extract::State, Extension, Json};

pub async fn move_ticket(
    State(db): State<sqlx::PgPool>,
    Extension(user): Extension<AuthUser>,
    Json(body): Json<MoveTicket>,
) -> Result<(), ApiError> {
    let ticket: TicketRow = sqlx::query_as("SELECT * FROM tickets WHERE id = $1").bind(body.ticket_id).fetch_one(&db).await?;
    repo::reassign(ticket.id, &body.tenant_id, &user.id).await
}
`,
    expect: [9],
  },
  {
    name: "axum: tenant from the JSON body",
    language: RS,
    code: `use axum::{extract::State, Json};

pub async fn create_project(
    State(repo): State<Repo>,
    user: AuthUser,
    Json(body): Json<CreateProject>,
) -> Result<Json<Project>, ApiError> {
    let project = repo.create(&body.tenant_id, &body.name, &user.id).await?;
    Ok(Json(project))
}
`,
    expect: [8],
  },
  {
    name: "actix: header tenant with ReqData<Claims>",
    language: RS,
    code: `use actix_web::{web, HttpRequest, HttpResponse};

pub async fn usage(req: HttpRequest, claims: web::ReqData<Claims>, repo: web::Data<Repo>) -> HttpResponse {
    let tenant = req.headers().get("X-Tenant-Id").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let rows = repo.usage(tenant, &claims.sub).await;
    HttpResponse::Ok().json(rows)
}
`,
    expect: [4],
  },
  {
    name: "actix: path tuple into_inner",
    language: RS,
    code: `use actix_web::{get, web, HttpResponse};

#[get("/tenants/{tenant_id}/invoices/{id}")]
pub async fn invoice(path: web::Path<(String, String)>, user: AuthenticatedUser, repo: web::Data<Repo>) -> HttpResponse {
    let (tenant_id, id) = path.into_inner();
    HttpResponse::Ok().json(repo.invoice(&tenant_id, &id).await)
}
`,
    expect: [5],
  },
  {
    name: "axum: tenant from the claims",
    language: RS,
    code: `use axum::{extract::{Path, State}, Extension, Json};

pub async fn get_order(
    State(repo): State<Repo>,
    Extension(claims): Extension<Claims>,
    Path(order_id): Path<String>,
) -> Result<Json<Order>, ApiError> {
    Ok(Json(repo.order(&claims.tenant_id, &order_id).await?))
}
`,
    expect: [],
  },
  {
    name: "axum: path tenant checked against the claims",
    language: RS,
    code: `use axum::{extract::{Path, State}, Extension, Json};

pub async fn list_orders(
    State(repo): State<Repo>,
    Extension(claims): Extension<Claims>,
    Path(tenant_id): Path<String>,
) -> Result<Json<Vec<Order>>, ApiError> {
    if claims.tenant_id != tenant_id {
        return Err(ApiError::NotFound);
    }
    Ok(Json(repo.orders_for(&tenant_id).await?))
}
`,
    expect: [],
  },
  {
    name: "public signup handler without a principal",
    language: RS,
    code: `use axum::{extract::State, Json};

pub async fn signup(State(repo): State<Repo>, Json(body): Json<Signup>) -> Result<Json<Tenant>, ApiError> {
    Ok(Json(repo.register(&body.tenant_id, &body.email).await?))
}
`,
    expect: [],
  },
  {
    name: "comments and strings mention the tenant header",
    language: RS,
    code: `// Never read "x-tenant-id" from req.headers(); use claims.tenant_id.
pub async fn me(Extension(claims): Extension<Claims>) -> Json<Me> {
    let note = "body.tenant_id is ignored";
    Json(Me { tenant: claims.tenant_id.clone(), note: note.into() })
}
`,
    expect: [],
  },
  {
    name: "FastAPI: Annotated Header tenant next to an Annotated Depends user",
    language: "python",
    code: `from typing import Annotated

from fastapi import APIRouter, Depends, Header

from app.auth import User, get_current_user
from app.repo import invoices_repo

router = APIRouter()


@router.get("/invoices")
async def list_invoices(
    x_tenant_id: Annotated[str, Header()],
    user: Annotated[User, Depends(get_current_user)],
):
    return await invoices_repo.list(x_tenant_id)
`,
    expect: [16],
  },
  {
    name: "FastAPI: Annotated dependencies, tenant from the user, request id header",
    language: "python",
    code: `from typing import Annotated

from fastapi import APIRouter, Depends, Header

from app.auth import User, get_current_user
from app.repo import invoices_repo

router = APIRouter()


@router.get("/invoices")
async def list_invoices(
    x_request_id: Annotated[str, Header()],
    user: Annotated[User, Depends(get_current_user)],
):
    return await invoices_repo.list(user.tenant_id, request_id=x_request_id)
`,
    expect: [],
  },
  {
    name: "express: act-as header decoded without verification sets the request tenant",
    language: TS,
    code: `import { decodeJwt } from "jose";
import type { Request, Response, NextFunction } from "express";

export function actAs(req: Request, res: Response, next: NextFunction) {
  const claims = decodeJwt(String(req.headers["x-act-as"]));
  (req as any).tenantId = claims.tenantId;
  next();
}
`,
    expect: [6],
  },
  {
    name: "helper returns the tenant claim of a jsonwebtoken decode()",
    language: TS,
    code: `import jwt from "jsonwebtoken";

export function tenantOfServiceToken(token: string): string {
  const claims = jwt.decode(token) as { tenant_id: string };
  return claims.tenant_id;
}
`,
    expect: [5],
  },
  {
    name: "unverified claim only logged; verified claim sets the tenant",
    language: TS,
    code: `import { decodeJwt, jwtVerify } from "jose";
import type { Request, Response, NextFunction } from "express";
import { keys } from "./keys";

export async function actAs(req: Request, res: Response, next: NextFunction) {
  const hint = decodeJwt(String(req.headers["x-act-as"]));
  req.log.info({ tenant: hint.tenantId }, "act-as header seen");
  const { payload } = await jwtVerify(String(req.headers["x-act-as"]), keys);
  (req as any).tenantId = payload.tenantId;
  next();
}
`,
    expect: [],
  },
  {
    name: "flask: python-jose unverified claims stored as g.tenant_id",
    language: PY,
    code: `from flask import g, request
from jose import jwt


def load_tenant():
    claims = jwt.get_unverified_claims(request.headers["Authorization"][7:])
    g.tenant_id = claims["tenant_id"]
`,
    expect: [7],
  },
  {
    name: "flask: PyJWT verified decode sets g.tenant_id; unverified one only logged",
    language: PY,
    code: `import jwt
from flask import current_app, g, request


def load_tenant():
    token = request.headers["Authorization"][7:]
    peek = jwt.decode(token, options={"verify_signature": False})
    current_app.logger.info("token seen", extra={"tenant": peek.get("tenant_id")})
    claims = jwt.decode(token, current_app.config["JWT_KEY"], algorithms=["RS256"])
    g.tenant_id = claims["tenant_id"]
`,
    expect: [],
  },
  {
    name: "flask: body tenant preferred over g.principal's",
    language: PY,
    code: `from flask import Blueprint, abort, g, jsonify, request

bp = Blueprint("notes", __name__)


@bp.post("/notes")
def create_note():
    if g.principal is None:
        abort(401)
    data = request.get_json()
    note = Note(tenant_id=data.get("tenant_id") or g.principal["tenant_id"], text=data["text"])
    return jsonify(note.save()), 201
`,
    expect: [11],
  },
  {
    name: "actix: body tenant although ReqData<TenantContext> was resolved by middleware",
    language: RS,
    code: `use actix_web::{web, HttpResponse};

pub async fn rename(state: web::Data<AppState>, ctx: web::ReqData<TenantContext>, body: web::Json<Rename>) -> HttpResponse {
    sqlx::query("UPDATE projects SET name = $1 WHERE tenant_id = $2")
        .bind(&body.name)
        .bind(&body.tenant_id)
        .execute(&state.pool)
        .await
        .ok();
    HttpResponse::NoContent().finish()
}
`,
    expect: [6],
  },
  {
    name: "actix: path tenant compared with ReqData<TenantContext>",
    language: RS,
    code: `use actix_web::{web, HttpResponse};

pub async fn rename(state: web::Data<AppState>, ctx: web::ReqData<TenantContext>, path: web::Path<(String, i64)>) -> HttpResponse {
    let (tenant_id, id) = path.into_inner();
    if tenant_id != ctx.tenant_id {
        return HttpResponse::NotFound().finish();
    }
    HttpResponse::NoContent().finish()
}
`,
    expect: [],
  },
  {
    name: "py: header tenant used in a SQLAlchemy where; unverified claims in where/filter_by; the column predicate is no check",
    language: PY,
    code: `from typing import Annotated

import jwt
from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy import select

from app.db import get_session
from app.models import Report

router = APIRouter()


@router.get("/reports")
async def list_reports(request: Request, session=Depends(get_session), x_org_id: Annotated[str | None, Header()] = None):
    org_id = x_org_id or request.state.principal.tenant_id
    return (await session.scalars(select(Report).where(Report.tenant_id == org_id))).all()


@router.get("/reports/mine")
async def my_reports(request: Request, session=Depends(get_session)):
    tenant_id = request.state.principal.tenant_id
    return (await session.scalars(select(Report).where(Report.tenant_id == tenant_id))).all()


@router.get("/reports/preview/{token}")
async def preview(token: str, session=Depends(get_session)):
    claims = jwt.decode(token, options={"verify_signature": False})
    return await session.scalar(select(Report).where(Report.id == claims["report_id"], Report.tenant_id == claims["tenant_id"]))


@router.get("/reports/peek/{token}")
async def peek(token: str, session=Depends(get_session)):
    claims = jwt.decode(token, options={"verify_signature": False})
    return Report.query.filter_by(id=claims["report_id"], tenant_id=claims.get("tenant_id")).first()
`,
    expect: [15, 28, 34],
  },
  {
    name: "py: header tenant compared with the principal's; unverified claim only logged and compared",
    language: PY,
    code: `import jwt
from fastapi import APIRouter, Depends, Header, Request

router = APIRouter()


@router.get("/reports/{report_id}")
async def get_report(report_id: str, request: Request, x_tenant_id: str = Header()):
    if x_tenant_id != request.state.principal.tenant_id:
        raise PermissionError("tenant mismatch")
    return await load(report_id, x_tenant_id)


@router.get("/reports/peek/{token}")
async def peek(token: str):
    claims = jwt.decode(token, options={"verify_signature": False})
    log.info("peek", tenant_id=claims["tenant_id"])
    return {"ok": claims["tenant_id"] == "demo"}
`,
    expect: [],
  },
  {
    name: "rs: header tenant beside a middleware context (ReqData / Extension) that carries the tenant",
    language: RS,
    code: `use actix_web::{put, web, HttpRequest, HttpResponse};
use sqlx::PgPool;

use crate::middleware::workspace::WorkspaceCtx;

#[put("/labels")]
async fn put_labels(req: HttpRequest, db: web::Data<PgPool>, ws: web::ReqData<WorkspaceCtx>) -> HttpResponse {
    let tenant = req.headers().get("x-tenant-id").and_then(|v| v.to_str().ok()).map(str::to_owned).unwrap_or_else(|| ws.tenant_id.clone());
    sqlx::query("UPDATE labels SET touched = now() WHERE tenant_id = $1").bind(&tenant).execute(db.get_ref()).await.ok();
    HttpResponse::NoContent().finish()
}

#[put("/labels/own")]
async fn put_own_labels(db: web::Data<PgPool>, ws: web::ReqData<WorkspaceCtx>) -> HttpResponse {
    sqlx::query("UPDATE labels SET touched = now() WHERE tenant_id = $1").bind(&ws.tenant_id).execute(db.get_ref()).await.ok();
    HttpResponse::NoContent().finish()
}

pub async fn axum_labels(axum::Extension(scope): axum::Extension<RegionScope>, headers: axum::http::HeaderMap) -> String {
    let tenant = headers.get("x-tenant-id").and_then(|v| v.to_str().ok()).unwrap_or(&scope.tenant_id).to_owned();
    tenant
}
`,
    expect: [8, 20],
  },
  {
    name: "rs: claims of a token decoded with the signature check disabled, used as the tenant",
    language: RS,
    code: `use actix_web::{post, web, HttpRequest, HttpResponse};
use jsonwebtoken::{decode, dangerous::insecure_decode, Algorithm, DecodingKey, Validation};

#[derive(serde::Deserialize)]
struct HookClaims {
    sub: String,
    tenant_id: String,
}

fn hook_claims(token: &str) -> Result<HookClaims, jsonwebtoken::errors::Error> {
    let mut v = Validation::new(Algorithm::RS256);
    v.insecure_disable_signature_validation();
    Ok(decode::<HookClaims>(token, &DecodingKey::from_secret(&[]), &v)?.claims)
}

#[post("/hooks/a")]
async fn hook_a(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let claims = hook_claims(req.headers().get("authorization").unwrap().to_str().unwrap()).unwrap();
    state.store.put(&claims.tenant_id, &claims.sub).await;
    HttpResponse::Accepted().finish()
}

#[post("/hooks/b")]
async fn hook_b(body: web::Bytes, state: web::Data<AppState>, token: web::Header<Bearer>) -> HttpResponse {
    let data = insecure_decode::<HookClaims>(token.as_str()).unwrap();
    let tenant = data.claims.tenant_id.clone();
    state.store.put(&tenant, &body).await;
    HttpResponse::Accepted().finish()
}

#[post("/hooks/c")]
async fn hook_c(req: HttpRequest) -> HttpResponse {
    let claims = hook_claims("x").unwrap();
    tracing::info!(tenant = %claims.tenant_id, "hook c");
    if claims.tenant_id == "demo" {
        return HttpResponse::Forbidden().finish();
    }
    HttpResponse::Accepted().finish()
}
`,
    expect: [19, 26],
  },
  {
    name: "rs: claims from a helper that verifies the token",
    language: RS,
    code: `use actix_web::{post, web, HttpRequest, HttpResponse};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};

fn hook_claims(token: &str, key: &DecodingKey) -> Result<HookClaims, jsonwebtoken::errors::Error> {
    Ok(decode::<HookClaims>(token, key, &Validation::new(Algorithm::RS256))?.claims)
}

#[post("/hooks/a")]
async fn hook_a(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let claims = hook_claims(req.headers().get("authorization").unwrap().to_str().unwrap(), &state.key).unwrap();
    state.store.put(&claims.tenant_id, &claims.sub).await;
    HttpResponse::Accepted().finish()
}
`,
    expect: [],
  },
];

export default defineRule({
  meta: {
    scope: "service",
    id: "tenant-from-untrusted-source",
    category: "security",
    languages: ["typescript", "rust", "python"],
    severity: "failure",
    description: "A handler takes the tenant id from the request (body, path, query, headers) although the authenticated principal's tenant is available.",
    why: "Anyone signed in to one tenant can put another tenant's id in the URL, body or an X-Tenant-Id header; when the server uses that value instead of the tenant bound to the verified identity, it reads and writes the other tenant's data (tenant id substitution).",
    fix: "Take the tenant from the verified principal (req.user, verified token claims, the Claims extractor, Depends(get_current_user)). If the route must name a tenant, compare it with the principal's tenant and answer 403/404 on a mismatch before using it.",
  },
  collect: collectUnverifiedFns,
  detect: {
    typescript: (file) => tsDetect(file),
    python: (file) => pyDetect(file),
    rust: (file, ctx) => rsDetect(file, ctx.facts),
  },
  cases: CASES,
});
