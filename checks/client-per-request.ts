import { sessionCacheCases } from "./_lib/client-cache-cases.js";
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleContext } from "../src/engine/rule.js";
import {
  describeWhere, pathFacts, rsCallPath, rsUseMap, treeHasCache, treeIsReturned, treeIsStored, treeMemo, treeNamedFn, tsHasCache, tsIsReturned, treeUsedInLoop, treeValueTarget, treeWhere,
  tsFns, tsIsStored, tsMemo, tsUsedInLoop, tsValueTarget, tsWhere, type PathFacts, type Where,
} from "./_lib/performance.js";
import { pyBuildsClient, pyClassHoldsPool, RS_POOLED_PATH, TS_AWS_AGGREGATED, TS_POOLED_CLASS, TS_POOLED_FACTORY, TS_STATELESS_CLASS, tsClassHoldsPool } from "./_lib/clients.js";
import { compactTreeText, descendants, line } from "./_lib/tree.js";
import { compactText } from "./_lib/ts.js";

// Which constructors hold connections: checks/_lib/clients.ts (each from its SDK's docs).
// AWS Lambda best practices: "Initialize SDK clients and database connections outside of the function handler".
// The Rust SDK's Client docs: "Client construction is expensive due to connection thread pool
// initialization, and should be done once at application start-up". reqwest::Client: "The Client holds a
// connection pool internally, so it is advised that you create one and reuse it"; reqwest::get creates a new
// Client per call. HTTPX: "a Client instance uses HTTP connection pooling"; creating one per request loses it.

// ---------- TypeScript ----------

/** Classes the review's files define, by name, with their source (a repository client is judged by what it builds). */
const classCache = new WeakMap<ParsedFile[], Map<string, { language: string; text: string }>>();

function repoClass(name: string, files: ParsedFile[]): { language: string; text: string } | undefined {
  let found = classCache.get(files);
  if (!found) {
    found = new Map();
    for (const f of files) {
      if (f.ts) for (const c of f.ts.getDescendantsOfKind(SyntaxKind.ClassDeclaration)) if (c.getName()) found.set(c.getName()!, { language: "typescript", text: c.getText() });
      if (f.tree && f.language === "python") for (const c of descendants(f.tree.rootNode, "class_definition")) found.set(c.childForFieldName("name")?.text ?? "", { language: "python", text: c.text });
    }
    classCache.set(files, found);
  }
  return found.get(name);
}

function importedFrom(file: SourceFile, name: string): string | undefined {
  for (const imp of file.getImportDeclarations()) {
    if (imp.getDefaultImport()?.getText() === name || imp.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name)) {
      return imp.getModuleSpecifierValue();
    }
  }
  return undefined;
}

function tsConstruction(node: Node, files: ParsedFile[]): string | undefined {
  const file = node.getSourceFile();
  if (Node.isNewExpression(node)) {
    const text = node.getExpression().getText();
    const name = text.replace(/^.*\./, "");
    // a class the repository defines under a client's name is judged by what it builds (never made a client by it)
    if (/Client$/.test(name) && !TS_STATELESS_CLASS.test(name)) {
      const own = repoClass(name, files);
      return own?.language === "typescript" && !tsClassHoldsPool(own.text) ? undefined : `new ${text}(...)`;
    }
    if (TS_POOLED_CLASS.test(name) || /^AWS\./.test(text)) return `new ${text}(...)`;
    if (TS_AWS_AGGREGATED.test(name) && /^@aws-sdk\//.test(importedFrom(file, name) ?? "")) return `new ${text}(...)`;
    if (name === "Agent" && (/^https?\.Agent$/.test(text) || /^(undici|https?|node:https?|agentkeepalive)$/.test(importedFrom(file, name) ?? ""))) return `new ${text}(...)`;
    return undefined;
  }
  if (Node.isCallExpression(node)) {
    const callee = compactText(node.getExpression());
    if (!TS_POOLED_FACTORY.test(callee)) return undefined;
    if (callee === "createClient" && !/redis|supabase|libsql|@vercel\/kv|edgedb|contentful/.test(importedFrom(file, "createClient") ?? "")) return undefined;
    if (callee === "createPool" && !/mysql|pg|generic-pool|mariadb/.test(importedFrom(file, "createPool") ?? "")) return undefined;
    return `${callee}(...)`;
  }
  return undefined;
}

function tsDetect(file: ParsedFile, ctx: RuleContext<PathFacts>): Report[] {
  const out: Report[] = [];
  const nodes = [...file.ts!.getDescendantsOfKind(SyntaxKind.NewExpression), ...file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)];
  for (const node of nodes) {
    const label = tsConstruction(node, ctx.files);
    if (!label) continue;
    if (tsFns(node).some((f) => tsMemo(f)) || tsIsStored(node) || tsCredentialsCached(node, ctx.files)) continue;
    const where = tsWhere(node, ctx.facts);
    if (!where || !keep(where, tsIsReturned(node), tsValueTarget(node), (local) => tsUsedInLoop(node, local))) continue;
    out.push({ line: node.getStartLineNumber(), message: message(label, where) });
  }
  return dedupe(out);
}

/** In a plain function, a returned client is a factory (flagged where a handler or loop calls it), and a client that serves a loop is amortised. */
function keep(where: Where, returned: boolean, target: string | undefined, usedInLoop: (local: string) => boolean): boolean {
  if (where.kind !== "function") return true;
  // A free function without parameters (`get_secret()`, `initDb()`) looks like a one-shot initialiser.
  if (returned || (!where.method && !where.hasParams)) return false;
  return !(target && usedInLoop(target));
}

function message(label: string, where: Where): string {
  if (/^aws_config::/.test(label)) return `\`${label}\` loads the AWS configuration ${describeWhere(where)}: each load walks the credential provider chain again (environment, profile, IMDS/SSO calls) and builds a new HTTP client.`;
  return `\`${label}\` builds a new client ${describeWhere(where)}: each one opens new connections (TCP/TLS handshakes), resolves credentials again and throws its connection pool away.`;
}

function dedupe(reports: Report[]): Report[] {
  const seen = new Set<number>();
  return reports.filter((r) => !seen.has(r.line) && seen.add(r.line));
}

// ---------- Python ----------

function pyConstruction(call: TNode, files: ParsedFile[]): string | undefined {
  const fn = call.childForFieldName("function");
  if (!fn) return undefined;
  const text = compactTreeText(fn);
  const name = text.replace(/^.*\./, "");
  const builds = pyBuildsClient(text);
  if (builds === "pooled") return `${text}(...)`;
  if (builds === "named") {
    const own = repoClass(name, files);
    return !own || own.language !== "python" || pyClassHoldsPool(own.text) ? `${text}(...)` : undefined;
  }
  // session.client("s3") / session.resource("dynamodb")
  const first = call.childForFieldName("arguments")?.namedChildren[0];
  if (fn.type === "attribute" && /^(client|resource)$/.test(name) && first?.type === "string") return `${text}(${first.text})`;
  return undefined;
}

// ---------- clients bound to cached credentials ----------
// Decision (kept consistent across languages): a client built per call is flagged when the credentials it is built
// from are themselves fetched per call (AssumeRole in this function, or in an uncached helper it calls): the whole
// chain (AssumeRole, credential resolution, a new connection pool) runs per request, and the fix is to cache the
// (credentials, client) pair per role until expiry. A client built per call from credentials a cache hands out is
// not flagged: that is the reference paper's own fix, since per-tenant credentials cannot back one process-wide client.

const ASSUMED = /\bassume_role(_with_web_identity|_with_saml)?\b|\bAssumeRole\w*|\bassumeRole\b|\bfromTemporaryCredentials\b/;
const CACHED_NAME = /cache|cached|memo/i;

/** Is the helper `name` (defined in the review's files) a cache of credentials rather than a fresh AssumeRole? */
function cachedCredentialHelper(name: string, files: ParsedFile[]): boolean {
  if (!name) return false;
  if (CACHED_NAME.test(name)) return true;
  for (const f of files) {
    if (f.ts) {
      const fns = f.ts.getDescendants().filter((n) => (Node.isFunctionDeclaration(n) || Node.isMethodDeclaration(n)) && n.getName() === name ||
        (Node.isVariableDeclaration(n) && n.getName() === name && Boolean(n.getInitializer()) && (Node.isArrowFunction(n.getInitializer()!) || Node.isFunctionExpression(n.getInitializer()!))));
      for (const fn of fns) {
        const body = Node.isVariableDeclaration(fn) ? fn.getInitializer()! : fn;
        if (tsMemo(body) || tsHasCache(body) || !ASSUMED.test(body.getText())) return true;
      }
    } else if (f.tree) {
      for (const fn of descendants(f.tree.rootNode, ["function_item", "function_definition"])) {
        if (fn.childForFieldName("name")?.text !== name) continue;
        if (treeHasCache(fn) || !ASSUMED.test(fn.text)) return true;
      }
    }
  }
  return false;
}

/** The name of the call a local's value comes from: `creds = helper(x)`, `let c = self.cache.get(k).await?` -> "helper", "get". */
function producerName(valueText: string): string {
  const callee = /^(?:await\s+)?([\w$.:]+?)\s*(?:::<[^>]*>)?\(/.exec(valueText.trim())?.[1] ?? "";
  return callee.split(/\.|::/).pop() ?? "";
}

/**
 * `session_for(tenant).client("s3")`, `SESSIONS.get(tenant).client(..)`, or a local bound to one: a client from a
 * session (or pool) that a per-tenant cache hands out, the same fix as cached credentials (a session per tenant
 * cannot be one process-wide client either).
 */
function treeFromCachedSession(call: TNode, files: ParsedFile[]): boolean {
  const fn = call.childForFieldName("function");
  const recv = fn?.childForFieldName("object") ?? fn?.childForFieldName("value");
  if (!recv || !/^(client|resource)$/.test(fn?.childForFieldName("attribute")?.text ?? "")) return false;
  let source = recv.text;
  if (recv.type === "identifier") {
    const scope = treeNamedFn(call);
    const decl = scope ? descendants(scope, "assignment").find((d) => d.childForFieldName("left")?.text === recv.text) : undefined;
    source = decl?.childForFieldName("right")?.text ?? "";
  }
  const name = producerName(source);
  if (!name) return false;
  return files.some((f) => f.tree && descendants(f.tree.rootNode, "function_definition").some((d) => d.childForFieldName("name")?.text === name && treeHasCache(d)));
}

function treeCredentialsCached(call: TNode, file: ParsedFile, files: ParsedFile[]): boolean {
  const fn = treeNamedFn(call);
  if (!fn || ASSUMED.test(fn.text)) return false;
  let source: string | undefined;
  if (file.language === "python") {
    const kw = (call.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a?.type === "keyword_argument" && /^(aws_session_token|aws_access_key_id)$/.test(a.childForFieldName("name")?.text ?? ""));
    source = /^(\w+)/.exec(kw?.childForFieldName("value")?.text ?? "")?.[1];
  } else {
    const args = call.childForFieldName("arguments")?.text ?? "";
    const local = /^\(\s*&?\s*(\w+)\s*\)$/.exec(args)?.[1];
    const conf = local ? descendants(fn, "let_declaration").find((d) => d.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") === local)?.childForFieldName("value")?.text : args;
    source = /credentials_provider\s*\(\s*&?\s*(\w+)\s*\)/.exec(conf ?? "")?.[1];
  }
  if (!source) return false;
  const decl = descendants(fn, ["let_declaration", "assignment"]).find((d) => (d.childForFieldName("pattern") ?? d.childForFieldName("left"))?.text.replace(/^mut\s+/, "") === source);
  const value = (decl?.childForFieldName("value") ?? decl?.childForFieldName("right"))?.text ?? "";
  return cachedCredentialHelper(producerName(value), files);
}

function tsCredentialsCached(node: Node, files: ParsedFile[]): boolean {
  if (!Node.isNewExpression(node)) return false;
  const arg = node.getArguments()[0];
  if (!arg || !Node.isObjectLiteralExpression(arg)) return false;
  const prop = arg.getProperty("credentials");
  if (!prop) return false;
  const fn = tsFns(node)[0];
  if (!fn || ASSUMED.test(fn.getText())) return false;
  const value = Node.isPropertyAssignment(prop) ? prop.getInitializer()?.getText() ?? "" : prop.getText();
  const source = /^([A-Za-z_$][\w$]*)/.exec(value)?.[1];
  if (!source) return false;
  const decl = fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === source);
  return cachedCredentialHelper(producerName(decl?.getInitializer()?.getText() ?? ""), files);
}

/** Built on a cache-miss path: inside an `if` (not fresh / expired / missing) whose block stores the result on self or a global. */
function treeRefreshBranch(call: TNode): boolean {
  const fn = treeNamedFn(call);
  for (let cur = call.parent; cur && fn && cur.id !== fn.id; cur = cur.parent) {
    if (cur.type !== "if_statement" && cur.type !== "if_expression") continue;
    const cond = cur.childForFieldName("condition")?.text ?? "";
    const body = cur.childForFieldName("consequence");
    if (!body || call.startIndex < body.startIndex || call.endIndex > body.endIndex) continue;
    if (!/\bnot\b|!|is None|is_none|expired|stale|elapsed|fresh|valid|>|<|None\b/.test(cond)) continue;
    const stores = descendants(body, ["assignment", "assignment_expression"]).some((a) => /^\*?self\.\w+|^[A-Z_][A-Z0-9_]*$/.test(a.childForFieldName("left")?.text ?? ""));
    if (stores) return true;
  }
  return false;
}

// ---------- Rust ----------


function rsConstruction(call: TNode, uses: Map<string, string>): string | undefined {
  const path = rsCallPath(call, uses);
  if (!path || !RS_POOLED_PATH.some((re) => re.test(path))) return undefined;
  return `${call.childForFieldName("function")?.text}()`;
}

function treeDetect(file: ParsedFile, ctx: RuleContext<PathFacts>): Report[] {
  const uses = file.language === "rust" ? rsUseMap(file.tree!.rootNode) : new Map<string, string>();
  const out: Report[] = [];
  for (const call of descendants(file.tree!.rootNode, ["call", "call_expression"])) {
    const label = file.language === "rust" ? rsConstruction(call, uses) : pyConstruction(call, ctx.files);
    if (!label) continue;
    if (treeMemo(call) || treeIsStored(call) || treeRefreshBranch(call) || treeCredentialsCached(call, file, ctx.files) || treeFromCachedSession(call, ctx.files)) continue;
    const where = treeWhere(call, ctx.facts);
    const returned = treeIsReturned(call) || rsConstructor(call);
    if (!where || !keep(where, returned, treeValueTarget(call), (local) => treeUsedInLoop(call, local))) continue;
    out.push({ line: line(call), message: message(label, where) });
  }
  return dedupe(out);
}

/** Rust: the call sits in a constructor (`fn new_pooled(..) -> Self`, `-> Result<Self, E>`): what it builds goes into the value returned. */
function rsConstructor(call: TNode): boolean {
  const fn = treeNamedFn(call);
  const ret = fn?.type === "function_item" ? fn.childForFieldName("return_type")?.text ?? "" : "";
  return /^(Self|(anyhow::)?Result<\s*Self\b.*|Option<\s*Self\s*>)$/s.test(ret.trim());
}

export default defineRule<PathFacts>({
  meta: {
    scope: "service",
    id: "client-per-request",
    category: "performance",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "SDK, HTTP or database client or pool constructed inside a request handler, per-call method or loop.",
    why: "A client owns a connection pool, TLS sessions and resolved credentials. Building one per request or item pays connection setup (and often a credential lookup) every time, exhausts sockets or database connections under load, and adds tens to hundreds of milliseconds per call.",
    fix: "Construct the client once (module scope, constructor or startup, or a lazily initialised singleton) and reuse it; pass it into handlers through state or dependency injection.",
    docs: [
      "https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html",
      "https://docs.rs/aws-sdk-s3/latest/aws_sdk_s3/client/struct.Client.html",
      "https://docs.rs/reqwest/latest/reqwest/struct.Client.html",
      "https://www.python-httpx.org/advanced/clients/",
    ],
  },
  collect: (review) => pathFacts(review.files),
  detect: { typescript: tsDetect, rust: treeDetect, python: treeDetect },
  cases: [
    ...sessionCacheCases(),
    {
      name: "py: a pool created by the start-up handler a handler factory returns (create_start_app_handler) is start-up code",
      files: [
        {
          path: "app/core/events.py",
          code: `from fastapi import FastAPI

from app.db.events import connect_to_db


def create_start_app_handler(app: FastAPI, settings):
    async def start_app() -> None:
        await connect_to_db(app, settings)

    return start_app
`,
        },
        {
          path: "app/db/events.py",
          code: `import asyncpg
from fastapi import FastAPI


async def connect_to_db(app: FastAPI, settings) -> None:
    app.state.pool = await asyncpg.create_pool(str(settings.database_url), min_size=1, max_size=10)
`,
        },
      ],
      expect: [],
    },
    {
      name: "ts: a domain class built per request is no client, whatever its source builds",
      files: [
        {
          path: "src/files/file.mapper.ts",
          code: `import { FileType } from "./file";

export class FileMapper {
  static toDomain(raw: { id: string; path: string }): FileType {
    const file = new FileType();
    file.id = raw.id;
    file.path = raw.path;
    return file;
  }
}
`,
        },
        {
          path: "src/files/file.ts",
          changed: false,
          code: `import { S3Client } from "@aws-sdk/client-s3";

export class FileType {
  id!: string;
  path!: string;
  static s3 = new S3Client({});
}
`,
        },
      ],
      expect: [],
    },
  { name: "ts: a NestJS service method that builds and returns an S3 client, called from a route on every request", files: [
    { path: "src/storage/storage.controller.ts", code: `import { Controller, Post, Body } from "@nestjs/common";
import { StorageService } from "./storage.service";

@Controller("files")
export class StorageController {
  constructor(private readonly storageService: StorageService) {}

  @Post()
  upload(@Body() body: { key: string; data: string }) {
    return this.storageService.upload(body.key, body.data);
  }
}
` },
    { path: "src/storage/storage.service.ts", code: `import { Injectable } from "@nestjs/common";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

@Injectable()
export class StorageService {
  private s3(): S3Client {
    return new S3Client({ region: process.env.AWS_REGION });
  }

  async upload(key: string, data: string) {
    await this.s3().send(new PutObjectCommand({ Bucket: "b", Key: key, Body: data }));
  }
}
` } ], expect: ["src/storage/storage.service.ts:7"] },
  { name: "py: a factory method returning a boto3 client, called from a route through the module-level service", files: [
    { path: "app/routes.py", code: `from fastapi import APIRouter
from app.storage import Storage

router = APIRouter()
storage = Storage()


@router.post("/files/{key}")
def upload(key: str, body: str):
    storage.upload(key, body)
` },
    { path: "app/storage.py", code: `import boto3


class Storage:
    def _client(self):
        return boto3.client("s3")

    def upload(self, key, body):
        self._client().put_object(Bucket="b", Key=key, Body=body)
` } ], expect: ["app/storage.py:6"] },
  { name: "py: a client factory object held in a module variable, asked for a client on every request", files: [
    { path: "app/aws.py", code: `import boto3


class AwsClientFactory:
    def __init__(self, region):
        self.region = region

    def get_client(self, service, tenant_id):
        return boto3.client(service, region_name=self.region)
` }, { path: "app/routes.py", code: `from fastapi import APIRouter, Depends
from app.aws import AwsClientFactory

router = APIRouter()
factory = AwsClientFactory("eu-west-1")


@router.get("/buckets/{tenant_id}")
def buckets(tenant_id: str):
    s3 = factory.get_client("s3", tenant_id)
    return s3.list_buckets()
` } ], expect: ["app/aws.py:9"] },
  { name: "py: the factory method runs only in __init__; the route uses the stored client", files: [
    { path: "app/routes.py", code: `from fastapi import APIRouter
from app.storage import Storage

router = APIRouter()
storage = Storage()


@router.post("/files/{key}")
def upload(key: str, body: str):
    storage.upload(key, body)
` },
    { path: "app/storage.py", code: `import boto3


class Storage:
    def __init__(self):
        self._s3 = self._client()

    def _client(self):
        return boto3.client("s3")

    def upload(self, key, body):
        self._s3.put_object(Bucket="b", Key=key, Body=body)
` } ], expect: [] },
  { name: "ts: the NestJS factory method runs only in onModuleInit; the route uses the stored client", files: [
    { path: "src/storage/storage.controller.ts", code: `import { Controller, Post, Body } from "@nestjs/common";
import { StorageService } from "./storage.service";

@Controller("files")
export class StorageController {
  constructor(private readonly storageService: StorageService) {}

  @Post()
  upload(@Body() body: { key: string; data: string }) {
    return this.storageService.upload(body.key, body.data);
  }
}
` },
    { path: "src/storage/storage.service.ts", code: `import { Injectable, OnModuleInit } from "@nestjs/common";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

@Injectable()
export class StorageService implements OnModuleInit {
  private client!: S3Client;

  onModuleInit() {
    this.client = this.s3();
  }

  private s3(): S3Client {
    return new S3Client({ region: process.env.AWS_REGION });
  }

  async upload(key: string, data: string) {
    await this.client.send(new PutObjectCommand({ Bucket: "b", Key: key, Body: data }));
  }
}
` } ], expect: [] },
    {
      name: "rust: a constructor (-> Self) that opens the client in a match arm",
      language: "rust",
      path: "src/redis/mod.rs",
      code: `impl RedisManager {
    pub async fn new_unpooled(dsn: &str, clustered: bool) -> Self {
        match clustered {
            true => {
                let cli = redis::cluster::ClusterClient::new(vec![dsn]).expect("cluster client");
                RedisManager::Clustered(cli.get_async_connection().await.expect("connection"))
            }
            false => {
                let pool = bb8::Pool::builder().max_size(8).build(RedisConnectionManager::new(dsn).unwrap()).await.unwrap();
                RedisManager::Pooled(pool)
            }
        }
    }
}
`,
      expect: [],
    },
    {
      name: "rust: a pool factory that configures, builds and returns the pool wrapped in an enum",
      language: "rust",
      path: "src/redis/mod.rs",
      code: `pub enum RedisManager {
    Pooled(bb8::Pool<RedisConnectionManager>),
}

impl RedisManager {
    pub async fn new_pooled(dsn: &str, max_conns: u16) -> Self {
        let mgr = RedisConnectionManager::new(dsn).expect("redis client");
        let pool = bb8::Pool::builder()
            .max_size(max_conns.into())
            .build(mgr)
            .await
            .expect("redis pool");
        RedisManager::Pooled(pool)
    }
}
`,
      expect: [],
    },
    // ---------- TypeScript ----------
    {
      name: "ts: DynamoDB client built inside the express route",
      language: "typescript",
      path: "src/routes/orders.ts",
      code: `import { Router } from "express";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

export const orders = Router();

orders.get("/orders/:id", async (req, res) => {
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));
  const out = await ddb.send(new GetCommand({ TableName: "orders", Key: { pk: req.params.id } }));
  res.json(out.Item ?? null);
});
`,
      expect: [8],
    },
    {
      name: "ts: repository function opens a pg pool per call",
      language: "typescript",
      path: "src/repositories/users.ts",
      code: `import { Pool } from "pg";

export async function findUserByEmail(email: string) {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  try {
    const { rows } = await pool.query("select * from users where email = $1", [email]);
    return rows[0] ?? null;
  } finally {
    await pool.end();
  }
}
`,
      expect: [4],
    },
    {
      name: "ts: S3 client created per item in a loop",
      language: "typescript",
      path: "src/services/exporter.ts",
      code: `import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

export class Exporter {
  constructor(private readonly bucket: string) {}

  async exportAll(reports: { key: string; body: string; region: string }[]) {
    for (const report of reports) {
      const s3 = new S3Client({ region: report.region });
      await s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: report.key, Body: report.body }));
    }
  }
}
`,
      expect: [8],
    },
    {
      name: "ts: factory called from the Lambda handler builds an axios instance per invocation",
      language: "typescript",
      path: "src/lambda/sync.ts",
      code: `import axios from "axios";

function crmApi(token: string) {
  return axios.create({ baseURL: "https://crm.example.com/api", headers: { authorization: "Bearer " + token }, timeout: 5000 });
}

export const handler = async (event: { contactId: string }) => {
  const api = crmApi(process.env.CRM_TOKEN!);
  const { data } = await api.get("/contacts/" + event.contactId);
  return data;
};
`,
      expect: [4],
    },
    {
      name: "ts: Redis client per request via createClient",
      language: "typescript",
      path: "src/middleware/rate-limit.ts",
      code: `import { createClient } from "redis";
import type { Request, Response, NextFunction } from "express";

export async function rateLimit(req: Request, res: Response, next: NextFunction) {
  const redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  const hits = await redis.incr("rl:" + req.ip);
  await redis.quit();
  if (hits > 100) return res.status(429).end();
  next();
}
`,
      expect: [5],
    },
    {
      name: "ts: clients at module scope, reused by the handler",
      language: "typescript",
      path: "src/routes/orders.ts",
      code: `import { Router } from "express";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const orders = Router();

orders.get("/orders/:id", async (req, res) => {
  const out = await ddb.send(new GetCommand({ TableName: "orders", Key: { pk: req.params.id } }));
  res.json(out.Item ?? null);
});
`,
      expect: [],
    },
    {
      name: "ts: client created in the constructor and lazily per region in a map",
      language: "typescript",
      path: "src/services/storage.ts",
      code: `import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";

export class Storage {
  private readonly primary: S3Client;
  private readonly byRegion = new Map<string, S3Client>();

  constructor(region: string) {
    this.primary = new S3Client({ region });
  }

  private clientFor(region: string): S3Client {
    let client = this.byRegion.get(region);
    if (!client) {
      client = new S3Client({ region });
      this.byRegion.set(region, client);
    }
    return client;
  }

  async read(region: string, bucket: string, key: string) {
    return this.clientFor(region).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  }
}
`,
      expect: [],
    },
    {
      name: "ts: lazily initialised singleton with ??=",
      language: "typescript",
      path: "src/db/prisma.ts",
      code: `import { PrismaClient } from "@prisma/client";

let prisma: PrismaClient | undefined;

export function db(): PrismaClient {
  prisma ??= new PrismaClient();
  return prisma;
}

export async function userById(id: string) {
  return db().user.findUnique({ where: { id } });
}
`,
      expect: [],
    },
    {
      name: "ts: factory used once at startup; strings mention new S3Client",
      language: "typescript",
      path: "src/app.ts",
      code: `import express from "express";
import { S3Client } from "@aws-sdk/client-s3";

const HINT = "do not call new S3Client() in a route";

// makeS3 builds the one client the app uses.
function makeS3(region: string) {
  return new S3Client({ region });
}

const s3 = makeS3(process.env.AWS_REGION ?? "eu-west-1");
export const app = express();

app.get("/health", (_req, res) => {
  res.json({ ok: true, hint: HINT, region: s3.config.region });
});
`,
      expect: [],
    },
    {
      name: "ts: clients grouped in an object literal and kept in a module map per region; an uncached factory of the same shape",
      files: [
        {
          path: "src/aws/regional.ts",
          code: `import { KinesisClient } from "@aws-sdk/client-kinesis";
import { SNSClient } from "@aws-sdk/client-sns";

type Regional = { kinesis: KinesisClient; sns: SNSClient };
const perRegion = new Map<string, Regional>();

export function regional(region: string): Regional {
  const known = perRegion.get(region);
  if (known) return known;
  const built = {
    kinesis: new KinesisClient({ region }),
    sns: new SNSClient({ region }),
  };
  perRegion.set(region, built);
  return built;
}

export function unpooled(region: string): Regional {
  return { kinesis: new KinesisClient({ region }), sns: new SNSClient({ region }) };
}
`,
        },
        {
          path: "src/handlers/fanout.ts",
          code: `import { regional, unpooled } from "../aws/regional";

export const handler = async (event: { region: string }) => {
  const cached = regional(event.region);
  const fresh = unpooled(event.region);
  return [cached, fresh];
};
`,
        },
      ],
      expect: ["src/aws/regional.ts:19"],
    },
    // ---------- Python ----------
    {
      name: "py: FastAPI route opens an httpx.AsyncClient per request",
      language: "python",
      path: "app/api/rates.py",
      code: `import httpx
from fastapi import APIRouter

router = APIRouter()


@router.get("/rates/{currency}")
async def get_rate(currency: str):
    async with httpx.AsyncClient(timeout=5.0) as client:
        resp = await client.get(f"https://fx.example.com/rates/{currency}")
        resp.raise_for_status()
    return resp.json()
`,
      expect: [9],
    },
    {
      name: "py: Lambda handler builds the boto3 client on each invocation",
      language: "python",
      path: "app/lambdas/thumbnail.py",
      code: `import boto3


def lambda_handler(event, context):
    s3 = boto3.client("s3")
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        s3.copy_object(Bucket="thumbs", Key=key, CopySource={"Bucket": "uploads", "Key": key})
    return {"ok": True}
`,
      expect: [5],
    },
    {
      name: "py: repository method creates a DynamoDB resource per call",
      language: "python",
      path: "app/repositories/orders.py",
      code: `import boto3


class OrderRepository:
    def __init__(self, table_name: str):
        self.table_name = table_name

    def get(self, order_id: str):
        table = boto3.resource("dynamodb").Table(self.table_name)
        return table.get_item(Key={"pk": order_id}).get("Item")

    def put(self, order: dict):
        boto3.resource("dynamodb").Table(self.table_name).put_item(Item=order)
`,
      expect: [9, 13],
    },
    {
      name: "py: dependency returns a new requests.Session for every request",
      language: "python",
      path: "app/deps.py",
      code: `import requests
from fastapi import Depends, FastAPI

app = FastAPI()


def partner_session() -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = "Bearer token"
    return session


@app.get("/partner/{item_id}")
def partner_item(item_id: str, http: requests.Session = Depends(partner_session)):
    return http.get(f"https://partner.example.com/items/{item_id}", timeout=5).json()
`,
      expect: [8],
    },
    {
      name: "py: module-level client reused by the handler",
      language: "python",
      path: "app/lambdas/thumbnail.py",
      code: `import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        s3.copy_object(Bucket="thumbs", Key=key, CopySource={"Bucket": "uploads", "Key": key})
    return {"ok": True}
`,
      expect: [],
    },
    {
      name: "py: client built in __init__ and a cached factory",
      language: "python",
      path: "app/services/search.py",
      code: `from functools import lru_cache

import httpx
from opensearchpy import OpenSearch


@lru_cache(maxsize=1)
def http_client() -> httpx.Client:
    return httpx.Client(timeout=5.0)


class SearchService:
    def __init__(self, host: str):
        self.client = OpenSearch(hosts=[host])

    def search(self, request, query: str):
        return self.client.search(index="products", body={"query": {"match": {"name": query}}})
`,
      expect: [],
    },
    {
      name: "py: lifespan creates the AsyncClient once and stores it on app.state",
      language: "python",
      path: "app/main.py",
      code: `from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.http = httpx.AsyncClient(timeout=5.0)
    yield
    await app.state.http.aclose()


app = FastAPI(lifespan=lifespan)


@app.get("/rates/{currency}")
async def get_rate(currency: str, request: Request):
    resp = await request.app.state.http.get(f"https://fx.example.com/rates/{currency}")
    return resp.json()
`,
      expect: [],
    },
    {
      name: "py: batch job reuses one client for the whole loop; comments mention boto3.client per request",
      language: "python",
      path: "app/jobs/reindex.py",
      code: `import httpx


def reindex(ids: list[str]) -> int:
    # one client for all ids (never httpx.Client() per request)
    done = 0
    with httpx.Client(base_url="https://search.internal", timeout=10.0) as client:
        for doc_id in ids:
            client.post(f"/reindex/{doc_id}")
            done += 1
    return done
`,
      expect: [],
    },
    {
      name: "py: clients grouped in a dict and cached per region in a module dict; an uncached dict factory",
      files: [
        {
          path: "app/aws/regional.py",
          code: `import boto3

_REGIONAL = {}


def regional(region):
    known = _REGIONAL.get(region)
    if known is not None:
        return known
    built = {
        "kinesis": boto3.client("kinesis", region_name=region),
        "sns": boto3.client("sns", region_name=region),
    }
    _REGIONAL[region] = built
    return built


def unpooled(region):
    return {"kinesis": boto3.client("kinesis", region_name=region)}
`,
        },
        {
          path: "app/handlers/fanout.py",
          code: `from app.aws.regional import regional, unpooled


def lambda_handler(event, context):
    cached = regional(event["region"])
    fresh = unpooled(event["region"])
    return [cached, fresh]
`,
        },
      ],
      expect: ["app/aws/regional.py:19"],
    },
    // ---------- Rust ----------
    {
      name: "rs: axum handler builds a reqwest client per request",
      language: "rust",
      path: "src/routes/rates.rs",
      code: `use axum::{extract::Path, Json};
use reqwest::Client;

pub async fn rate(Path(currency): Path<String>) -> Result<Json<Rate>, ApiError> {
    let client = Client::builder().timeout(std::time::Duration::from_secs(5)).build()?;
    let rate = client
        .get(format!("https://fx.example.com/rates/{currency}"))
        .send()
        .await?
        .json::<Rate>()
        .await?;
    Ok(Json(rate))
}
`,
      expect: [5],
    },
    {
      name: "rs: Lambda handler loads the AWS config and client per event",
      language: "rust",
      path: "src/handler.rs",
      code: `use lambda_runtime::{Error, LambdaEvent};
use serde_json::Value;

pub async fn function_handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let config = aws_config::load_from_env().await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    let id = event.payload["id"].as_str().unwrap_or_default().to_string();
    let item = ddb.get_item().table_name("orders").key("pk", AttributeValue::S(id)).send().await?;
    Ok(serde_json::json!({ "found": item.item().is_some() }))
}
`,
      expect: [5, 6],
    },
    {
      name: "rs: reqwest::get inside a loop creates a client per URL",
      language: "rust",
      path: "src/jobs/prices.rs",
      code: `pub async fn fetch_prices(symbols: &[String]) -> anyhow::Result<Vec<Price>> {
    let mut prices = Vec::new();
    for symbol in symbols {
        let price: Price = reqwest::get(format!("https://prices.example.com/{symbol}")).await?.json().await?;
        prices.push(price);
    }
    Ok(prices)
}
`,
      expect: [4],
    },
    {
      name: "rs: repository method opens a sqlx pool per query",
      language: "rust",
      path: "src/repo/users.rs",
      code: `use sqlx::postgres::PgPoolOptions;

pub struct UserRepo {
    url: String,
}

impl UserRepo {
    pub async fn count(&self) -> anyhow::Result<i64> {
        let pool = PgPoolOptions::new().max_connections(5).connect(&self.url).await?;
        Ok(sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await?)
    }
}
`,
      expect: [9],
    },
    {
      name: "rs: clients built in main and shared through state",
      language: "rust",
      path: "src/main.rs",
      code: `use std::sync::Arc;

use reqwest::Client;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = aws_config::load_from_env().await;
    let state = Arc::new(AppState {
        ddb: aws_sdk_dynamodb::Client::new(&config),
        http: Client::builder().timeout(std::time::Duration::from_secs(5)).build()?,
    });
    serve(state).await
}
`,
      expect: [],
    },
    {
      name: "rs: constructor builds the client once",
      language: "rust",
      path: "src/clients/fx.rs",
      code: `use reqwest::Client;

pub struct FxClient {
    http: Client,
    base: String,
}

impl FxClient {
    pub fn new(base: String) -> anyhow::Result<Self> {
        let http = Client::builder().timeout(std::time::Duration::from_secs(5)).build()?;
        Ok(Self { http, base })
    }

    pub async fn rate(&self, currency: &str) -> anyhow::Result<Rate> {
        Ok(self.http.get(format!("{}/rates/{currency}", self.base)).send().await?.json().await?)
    }
}
`,
      expect: [],
    },
    {
      name: "rs: lazily initialised static client",
      language: "rust",
      path: "src/http.rs",
      code: `use std::sync::OnceLock;

use reqwest::Client;

static HTTP: OnceLock<Client> = OnceLock::new();

pub fn http() -> &'static Client {
    HTTP.get_or_init(|| Client::builder().pool_max_idle_per_host(16).build().expect("http client"))
}

pub async fn fetch(url: &str) -> anyhow::Result<String> {
    Ok(http().get(url).send().await?.text().await?)
}
`,
      expect: [],
    },
    {
      name: "rs: a different Client type; comments mention reqwest::Client::new()",
      language: "rust",
      path: "src/routes/metrics.rs",
      code: `use axum::extract::State;

use crate::metrics::Client;

// reqwest::Client::new() per request was removed here.
pub async fn scrape(State(state): State<AppState>) -> String {
    let local = Client::new(&state.registry);
    let note = "Client::builder() lives in main";
    format!("{}{}", local.render(), note.len())
}
`,
      expect: [],
    },
    {
      name: "py: celery tasks build clients per message; clients from credentials assumed per call are flagged (the boto3 Session itself is configuration)",
      path: "app/tasks.py",
      code: `import boto3
from celery import shared_task

sts = boto3.client("sts")

def tenant_session(arn):
    creds = sts.assume_role(RoleArn=arn, RoleSessionName="x")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])

def list_buckets(session, prefix):
    s3 = session.client("s3")
    return [b for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(prefix)]

@shared_task
def sweep(tenant_id, arns):
    for arn in arns:
        list_buckets(tenant_session(arn), tenant_id)
    sqs = boto3.client("sqs")
    for arn in arns:
        sqs.send_message(QueueUrl="q", MessageBody=arn)

@app.task(bind=True)
def plain(self, ids):
    ddb = boto3.resource("dynamodb")
    return ddb.Table("t").get_item(Key={"id": ids[0]})
`,
      expect: [11, 18, 24],
    },
    {
      name: "py: client built only on the cache-miss path that refreshes a cached value; an uncached method",
      path: "app/token.py",
      code: `import time
import boto3

class Token:
    def __init__(self, session):
        self._session = session
        self._value = None
        self._at = 0.0

    def get(self):
        if self._value is None or time.monotonic() - self._at > 300:
            client = self._session.client("ssm")
            self._value = client.get_parameter(Name="/x")["Parameter"]["Value"]
            self._at = time.monotonic()
        return self._value

    def always(self, name):
        client = self._session.client("ssm")
        return client.get_parameter(Name=name)["Parameter"]["Value"]
`,
      expect: [18],
    },
    {
      name: "py: client per call from cached assumed-role credentials (the paper's fix) is fine; from credentials assumed right there it is not",
      path: "app/handler.py",
      code: `import time
import boto3

sts = boto3.client("sts")
_creds = {}

def _credentials(role_arn):
    hit = _creds.get(role_arn)
    if hit and hit["Expiration"].timestamp() - time.time() > 300:
        return hit
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="x")["Credentials"]
    _creds[role_arn] = creds
    return creds

def handler(event, context):
    creds = _credentials(event["role_arn"])
    s3 = boto3.client("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    return s3.list_buckets()

def handler2(event, context):
    creds = sts.assume_role(RoleArn=event["role_arn"], RoleSessionName="x")["Credentials"]
    s3 = boto3.client("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    return s3.list_buckets()
`,
      expect: [22],
    },
    {
      name: "rs: client per request from a credentials cache is the paper's fix; one from credentials assumed in the handler, and a plain client, are flagged",
      path: "src/routes/objects.rs",
      code: `use aws_sdk_s3::Client as S3;
use axum::extract::{Path, State};
use std::collections::HashMap;
use tokio::sync::RwLock;

pub struct CredCache { entries: RwLock<HashMap<String, aws_credential_types::Credentials>> }

impl CredCache {
    pub async fn for_account(&self, account: &str) -> Result<aws_credential_types::Credentials, Error> {
        if let Some(c) = self.entries.read().await.get(account) {
            if c.expiry().map_or(false, |e| e > std::time::SystemTime::now() + std::time::Duration::from_secs(300)) {
                return Ok(c.clone());
            }
        }
        let fresh = refresh(account).await?;
        self.entries.write().await.insert(account.to_owned(), fresh.clone());
        Ok(fresh)
    }
}

pub async fn list_objects(State(state): State<AppState>, Path(account): Path<String>) -> Result<String, Error> {
    let creds = state.creds.for_account(&account).await?;
    let conf = aws_sdk_s3::config::Builder::from(&state.base).credentials_provider(creds).build();
    let s3 = S3::from_conf(conf);
    let out = s3.list_objects_v2().bucket("exports").send().await?;
    Ok(format!("{}", out.key_count().unwrap_or(0)))
}

pub async fn list_fresh(State(state): State<AppState>, Path(account): Path<String>) -> Result<String, Error> {
    let out = state.sts.assume_role().role_arn(format!("arn:aws:iam::{account}:role/r")).role_session_name("s").send().await?;
    let c = out.credentials().unwrap();
    let creds = aws_credential_types::Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_owned()), None, "sts");
    let conf = aws_sdk_s3::config::Builder::from(&state.base).credentials_provider(creds).build();
    let s3 = S3::from_conf(conf);
    let plain = aws_sdk_sqs::Client::new(&state.base);
    let out = s3.list_objects_v2().bucket("exports").send().await?;
    plain.send_message().queue_url("q").message_body("x").send().await?;
    Ok(format!("{}", out.key_count().unwrap_or(0)))
}
`,
      expect: [34, 35],
    },
    {
      name: "ts: client from credentials assumed in the handler, and from static env credentials, per request",
      path: "src/routes/buckets.ts",
      code: `import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";
const sts = new STSClient({});
export async function tenantBuckets(req: any, res: any) {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: req.user.roleArn, RoleSessionName: "x" }));
  const s3 = new S3Client({ credentials: { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken } });
  res.json(await s3.send(new ListBucketsCommand({})));
}
export async function plain(req: any, res: any) {
  const s3 = new S3Client({ credentials: { accessKeyId: process.env.K!, secretAccessKey: process.env.S! } });
  res.json(await s3.send(new ListBucketsCommand({})));
}
`,
      expect: [6, 10],
    },
    {
      name: "ts: client per request from a cached credentials helper (another file) is the paper's fix; from an uncached helper it is flagged",
      files: [
        { path: "src/aws/credential-cache.ts", code: `import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
const sts = new STSClient({});
const cache = new Map<string, { creds: any; expires: number }>();
export async function credentialsFor(roleArn: string) {
  const hit = cache.get(roleArn);
  if (hit && hit.expires - Date.now() > 300_000) return hit.creds;
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "x" }));
  const creds = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken };
  cache.set(roleArn, { creds, expires: out.Credentials!.Expiration!.getTime() });
  return creds;
}
export async function freshCredentials(roleArn: string) {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "x" }));
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken };
}
` },
        { path: "src/routes/buckets.ts", code: `import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";
import { credentialsFor, freshCredentials } from "../aws/credential-cache";

export async function cachedBuckets(req: any, res: any) {
  const credentials = await credentialsFor(req.user.roleArn);
  const s3 = new S3Client({ region: "eu-west-1", credentials });
  res.json(await s3.send(new ListBucketsCommand({})));
}

export async function freshBuckets(req: any, res: any) {
  const credentials = await freshCredentials(req.user.roleArn);
  const s3 = new S3Client({ region: "eu-west-1", credentials });
  res.json(await s3.send(new ListBucketsCommand({})));
}
` },
      ],
      expect: ["src/routes/buckets.ts:12"],
    },
  ],
});
