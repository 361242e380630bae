import { Node, SyntaxKind } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleContext } from "../src/engine/rule.js";
import {
  describeWhere, pathFacts, pyHasSplat, pyKwargs, treeCallName, treeHasCache, treeMemo, treeNamedFn, treeWhere,
  tsFns, tsFnName, tsHasCache, tsMemo, tsWhere, type PathFacts, type Where,
} from "./_lib/performance.js";
import { compactTreeText, descendants, line } from "./_lib/tree.js";

// AWS Secrets Manager user guide: "To improve performance and reduce cost, we recommend caching secrets".
// Systems Manager quotas: GetParameter, GetParameters and GetParametersByPath share a default throughput of
// 40 transactions per second per account and Region; beyond it calls fail with ThrottlingException.

const TS_COMMAND = /^(GetSecretValue|BatchGetSecretValue|GetParameter|GetParameters|GetParametersByPath)Command$/;
const TS_METHOD = /^(getSecretValue|batchGetSecretValue|getParameter|getParameters|getParametersByPath)$/;
const TS_PARAM_KEYS = /^(SecretId|SecretIdList|Name|Names|Path)$/;
const PY_METHOD: Record<string, string[]> = {
  get_secret_value: ["SecretId"],
  batch_get_secret_value: ["SecretIdList", "Filters"],
  get_parameter: ["Name"],
  get_parameters: ["Names"],
  get_parameters_by_path: ["Path"],
};
const RS_METHOD = /^(get_secret_value|batch_get_secret_value|get_parameter|get_parameters|get_parameters_by_path)$/;

/** A URL (literal, constant or config name) of a JSON Web Key Set or the OpenID discovery document that points to one. */
const JWKS_URL = /jwks|\.well-known\/(openid-configuration|jwks)|\/certs\b|jwk_?s?_?ur[il]/i;
const TS_HTTP = /^(fetch|axios(\.get)?|got(\.get)?|ky(\.get)?|ofetch|\$fetch|[\w.]*(http|client|session|api)\.get)$/i;
const TREE_HTTP = /^(requests|httpx|session|self\.session|client|self\.client|http|self\.http)\.get$|^(urllib\.request\.)?urlopen$|^reqwest::get$|\.get$/;

function jwksMessage(label: string, where: Where): string {
  return `\`${label}\` fetches the signing keys (JWKS) ${describeWhere(where)}, with no cache: every token check waits on the identity provider, and its rate limits or an outage fail every request. Cache the key set and refetch only on an unknown \`kid\`.`;
}

function message(label: string, where: Where): string {
  if (/jwks|well-known|certs/i.test(label)) return jwksMessage(label, where);
  const service = /param/i.test(label) ? "SSM Parameter Store (40 reads/s shared per account by default)" : "Secrets Manager (billed per call)";
  return `\`${label}\` reads a secret ${describeWhere(where)}, with no cache: each read is a round trip to ${service}, adding latency and throttling risk to the hot path.`;
}

/** A free helper (`get_secret(name)`) with no visible per-request caller may well run once at startup: not reported. */
function unknownCaller(where: Where): boolean {
  return where.kind === "function" && !where.method && !where.requestParam;
}

function tsTriggers(file: ParsedFile): { node: Node; line: number; label: string }[] {
  const out: { node: Node; line: number; label: string }[] = [];
  for (const n of file.ts!.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const name = n.getExpression().getText().replace(/^.*\./, "");
    if (!TS_COMMAND.test(name)) continue;
    const send = n.getParentIfKind(SyntaxKind.CallExpression);
    const at = send && /\.send$/.test(send.getExpression().getText()) ? send : n;
    out.push({ node: n, line: at.getStartLineNumber(), label: `new ${name}(...)` });
  }
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const url = call.getArguments()[0]?.getText() ?? "";
    if (TS_HTTP.test(call.getExpression().getText()) && JWKS_URL.test(url)) {
      out.push({ node: call, line: call.getStartLineNumber(), label: `${call.getExpression().getText()}(${url})` });
      continue;
    }
    const expr = call.getExpression();
    if (!Node.isPropertyAccessExpression(expr) || !TS_METHOD.test(expr.getName())) continue;
    const recv = expr.getExpression().getText();
    const arg = call.getArguments()[0];
    const params = arg && Node.isObjectLiteralExpression(arg) && arg.getProperties().some((p) => Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? TS_PARAM_KEYS.test(p.getName()) : false);
    const promised = /^\.promise\(/.test(call.getParent()?.getText().slice(call.getText().length) ?? "");
    if (recv === "this" || !(params || promised || /secret|ssm|^sm$|\.sm$/i.test(recv))) continue;
    out.push({ node: call, line: call.getStartLineNumber(), label: `${recv}.${expr.getName()}(...)` });
  }
  return out;
}

function tsDetect(file: ParsedFile, ctx: RuleContext<PathFacts>): Report[] {
  const out: Report[] = [];
  for (const t of tsTriggers(file)) {
    const fns = tsFns(t.node);
    if (fns.some((f) => tsMemo(f))) continue;
    const fn = fns.find((f) => tsFnName(f)) ?? fns[0];
    if (fn && tsHasCache(fn)) continue;
    const where = tsWhere(t.node, ctx.facts);
    if (where && !unknownCaller(where)) out.push({ line: t.line, message: message(t.label, where) });
  }
  return out;
}

function treeTriggers(file: ParsedFile): { node: TNode; line: number; label: string }[] {
  const out: { node: TNode; line: number; label: string }[] = [];
  for (const call of descendants(file.tree!.rootNode, ["call", "call_expression"])) {
    const fn = call.childForFieldName("function");
    const name = treeCallName(call);
    const url = call.childForFieldName("arguments")?.namedChildren[0]?.text ?? "";
    if (fn && TREE_HTTP.test(compactTreeText(fn)) && JWKS_URL.test(url)) {
      out.push({ node: call, line: line(call), label: `${fn.text.replace(/\s+/g, "")}(${url})` });
      continue;
    }
    if (file.language === "rust") {
      if (fn?.type !== "field_expression" || !RS_METHOD.test(name) || call.childForFieldName("arguments")?.namedChildCount) continue;
      out.push({ node: call, line: line(fn.childForFieldName("field")!), label: `.${name}()` });
    } else {
      // boto3 takes keyword arguments only; Powertools' parameters.get_parameter("/x") (cached) takes a positional name.
      const keys = PY_METHOD[name];
      if (fn?.type !== "attribute" || !keys) continue;
      if (!(pyKwargs(call).some((k) => keys.includes(k)) || pyHasSplat(call))) continue;
      out.push({ node: call, line: line(call), label: `${fn.childForFieldName("object")?.text ?? ""}.${name}(...)` });
    }
  }
  return out;
}

function treeDetect(file: ParsedFile, ctx: RuleContext<PathFacts>): Report[] {
  const out: Report[] = [];
  for (const t of treeTriggers(file)) {
    if (treeMemo(t.node)) continue;
    const fn = treeNamedFn(t.node);
    if (fn && treeHasCache(fn)) continue;
    const where = treeWhere(t.node, ctx.facts);
    if (where && !unknownCaller(where)) out.push({ line: t.line, message: message(t.label, where) });
  }
  return out;
}

export default defineRule<PathFacts>({
  meta: {
    scope: "service",
    id: "secret-fetch-per-request",
    category: "performance",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "Secrets Manager or SSM Parameter Store read, or a JWKS key set fetched, on every request or item without caching.",
    why: "Every GetSecretValue/GetParameter is a network round trip on the hot path. Parameter Store allows 40 reads per second per account by default and Secrets Manager bills per call, so under production traffic the service throttles (ThrottlingException) and requests fail or slow down.",
    fix: "Read the secret once at startup or through a cache with a TTL (AWS Secrets Manager caching client, Lambda Powertools parameters, the Parameters and Secrets Lambda extension, or a module-level cache with expiry); use GetParameters to read several parameters in one call.",
    docs: [
      "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html",
      "https://docs.aws.amazon.com/general/latest/gr/ssm.html",
      "https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/",
    ],
  },
  collect: (review) => pathFacts(review.files),
  detect: { typescript: tsDetect, rust: treeDetect, python: treeDetect },
  cases: [
    {
      name: "ts: the JWKS document fetched on every token check",
      language: "typescript",
      path: "src/auth.ts",
      code: `import jwt from "jsonwebtoken";

export async function authenticate(req, res, next) {
  const keys = await fetch(process.env.JWKS_URL!).then((r) => r.json());
  const key = keys.keys.find((k) => k.kid === jwt.decode(req.headers.authorization, { complete: true })?.header.kid);
  req.user = jwt.verify(req.headers.authorization, toPem(key));
  next();
}
`,
      expect: [4],
    },
    {
      name: "ts: the JWKS fetched once at module load and the key set reused by every token check",
      language: "typescript",
      path: "src/auth.ts",
      code: `import jwt from "jsonwebtoken";

const keysReady = fetch(process.env.JWKS_URL!).then((r) => r.json());

export async function authenticate(req, res, next) {
  const keys = await keysReady;
  const key = keys.keys.find((k) => k.kid === jwt.decode(req.headers.authorization, { complete: true })?.header.kid);
  req.user = jwt.verify(req.headers.authorization, toPem(key));
  next();
}
`,
      expect: [],
    },
    {
      name: "py: the JWKS fetched per request in a FastAPI dependency",
      language: "python",
      path: "app/auth.py",
      code: `import httpx
from fastapi import Depends, Request

JWKS_URL = "https://login.example.com/.well-known/jwks.json"


def current_user(request: Request):
    keys = httpx.get(JWKS_URL, timeout=5).json()
    return verify(request.headers["authorization"], keys)
`,
      expect: [8],
    },
    {
      name: "py: the JWKS fetched once and kept in a TTL cache",
      language: "python",
      path: "app/auth.py",
      code: `import httpx
from cachetools import TTLCache, cached

JWKS_URL = "https://login.example.com/.well-known/jwks.json"
_keys = TTLCache(maxsize=1, ttl=3600)


@cached(_keys)
def signing_keys():
    return httpx.get(JWKS_URL, timeout=5).json()


def current_user(request):
    return verify(request.headers["authorization"], signing_keys())
`,
      expect: [],
    },
    // ---------- TypeScript ----------
    {
      name: "ts: express route reads the Stripe key from Secrets Manager on every request",
      language: "typescript",
      path: "src/routes/payments.ts",
      code: `import { Router } from "express";
import Stripe from "stripe";
import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";

const secrets = new SecretsManagerClient({});
export const payments = Router();

payments.post("/payments", async (req, res) => {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: "prod/stripe" }));
  const stripe = new Stripe(JSON.parse(secret.SecretString!).apiKey);
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: "eur" });
  res.json({ id: intent.id });
});
`,
      expect: [9],
    },
    {
      name: "ts: Lambda handler reads an SSM parameter per invocation (SDK v2)",
      language: "typescript",
      path: "src/lambda/webhook.ts",
      code: `import AWS from "aws-sdk";
import type { APIGatewayProxyEvent } from "aws-lambda";

const ssm = new AWS.SSM();

export const handler = async (event: APIGatewayProxyEvent) => {
  const param = await ssm.getParameter({ Name: "/webhooks/signing-key", WithDecryption: true }).promise();
  const ok = verifySignature(event.body ?? "", event.headers["x-signature"], param.Parameter!.Value!);
  return { statusCode: ok ? 200 : 401, body: "" };
};
`,
      expect: [7],
    },
    {
      name: "ts: feature flags read one parameter per name in a loop",
      language: "typescript",
      path: "src/flags/flags.ts",
      code: `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";

const ssm = new SSMClient({});

export async function flagsFor(names: string[]): Promise<Record<string, boolean>> {
  const flags: Record<string, boolean> = {};
  for (const name of names) {
    const out = await ssm.send(new GetParameterCommand({ Name: "/flags/" + name }));
    flags[name] = out.Parameter?.Value === "on";
  }
  return flags;
}
`,
      expect: [8],
    },
    {
      name: "ts: client method fetches its API key before every call",
      language: "typescript",
      path: "src/clients/partner-api.ts",
      code: `import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";

export class PartnerApi {
  private readonly sm = new SecretsManagerClient({});

  private async apiKey(): Promise<string> {
    const out = await this.sm.send(new GetSecretValueCommand({ SecretId: "partner/api-key" }));
    return out.SecretString!;
  }

  async quote(sku: string) {
    const res = await fetch("https://partner.example.com/quotes/" + sku, {
      headers: { authorization: "Bearer " + (await this.apiKey()) },
      signal: AbortSignal.timeout(3000),
    });
    return res.json();
  }
}
`,
      expect: [7],
    },
    {
      name: "ts: Lambda reads the secret once during init",
      language: "typescript",
      path: "src/lambda/report.ts",
      code: `import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { Client } from "pg";

const sm = new SecretsManagerClient({});
const dbSecret = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET! }))).SecretString!);
const db = new Client({ host: dbSecret.host, user: dbSecret.username, password: dbSecret.password });
await db.connect();

export const handler = async (event: { day: string }) => {
  const { rows } = await db.query("select count(*) from orders where day = $1", [event.day]);
  return rows[0];
};
`,
      expect: [],
    },
    {
      name: "ts: module-level cache with a TTL",
      language: "typescript",
      path: "src/config/secrets.ts",
      code: `import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";

const sm = new SecretsManagerClient({});
const TTL_MS = 5 * 60_000;
let cachedKey: { value: string; fetchedAt: number } | undefined;

export async function signingKey(): Promise<string> {
  if (cachedKey && Date.now() - cachedKey.fetchedAt < TTL_MS) return cachedKey.value;
  const out = await sm.send(new GetSecretValueCommand({ SecretId: "prod/signing-key" }));
  cachedKey = { value: out.SecretString!, fetchedAt: Date.now() };
  return cachedKey.value;
}
`,
      expect: [],
    },
    {
      name: "ts: Powertools getSecret caches with maxAge inside the handler",
      language: "typescript",
      path: "src/lambda/charge.ts",
      code: `import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { getParameter } from "@aws-lambda-powertools/parameters/ssm";

export const handler = async (event: { amount: number }) => {
  const apiKey = await getSecret("prod/stripe", { maxAge: 300 });
  const currency = await getParameter("/billing/currency", { maxAge: 600 });
  return charge(String(apiKey), event.amount, currency ?? "eur");
};
`,
      expect: [],
    },
    {
      name: "ts: config loaded once at startup; comments and strings mention GetSecretValueCommand",
      language: "typescript",
      path: "src/config/load.ts",
      code: `import { SSMClient, GetParametersCommand } from "@aws-sdk/client-ssm";
import { createServer } from "./server.js";

const ssm = new SSMClient({});
const NOTE = "never send GetSecretValueCommand per request";

// Reads every parameter in one GetParametersCommand; do not call getParameter in handlers.
export async function loadConfig() {
  const out = await ssm.send(new GetParametersCommand({ Names: ["/app/db-url", "/app/redis-url"], WithDecryption: true }));
  return Object.fromEntries(out.Parameters!.map((p) => [p.Name!, p.Value!]));
}

export async function start() {
  const config = await loadConfig();
  createServer(config, NOTE).listen(8080);
}
`,
      expect: [],
    },
    // ---------- Python ----------
    {
      name: "py: FastAPI route reads the secret on every request",
      language: "python",
      path: "app/api/charges.py",
      code: `import json

import boto3
import stripe
from fastapi import APIRouter

router = APIRouter()
secrets = boto3.client("secretsmanager")


@router.post("/charges")
async def create_charge(body: ChargeIn):
    secret = secrets.get_secret_value(SecretId="prod/stripe")
    stripe.api_key = json.loads(secret["SecretString"])["api_key"]
    charge = stripe.Charge.create(amount=body.amount, currency="eur", source=body.token)
    return {"id": charge.id}
`,
      expect: [13],
    },
    {
      name: "py: Lambda handler reads an SSM parameter per invocation",
      language: "python",
      path: "app/lambdas/webhook.py",
      code: `import boto3

ssm = boto3.client("ssm")


def lambda_handler(event, context):
    key = ssm.get_parameter(Name="/webhooks/signing-key", WithDecryption=True)["Parameter"]["Value"]
    if not verify(event["body"], event["headers"].get("x-signature"), key):
        return {"statusCode": 401}
    return {"statusCode": 200}
`,
      expect: [7],
    },
    {
      name: "py: one GetParameter per flag in a loop",
      language: "python",
      path: "app/flags/store.py",
      code: `import boto3

ssm = boto3.client("ssm")


def flags_for(names: list[str]) -> dict[str, bool]:
    flags = {}
    for name in names:
        value = ssm.get_parameter(Name=f"/flags/{name}")["Parameter"]["Value"]
        flags[name] = value == "on"
    return flags
`,
      expect: [9],
    },
    {
      name: "py: repository method fetches the DB password for each connection",
      language: "python",
      path: "app/db/repository.py",
      code: `import json

import boto3
import psycopg


class ReportRepository:
    def __init__(self, secret_id: str):
        self.secret_id = secret_id
        self.sm = boto3.client("secretsmanager")

    def _dsn(self) -> str:
        secret = json.loads(self.sm.get_secret_value(SecretId=self.secret_id)["SecretString"])
        return f"postgresql://{secret['username']}:{secret['password']}@{secret['host']}/reports"

    def daily_totals(self, day):
        with psycopg.connect(self._dsn()) as conn:
            return conn.execute("select sum(total) from orders where day = %s", (day,)).fetchone()
`,
      expect: [13],
    },
    {
      name: "py: secret read once at import time",
      language: "python",
      path: "app/lambdas/report.py",
      code: `import json
import os

import boto3

_secret = json.loads(
    boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["DB_SECRET"])["SecretString"]
)


def lambda_handler(event, context):
    return {"host": _secret["host"], "day": event["day"]}
`,
      expect: [],
    },
    {
      name: "py: lru_cache around the secret read",
      language: "python",
      path: "app/config/secrets.py",
      code: `import json
from functools import lru_cache

import boto3

_sm = boto3.client("secretsmanager")


@lru_cache(maxsize=None)
def partner_api_key() -> str:
    return json.loads(_sm.get_secret_value(SecretId="partner/api")["SecretString"])["key"]


def auth_headers(request) -> dict:
    return {"Authorization": f"Bearer {partner_api_key()}", "X-Request-Id": request.id}
`,
      expect: [],
    },
    {
      name: "py: Powertools parameters with max_age in the handler",
      language: "python",
      path: "app/lambdas/charge.py",
      code: `from aws_lambda_powertools.utilities import parameters


def lambda_handler(event, context):
    api_key = parameters.get_secret("prod/stripe", max_age=300)
    currency = parameters.get_parameter("/billing/currency", max_age=600)
    return charge(api_key, event["amount"], currency)
`,
      expect: [],
    },
    {
      name: "py: caching client in the view; docstring mentions get_secret_value",
      language: "python",
      path: "app/views/partner.py",
      code: `import botocore.session
from aws_secretsmanager_caching import SecretCache, SecretCacheConfig
from flask import Blueprint, jsonify

bp = Blueprint("partner", __name__)
_cache = SecretCache(config=SecretCacheConfig(), client=botocore.session.get_session().create_client("secretsmanager"))


@bp.route("/partner/quote")
def quote():
    """Never call get_secret_value(SecretId=...) here: the cache refreshes hourly."""
    key = _cache.get_secret_string("partner/api")
    return jsonify(fetch_quote(key))
`,
      expect: [],
    },
    // ---------- Rust ----------
    {
      name: "rs: actix handler reads the secret per request",
      language: "rust",
      path: "src/routes/charges.rs",
      code: `use actix_web::{post, web, HttpResponse};

use crate::AppState;

#[post("/charges")]
async fn create_charge(state: web::Data<AppState>, body: web::Json<ChargeIn>) -> actix_web::Result<HttpResponse> {
    let secret = state
        .secrets
        .get_secret_value()
        .secret_id("prod/stripe")
        .send()
        .await
        .map_err(internal)?;
    let charge = state.stripe.charge(secret.secret_string().unwrap_or_default(), &body).await?;
    Ok(HttpResponse::Ok().json(charge))
}
`,
      expect: [9],
    },
    {
      name: "rs: Lambda handler reads an SSM parameter per event",
      language: "rust",
      path: "src/bin_handler.rs",
      code: `use lambda_runtime::{Error, LambdaEvent};
use serde_json::Value;

async fn function_handler(ssm: &aws_sdk_ssm::Client, event: LambdaEvent<Value>) -> Result<Value, Error> {
    let key = ssm.get_parameter().name("/webhooks/signing-key").with_decryption(true).send().await?;
    let ok = verify(&event.payload, key.parameter().and_then(|p| p.value()).unwrap_or_default());
    Ok(serde_json::json!({ "ok": ok }))
}
`,
      expect: [5],
    },
    {
      name: "rs: one GetParameter per flag in a loop",
      language: "rust",
      path: "src/flags.rs",
      code: `use std::collections::HashMap;

pub async fn flags_for(ssm: &aws_sdk_ssm::Client, names: &[String]) -> anyhow::Result<HashMap<String, bool>> {
    let mut flags = HashMap::new();
    for name in names {
        let out = ssm.get_parameter().name(format!("/flags/{name}")).send().await?;
        flags.insert(name.clone(), out.parameter().and_then(|p| p.value()) == Some("on"));
    }
    Ok(flags)
}
`,
      expect: [6],
    },
    {
      name: "rs: repository method fetches the DB URL on every query",
      language: "rust",
      path: "src/repo/orders.rs",
      code: `pub struct OrdersRepo {
    secrets: aws_sdk_secretsmanager::Client,
}

impl OrdersRepo {
    async fn database_url(&self) -> anyhow::Result<String> {
        let out = self.secrets.get_secret_value().secret_id("prod/orders-db").send().await?;
        Ok(out.secret_string().unwrap_or_default().to_string())
    }

    pub async fn count(&self) -> anyhow::Result<i64> {
        let pool = sqlx::PgPool::connect(&self.database_url().await?).await?;
        Ok(sqlx::query_scalar("select count(*) from orders").fetch_one(&pool).await?)
    }
}
`,
      expect: [7],
    },
    {
      name: "rs: secret read once in main",
      language: "rust",
      path: "src/main.rs",
      code: `#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = aws_config::load_from_env().await;
    let secrets = aws_sdk_secretsmanager::Client::new(&config);
    let db_url = secrets.get_secret_value().secret_id("prod/orders-db").send().await?;
    let pool = sqlx::PgPool::connect(db_url.secret_string().unwrap()).await?;
    serve(pool).await
}
`,
      expect: [],
    },
    {
      name: "rs: OnceCell caches the secret",
      language: "rust",
      path: "src/config/secret.rs",
      code: `use tokio::sync::OnceCell;

static API_KEY: OnceCell<String> = OnceCell::const_new();

pub async fn api_key(sm: &aws_sdk_secretsmanager::Client) -> anyhow::Result<&'static str> {
    let key = API_KEY
        .get_or_try_init(|| async {
            let out = sm.get_secret_value().secret_id("partner/api").send().await?;
            Ok::<_, anyhow::Error>(out.secret_string().unwrap_or_default().to_string())
        })
        .await?;
    Ok(key.as_str())
}
`,
      expect: [],
    },
    {
      name: "rs: cache with a TTL in front of the read",
      language: "rust",
      path: "src/config/cache.rs",
      code: `use std::time::Duration;

use moka::future::Cache;

pub struct SecretStore {
    sm: aws_sdk_secretsmanager::Client,
    cache: Cache<String, String>,
}

impl SecretStore {
    pub fn new(sm: aws_sdk_secretsmanager::Client) -> Self {
        Self { sm, cache: Cache::builder().time_to_live(Duration::from_secs(300)).build() }
    }

    pub async fn get(&self, id: &str) -> anyhow::Result<String> {
        if let Some(v) = self.cache.get(id).await {
            return Ok(v);
        }
        let out = self.sm.get_secret_value().secret_id(id).send().await?;
        let value = out.secret_string().unwrap_or_default().to_string();
        self.cache.insert(id.to_string(), value.clone()).await;
        Ok(value)
    }
}
`,
      expect: [],
    },
    {
      name: "rs: config loaded at startup in one call; comments mention get_secret_value",
      language: "rust",
      path: "src/config/load.rs",
      code: `pub struct Settings {
    pub db_url: String,
    pub redis_url: String,
}

// get_secret_value() per request is what we avoid: settings are read once.
pub async fn load_settings(ssm: &aws_sdk_ssm::Client) -> anyhow::Result<Settings> {
    let out = ssm.get_parameters().names("/app/db-url").names("/app/redis-url").with_decryption(true).send().await?;
    let hint = "call .get_parameter() only from here";
    tracing::debug!(hint);
    Ok(Settings::from_parameters(out.parameters()))
}
`,
      expect: [],
    },
    {
      name: "py: Flask before_request hook calls a helper that reads the signing secret",
      language: "python",
      path: "app/web/session.py",
      code: `import boto3
from flask import Blueprint, g, request

sm = boto3.client("secretsmanager")
web = Blueprint("web", __name__)


def cookie_key():
    return sm.get_secret_value(SecretId="web/cookie-key")["SecretString"]


@web.before_app_request
def load_session():
    g.session = decode_cookie(request.cookies.get("sid", ""), cookie_key())
`,
      expect: [9],
    },
    {
      name: "py: hook registered with app.before_request(fn) reads an SSM flag",
      language: "python",
      path: "app/flags/hooks.py",
      code: `import boto3
from flask import Flask, g

ssm = boto3.client("ssm")


def maintenance_mode():
    return ssm.get_parameter(Name="/ops/maintenance")["Parameter"]["Value"] == "on"


def check_maintenance():
    g.read_only = maintenance_mode()


def build_app():
    app = Flask(__name__)
    app.before_request(check_maintenance)
    return app
`,
      expect: [8],
    },
    {
      name: "py: before_request hook reads the secret through a cached helper",
      language: "python",
      path: "app/web/cached_session.py",
      code: `from functools import lru_cache

import boto3
from flask import Flask, g, request

sm = boto3.client("secretsmanager")
app = Flask(__name__)


@lru_cache(maxsize=1)
def cookie_key():
    return sm.get_secret_value(SecretId="web/cookie-key")["SecretString"]


@app.before_request
def load_session():
    g.session = decode_cookie(request.cookies.get("sid", ""), cookie_key())
`,
      expect: [],
    },
    {
      name: "py: per-tenant secret written to a module dict that is never consulted",
      language: "python",
      path: "app/tenants/keys.py",
      code: `import boto3

_ssm = boto3.client("ssm")
_last_seen = {}


def api_key_for(tenant_id: str) -> str:
    value = _ssm.get_parameter(Name=f"/tenants/{tenant_id}/api-key", WithDecryption=True)["Parameter"]["Value"]
    _last_seen[tenant_id] = value
    return _last_seen[tenant_id]
`,
      expect: [8],
    },
    {
      name: "py: per-tenant secret looked up in a module dict before the read",
      language: "python",
      path: "app/tenants/cached_keys.py",
      code: `import boto3

_ssm = boto3.client("ssm")
_keys = {}


def api_key_for(tenant_id: str) -> str:
    if tenant_id not in _keys:
        _keys[tenant_id] = _ssm.get_parameter(Name=f"/tenants/{tenant_id}/api-key", WithDecryption=True)["Parameter"]["Value"]
    return _keys[tenant_id]
`,
      expect: [],
    },
  ],
});
