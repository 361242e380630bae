// Usage that should never reach an invoice but does: a metering middleware every request passes (health and
// readiness probes included) with no path exclusion, and a maintenance-window flag stored on each usage row
// that no billing code ever filters out. Used by charge-on-failed-request beside its outcome checks.
import { Node as TsNode, type CallExpression } from "ts-morph";
import type { Node } from "web-tree-sitter";
import type { ParsedFile, RuleCase } from "../../src/engine/rule.js";
import { isHealthPath } from "./business.js";
import { enclosingFunction as tsEnclosingFunction } from "./ts.js";
import { enclosingFunction } from "./tree.js";

const ROUTE_LITERAL = /\.(?:get|route|all|head|api_route)\(\s*["'`](\/[^"'`]*)["'`]|#\[(?:get|route)\(\s*"(\/[^"]*)"|\bpath\(\s*["']([^"']*)["']/g;
/** A middleware that looks at probe paths at all (a literal, or a list of skipped/free routes) excludes them. */
const EXCLUDES_PATHS = /["'`][^"'`\n]*(health|ready|live|ping|probe|metrics|status)[^"'`\n]*["'`]|\b(skip|exclude|excluded|ignore|ignored|unbilled|unmetered|free|public|billable)_?(paths?|routes?|prefix(es)?)\b|\bBILLABLE|\bUNBILLED|\bisBillable|\bis_billable/i;
const MAINTENANCE_KEY = /\b(in_?maintenance|is_?maintenance|during_?maintenance|maintenance_?(window|mode|flag)?|inMaintenance|isMaintenance|duringMaintenance|maintenanceWindow|maintenanceMode)\b\s*[:=](?!=)/i;

/** The first health-check route registered anywhere in the review, as `path` and where. */
export function healthRoute(files: ParsedFile[]): { path: string; where: string } | undefined {
  for (const f of files) {
    for (const m of f.text.matchAll(ROUTE_LITERAL)) {
      const path = m[1] ?? m[2] ?? m[3] ?? "";
      if (path && isHealthPath(path)) return { path, where: `${f.path}:${f.text.slice(0, m.index).split("\n").length}` };
    }
  }
  return undefined;
}

function healthMessage(call: string, route: { path: string; where: string }): string {
  return `\`${call}\` bills every request that passes this middleware, including the health-check route \`${route.path}\` (${route.where}) that load balancers and probes call every few seconds; exclude probe paths before metering.`;
}

/** TS: a `(req, res, next)` / `(ctx, next)` middleware (or a response hook inside one) that meters every path. */
export function tsHealthBilled(call: CallExpression, callee: string, files: ParsedFile[]): string | undefined {
  let mw: TsNode | undefined;
  for (let fn = tsEnclosingFunction(call); fn; fn = tsEnclosingFunction(fn)) {
    const params = TsNode.isFunctionLikeDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn) ? fn.getParameters().map((p) => p.getName()) : [];
    if (params.includes("next")) mw = fn;
  }
  if (!mw || EXCLUDES_PATHS.test(mw.getText())) return undefined;
  const route = healthRoute(files);
  return route ? healthMessage(callee, route) : undefined;
}

/** Python/Rust: a middleware (`call_next`, `get_response`, axum `Next`, actix `ServiceRequest`) that meters every path. */
export function treeHealthBilled(call: Node, callee: string, files: ParsedFile[]): string | undefined {
  let mw: Node | undefined;
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const params = fn.childForFieldName("parameters")?.text ?? "";
    const decorated = fn.parent?.type === "decorated_definition" ? fn.parent.text.slice(0, fn.parent.text.indexOf("def ")) : "";
    if (/\b(call_next|get_response)\b|\bNext\b|ServiceRequest|\bnext\s*:/.test(params) || /\.middleware\(|before_request|after_request/.test(decorated)) mw = fn;
    if (fn.childForFieldName("name")?.text === "__call__" && /self\.get_response/.test(fn.text)) mw = fn;
  }
  if (!mw || EXCLUDES_PATHS.test(mw.text)) return undefined;
  const route = healthRoute(files);
  return route ? healthMessage(callee, route) : undefined;
}

/**
 * The record call stores a maintenance flag on the usage row (`{ inMaintenance: ... }`, `maintenance=...`), yet no
 * file of the review reads it in a condition, filter or query: the invoice counts maintenance-window usage too.
 */
export function maintenanceNotExcluded(callText: string, callee: string, files: ParsedFile[]): string | undefined {
  const m = MAINTENANCE_KEY.exec(callText);
  if (!m) return undefined;
  const key = m[1];
  const reads = new RegExp(`(\\bif\\b|\\bwhere\\b|\\bfilter|\\bexclude|\\bnot\\s|!|&&|\\|\\||\\band\\b|\\bor\\b|===?|!==?|\\bis\\s+(not\\s+)?(True|False))[^\\n]{0,60}\\b${key}\\b|\\b${key}\\b\\s*(===?|!==?|\\bis\\b|&&|\\|\\||\\?)|\\b${key}\\b\\s*=\\s*(false|0|FALSE)\\b`, "i");
  const excluded = files.some((f) => f.text.split("\n").some((l) => reads.test(l) && !new RegExp(`\\b${key}\\b\\s*[:=](?!=)`).test(l)));
  if (excluded) return undefined;
  return `\`${callee}\` stores \`${key}\` on each usage row, but nothing in this change or the repository files read excludes those rows from billing (no condition, filter or query reads \`${key}\`), so usage during maintenance windows is still invoiced.`;
}

export function billingExclusionCases(): RuleCase[] {
  const meter = (skip: string) => `import express from "express";
import { usage } from "./billing/usage";

const app = express();
app.use((req, res, next) => {
${skip}  res.on("finish", () => {
    if (res.statusCode < 400) usage.record({ tenantId: req.header("x-tenant-id"), route: req.path });
  });
  next();
});
app.get("/healthz", (_req, res) => res.send("ok"));
app.get("/v1/search", search);
`;
  const record = `import { usage } from "./usage";

export async function meter(tenantId: string, units: number) {
  await usage.record({ tenantId, units, inMaintenance: await maintenance.active() });
}
`;
  return [
    {
      name: "ts: metering middleware checks the status but bills the /healthz probes too",
      language: "typescript",
      code: meter(""),
      expect: [7],
    },
    {
      name: "ts: metering middleware that skips the probe paths",
      language: "typescript",
      code: meter(`  if (req.path === "/healthz") return next();\n`),
      expect: [],
    },
    {
      name: "py: FastAPI middleware meters successful calls, health route included",
      language: "python",
      code: `from fastapi import FastAPI, Request

app = FastAPI()


@app.middleware("http")
async def meter(request: Request, call_next):
    response = await call_next(request)
    if response.status_code < 400:
        await usage.record_usage(request.state.tenant_id, request.url.path)
    return response


@app.get("/health")
async def health():
    return {"ok": True}
`,
      expect: [10],
    },
    {
      name: "ts: the maintenance flag is stored on each usage row; the invoice sums every row",
      files: [
        { path: "src/billing/meter.ts", code: record },
        { path: "src/billing/invoice.ts", code: `export function invoiceUnits(rows: { units: number; inMaintenance: boolean }[]) {\n  return rows.reduce((n, r) => n + r.units, 0);\n}\n` },
      ],
      expect: ["src/billing/meter.ts:4"],
    },
    {
      name: "ts: the invoice leaves maintenance-window rows out",
      files: [
        { path: "src/billing/meter.ts", code: record },
        { path: "src/billing/invoice.ts", code: `export function invoiceUnits(rows: { units: number; inMaintenance: boolean }[]) {\n  return rows.filter((r) => !r.inMaintenance).reduce((n, r) => n + r.units, 0);\n}\n` },
      ],
      expect: [],
    },
    {
      name: "py: the flag is stored and a repository query excludes it",
      files: [
        { path: "app/metering.py", code: `def meter(tenant_id, units):\n    usage.record_usage(tenant_id=tenant_id, units=units, in_maintenance=maintenance.active())\n` },
        { path: "app/invoices.py", changed: false, code: `BILLABLE = "SELECT sum(units) FROM usage WHERE tenant_id = %s AND NOT in_maintenance"\n` },
      ],
      expect: [],
    },
    {
      name: "rs: axum metering middleware bills the readiness probe",
      language: "rust",
      code: `use axum::{extract::Request, middleware::{self, Next}, response::Response, routing::get, Router};

async fn meter(req: Request, next: Next) -> Response {
    let tenant = tenant_of(&req);
    let res = next.run(req).await;
    if res.status().is_success() {
        USAGE.record_usage(&tenant, 1).await;
    }
    res
}

pub fn app() -> Router {
    Router::new()
        .route("/readyz", get(|| async { "ok" }))
        .route("/v1/quotes", get(quotes))
        .layer(middleware::from_fn(meter))
}
`,
      expect: [7],
    },
  ];
}
