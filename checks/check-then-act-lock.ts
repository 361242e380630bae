import { Node as TsNode, SyntaxKind, type CallExpression } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleCase } from "../src/engine/rule.js";
import { compactTreeText, descendants, functionName, line } from "./_lib/tree.js";
import { functionsOf, isChainTop, isLockName, rsChain, treeWords, tsFunctions, tsWords } from "./_lib/security.js";
import { ancestorOfKind, enclosingFunctions } from "./_lib/ts.js";

// DynamoDB: "PutItem ... replaces" an existing item unless a ConditionExpression such as
// attribute_not_exists(pk) is given; Redis: `SET key value NX` sets only "if it does not already exist".

const KV_RECEIVER = /redis|cache|kv|conn|con|client|store|rds|valkey|memcache/i;

function message(write: string): string {
  return `\`${write}\` takes the lock/lease/idempotency item after a separate read, with no condition: two callers can both see it free and both proceed.`;
}

// ---------- TypeScript ----------

type Step = { kind: "read" | "write"; node: TsNode; label: string; words: string[] };

function tsObj(arg: TsNode | undefined): TsNode | undefined {
  if (!arg) return undefined;
  if (TsNode.isObjectLiteralExpression(arg)) return arg;
  if (TsNode.isIdentifier(arg)) {
    const decl = arg.getSourceFile().getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === arg.getText() && d.getStart() < arg.getStart());
    return decl?.getInitializer();
  }
  return undefined;
}

function tsHasCondition(obj: TsNode | undefined): boolean {
  if (!obj || !TsNode.isObjectLiteralExpression(obj)) return true; // built elsewhere: cannot tell
  return obj.getProperties().some((p) => TsNode.isSpreadAssignment(p) || /^(ConditionExpression|Expected)$/.test((p as any).getName?.() ?? ""));
}

function tsAwaited(call: CallExpression): boolean {
  let p = call.getParent();
  while (p && (TsNode.isPropertyAccessExpression(p) || TsNode.isCallExpression(p))) p = p.getParent();
  return Boolean(p && (TsNode.isAwaitExpression(p) || TsNode.isReturnStatement(p)));
}

function tsSteps(fn: TsNode): Step[] {
  const steps: Step[] = [];
  for (const n of fn.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const name = n.getExpression().getText().replace(/^.*\./, "");
    const arg = n.getArguments()[0];
    if (/^Get(Item)?Command$/.test(name)) steps.push({ kind: "read", node: n, label: name, words: tsWords(n) });
    if (/^(Put|Update)(Item)?Command$/.test(name) && !tsHasCondition(tsObj(arg))) steps.push({ kind: "write", node: n, label: name, words: tsWords(n) });
  }
  for (const c of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const e = c.getExpression();
    if (!TsNode.isPropertyAccessExpression(e)) continue;
    const method = e.getName();
    const recv = e.getExpression().getText();
    const args = c.getArguments();
    const obj = tsObj(args[0]);
    const dynamo = Boolean(obj && TsNode.isObjectLiteralExpression(obj) && obj.getProperty("TableName"));
    if (dynamo && /^(get|getItem)$/.test(method)) steps.push({ kind: "read", node: c, label: `${recv}.${method}`, words: tsWords(c) });
    else if (dynamo && /^(put|putItem|update|updateItem)$/.test(method) && !tsHasCondition(obj)) steps.push({ kind: "write", node: c, label: `${recv}.${method}`, words: tsWords(c) });
    else if (!dynamo && tsAwaited(c) && (KV_RECEIVER.test(recv) || isLockName(recv))) {
      if (/^(get|exists|hget|hGet|hgetall|hGetAll|find\w*|load|fetch)$/.test(method)) steps.push({ kind: "read", node: c, label: `${recv}.${method}`, words: tsWords(c) });
      const nx = args.some((a) => /^["'`]NX["'`]$/i.test(a.getText()) || /\bNX\s*:\s*true|\bnx\s*:\s*true/i.test(a.getText()));
      if (/^(set|setex|setEx|psetex|pSetEx|hset|hSet|put|save|upsert)$/.test(method) && !nx) steps.push({ kind: "write", node: c, label: `${recv}.${method}`, words: tsWords(c) });
    }
  }
  return steps.sort((a, b) => a.node.getStart() - b.node.getStart());
}

function tsDetect(file: ParsedFile): Report[] {
  const out: Report[] = [];
  for (const fn of tsFunctions(file.ts!)) {
    if (enclosingFunctions(fn).some((a) => TsNode.isFunctionDeclaration(a) || TsNode.isMethodDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a))) continue;
    if (fn.getDescendantsOfKind(SyntaxKind.Identifier).some((i) => /^Transact(Write|WriteItems)Command$|^transactWrite(Items)?$|^multi$/.test(i.getText()))) continue;
    const name = (fn as any).getName?.() ?? (fn.getParent() && TsNode.isVariableDeclaration(fn.getParent()!) ? (fn.getParent() as any).getName() : "");
    const vars = new Map(fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).filter((d) => d.getInitializer()).map((d) => [d.getName(), tsWords(d.getInitializer()!)] as const));
    const cls = ancestorOfKind(fn, SyntaxKind.ClassDeclaration)?.getName() ?? "";
    report(expand(tsSteps(fn), vars), isLockName(name ?? "") || isLockName(cls), (s) => out.push({ line: s.node.getStartLineNumber(), message: message(s.label) }));
  }
  return out;
}

/** Adds the words of the variables a step uses (the key built one line earlier). */
function expand<S extends { words: string[] }>(steps: S[], vars: Map<string, readonly string[]>): S[] {
  return steps.map((s) => ({ ...s, words: [...s.words, ...s.words.flatMap((w) => vars.get(w) ?? [])] }));
}

function treeVars(fn: Node, type: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of descendants(fn, type)) {
    const left = a.childForFieldName("left") ?? a.childForFieldName("pattern");
    const right = a.childForFieldName("right") ?? a.childForFieldName("value");
    if (left && right && (left.type === "identifier")) out.set(left.text, treeWords(right));
  }
  return out;
}

/** The first unconditioned write after a read, when the function or the calls name a lock/lease/idempotency item. */
function report<S extends { kind: string; words: string[] }>(steps: S[], lockFn: boolean, push: (s: S) => void): void {
  const read = steps.findIndex((s) => s.kind === "read");
  if (read < 0) return;
  const readLock = steps[read]!.words.some(isLockName);
  for (const s of steps.slice(read + 1)) {
    if (s.kind !== "write") continue;
    if (lockFn || readLock || s.words.some(isLockName)) {
      push(s);
      return;
    }
  }
}

// ---------- Python ----------

type TreeStep = { kind: "read" | "write"; node: Node; label: string; words: string[]; /** ORM model read or inserted */ model?: string };

function pyKw(call: Node): Map<string, Node> {
  const m = new Map<string, Node>();
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (a?.type === "keyword_argument") m.set(a.childForFieldName("name")!.text, a.childForFieldName("value")!);
    if (a?.type === "dictionary_splat") m.set("**", a);
  }
  return m;
}

/** Receivers of an ORM read: `X.objects.filter(..)`, `X.objects`, `session.query(X).filter_by(..)`. */
const PY_ORM_READ = /\.objects(\.|$)|^(self\.)?(db\.)?session\.query\(|\.query\.filter(_by)?\(/;
/** The insert is made safe by the database: a handled unique violation, get_or_create, a row lock. */
const PY_ATOMIC = /^(IntegrityError|UniqueViolation|get_or_create|update_or_create|select_for_update|with_for_update|on_conflict_do_nothing|on_conflict_do_update)$/;

function pySteps(fn: Node): TreeStep[] {
  const steps: TreeStep[] = [];
  for (const c of descendants(fn, "call")) {
    const f = c.childForFieldName("function");
    if (f?.type !== "attribute") continue;
    const method = f.childForFieldName("attribute")!.text;
    const recv = compactTreeText(f.childForFieldName("object"));
    const kw = pyKw(c);
    const label = `${recv}.${method}`;
    // The words under the call, read only for a call that is a step (a long chain has many calls, few steps).
    const words = () => treeWords(c);
    if (method === "get_item") steps.push({ kind: "read", node: c, label, words: words() });
    else if (/^(put_item|update_item)$/.test(method)) {
      if (!kw.has("ConditionExpression") && !kw.has("Expected") && !kw.has("**")) steps.push({ kind: "write", node: c, label, words: words() });
    } else if (PY_ORM_READ.test(recv) && /^(exists|first|get|one|one_or_none|scalar|scalar_one_or_none|count)$/.test(method)) {
      // Django `Model.objects.filter(key=k).exists()`, SQLAlchemy `session.query(Lock).filter_by(..).first()`.
      steps.push({ kind: "read", node: c, label, words: [...words(), recv], model: pyModel(c) });
    } else if ((/\.objects$/.test(recv) && method === "create") || (/(^|\.)(session|db\.session)$/.test(recv) && method === "add")) {
      // An ORM insert is atomic only against a unique constraint the caller handles (IntegrityError) or get_or_create.
      steps.push({ kind: "write", node: c, label, words: words(), model: pyModel(c) ?? "?" });
    } else if (KV_RECEIVER.test(recv) || isLockName(recv) || /^r$/.test(recv)) {
      if (/^(get|exists|hget|hgetall)$/.test(method)) steps.push({ kind: "read", node: c, label, words: words() });
      const nx = kw.get("nx")?.type === "true" || kw.has("**");
      if (/^(set|setex|psetex|hset)$/.test(method) && !nx) steps.push({ kind: "write", node: c, label, words: words() });
    }
  }
  steps.sort((a, b) => a.node.startIndex - b.node.startIndex);
  // An ORM insert counts only after a read of the same model (the existence check it races with).
  return steps.filter((w, i) => w.kind !== "write" || !w.model || steps.slice(0, i).some((r) => r.kind === "read" && r.model === w.model));
}

/** `ChargeAttempt.objects.filter(..).exists()` -> ChargeAttempt; `session.query(Lock)..` -> Lock; `session.add(Lock(..))` -> Lock. */
function pyModel(call: Node): string | undefined {
  const text = call.childForFieldName("function")?.text ?? "";
  const m = /^(?:[\w.]*\.)?([A-Z]\w*)\.objects\b/.exec(text) ?? /session\.query\(\s*([A-Z]\w*)/.exec(text) ?? /^([A-Z]\w*)\.query\b/.exec(text);
  if (m) return m[1];
  const arg = call.childForFieldName("arguments")?.namedChildren[0];
  return arg?.type === "call" ? /^[A-Z]\w*$/.exec(arg.childForFieldName("function")?.text ?? "")?.[0] : undefined;
}

function pyDetect(file: ParsedFile): Report[] {
  const out: Report[] = [];
  for (const fn of functionsOf(file.tree!.rootNode)) {
    if (descendants(fn, "identifier").some((i) => /^(transact_write_items|pipeline|lock)$/.test(i.text) && i.parent?.type === "attribute" && /\.(transact_write_items|pipeline|lock)$/.test(i.parent.text))) continue;
    if (descendants(fn, "identifier").some((i) => PY_ATOMIC.test(i.text))) continue;
    report(expand(pySteps(fn), treeVars(fn, "assignment")), lockFunction(fn), (s) => out.push({ line: line(s.node), message: message(s.label) }));
  }
  return out;
}

/**
 * The function is about a lock: its name says so, or it is `acquire`/`try_acquire` (or any method) of a
 * class/impl named for one (`LeaseManager.acquire`, `impl IdempotencyStore`).
 */
function lockFunction(fn: Node): boolean {
  const name = functionName(fn);
  if (isLockName(name)) return true;
  for (let p = fn.parent; p; p = p.parent) {
    if (p.type === "class_definition") return isLockName(p.childForFieldName("name")?.text ?? "");
    if (p.type === "impl_item") return isLockName(p.childForFieldName("type")?.text ?? "") || isLockName(p.childForFieldName("trait")?.text ?? "");
  }
  return false;
}

// ---------- Rust ----------

function rsSteps(fn: Node): TreeStep[] {
  const steps: TreeStep[] = [];
  for (const c of descendants(fn, "call_expression")) {
    if (!isChainTop(c)) continue;
    const chain = rsChain(c);
    const methods = chain.map((x) => x.method);
    const words = treeWords(c);
    const at = (m: string) => chain.find((x) => x.method === m)!;
    const fieldLine = (m: string) => at(m).call.childForFieldName("function")?.childForFieldName("field") ?? c;
    if (methods.includes("get_item") && methods.includes("send")) steps.push({ kind: "read", node: fieldLine("get_item"), label: "get_item()", words });
    else if (methods.some((m) => /^(put_item|update_item)$/.test(m)) && methods.includes("send")) {
      if (!methods.some((m) => /condition_expression|^expected$|^set_expected$/.test(m))) {
        const m = methods.find((x) => /^(put_item|update_item)$/.test(x))!;
        steps.push({ kind: "write", node: fieldLine(m), label: `${m}()`, words });
      }
    } else if (c.parent?.type === "await_expression" || c.parent?.type === "try_expression") {
      const last = chain[chain.length - 1]!;
      let callee = last.call.childForFieldName("function");
      if (callee?.type === "generic_function") callee = callee.childForFieldName("function");
      const recv = compactTreeText(callee?.childForFieldName("value"));
      if (chain.length > 2 || !(KV_RECEIVER.test(recv) || isLockName(recv))) continue;
      if (/^(get|exists|hget)$/.test(last.method)) steps.push({ kind: "read", node: c, label: `${recv}.${last.method}`, words });
      if (/^(set|set_ex|pset_ex|hset)$/.test(last.method)) steps.push({ kind: "write", node: c, label: `${recv}.${last.method}`, words });
    }
  }
  return steps.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function rsDetect(file: ParsedFile): Report[] {
  const out: Report[] = [];
  for (const fn of functionsOf(file.tree!.rootNode)) {
    if (descendants(fn, "field_identifier").some((i) => /^(transact_write_items|set_nx)$/.test(i.text))) continue;
    report(expand(rsSteps(fn), treeVars(fn, "let_declaration")), lockFunction(fn), (s) => out.push({ line: line(s.node), message: message(s.label) }));
  }
  return out;
}

// ---------- release: GET, compare, then DEL ----------

const KV_DELETE = /^(?:await\s+)?(?:self\.|this\.)?([\w.]+?)\.(del|delete|unlink)\s*(?:::<[^>]*>)?\s*\(/;
const KV_GET = /(?:self\.|this\.)?([\w.]*?)\.get\s*(?:::<[^>]*>)?\s*\(/;

function releaseMessage(del: string): string {
  return `\`${del}\` releases the lock after a separate GET and comparison: between the two the lock can expire and pass to another holder, whose lock this then deletes. Compare and delete in one step (a Lua script run with EVAL, or the lock library's release).`;
}

/**
 * A lock released with a read, a comparison and a delete (`if redis.get(key) == token: redis.delete(key)`): the
 * branch's condition reads the store (directly or through a variable assigned from a GET) and its body deletes from it.
 */
/** In a function whose text names a lock (checked once per function by the callers). */
function releaseByCompare(condition: string, body: string, before: string): string | undefined {
  const del = KV_DELETE.exec(body.trim().replace(/^[{:]\s*/, "")) ?? new RegExp(KV_DELETE.source.slice(1), "m").exec(body);
  if (!del || !(KV_RECEIVER.test(del[1]) || isLockName(del[1]))) return undefined;
  if (!/==|!=|===|!==|\beq\b/.test(condition)) return undefined;
  const readsStore = KV_GET.exec(condition)?.[1] === del[1] ||
    [...condition.matchAll(/\b([A-Za-z_]\w*)\b/g)].some((m) => new RegExp(String.raw`\b${m[1]}\s*(?::[^=\n]+)?=\s*(?:await\s+)?(?:self\.|this\.)?${del[1].replace(/\./g, "\\.")}\.get\s*(?:::<[^>]*>)?\(`).test(before));
  return readsStore ? `${del[1]}.${del[2]}` : undefined;
}

function treeReleases(fn: Node): Report[] {
  const out: Report[] = [];
  if (!isLockName(fn.text)) return out;
  for (const branch of descendants(fn, ["if_statement", "if_expression"])) {
    const cond = branch.childForFieldName("condition");
    const body = branch.childForFieldName("consequence");
    if (!cond || !body) continue;
    const before = fn.text.slice(0, branch.startIndex - fn.startIndex);
    const del = releaseByCompare(cond.text, body.text, before);
    if (del) out.push({ line: line(body.namedChildren.find((c) => c && /\.(del|delete|unlink)\s*(::<[^>]*>)?\s*\(/.test(c.text)) ?? branch), message: releaseMessage(del) });
  }
  return out;
}

function tsReleases(fn: TsNode): Report[] {
  const out: Report[] = [];
  if (!isLockName(fn.getText())) return out;
  for (const branch of fn.getDescendantsOfKind(SyntaxKind.IfStatement)) {
    const body = branch.getThenStatement();
    const before = fn.getText().slice(0, branch.getStart() - fn.getStart());
    const del = releaseByCompare(branch.getExpression().getText(), body.getText(), before);
    if (!del) continue;
    const at = body.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => /\.(del|delete|unlink)$/.test(c.getExpression().getText()));
    out.push({ line: (at ?? branch).getStartLineNumber(), message: releaseMessage(del) });
  }
  return out;
}

/** Nested functions see the same branch: one report per line. */
function onePerLine(reports: Report[]): Report[] {
  const seen = new Set<number>();
  return reports.filter((r) => !seen.has(r.line) && Boolean(seen.add(r.line)));
}

const CASES: RuleCase[] = [
  {
    name: "py: lock released by GET, compare, DEL",
    language: "python",
    path: "app/locks.py",
    code: `def release_lock(redis, key, token):
    current = redis.get(key)
    if current == token:
        redis.delete(key)
`,
    expect: [4],
  },
  {
    name: "ts: unlock compares the stored token, then deletes",
    language: "typescript",
    path: "src/lock.ts",
    code: `export async function unlock(redis: Redis, key: string, token: string) {
  if ((await redis.get(key)) === token) {
    await redis.del(key);
  }
}
`,
    expect: [3],
  },
  {
    name: "rust: release_lease reads the holder, compares, deletes",
    language: "rust",
    path: "src/lease.rs",
    code: `pub async fn release_lease(con: &mut MultiplexedConnection, key: &str, token: &str) -> redis::RedisResult<()> {
    let holder: Option<String> = con.get(key).await?;
    if holder.as_deref() == Some(token) {
        con.del::<_, ()>(key).await?;
    }
    Ok(())
}
`,
    expect: [4],
  },
  {
    name: "py: lock released by one Lua script that compares and deletes (atomic)",
    language: "python",
    path: "app/locks.py",
    code: `RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""


def release_lock(redis, key, token):
    return redis.eval(RELEASE, 1, key, token)
`,
    expect: [],
  },
  {
    name: "py: a cache entry replaced after a comparison is no lock",
    language: "python",
    path: "app/cache.py",
    code: `def refresh(cache, key, value):
    if cache.get(key) != value:
        cache.delete(key)
`,
    expect: [],
  },
  {
    name: "py: a seat hold read with get_item, then taken with an unconditioned put_item",
    language: "python",
    code: `import time

def hold_seat(table, show_id: str, seat: str, customer: str) -> bool:
    item = table.get_item(Key={"pk": f"{show_id}#{seat}"}).get("Item")
    if item and item["until"] > time.time():
        return False
    table.put_item(Item={"pk": f"{show_id}#{seat}", "customer": customer, "until": time.time() + 600})
    return True
`,
    expect: [7],
  },
  {
    name: "ts: a stock reservation read then written without a condition",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";

export async function reserveStock(ddb: DynamoDBDocumentClient, sku: string, cartId: string) {
  const reservation = await ddb.send(new GetCommand({ TableName: "reservations", Key: { sku } }));
  if (reservation.Item) return false;
  await ddb.send(new PutCommand({ TableName: "reservations", Item: { sku, cartId } }));
  return true;
}
`,
    expect: [6],
  },
  {
    name: "py: a seat hold taken with a condition expression",
    language: "python",
    code: `import time

def hold_seat(table, show_id: str, seat: str, customer: str) -> bool:
    item = table.get_item(Key={"pk": f"{show_id}#{seat}"}).get("Item")
    if item and item["until"] > time.time():
        return False
    table.put_item(
        Item={"pk": f"{show_id}#{seat}", "customer": customer, "until": time.time() + 600},
        ConditionExpression="attribute_not_exists(pk) OR #u < :now",
        ExpressionAttributeNames={"#u": "until"},
        ExpressionAttributeValues={":now": int(time.time())},
    )
    return True
`,
    expect: [],
  },
  {
    name: "py: threshold and household settings read then saved are no hold",
    language: "python",
    code: `def save_alert_threshold(table, household_id: str, threshold: int) -> None:
    current = table.get_item(Key={"household_id": household_id}).get("Item") or {}
    current["alert_threshold"] = threshold
    table.put_item(Item={"household_id": household_id, **current})
`,
    expect: [],
  },
  {
    name: "DynamoDB lock: GetCommand then PutCommand without a condition",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";

export class TenantLock {
  constructor(private readonly ddb: DynamoDBDocumentClient) {}

  async acquire(tenantId: string, owner: string): Promise<boolean> {
    const existing = await this.ddb.send(new GetCommand({ TableName: "locks", Key: { lockId: \`tenant#\${tenantId}\` } }));
    if (existing.Item && existing.Item.expiresAt > Date.now()) return false;
    await this.ddb.send(new PutCommand({
      TableName: "locks",
      Item: { lockId: \`tenant#\${tenantId}\`, owner, expiresAt: Date.now() + 30_000 },
    }));
    return true;
  }
}
`,
    expect: [9],
  },
  {
    name: "Redis idempotency key: get then set",
    language: "typescript",
    code: `import { createClient } from "redis";
import type { Request, Response } from "express";
import { chargeCard } from "./payments";

const redis = createClient({ url: process.env.REDIS_URL });

export async function charge(req: Request, res: Response) {
  const key = \`idem:\${req.header("Idempotency-Key")}\`;
  const seen = await redis.get(key);
  if (seen) return res.json(JSON.parse(seen));
  const result = await chargeCard(req.body);
  await redis.set(key, JSON.stringify(result), { EX: 86400 });
  res.json(result);
}
`,
    expect: [12],
  },
  {
    name: "ioredis lease renewal with setex",
    language: "typescript",
    code: `import Redis from "ioredis";

const redis = new Redis();

export async function acquireLease(jobId: string, worker: string) {
  const holder = await redis.get(\`lease:\${jobId}\`);
  if (holder && holder !== worker) return false;
  await redis.setex(\`lease:\${jobId}\`, 60, worker);
  return true;
}
`,
    expect: [8],
  },
  {
    name: "SDK v2 DocumentClient get/put on an idempotency table",
    language: "typescript",
    code: `import AWS from "aws-sdk";

const db = new AWS.DynamoDB.DocumentClient();

export async function processOnce(eventId: string, work: () => Promise<void>) {
  const prior = await db.get({ TableName: "idempotency", Key: { eventId } }).promise();
  if (prior.Item) return;
  await work();
  await db.put({ TableName: "idempotency", Item: { eventId, doneAt: Date.now() } }).promise();
}
`,
    expect: [9],
  },
  {
    name: "conditional put with attribute_not_exists",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";

export async function acquire(ddb: DynamoDBDocumentClient, lockId: string, owner: string) {
  try {
    await ddb.send(new PutCommand({
      TableName: "locks",
      Item: { lockId, owner, expiresAt: Date.now() + 30_000 },
      ConditionExpression: "attribute_not_exists(lockId) OR expiresAt < :now",
      ExpressionAttributeValues: { ":now": Date.now() },
    }));
    return true;
  } catch (e: any) {
    if (e.name === "ConditionalCheckFailedException") return false;
    throw e;
  }
}
`,
    expect: [],
  },
  {
    name: "Redis SET NX PX",
    language: "typescript",
    code: `import Redis from "ioredis";

const redis = new Redis();

export async function acquireLock(name: string, token: string): Promise<boolean> {
  const current = await redis.get(\`lock:\${name}\`);
  if (current === token) return true;
  return (await redis.set(\`lock:\${name}\`, token, "PX", 30000, "NX")) === "OK";
}
`,
    expect: [],
  },
  {
    name: "read then conditional update; node-redis NX option",
    language: "typescript",
    code: `import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

export async function renewLease(ddb: DynamoDBDocumentClient, redis: any, leaseId: string, owner: string) {
  const lease = await ddb.send(new GetCommand({ TableName: "leases", Key: { leaseId } }));
  if (lease.Item?.owner !== owner) return false;
  await ddb.send(new UpdateCommand({
    TableName: "leases",
    Key: { leaseId },
    UpdateExpression: "SET expiresAt = :e",
    ConditionExpression: "owner = :o",
    ExpressionAttributeValues: { ":e": Date.now() + 60_000, ":o": owner },
  }));
  await redis.set(\`lease:\${leaseId}\`, owner, { NX: true, PX: 60000 });
  return true;
}
`,
    expect: [],
  },
  {
    name: "in-memory cache get/set (no lock) and a comment about locks",
    language: "typescript",
    code: `const cache = new Map<string, string>();

// Not a distributed lock: a per-process memo. GetCommand/PutCommand would need a condition.
export async function profile(userId: string, load: (id: string) => Promise<string>) {
  const hit = cache.get(userId);
  if (hit) return hit;
  const value = await load(userId);
  cache.set(userId, value);
  return value;
}
`,
    expect: [],
  },
  {
    name: "boto3 lock: get_item then put_item",
    language: "python",
    code: `import time

import boto3

locks = boto3.resource("dynamodb").Table("locks")


def acquire_lock(tenant_id: str, owner: str) -> bool:
    resp = locks.get_item(Key={"lock_id": f"tenant#{tenant_id}"})
    item = resp.get("Item")
    if item and item["expires_at"] > time.time():
        return False
    locks.put_item(Item={"lock_id": f"tenant#{tenant_id}", "owner": owner, "expires_at": time.time() + 30})
    return True
`,
    expect: [13],
  },
  {
    name: "redis-py idempotency get then set",
    language: "python",
    code: `import json

import redis

r = redis.Redis()


def handle_payment(idempotency_key: str, payload: dict) -> dict:
    cached = r.get(f"idem:{idempotency_key}")
    if cached:
        return json.loads(cached)
    result = charge(payload)
    r.set(f"idem:{idempotency_key}", json.dumps(result), ex=86400)
    return result
`,
    expect: [13],
  },
  {
    name: "Django cache lease with get then set",
    language: "python",
    code: `from django.core.cache import cache


def claim_job(job_id: str, worker: str) -> bool:
    holder = cache.get(f"lease:{job_id}")
    if holder and holder != worker:
        return False
    cache.set(f"lease:{job_id}", worker, timeout=60)
    return True
`,
    expect: [8],
  },
  {
    name: "async redis dedup with setex",
    language: "python",
    code: `from redis.asyncio import Redis

redis_client = Redis()


async def process_once(message_id: str, handler) -> None:
    if await redis_client.exists(f"dedup:{message_id}"):
        return
    await handler()
    await redis_client.setex(f"dedup:{message_id}", 3600, "1")
`,
    expect: [10],
  },
  {
    name: "conditional put_item",
    language: "python",
    code: `import time

from botocore.exceptions import ClientError


def acquire_lock(table, lock_id: str, owner: str) -> bool:
    current = table.get_item(Key={"lock_id": lock_id}).get("Item")
    if current and current["owner"] == owner:
        return True
    try:
        table.put_item(
            Item={"lock_id": lock_id, "owner": owner, "expires_at": int(time.time()) + 30},
            ConditionExpression="attribute_not_exists(lock_id) OR expires_at < :now",
            ExpressionAttributeValues={":now": int(time.time())},
        )
        return True
    except ClientError as e:
        if e.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
`,
    expect: [],
  },
  {
    name: "redis set nx=True",
    language: "python",
    code: `import redis

r = redis.Redis()


def acquire_lock(name: str, token: str) -> bool:
    if r.get(f"lock:{name}") == token:
        return True
    return bool(r.set(f"lock:{name}", token, nx=True, px=30000))
`,
    expect: [],
  },
  {
    name: "Django cache.add is atomic",
    language: "python",
    code: `from django.core.cache import cache


def claim_job(job_id: str, worker: str) -> bool:
    if cache.get(f"lease:{job_id}") == worker:
        return True
    return cache.add(f"lease:{job_id}", worker, timeout=60)
`,
    expect: [],
  },
  {
    name: "plain profile cache (no lock); docstring mentions locks",
    language: "python",
    code: `def profile(cache, user_id: str) -> dict:
    """Reads through the profile cache; unlike a lock, a lost race here is harmless."""
    hit = cache.get(f"profile:{user_id}")
    if hit:
        return hit
    value = load_profile(user_id)
    cache.set(f"profile:{user_id}", value, timeout=300)
    return value
`,
    expect: [],
  },
  {
    name: "Rust SDK: get_item then put_item on the lock table",
    language: "rust",
    code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

pub async fn acquire_lock(client: &Client, tenant_id: &str, owner: &str) -> Result<bool, Error> {
    let key = format!("tenant#{tenant_id}");
    let current = client.get_item().table_name("locks").key("lock_id", AttributeValue::S(key.clone())).send().await?;
    if current.item().is_some() {
        return Ok(false);
    }
    client
        .put_item()
        .table_name("locks")
        .item("lock_id", AttributeValue::S(key))
        .item("owner", AttributeValue::S(owner.into()))
        .send()
        .await?;
    Ok(true)
}
`,
    expect: [10],
  },
  {
    name: "Rust redis: get then set for an idempotency key",
    language: "rust",
    code: `use redis::AsyncCommands;

pub async fn process_once(conn: &mut redis::aio::MultiplexedConnection, idempotency_key: &str) -> redis::RedisResult<bool> {
    let seen: Option<String> = conn.get(idempotency_key).await?;
    if seen.is_some() {
        return Ok(false);
    }
    conn.set(idempotency_key, "1").await?;
    Ok(true)
}
`,
    expect: [8],
  },
  {
    name: "Rust redis: lease renewal with set_ex",
    language: "rust",
    code: `pub async fn renew_lease(con: &mut Connection, job: &str, worker: &str) -> Result<bool, Error> {
    let holder: Option<String> = con.get(format!("lease:{job}")).await?;
    if holder.as_deref() != Some(worker) {
        return Ok(false);
    }
    con.set_ex(format!("lease:{job}"), worker, 60).await?;
    Ok(true)
}
`,
    expect: [6],
  },
  {
    name: "Rust SDK: update_item of a lease without condition",
    language: "rust",
    code: `pub async fn extend_lease(client: &Client, lease_id: &str, until: i64) -> Result<(), Error> {
    let lease = client.get_item().table_name("leases").key("lease_id", s(lease_id)).send().await?;
    let _ = lease.item();
    client.update_item()
        .table_name("leases")
        .key("lease_id", s(lease_id))
        .update_expression("SET expires_at = :u")
        .expression_attribute_values(":u", n(until))
        .send()
        .await?;
    Ok(())
}
`,
    expect: [4],
  },
  {
    name: "Rust SDK: conditional put_item",
    language: "rust",
    code: `pub async fn acquire_lock(client: &Client, lock_id: &str, owner: &str) -> Result<bool, Error> {
    let current = client.get_item().table_name("locks").key("lock_id", s(lock_id)).send().await?;
    if current.item().map(|i| i.get("owner") == Some(&s(owner))).unwrap_or(false) {
        return Ok(true);
    }
    let res = client.put_item()
        .table_name("locks")
        .item("lock_id", s(lock_id))
        .item("owner", s(owner))
        .condition_expression("attribute_not_exists(lock_id)")
        .send()
        .await;
    Ok(res.is_ok())
}
`,
    expect: [],
  },
  {
    name: "Rust redis: SET NX via cmd",
    language: "rust",
    code: `pub async fn acquire_lock(con: &mut Connection, name: &str, token: &str) -> redis::RedisResult<bool> {
    let held: Option<String> = con.get(format!("lock:{name}")).await?;
    if held.as_deref() == Some(token) {
        return Ok(true);
    }
    let ok: Option<String> = redis::cmd("SET").arg(format!("lock:{name}")).arg(token).arg("NX").arg("PX").arg(30000).query_async(con).await?;
    Ok(ok.is_some())
}
`,
    expect: [],
  },
  {
    name: "Rust redis: set_nx",
    language: "rust",
    code: `pub async fn process_once(conn: &mut Connection, idempotency_key: &str) -> redis::RedisResult<bool> {
    let seen: Option<String> = conn.get(idempotency_key).await?;
    if seen.is_some() {
        return Ok(false);
    }
    conn.set_nx(idempotency_key, "1").await
}
`,
    expect: [],
  },
  {
    name: "Rust: profile cache read-through (no lock); comment mentions lock",
    language: "rust",
    code: `// A lock would need SET NX; this is a plain read-through cache.
pub async fn profile(conn: &mut Connection, user_id: &str) -> redis::RedisResult<String> {
    let hit: Option<String> = conn.get(format!("profile:{user_id}")).await?;
    if let Some(p) = hit {
        return Ok(p);
    }
    let value = load(user_id).await;
    conn.set(format!("profile:{user_id}"), &value).await?;
    Ok(value)
}
`,
    expect: [],
  },
  {
    name: "boto3 lease in a LeaseManager: get_item then put_item",
    language: "python",
    code: `import time

import boto3

ddb = boto3.client("dynamodb")


class LeaseManager:
    def __init__(self, table: str):
        self.table = table

    def acquire(self, resource: str, owner: str) -> bool:
        item = ddb.get_item(TableName=self.table, Key={"pk": {"S": resource}}).get("Item")
        if item and int(item["expires_at"]["N"]) > time.time():
            return False
        ddb.put_item(
            TableName=self.table,
            Item={"pk": {"S": resource}, "owner": {"S": owner}, "expires_at": {"N": str(int(time.time()) + 30)}},
        )
        return True
`,
    expect: [16],
  },
  {
    name: "Rust redis dedup: exists then set_ex with a turbofish",
    language: "rust",
    code: `use redis::AsyncCommands;

pub struct Deduper {
    conn: redis::aio::ConnectionManager,
}

impl Deduper {
    pub async fn first_delivery(&mut self, message_id: &str) -> redis::RedisResult<bool> {
        let key = format!("dedup:{message_id}");
        let seen: bool = self.conn.exists(&key).await?;
        if seen {
            return Ok(false);
        }
        self.conn.set_ex::<_, _, ()>(&key, 1, 3600).await?;
        Ok(true)
    }
}
`,
    expect: [14],
  },
  {
    name: "Rust redis dedup with SET NX options",
    language: "rust",
    code: `use redis::AsyncCommands;

pub struct Deduper {
    conn: redis::aio::ConnectionManager,
}

impl Deduper {
    pub async fn first_delivery(&mut self, message_id: &str) -> redis::RedisResult<bool> {
        let key = format!("dedup:{message_id}");
        let opts = redis::SetOptions::default()
            .conditional_set(redis::ExistenceCheck::NX)
            .with_expiration(redis::SetExpiry::EX(3600));
        let res: Option<String> = self.conn.set_options(&key, 1, opts).await?;
        Ok(res.is_some())
    }
}
`,
    expect: [],
  },
  {
    name: "py: Django exists() check, then create() of the lease row",
    language: "python",
    code: `from jobs.models import JobLease


def run_once(job_id):
    if JobLease.objects.filter(job_id=job_id).exists():
        return False
    JobLease.objects.create(job_id=job_id, owner="worker-1")
    return True
`,
    expect: [7],
  },
  {
    name: "py: SQLAlchemy query().first() then session.add() of the dedup key",
    language: "python",
    code: `from app.models import DedupKey


def record_event(session, event_id):
    seen = session.query(DedupKey).filter_by(event_id=event_id).first()
    if seen:
        return
    session.add(DedupKey(event_id=event_id))
    session.commit()
`,
    expect: [8],
  },
  {
    name: "py: lease taken by get_or_create (atomic against the unique key)",
    language: "python",
    code: `from jobs.models import JobLease


def run_once(job_id):
    if JobLease.objects.filter(job_id=job_id, owner="worker-1").exists():
        return True
    _, created = JobLease.objects.get_or_create(job_id=job_id, defaults={"owner": "worker-1"})
    return created
`,
    expect: [],
  },
  {
    name: "py: read of one model, insert of another (an audit row that mentions a lock)",
    language: "python",
    code: `from reports.models import AuditEntry, Report


def release(report_id):
    report = Report.objects.get(pk=report_id)
    AuditEntry.objects.create(action="lock_released", report=report)
`,
    expect: [],
  },
];

export default defineRule({
  meta: {
    scope: "service",
    id: "check-then-act-lock",
    category: "security",
    languages: ["typescript", "rust", "python"],
    severity: "failure",
    description: "A lock, lease or idempotency item is read and then written without a condition or atomic primitive.",
    why: "Between the read and the write another request can take the same lock or record the same idempotency key; both see it free, both write, and both run the guarded work (double charges, duplicate jobs, two holders of a tenant lock). The race only shows under concurrent production traffic.",
    fix: "Make the acquire one atomic step: DynamoDB PutItem/UpdateItem with `ConditionExpression: attribute_not_exists(pk) OR expiresAt < :now` (or a transaction), Redis `SET key value NX PX <ttl>`, and treat a failed condition as 'already held'.",
    docs: [
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html",
      "https://redis.io/docs/latest/commands/set/",
    ],
  },
  detect: {
    typescript: (file) => onePerLine([...tsDetect(file), ...tsFunctions(file.ts!).flatMap(tsReleases)]),
    python: (file) => onePerLine([...pyDetect(file), ...functionsOf(file.tree!.rootNode).flatMap(treeReleases)]),
    rust: (file) => onePerLine([...rsDetect(file), ...functionsOf(file.tree!.rootNode).flatMap(treeReleases)]),
  },
  cases: CASES,
});
