import { Node, SyntaxKind, type CallExpression } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { callLine as tsCallLine, inRequestHandler as tsInHandler } from "./_lib/ts.js";
import { descendants, inRequestHandler as treeInHandler, line } from "./_lib/tree.js";
import { ID_WORD, LOG_METHOD, pyKwarg, tsIsLogCall } from "./_lib/resilience.js";

// Two findings:
// 1. print-style output (console.*, println!/eprintln!, print()) in service code: no level, no fields, no id.
// 2. A logger call inside a request handler that interpolates values into its message and carries no
//    request/correlation id, where nothing in the file attaches one implicitly (child loggers, request-scoped
//    loggers, AsyncLocalStorage, tracing spans/#[instrument], structlog/loguru context binding).
// CLIs, scripts, tests, build scripts and browser code are left alone (checks/_lib/context.ts decides).

const TS_CONTEXT_LOGGING = /AsyncLocalStorage|\bmixin\s*[:(]|cls-hooked|@aws-lambda-powertools\/logger|\.child\s*\(/;
const REQUEST_SCOPED = /^(req|request|ctx|context|c|event|res\.locals|this\.req)\b/;

// ---------- TypeScript ----------

function tsDetect(file: ParsedFile): Report[] {
  const sf = file.ts!;
  const reports: Report[] = [];
  const contextLogging = TS_CONTEXT_LOGGING.test(file.text);
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression().getText();
    if (/^console\.(log|error|warn|info|debug|trace)$/.test(callee)) {
      // One JSON document per line (CloudWatch EMF metrics, a JSON log line) is structured output, not a print.
      if (call.getArguments().length === 1 && /^JSON\.stringify\(/.test(call.getArguments()[0].getText())) continue;
      if (!tsInMainGuard(call)) reports.push({ line: tsCallLine(call), message: `\`${callee}\` writes an unstructured line with no level, fields or correlation id.` });
      continue;
    }
    if (contextLogging || !tsIsLogCall(call) || REQUEST_SCOPED.test(callee) || !tsInHandler(call)) continue;
    if (!tsInterpolatedOnly(call)) continue;
    reports.push({ line: tsCallLine(call), message: `\`${callee}\` in a request handler bakes values into the message and carries no request/correlation id.` });
  }
  return reports;
}

/** `if (require.main === module)` / `import.meta.main` blocks run the file as a script. */
function tsInMainGuard(node: Node): boolean {
  return node.getAncestors().some((a) => Node.isIfStatement(a) && /require\.main\s*===?\s*module|import\.meta\.(main|url\s*===?)/.test(a.getExpression().getText()));
}

/** The message is a template/concatenation with values, and no argument is a field object or an id. */
function tsInterpolatedOnly(call: CallExpression): boolean {
  const args = call.getArguments();
  const first = args[0];
  if (!first) return false;
  // util.format-style placeholders (winston splat, pino, log4js): `logger.info("refunded %s", chargeId)`; arguments past the
  // placeholders may be a metadata object.
  if ((Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first)) && args.length > 1) {
    const placeholders = [...first.getLiteralText().matchAll(/(^|[^%])%[sdifjoOc]/g)].length;
    if (!placeholders || args.slice(1 + placeholders).some((a) => Node.isObjectLiteralExpression(a) || Node.isIdentifier(a))) return false;
    return !ID_WORD.test(args.map((a) => a.getText()).join(" "));
  }
  const interpolated = (Node.isTemplateExpression(first) && first.getTemplateSpans().length > 0)
    || (Node.isBinaryExpression(first) && first.getOperatorToken().getKind() === SyntaxKind.PlusToken);
  if (!interpolated) return false;
  if (args.slice(1).some((a) => Node.isObjectLiteralExpression(a) || Node.isIdentifier(a))) return false;
  return !ID_WORD.test(call.getArguments().map((a) => a.getText()).join(" "));
}

// ---------- Python ----------

/** A printf-style placeholder (`%s`, `%d`, `%(name)s`, `%.2f`, `%j`), not an escaped `%%`. */
const PRINTF = /(^|[^%])%(\(\w+\))?[-#0 +]*(\d+|\*)?(\.\d+)?[sdifrxXeEgGcjoO]/;

const PY_CONTEXT_LOGGING = /^[ \t]*(import|from)\s+(structlog|aws_lambda_powertools|opentelemetry|asgi_correlation_id|ddtrace)\b|\.contextualize\(|\.bind\(|LoggerAdapter|contextvars/m;

function pyDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  const contextLogging = PY_CONTEXT_LOGGING.test(file.text);
  // Context that only structlog (or a `.bind()`) carries, with no filter or instrumentation feeding stdlib logging.
  const stdlibOnlyStructlog = !/^[ \t]*(import|from)\s+(aws_lambda_powertools|opentelemetry|asgi_correlation_id|ddtrace)\b|LoggerAdapter|contextvars|\.contextualize\(/m.test(file.text);
  const stdlibLoggers = new Set([...file.text.matchAll(/^[ \t]*(?:self\.)?(\w+)\s*=\s*logging\.getLogger\(/gm)].map((m) => m[1]));
  for (const call of descendants(file.tree!.rootNode, "call")) {
    const fn = call.childForFieldName("function");
    if (fn?.type === "identifier" && fn.text === "print") {
      if (/^\(\s*json\.dumps\(/.test(call.childForFieldName("arguments")?.text ?? "")) continue;
      if (!pyInMainGuard(call)) reports.push({ line: line(call), message: "`print()` writes an unstructured line with no level, fields or correlation id." });
      continue;
    }
    if (fn?.type !== "attribute") continue;
    const method = fn.childForFieldName("attribute")?.text ?? "";
    const receiver = fn.childForFieldName("object")?.text ?? "";
    // structlog's bound context does not reach a stdlib `logging.getLogger()` logger used beside it.
    if (contextLogging && !(stdlibOnlyStructlog && stdlibLoggers.has(receiver.replace(/^self\./, "")))) continue;
    if (!LOG_METHOD.test(method) || !/^(logging|log|logger|_logger|_log|LOGGER|LOG|self\.(logger|log|_logger))$/.test(receiver)) continue;
    if (!treeInHandler(call) || pyKwarg(call, "extra")) continue;
    const args = call.childForFieldName("arguments");
    const msg = args?.namedChild(0);
    const positional = (args?.namedChildren ?? []).filter((a) => a && a.type !== "keyword_argument" && a.type !== "comment");
    const interpolated = msg && ((msg.type === "string" && descendants(msg, "interpolation").length > 0)
      || (msg.type === "binary_operator" && /^(string|concatenated_string)$/.test(msg.childForFieldName("left")?.type ?? ""))
      || (msg.type === "call" && /\.format$/.test(msg.childForFieldName("function")?.text ?? ""))
      // stdlib lazy %-formatting: `logger.info("disabled %d endpoints", n)` still bakes the values into one message string.
      || (/^(string|concatenated_string)$/.test(msg.type) && PRINTF.test(msg.text) && positional.length > 1));
    if (!interpolated || ID_WORD.test(call.childForFieldName("arguments")?.text ?? "")) continue;
    reports.push({ line: line(call), message: `\`${receiver}.${method}\` in a request handler bakes values into the message and carries no request/correlation id.` });
  }
  return reports;
}

function pyInMainGuard(node: TNode): boolean {
  for (let cur = node.parent; cur; cur = cur.parent) {
    if (cur.type === "if_statement" && /__name__\s*==\s*["']__main__["']/.test(cur.childForFieldName("condition")?.text ?? "")) return true;
  }
  return false;
}

// ---------- Rust ----------

const RS_CONTEXT_LOGGING = /TraceLayer|\.instrument\(|\b\w+_span!|Span::current|#\[(tracing::)?instrument|RequestId|request_id/;

function rsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  const contextLogging = RS_CONTEXT_LOGGING.test(file.text);
  for (const mac of descendants(file.tree!.rootNode, "macro_invocation")) {
    const name = mac.childForFieldName("macro")?.text ?? "";
    if (/^(println|eprintln|print|eprint|dbg)$/.test(name)) {
      if (/^[({\[]\s*"\{\}"\s*,\s*(serde_json::(to_string|json!)|json!)/.test(mac.namedChildren.find((c) => c?.type === "token_tree")?.text ?? "")) continue;
      reports.push({ line: line(mac), message: `\`${name}!\` writes an unstructured line with no level, fields or correlation id.` });
      continue;
    }
    if (contextLogging || !/^((tracing|log)::)?(info|warn|error|debug|trace)$/.test(name) || !treeInHandler(mac)) continue;
    const tokens = mac.namedChildren.find((c) => c?.type === "token_tree");
    const fmt = tokens?.namedChildren.find((c) => c?.type === "string_literal");
    if (!tokens || !fmt || !/\{[\w:?]*\}/.test(fmt.text)) continue;
    const beforeFmt = tokens.text.slice(0, fmt.startIndex - tokens.startIndex);
    // Anything before the format string is a field (`id = %x`, shorthand `tenant_id`) or a target.
    if (/\w/.test(beforeFmt) || ID_WORD.test(tokens.text)) continue;
    reports.push({ line: line(mac), message: `\`${name}!\` in a request handler formats values into the message with no fields and no request/correlation id.` });
  }
  return reports;
}

export default defineRule({
  meta: {
    scope: "service",
    id: "unstructured-logging",
    category: "resilience",
    languages: ["typescript", "rust", "python"],
    severity: "notice",
    description: "Service code that logs with print statements, or request handlers whose log lines carry no request/correlation id.",
    why: "Print output and interpolated messages have no level, no queryable fields and no request or correlation id, so one request cannot be followed across services during an incident.",
    fix: "Log through the service's structured logger (pino, tracing, structlog/logging with `extra`) with values as fields, and attach the request or correlation id to every line (child logger, request-scoped logger, tracing span, context binding).",
  },
  detect: { typescript: tsDetect, rust: rsDetect, python: pyDetect },
  cases: [
    {
      name: "ts: a console call split over lines is reported on the line of the called method",
      language: "typescript",
      path: "src/routes/totals.ts",
      code: `import { Router } from "express";
export const r = Router();
r.get("/z", async (req, res) => {
  const total = await count();
  console
    .log(\`total \${total}\`);
  res.json({ total });
});
`,
      expect: [6],
    },
    {
      name: "ts: a CloudWatch EMF metric document printed as one JSON line",
      language: "typescript",
      path: "src/metrics.ts",
      code: `export function recordLatency(ms: number) {
  console.log(JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: "api", Dimensions: [[]], Metrics: [{ Name: "latency", Unit: "Milliseconds" }] }] }, latency: ms }));
}
`,
      expect: [],
    },
    {
      name: "py: one JSON log line per event",
      language: "python",
      path: "app/handler.py",
      code: `import json


def lambda_handler(event, context):
    print(json.dumps({"level": "info", "msg": "received", "request_id": context.aws_request_id}))
`,
      expect: [],
    },
    {
      name: "console.log in an express handler",
      language: "typescript",
      code: `import { Router } from "express";
import { orders } from "../services/orders.js";

export const router = Router();

router.post("/orders", async (req, res) => {
  const order = await orders.create(req.body);
  console.log("created order", order.id);
  res.status(201).json(order);
});
`,
      expect: [8],
    },
    {
      name: "ts: a file run by a package.json script (tsx prisma/populate.ts) is a script",
      files: [
        {
          path: "prisma/populate.ts",
          code: `import { prisma } from "../src/db";

export async function seed() {
  for (const name of ["free", "pro"]) {
    await prisma.plan.create({ data: { name } });
    console.log(\`created plan \${name}\`);
  }
}

seed();
`,
        },
        { path: "package.json", changed: false, code: `{ "scripts": { "start": "node dist/main.js", "db:populate": "tsx prisma/populate.ts" } }` },
      ],
      expect: [],
    },
    {
      name: "ts: a file package.json starts as the service (dev) stays service code",
      files: [
        {
          path: "src/worker.ts",
          code: `import { queue } from "./queue";

export async function drain() {
  for await (const job of queue) {
    console.log(\`processing \${job.id}\`);
  }
}

drain();
`,
        },
        { path: "package.json", changed: false, code: `{ "scripts": { "dev": "tsx watch src/worker.ts" } }` },
      ],
      expect: ["src/worker.ts:5"],
    },
    {
      name: "console.error in a service class",
      language: "typescript",
      code: `export class InvoiceService {
  constructor(private readonly repo: InvoiceRepo) {}

  async finalize(id: string) {
    try {
      return await this.repo.finalize(id);
    } catch (err) {
      console.error(\`finalize failed for \${id}\`, err);
      throw err;
    }
  }
}
`,
      expect: [8],
    },
    {
      name: "pino logger with an interpolated message in a handler",
      language: "typescript",
      code: `import pino from "pino";
import type { Request, Response } from "express";

const logger = pino();

export async function refund(req: Request, res: Response) {
  const result = await payments.refund(req.params.chargeId);
  logger.info(\`refunded \${req.params.chargeId} amount=\${result.amount}\`);
  res.json(result);
}
`,
      expect: [8],
    },
    {
      name: "Lambda handler logs with string concatenation",
      language: "typescript",
      code: `import { log } from "./log.js";

export const handler = async (event: SQSEvent) => {
  for (const record of event.Records) {
    await processRecord(record);
    log.warn("processed message " + record.messageId + " from queue");
  }
};
`,
      expect: [6],
    },
    {
      name: "request-scoped and child loggers with fields",
      language: "typescript",
      code: `import type { FastifyReply, FastifyRequest } from "fastify";

export async function getOrder(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  req.log.info({ orderId: req.params.id }, "loading order");
  const order = await orders.get(req.params.id);
  req.log.info(\`loaded \${order.id}\`);
  return reply.send(order);
}
`,
      expect: [],
    },
    {
      name: "structured fields and a correlation id",
      language: "typescript",
      code: `import { logger } from "./logger.js";

export async function handler(event: APIGatewayProxyEvent) {
  const correlationId = event.headers["x-correlation-id"];
  logger.info({ correlationId, path: event.path }, "request received");
  logger.info(\`request \${event.requestContext.requestId} for \${event.path}\`);
  return { statusCode: 204 };
}
`,
      expect: [],
    },
    {
      name: "CLI script with a shebang and commander",
      language: "typescript",
      path: "src/tools/migrate.ts",
      code: `#!/usr/bin/env node
import { Command } from "commander";

const program = new Command();
program.command("migrate").action(async () => {
  console.log("migrating...");
});
program.parse();
`,
      expect: [],
    },
    {
      name: "console in strings and comments, main guard",
      language: "typescript",
      code: `// Do not use console.log(...) in services.
const HINT = "replace console.log with logger.info";

export function start(app: App) {
  app.listen(3000);
}

if (require.main === module) {
  console.log("starting standalone");
}
`,
      expect: [],
    },
    {
      name: "print in a Flask view",
      language: "python",
      code: `from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/orders")
def create_order():
    order = orders.create(request.json)
    print("created order", order.id)
    return jsonify(order), 201
`,
      expect: [9],
    },
    {
      name: "f-string log in a FastAPI route without an id",
      language: "python",
      code: `import logging
from fastapi import APIRouter

logger = logging.getLogger(__name__)
router = APIRouter()


@router.post("/refunds/{charge_id}")
async def refund(charge_id: str):
    result = await payments.refund(charge_id)
    logger.info(f"refunded {charge_id} amount={result.amount}")
    return result
`,
      expect: [11],
    },
    {
      name: "lazy %-style arguments in a Django view",
      language: "python",
      path: "shop/views.py",
      code: `import logging

from django.http import JsonResponse

log = logging.getLogger(__name__)


def restock(request, sku):
    added = Inventory.restock(sku, int(request.POST["qty"]))
    log.info("restocked %s with %d units", sku, added)
    return JsonResponse({"added": added})
`,
      expect: [10],
    },
    {
      name: "lazy %-style logs that carry the request id, a literal percent sign, and a helper outside handlers",
      language: "python",
      path: "shop/views_clean.py",
      code: `import logging

from django.http import JsonResponse

log = logging.getLogger(__name__)


def restock(request, sku):
    added = Inventory.restock(sku, int(request.POST["qty"]))
    log.info("restocked %s (request %s)", sku, request.request_id)
    log.info("restock at 100%% of the target")
    log.info("restocked", extra={"request_id": request.request_id, "sku": sku})
    return JsonResponse({"added": added})


def warm_cache(skus):
    log.info("warming %d skus", len(skus))
`,
      expect: [],
    },
    {
      name: "winston splat placeholders in an express handler; metadata object past the placeholders is fine",
      language: "typescript",
      path: "src/routes/restock.ts",
      code: `import winston from "winston";
import type { Request, Response } from "express";

const logger = winston.createLogger({ format: winston.format.splat() });

export async function restock(req: Request, res: Response) {
  const added = await inventory.restock(req.params.sku, Number(req.body.qty));
  logger.info("restocked %s with %d units", req.params.sku, added);
  logger.info("restocked %s", req.params.sku, { correlationId: req.get("x-correlation-id") });
  res.json({ added });
}
`,
      expect: [8],
    },
    {
      name: "percent-formatted log in a Lambda handler",
      language: "python",
      code: `import logging

log = logging.getLogger()


def lambda_handler(event, context):
    for record in event["Records"]:
        handle(record)
        log.warning("processed %s from %s" % (record["messageId"], record["eventSourceARN"]))
    return {"ok": True}
`,
      expect: [9],
    },
    {
      name: "print in a service module function",
      language: "python",
      code: `class BillingService:
    def __init__(self, repo):
        self.repo = repo

    def close_period(self, account_id, period):
        total = self.repo.total(account_id, period)
        print(f"closing period {period} for {account_id}: {total}")
        return self.repo.close(account_id, period, total)
`,
      expect: [7],
    },
    {
      name: "logging with extra and an id",
      language: "python",
      code: `import logging
from fastapi import APIRouter, Request

logger = logging.getLogger(__name__)
router = APIRouter()


@router.get("/orders/{order_id}")
async def get_order(order_id: str, request: Request):
    logger.info("loading order", extra={"order_id": order_id, "request_id": request.state.request_id})
    logger.info(f"loaded order for request {request.state.request_id}")
    return await orders.get(order_id)
`,
      expect: [],
    },
    {
      name: "structlog with bound context",
      language: "python",
      code: `import structlog

log = structlog.get_logger()


def lambda_handler(event, context):
    log.info(f"processing {len(event['Records'])} records")
    return {"ok": True}
`,
      expect: [],
    },
    {
      name: "argparse CLI prints",
      language: "python",
      code: `import argparse


def run():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    print("dry run" if args.dry_run else "applying")
`,
      expect: [],
    },
    {
      name: "print under __main__ and in strings",
      language: "python",
      code: `HELP = "use logger.info instead of print(...)"


def handle(event, context):
    return {"statusCode": 200}


if __name__ == "__main__":
    print(handle({}, None))
`,
      expect: [],
    },
    {
      name: "println in an actix handler",
      language: "rust",
      code: `use actix_web::{post, web, HttpResponse};

#[post("/orders")]
pub async fn create_order(body: web::Json<NewOrder>, repo: web::Data<Repo>) -> HttpResponse {
    let order = repo.create(body.into_inner()).await;
    println!("created order {}", order.id);
    HttpResponse::Created().json(order)
}
`,
      expect: [6],
    },
    {
      name: "eprintln in a service error path",
      language: "rust",
      code: `pub struct Publisher {
    client: aws_sdk_sns::Client,
}

impl Publisher {
    pub async fn publish(&self, topic: &str, msg: String) -> Result<(), Error> {
        if let Err(e) = self.client.publish().topic_arn(topic).message(msg).send().await {
            eprintln!("publish to {topic} failed: {e}");
            return Err(e.into());
        }
        Ok(())
    }
}
`,
      expect: [8],
    },
    {
      name: "tracing info with interpolation in an axum handler, no span",
      language: "rust",
      code: `use axum::{extract::{Path, State}, Json};
use tracing::info;

pub async fn refund(State(app): State<AppState>, Path(charge): Path<String>) -> Json<Refund> {
    let r = app.payments.refund(&charge).await;
    info!("refunded {} amount {}", charge, r.amount);
    Json(r)
}
`,
      expect: [6],
    },
    {
      name: "dbg left in a repository",
      language: "rust",
      code: `pub async fn load(pool: &PgPool, id: i64) -> sqlx::Result<Account> {
    let acc = sqlx::query_as!(Account, "select * from accounts where id = $1", id)
        .fetch_one(pool)
        .await?;
    dbg!(&acc);
    Ok(acc)
}
`,
      expect: [5],
    },
    {
      name: "instrumented handler with fields",
      language: "rust",
      code: `use axum::{extract::{Path, State}, Json};

#[tracing::instrument(skip(app))]
pub async fn refund(State(app): State<AppState>, Path(charge): Path<String>) -> Json<Refund> {
    let r = app.payments.refund(&charge).await;
    tracing::info!(amount = r.amount, "refunded {}", charge);
    Json(r)
}
`,
      expect: [],
    },
    {
      name: "build script and unit test prints",
      language: "rust",
      path: "build.rs",
      code: `fn main() {
    println!("cargo:rerun-if-changed=proto/");
}
`,
      expect: [],
    },
    {
      name: "println inside cfg(test) module",
      language: "rust",
      code: `pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        println!("checking add");
        assert_eq!(super::add(1, 2), 3);
    }
}
`,
      expect: [],
    },
    {
      name: "clap CLI and a string mentioning println",
      language: "rust",
      code: `use clap::Parser;

#[derive(Parser)]
struct Args { table: String }

fn main() {
    let args = Args::parse();
    println!("exporting {} (avoid println! in services)", args.table);
}
`,
      expect: [],
    },
    {
      name: "stdlib logger with an f-string in a route of a file that also imports structlog",
      language: "python",
      path: "app/api/orders.py",
      code: `import logging

import structlog
from fastapi import APIRouter, Request

router = APIRouter()
logger = logging.getLogger(__name__)
slog = structlog.get_logger()


@router.post("/orders/{order_id}/pay")
async def pay(order_id: str, request: Request):
    logger.info(f"paying order {order_id}")
    slog.info("order paid", order_id=order_id)
    return {"ok": True}
`,
      expect: [13],
    },
  ],
});
