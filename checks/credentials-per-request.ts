import { Node, SyntaxKind } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleContext } from "../src/engine/rule.js";
import {
  describeWhere, expiryPolarity, isInverted, mentionsExpiry, pathFacts, pyHasSplat, pyKwargs, treeCallName, treeHasCache,
  treeIsStored, treeMemo, treeNamedFn, treeWhere, tsFns, tsFnName, tsHasCache, tsIsStored, tsMemo, tsWhere, type Branch, type PathFacts, type Where,
} from "./_lib/performance.js";
import { compactTreeText, descendants, line } from "./_lib/tree.js";
import { ancestorOfKind } from "./_lib/ts.js";

// AWS STS API reference (AssumeRole): "By default, the temporary security credentials created by AssumeRole last
// for one hour." Each call is a network round trip to STS, so credentials are meant to be reused until they expire.

const TS_COMMAND = /^AssumeRole(WithWebIdentity|WithSAML)?Command$/;
const TS_METHOD = /^assumeRole(WithWebIdentity|WithSAML)?$/;
const PY_METHOD = /^assume_role(_with_web_identity|_with_saml)?$/;

interface Trigger {
  node: Node;
  line: number;
  label: string;
  /** A refreshing provider (fromTemporaryCredentials, AssumeRoleProvider): only wrong when rebuilt per request or item. */
  provider?: boolean;
}

function tsTriggers(file: ParsedFile): Trigger[] {
  const out: Trigger[] = [];
  // import { AssumeRoleCommand as Assume } from "@aws-sdk/client-sts"
  const aliases = new Map<string, string>();
  for (const d of file.ts!.getImportDeclarations()) {
    for (const n of d.getNamedImports()) if (n.getAliasNode()) aliases.set(n.getAliasNode()!.getText(), n.getName());
  }
  for (const n of file.ts!.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const local = n.getExpression().getText().replace(/^.*\./, "");
    const name = aliases.get(local) ?? local;
    if (/^(Chainable)?TemporaryCredentials$/.test(name)) {
      out.push({ node: n, line: n.getStartLineNumber(), label: `new ${n.getExpression().getText()}(...)`, provider: true });
      continue;
    }
    if (!TS_COMMAND.test(name)) continue;
    const send = n.getParentIfKind(SyntaxKind.CallExpression);
    const at = send && /\.send$/.test(send.getExpression().getText()) ? send : n;
    out.push({ node: n, line: at.getStartLineNumber(), label: `new ${name}(...)` });
  }
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const expr = call.getExpression();
    if (/^(\w+\.)?fromTemporaryCredentials$/.test(expr.getText())) {
      out.push({ node: call, line: call.getStartLineNumber(), label: `${expr.getText()}(...)`, provider: true });
      continue;
    }
    if (!Node.isPropertyAccessExpression(expr) || !TS_METHOD.test(expr.getName())) continue;
    const recv = expr.getExpression().getText();
    const arg = call.getArguments()[0];
    const params = arg && Node.isObjectLiteralExpression(arg) && arg.getProperty("RoleArn");
    const promised = /^\.promise\(/.test(call.getParent()?.getText().slice(call.getText().length) ?? "");
    if (recv === "this" || !(params || promised || /sts/i.test(recv))) continue;
    out.push({ node: call, line: call.getStartLineNumber(), label: `${recv}.${expr.getName()}(...)` });
  }
  return out;
}

function tsBranch(stmt: Node, triggers: Trigger[]): Branch {
  const then = Node.isIfStatement(stmt) ? stmt.getThenStatement() : undefined;
  if (!then) return undefined;
  const refresh = triggers.some((t) => then.containsRange(t.node.getPos(), t.node.getEnd())) ||
    then.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => /refresh|renew|assume/i.test(c.getExpression().getText().replace(/^.*\./, "")));
  if (refresh) return "refresh";
  return Node.isReturnStatement(then) || then.getDescendantsOfKind(SyntaxKind.ReturnStatement).length ? "reuse" : undefined;
}

/** Comparisons of an expiry with the clock whose guarded branch does the opposite of what the comparison says. */
function tsInverted(fn: Node, triggers: Trigger[]): Report[] {
  const out: Report[] = [];
  for (const bin of fn.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const polarity = expiryPolarity(bin.getLeft().getText(), bin.getOperatorToken().getText(), bin.getRight().getText());
    if (!polarity) continue;
    let cur: Node = bin;
    while (cur.getParent() && (Node.isParenthesizedExpression(cur.getParent()!) ||
      (Node.isBinaryExpression(cur.getParent()!) && /^(&&|\|\|)$/.test((cur.getParent() as any).getOperatorToken().getText())))) cur = cur.getParent()!;
    const stmt = cur.getParent();
    if (!stmt || !Node.isIfStatement(stmt) || stmt.getExpression() !== cur) continue;
    if (isInverted(polarity, tsBranch(stmt, triggers))) out.push({ line: bin.getStartLineNumber(), message: invertedMessage(bin.getText()) });
  }
  return out;
}

function invertedMessage(cmp: string): string {
  return `The expiry check \`${cmp}\` is inverted: cached STS credentials are reused once they have expired (and refreshed while still valid), so calls fail with ExpiredToken.`;
}

function perRequestMessage(label: string, where: Where, provider?: boolean): string {
  if (provider) return `\`${label}\` creates a new assume-role credential provider ${describeWhere(where)}: its credential cache starts empty each time, so every use calls STS AssumeRole again (200–500 ms).`;
  return `\`${label}\` calls STS AssumeRole ${describeWhere(where)}, with no credential cache: each call adds 200–500 ms although the credentials stay valid for up to an hour.`;
}

function foreverMessage(label: string): string {
  return `\`${label}\`: the assumed-role credentials are cached with no expiry check; after they expire (one hour by default) every call using them fails with ExpiredToken.`;
}

/** The file compares an expiry with the clock, or configures a TTL / refresh somewhere. */
function tsChecksExpiry(fn: Node): boolean {
  const scope: Node = ancestorOfKind(fn, SyntaxKind.ClassDeclaration) ?? fn.getSourceFile();
  if (mentionsExpiry(scope.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()))) return true;
  return scope.getDescendantsOfKind(SyntaxKind.BinaryExpression).some((b) => /^(<|<=|>|>=)$/.test(b.getOperatorToken().getText()) && EXPIRY_WORD.test(b.getText()));
}

function treeChecksExpiry(fn: TNode): boolean {
  let scope = fn;
  while (scope.parent && !/^(class_definition|impl_item)$/.test(scope.type)) scope = scope.parent;
  if (mentionsExpiry(descendants(scope, ["identifier", "field_identifier"]).map((n) => n.text))) return true;
  return descendants(scope, ["comparison_operator", "binary_expression"]).some((b) => /[<>]/.test(b.text) && EXPIRY_WORD.test(b.text));
}

// Expiry or age comparisons: `exp > now`, `fetched.elapsed() < Duration::from_secs(..)`, `now - cached_at < TTL`.
const EXPIRY_WORD = /expir|\bexp\b|valid_?until|not_?after|elapsed|\bage\b|fetched|cached_?at|Duration::|timedelta|ttl|max_?age/i;

/**
 * The callers of a fetch helper when every call of it (in the PR's files) sits in a function that caches the result;
 * [] when it has no visible caller, or any call of it (or of a same-named method on another receiver) is uncached.
 */
function tsCachingCallers(fn: Node, files: ParsedFile[]): Node[] {
  const name = tsFnName(fn);
  if (!name || name === "constructor") return [];
  const callers: Node[] = [];
  for (const f of files) {
    if (!f.ts) continue;
    for (const call of f.ts.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const expr = call.getExpression();
      const callee = expr.getText();
      const own = callee === name || callee === `this.${name}` || callee === `this.#${name}`;
      if (!own && !(Node.isPropertyAccessExpression(expr) && expr.getName() === name)) continue;
      const outer = tsFns(call);
      if (outer.includes(fn)) continue; // recursion
      if (!own) return []; // `other.name(...)`: which function it reaches is unknown
      const caller = outer.find((x) => tsFnName(x)) ?? outer[0];
      if (!caller) return [];
      if (outer.some((x) => tsMemo(x))) continue;
      if (!tsHasCache(caller)) return [];
      if (!callers.includes(caller)) callers.push(caller);
    }
  }
  return callers;
}

/** Rust/Python counterpart of tsCachingCallers: `fn fetch(&self, role)` called only from a method that caches by role. */
function treeCachingCallers(fn: TNode, files: ParsedFile[]): TNode[] {
  const name = fn.childForFieldName("name")?.text ?? "";
  if (!name) return [];
  const lang = fn.type === "function_item" ? "rust" : "python";
  const callers: TNode[] = [];
  for (const f of files) {
    if (!f.tree || f.language !== lang) continue;
    for (const call of descendants(f.tree.rootNode, ["call", "call_expression"])) {
      if (treeCallName(call) !== name) continue;
      const callee = compactTreeText(call.childForFieldName("function"));
      const own = callee === name || callee === `self.${name}` || callee === `cls.${name}` || callee === `Self::${name}`;
      const caller = treeNamedFn(call);
      if (caller && caller.id === fn.id && f.tree === fn.tree) continue; // recursion
      if (!own || !caller) return [];
      if (treeMemo(call)) continue;
      if (!treeHasCache(caller)) return [];
      if (!callers.some((c) => c.id === caller.id && c.tree === caller.tree)) callers.push(caller);
    }
  }
  return callers;
}

function tsDetect(file: ParsedFile, ctx: RuleContext<PathFacts>): Report[] {
  const triggers = tsTriggers(file);
  const out: Report[] = [];
  const seen = new Set<Node>();
  for (const t of triggers) {
    const fns = tsFns(t.node);
    if (t.provider && (fns.some((f) => tsMemo(f)) || tsIsStored(t.node) || fns.some((f) => tsHasCache(f)))) continue;
    const memo = fns.map(tsMemo).find(Boolean);
    if (memo) {
      if (memo === "forever") out.push({ line: t.line, message: foreverMessage(t.label) });
      continue;
    }
    const fn = fns.find((f) => tsFnName(f)) ?? fns[0];
    // The cache may live in the function itself, or in every caller of a private fetch helper
    // (`assume(role)` called only from `credentialsFor(role)`, which keeps a map keyed by role).
    const cachers = fn && tsHasCache(fn) ? [fn] : fn && !t.provider ? tsCachingCallers(fn, ctx.files) : [];
    if (cachers.length) {
      for (const c of cachers) {
        if (seen.has(c)) continue;
        seen.add(c);
        const inverted = tsInverted(c, triggers);
        if (inverted.length) out.push(...inverted);
        else if (!tsChecksExpiry(c)) out.push({ line: t.line, message: foreverMessage(t.label) });
      }
      continue;
    }
    const where = tsWhere(t.node, ctx.facts);
    if (where && (!t.provider || where.kind !== "function")) out.push({ line: t.line, message: perRequestMessage(t.label, where, t.provider) });
  }
  return out;
}

// ---------- Rust / Python ----------

function treeTriggers(file: ParsedFile): { node: TNode; line: number; label: string; provider?: boolean }[] {
  const out: { node: TNode; line: number; label: string; provider?: boolean }[] = [];
  for (const call of descendants(file.tree!.rootNode, ["call", "call_expression"])) {
    const fn = call.childForFieldName("function");
    const name = treeCallName(call);
    if (file.language === "rust" && /(^|::)AssumeRoleProvider::builder$/.test(fn?.text ?? "")) {
      out.push({ node: call, line: line(call), label: `${fn!.text}(...)`, provider: true });
      continue;
    }
    if (file.language === "rust") {
      if (fn?.type !== "field_expression" || !/^assume_role(_with_web_identity|_with_saml)?$/.test(name)) continue;
      if (call.childForFieldName("arguments")?.namedChildCount) continue;
      out.push({ node: call, line: line(fn.childForFieldName("field")!), label: `.${name}()` });
    } else {
      if (fn?.type !== "attribute" || !PY_METHOD.test(name)) continue;
      const recv = fn.childForFieldName("object")?.text ?? "";
      if (!(pyKwargs(call).includes("RoleArn") || pyHasSplat(call) || /sts/i.test(recv))) continue;
      out.push({ node: call, line: line(call), label: `${recv}.${name}(...)` });
    }
  }
  return out;
}

function treeBranch(ifNode: TNode, triggers: { node: TNode }[]): Branch {
  const then = ifNode.childForFieldName("consequence");
  if (!then) return undefined;
  const inside = (n: TNode) => n.startIndex >= then.startIndex && n.endIndex <= then.endIndex;
  const calls = descendants(then, ["call", "call_expression"]);
  if (triggers.some((t) => inside(t.node)) || calls.some((c) => /refresh|renew|assume/i.test(treeCallName(c)))) return "refresh";
  const returns = descendants(then, ["return_statement", "return_expression"]);
  return returns.length || /^\{?\s*return\b/.test(then.text) ? "reuse" : undefined;
}

function treeInverted(fn: TNode, triggers: { node: TNode }[]): Report[] {
  const out: Report[] = [];
  for (const cmp of descendants(fn, ["comparison_operator", "binary_expression"])) {
    const parts = cmp.type === "binary_expression"
      ? [cmp.childForFieldName("left")?.text ?? "", cmp.childForFieldName("operator")?.text ?? "", cmp.childForFieldName("right")?.text ?? ""]
      : [cmp.child(0)?.text ?? "", cmp.child(1)?.text ?? "", cmp.child(2)?.text ?? ""];
    const polarity = expiryPolarity(parts[0], parts[1], parts[2]);
    if (!polarity) continue;
    let cur = cmp;
    while (cur.parent && (cur.parent.type === "parenthesized_expression" || cur.parent.type === "boolean_operator" ||
      (cur.parent.type === "binary_expression" && /^(&&|\|\|)$/.test(cur.parent.childForFieldName("operator")?.text ?? "")))) cur = cur.parent;
    const stmt = cur.parent;
    if (!stmt || !/^if_(statement|expression)$/.test(stmt.type) || stmt.childForFieldName("condition")?.id !== cur.id) continue;
    if (isInverted(polarity, treeBranch(stmt, triggers))) out.push({ line: line(cmp), message: invertedMessage(cmp.text) });
  }
  return out;
}

function treeDetect(file: ParsedFile, ctx: RuleContext<PathFacts>): Report[] {
  const triggers = treeTriggers(file);
  const out: Report[] = [];
  const seen = new Set<number>();
  for (const t of triggers) {
    if (t.provider && (treeMemo(t.node) || treeIsStored(t.node) || treeHasCache(treeNamedFn(t.node) ?? t.node))) continue;
    const memo = treeMemo(t.node);
    if (memo) {
      if (memo === "forever") out.push({ line: t.line, message: foreverMessage(t.label) });
      continue;
    }
    const fn = treeNamedFn(t.node);
    const cachers = fn && treeHasCache(fn) ? [fn] : fn && !t.provider ? treeCachingCallers(fn, ctx.files) : [];
    if (cachers.length) {
      for (const c of cachers) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        const inverted = treeInverted(c, triggers);
        if (inverted.length) out.push(...inverted);
        else if (!treeChecksExpiry(c)) out.push({ line: t.line, message: foreverMessage(t.label) });
      }
      continue;
    }
    const where = treeWhere(t.node, ctx.facts);
    if (where && (!t.provider || where.kind !== "function")) out.push({ line: t.line, message: perRequestMessage(t.label, where, t.provider) });
  }
  return out;
}

export default defineRule<PathFacts>({
  meta: {
    scope: "service",
    id: "credentials-per-request",
    category: "performance",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "STS AssumeRole called on every request or item without a credential cache, or a credential cache that ignores expiry.",
    why: "AssumeRole is a network call to STS that adds 200–500 ms, and STS throttles callers; the credentials it returns are valid for up to an hour. Calling it per request multiplies latency and throttling risk, while a cache that never checks Expiration (or checks it backwards) serves expired credentials and every downstream call fails.",
    fix: "Cache the credentials keyed by role ARN and reuse them until shortly before `Expiration` (or use the SDK's refreshing provider: `fromTemporaryCredentials`, `AssumeRoleProvider`, botocore `RefreshableCredentials`) created once, outside the request path.",
    docs: [
      "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
      "https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-credential-providers/#fromtemporarycredentials",
    ],
  },
  collect: (review) => pathFacts(review.files),
  detect: { typescript: tsDetect, rust: treeDetect, python: treeDetect },
  cases: [
    // ---------- TypeScript ----------
    {
      name: "ts: express route assumes the tenant role on every request (SDK v3)",
      language: "typescript",
      path: "src/routes/reports.ts",
      code: `import express from "express";
import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";

const sts = new STSClient({});
export const router = express.Router();

router.get("/reports/:id", async (req, res) => {
  const roleArn = req.tenant.roleArn;
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "reports" }));
  const s3 = new S3Client({
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  });
  const out = await s3.send(new GetObjectCommand({ Bucket: req.tenant.bucket, Key: req.params.id }));
  res.send(await out.Body!.transformToString());
});
`,
      expect: [10],
    },
    {
      name: "ts: service method assumes the operator role each time it builds a client",
      language: "typescript",
      path: "src/services/operator-clients.ts",
      code: `import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export class OperatorClients {
  private readonly sts = new STSClient({ region: process.env.AWS_REGION });

  constructor(private readonly roleArn: string) {}

  async dynamo(): Promise<DynamoDBClient> {
    const out = await this.sts.send(
      new AssumeRoleCommand({ RoleArn: this.roleArn, RoleSessionName: "operator" }),
    );
    const c = out.Credentials!;
    return new DynamoDBClient({
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
    });
  }
}
`,
      expect: [10],
    },
    {
      name: "ts: nightly audit assumes a role per account in a loop (SDK v2)",
      language: "typescript",
      path: "src/jobs/audit.ts",
      code: `import AWS from "aws-sdk";

const sts = new AWS.STS();

export async function auditAccounts(accountIds: string[]) {
  const findings = [];
  for (const accountId of accountIds) {
    const role = await sts
      .assumeRole({ RoleArn: "arn:aws:iam::" + accountId + ":role/Auditor", RoleSessionName: "audit" })
      .promise();
    const iam = new AWS.IAM({ credentials: new AWS.Credentials(role.Credentials!.AccessKeyId, role.Credentials!.SecretAccessKey, role.Credentials!.SessionToken) });
    findings.push(await iam.listUsers().promise());
  }
  return findings;
}
`,
      expect: [8],
    },
    {
      name: "ts: credential cache whose expiry check is inverted",
      language: "typescript",
      path: "src/aws/credentials.ts",
      code: `import { STSClient, AssumeRoleCommand, type Credentials } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const cache = new Map<string, Credentials>();

export async function credentialsFor(roleArn: string): Promise<Credentials> {
  const cached = cache.get(roleArn);
  if (cached && cached.Expiration!.getTime() < Date.now()) {
    return cached;
  }
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "svc" }));
  cache.set(roleArn, out.Credentials!);
  return out.Credentials!;
}
`,
      expect: [8],
    },
    {
      name: "ts: credential cache that never expires",
      language: "typescript",
      path: "src/aws/tenant-credentials.ts",
      code: `import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const credentialCache = new Map<string, { accessKeyId: string; secretAccessKey: string; sessionToken?: string }>();

export async function tenantCredentials(tenantRoleArn: string) {
  const hit = credentialCache.get(tenantRoleArn);
  if (hit) return hit;
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: tenantRoleArn, RoleSessionName: "tenant" }));
  const creds = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken };
  credentialCache.set(tenantRoleArn, creds);
  return creds;
}
`,
      expect: [9],
    },
    {
      name: "ts: cache keyed by role that refreshes five minutes before Expiration",
      language: "typescript",
      path: "src/aws/credentials.ts",
      code: `import { STSClient, AssumeRoleCommand, type Credentials } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const cache = new Map<string, Credentials>();
const MARGIN_MS = 5 * 60_000;

export async function credentialsFor(roleArn: string): Promise<Credentials> {
  const cached = cache.get(roleArn);
  if (cached && cached.Expiration!.getTime() - Date.now() > MARGIN_MS) {
    return cached;
  }
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "svc" }));
  cache.set(roleArn, out.Credentials!);
  return out.Credentials!;
}
`,
      expect: [],
    },
    {
      name: "ts: SDK refreshing provider created once at module scope",
      language: "typescript",
      path: "src/aws/clients.ts",
      code: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";

// fromTemporaryCredentials calls STS AssumeRole lazily and refreshes before expiry.
export const operatorDynamo = new DynamoDBClient({
  credentials: fromTemporaryCredentials({
    params: { RoleArn: process.env.OPERATOR_ROLE_ARN!, RoleSessionName: "operator" },
  }),
});

export async function handler(event: { id: string }) {
  return { id: event.id, region: await operatorDynamo.config.region() };
}
`,
      expect: [],
    },
    {
      name: "ts: Lambda assumes the role once during init, outside the handler",
      language: "typescript",
      path: "src/lambda/export.ts",
      code: `import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

const sts = new STSClient({});
const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: process.env.EXPORT_ROLE!, RoleSessionName: "export" }));
const s3 = new S3Client({
  credentials: {
    accessKeyId: assumed.Credentials!.AccessKeyId!,
    secretAccessKey: assumed.Credentials!.SecretAccessKey!,
    sessionToken: assumed.Credentials!.SessionToken,
  },
});

export const handler = async (event: { key: string; body: string }) => {
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: event.key, Body: event.body }));
};
`,
      expect: [],
    },
    {
      name: "ts: memoized with maxAge below the session duration; comments and strings mention AssumeRole",
      language: "typescript",
      path: "src/aws/partner.ts",
      code: `import pMemoize from "p-memoize";
import ExpiryMap from "expiry-map";
import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const policy = { Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" };

// Do not call new AssumeRoleCommand per request: the memoized version below is reused for 50 minutes.
export const partnerCredentials = pMemoize(
  async (roleArn: string) => (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "partner", DurationSeconds: 3600 }))).Credentials,
  { cache: new ExpiryMap(50 * 60_000), maxAge: 50 * 60_000 },
);

export function describePolicy() {
  return JSON.stringify(policy);
}
`,
      expect: [],
    },
    {
      name: "ts: class caches the credentials on the instance and checks Expiration",
      language: "typescript",
      path: "src/services/cross-account.ts",
      code: `import { STS } from "@aws-sdk/client-sts";

export class CrossAccountSession {
  private creds?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date };
  private readonly sts = new STS({});

  constructor(private readonly roleArn: string) {}

  async credentials() {
    if (!this.creds || this.creds.Expiration!.getTime() <= Date.now() + 60_000) {
      const out = await this.sts.assumeRole({ RoleArn: this.roleArn, RoleSessionName: "xacct" });
      this.creds = out.Credentials;
    }
    return this.creds;
  }
}
`,
      expect: [],
    },
    {
      name: "ts: a new fromTemporaryCredentials provider per request loses its cache",
      language: "typescript",
      path: "src/routes/tenant-files.ts",
      code: `import { Router } from "express";
import { S3Client, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";

export const files = Router();

files.get("/files", async (req, res) => {
  const credentials = fromTemporaryCredentials({ params: { RoleArn: req.tenant.roleArn, RoleSessionName: "files" } });
  const out = await new S3Client({ credentials }).send(new ListObjectsV2Command({ Bucket: req.tenant.bucket }));
  res.json(out.Contents ?? []);
});
`,
      expect: [8],
    },
    // ---------- Python ----------
    {
      name: "py: Flask view assumes the tenant role on every request",
      language: "python",
      path: "app/views/exports.py",
      code: `import boto3
from flask import Blueprint, g, jsonify

bp = Blueprint("exports", __name__)
sts = boto3.client("sts")


@bp.route("/exports/<export_id>")
def get_export(export_id):
    resp = sts.assume_role(RoleArn=g.tenant.role_arn, RoleSessionName="exports")
    creds = resp["Credentials"]
    s3 = boto3.client(
        "s3",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    obj = s3.get_object(Bucket=g.tenant.bucket, Key=export_id)
    return jsonify({"size": obj["ContentLength"]})
`,
      expect: [10],
    },
    {
      name: "py: repository method assumes the role each time it needs a table",
      language: "python",
      path: "app/repositories/orders.py",
      code: `import boto3


class OrderRepository:
    def __init__(self, role_arn: str, table_name: str):
        self.role_arn = role_arn
        self.table_name = table_name
        self.sts = boto3.client("sts")

    def _table(self):
        creds = self.sts.assume_role(
            RoleArn=self.role_arn, RoleSessionName="orders"
        )["Credentials"]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        return session.resource("dynamodb").Table(self.table_name)

    def get(self, order_id: str):
        return self._table().get_item(Key={"pk": order_id}).get("Item")
`,
      expect: [11],
    },
    {
      name: "py: assumes a role per account inside a loop",
      language: "python",
      path: "app/jobs/inventory.py",
      code: `import boto3

sts = boto3.client("sts")


def collect_instances(account_ids):
    instances = []
    for account_id in account_ids:
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/Inventory",
            RoleSessionName="inventory",
        )["Credentials"]
        ec2 = boto3.client(
            "ec2",
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        instances.extend(ec2.describe_instances()["Reservations"])
    return instances
`,
      expect: [9],
    },
    {
      name: "py: lru_cache keeps assumed-role sessions forever",
      language: "python",
      path: "app/aws/sessions.py",
      code: `from functools import lru_cache

import boto3

_sts = boto3.client("sts")


@lru_cache(maxsize=128)
def session_for(role_arn: str) -> boto3.Session:
    creds = _sts.assume_role(RoleArn=role_arn, RoleSessionName="svc")["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
`,
      expect: [10],
    },
    {
      name: "py: cached credentials reused only when already expired",
      language: "python",
      path: "app/aws/credentials.py",
      code: `from datetime import datetime, timezone

import boto3

_sts = boto3.client("sts")
_cache: dict[str, dict] = {}


def credentials_for(role_arn: str) -> dict:
    cached = _cache.get(role_arn)
    if cached and cached["Expiration"] < datetime.now(timezone.utc):
        return cached
    creds = _sts.assume_role(RoleArn=role_arn, RoleSessionName="svc")["Credentials"]
    _cache[role_arn] = creds
    return creds
`,
      expect: [11],
    },
    {
      name: "py: cache keyed by role with a refresh margin",
      language: "python",
      path: "app/aws/credentials.py",
      code: `from datetime import datetime, timedelta, timezone

import boto3

_sts = boto3.client("sts")
_cache: dict[str, dict] = {}
_MARGIN = timedelta(minutes=5)


def credentials_for(role_arn: str) -> dict:
    cached = _cache.get(role_arn)
    if cached and cached["Expiration"] - datetime.now(timezone.utc) > _MARGIN:
        return cached
    creds = _sts.assume_role(RoleArn=role_arn, RoleSessionName="svc")["Credentials"]
    _cache[role_arn] = creds
    return creds
`,
      expect: [],
    },
    {
      name: "py: TTL cache shorter than the session duration",
      language: "python",
      path: "app/aws/partner.py",
      code: `import boto3
from cachetools import TTLCache, cached

_sts = boto3.client("sts")


@cached(cache=TTLCache(maxsize=256, ttl=50 * 60))
def partner_credentials(role_arn: str) -> dict:
    return _sts.assume_role(RoleArn=role_arn, RoleSessionName="partner", DurationSeconds=3600)["Credentials"]
`,
      expect: [],
    },
    {
      name: "py: Lambda assumes the role once at import time",
      language: "python",
      path: "app/lambdas/export.py",
      code: `import os

import boto3

_creds = boto3.client("sts").assume_role(
    RoleArn=os.environ["EXPORT_ROLE_ARN"], RoleSessionName="export"
)["Credentials"]
_s3 = boto3.client(
    "s3",
    aws_access_key_id=_creds["AccessKeyId"],
    aws_secret_access_key=_creds["SecretAccessKey"],
    aws_session_token=_creds["SessionToken"],
)


def lambda_handler(event, context):
    _s3.put_object(Bucket=os.environ["BUCKET"], Key=event["key"], Body=event["body"])
    return {"ok": True}
`,
      expect: [],
    },
    {
      name: "py: client built in __init__; comments and strings mention assume_role",
      language: "python",
      path: "app/services/audit.py",
      code: `import boto3


class AuditService:
    """Uses a role assumed once; never call sts.assume_role per request."""

    def __init__(self, role_arn: str):
        creds = boto3.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="audit")["Credentials"]
        self.logs = boto3.client(
            "logs",
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )

    def record(self, request, message: str):
        # assume_role(RoleArn=...) is deliberately not called here
        self.logs.put_log_events(logGroupName="audit", logStreamName=request.id, logEvents=[{"message": message}])
`,
      expect: [],
    },
    // ---------- Rust ----------
    {
      name: "rs: operator client assumes the role on every call",
      language: "rust",
      path: "src/clients/operator.rs",
      code: `use aws_sdk_dynamodb::Client;
use aws_sdk_sts::Client as StsClient;

pub struct OperatorClients {
    sts: StsClient,
    role_arn: String,
}

impl OperatorClients {
    pub async fn operator_client(&self) -> Result<Client, Error> {
        let out = self.sts.assume_role()
            .role_arn(&self.role_arn)
            .role_session_name("operator")
            .send()
            .await?;
        Ok(client_from(out.credentials()))
    }
}
`,
      expect: [11],
    },
    {
      name: "rs: axum handler assumes the tenant role per request",
      language: "rust",
      path: "src/routes/files.rs",
      code: `use axum::{extract::{Path, State}, Json};

use crate::state::AppState;

pub async fn download(State(state): State<AppState>, Path(key): Path<String>) -> Result<Json<Meta>, ApiError> {
    let assumed = state
        .sts
        .assume_role()
        .role_arn(&state.tenant_role)
        .role_session_name("files")
        .send()
        .await?;
    let s3 = s3_client(&state.base_config, assumed.credentials().unwrap());
    let head = s3.head_object().bucket(&state.bucket).key(key).send().await?;
    Ok(Json(Meta::from(head)))
}
`,
      expect: [8],
    },
    {
      name: "rs: assumes a role per account in a loop",
      language: "rust",
      path: "src/jobs/inventory.rs",
      code: `use aws_sdk_sts::Client as StsClient;

pub async fn collect(sts: &StsClient, accounts: &[String]) -> anyhow::Result<Vec<Instance>> {
    let mut out = Vec::new();
    for account in accounts {
        let role = format!("arn:aws:iam::{account}:role/Inventory");
        let creds = sts.assume_role().role_arn(role).role_session_name("inv").send().await?;
        out.extend(list_instances(creds.credentials()).await?);
    }
    Ok(out)
}
`,
      expect: [7],
    },
    {
      name: "rs: OnceCell keeps assumed credentials forever",
      language: "rust",
      path: "src/aws/creds.rs",
      code: `use aws_sdk_sts::types::Credentials;
use tokio::sync::OnceCell;

static PARTNER_CREDS: OnceCell<Credentials> = OnceCell::const_new();

pub async fn partner_credentials(sts: &aws_sdk_sts::Client, role: &str) -> anyhow::Result<&'static Credentials> {
    PARTNER_CREDS
        .get_or_try_init(|| async {
            let out = sts.assume_role().role_arn(role).role_session_name("partner").send().await?;
            Ok::<_, anyhow::Error>(out.credentials.unwrap())
        })
        .await
}
`,
      expect: [9],
    },
    {
      name: "rs: cached credentials reused after they expire",
      language: "rust",
      path: "src/aws/cache.rs",
      code: `use std::collections::HashMap;
use std::time::SystemTime;

use tokio::sync::RwLock;

pub struct CredentialCache {
    sts: aws_sdk_sts::Client,
    cache: RwLock<HashMap<String, Cached>>,
}

impl CredentialCache {
    pub async fn get(&self, role_arn: &str) -> anyhow::Result<Cached> {
        if let Some(c) = self.cache.read().await.get(role_arn) {
            if c.expires_at < SystemTime::now() {
                return Ok(c.clone());
            }
        }
        let out = self.sts.assume_role().role_arn(role_arn).role_session_name("svc").send().await?;
        let fresh = Cached::from(out.credentials.unwrap());
        self.cache.write().await.insert(role_arn.to_string(), fresh.clone());
        Ok(fresh)
    }
}
`,
      expect: [14],
    },
    {
      name: "rs: cache keyed by role that checks expiry the right way",
      language: "rust",
      path: "src/aws/cache.rs",
      code: `use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use tokio::sync::RwLock;

pub struct CredentialCache {
    sts: aws_sdk_sts::Client,
    cache: RwLock<HashMap<String, Cached>>,
}

impl CredentialCache {
    pub async fn get(&self, role_arn: &str) -> anyhow::Result<Cached> {
        if let Some(c) = self.cache.read().await.get(role_arn) {
            if c.expires_at > SystemTime::now() + Duration::from_secs(300) {
                return Ok(c.clone());
            }
        }
        let out = self.sts.assume_role().role_arn(role_arn).role_session_name("svc").send().await?;
        let fresh = Cached::from(out.credentials.unwrap());
        self.cache.write().await.insert(role_arn.to_string(), fresh.clone());
        Ok(fresh)
    }
}
`,
      expect: [],
    },
    {
      name: "rs: shared map keyed by role, entries reused while younger than 50 minutes",
      language: "rust",
      path: "src/state.rs",
      code: `use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::RwLock;

pub struct State {
    sts: aws_sdk_sts::Client,
    creds: Arc<RwLock<HashMap<String, CachedCreds>>>,
}

impl State {
    pub async fn credentials(&self, role_arn: &str) -> anyhow::Result<Credentials> {
        if let Some(hit) = self.creds.read().await.get(role_arn) {
            if hit.fetched.elapsed() < Duration::from_secs(50 * 60) {
                return Ok(hit.creds.clone());
            }
        }
        let out = self.sts.assume_role().role_arn(role_arn).role_session_name("svc").send().await?;
        let creds = out.credentials().cloned().expect("credentials");
        self.creds.write().await.insert(role_arn.to_string(), CachedCreds { creds: creds.clone(), fetched: Instant::now() });
        Ok(creds)
    }
}
`,
      expect: [],
    },
    {
      name: "rs: AssumeRoleProvider built once in main",
      language: "rust",
      path: "src/main.rs",
      code: `use aws_config::sts::AssumeRoleProvider;
use aws_config::BehaviorVersion;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let base = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let provider = AssumeRoleProvider::builder(std::env::var("OPERATOR_ROLE")?)
        .session_name("operator")
        .configure(&base)
        .build()
        .await;
    let config = aws_config::from_env().credentials_provider(provider).load().await;
    serve(aws_sdk_dynamodb::Client::new(&config)).await
}
`,
      expect: [],
    },
    {
      name: "rs: constructor assumes once; comments and strings mention assume_role",
      language: "rust",
      path: "src/services/audit.rs",
      code: `pub struct AuditService {
    logs: aws_sdk_cloudwatchlogs::Client,
}

impl AuditService {
    pub async fn new(sts: &aws_sdk_sts::Client, role: &str, base: &aws_config::SdkConfig) -> anyhow::Result<Self> {
        let out = sts.assume_role().role_arn(role).role_session_name("audit").send().await?;
        Ok(Self { logs: logs_client(base, out.credentials.unwrap()) })
    }

    pub async fn record(&self, request_id: &str, message: &str) -> anyhow::Result<()> {
        // sts.assume_role() must not be called here: see new()
        let note = "assume_role() happens once at startup";
        self.logs.put_log_events().log_group_name("audit").log_stream_name(request_id).send().await?;
        tracing::debug!(note, message);
        Ok(())
    }
}
`,
      expect: [],
    },
    {
      name: "rs: background task refreshes shared credentials before they expire",
      language: "rust",
      path: "src/aws/refresher.rs",
      code: `use std::sync::Arc;
use std::time::Duration;

use tokio::sync::RwLock;

pub async fn refresh_credentials_forever(sts: aws_sdk_sts::Client, role: String, slot: Arc<RwLock<Option<Credentials>>>) {
    loop {
        match sts.assume_role().role_arn(&role).role_session_name("svc").send().await {
            Ok(out) => *slot.write().await = out.credentials,
            Err(err) => tracing::warn!(?err, "assume_role failed; keeping previous credentials"),
        }
        tokio::time::sleep(Duration::from_secs(45 * 60)).await;
    }
}
`,
      expect: [],
    },
    {
      name: "ts: AssumeRoleCommand imported under an alias, per account in a loop",
      language: "typescript",
      path: "src/jobs/audit.ts",
      code: `import { STSClient, AssumeRoleCommand as Assume } from "@aws-sdk/client-sts";

const sts = new STSClient({});

export async function auditAllAccounts(accountIds: string[]) {
  for (const accountId of accountIds) {
    const resp = await sts.send(new Assume({ RoleArn: \`arn:aws:iam::\${accountId}:role/audit\`, RoleSessionName: "audit" }));
    report(accountId, resp.AssumedRoleUser?.Arn);
  }
}

declare function report(account: string, arn?: string): void;
`,
      expect: [7],
    },
    {
      name: "py: cachetools TTLCache held in a module variable",
      language: "python",
      path: "app/aws/sessions.py",
      code: `import boto3
from cachetools import TTLCache, cached

_sts = boto3.client("sts")
_role_cache = TTLCache(maxsize=256, ttl=45 * 60)


@cached(_role_cache)
def session_for(role_arn: str) -> boto3.Session:
    creds = _sts.assume_role(RoleArn=role_arn, RoleSessionName="cached")["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
`,
      expect: [],
    },
    {
      name: "ts: private AssumeRole helper whose only caller caches by role until expiry",
      language: "typescript",
      path: "src/aws/role-cache.ts",
      code: `import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const held = new Map<string, { creds: unknown; expiresAt: number }>();

async function callSts(roleArn: string) {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "svc" }));
  return { creds: out.Credentials, expiresAt: out.Credentials!.Expiration!.getTime() };
}

export async function credsFor(roleArn: string) {
  const entry = held.get(roleArn);
  if (entry && entry.expiresAt - 120_000 > Date.now()) return entry.creds;
  const next = await callSts(roleArn);
  held.set(roleArn, next);
  return next.creds;
}
`,
      expect: [],
    },
    {
      name: "ts: helper cached in one caller but also called directly per tenant",
      language: "typescript",
      path: "src/aws/tenant-roles.ts",
      code: `import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const held = new Map<string, { creds: unknown; expiresAt: number }>();

async function callSts(roleArn: string) {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "svc" }));
  return { creds: out.Credentials, expiresAt: out.Credentials!.Expiration!.getTime() };
}

export async function credsFor(roleArn: string) {
  const entry = held.get(roleArn);
  if (entry && entry.expiresAt > Date.now()) return entry.creds;
  const next = await callSts(roleArn);
  held.set(roleArn, next);
  return next.creds;
}

export async function exportCreds(tenantRoleArn: string) {
  return (await callSts(tenantRoleArn)).creds;
}
`,
      expect: [7],
    },
    {
      name: "rs: cache behind a lock guard, refreshed before expiry",
      language: "rust",
      path: "src/aws/roles.rs",
      code: `use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

pub struct RoleCreds {
    sts: aws_sdk_sts::Client,
    slots: Mutex<HashMap<String, (aws_sdk_sts::types::Credentials, SystemTime)>>,
}

impl RoleCreds {
    pub async fn for_role(&self, role_arn: &str) -> anyhow::Result<aws_sdk_sts::types::Credentials> {
        let mut slots = self.slots.lock().await;
        if let Some((c, until)) = slots.get(role_arn) {
            if *until > SystemTime::now() + Duration::from_secs(300) {
                return Ok(c.clone());
            }
        }
        let out = self.sts.assume_role().role_arn(role_arn).role_session_name("svc").send().await?;
        let c = out.credentials().cloned().ok_or_else(|| anyhow::anyhow!("no credentials"))?;
        let until = SystemTime::try_from(*c.expiration())?;
        slots.insert(role_arn.to_string(), (c.clone(), until));
        Ok(c)
    }
}
`,
      expect: [],
    },
    {
      name: "py: helper cached by its caller in a module dict that never expires",
      language: "python",
      path: "app/aws/roles.py",
      code: `import boto3

_sts = boto3.client("sts")
_by_role = {}


def _assume(role_arn):
    return _sts.assume_role(RoleArn=role_arn, RoleSessionName="svc")["Credentials"]


def creds_for(role_arn):
    if role_arn not in _by_role:
        _by_role[role_arn] = _assume(role_arn)
    return _by_role[role_arn]
`,
      expect: [8],
    },
  ],
});
