import { Node, SyntaxKind, type CallExpression } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type ReviewFacts, type RuleContext } from "../src/engine/rule.js";
import { bufferedWriters, inMemoGuard, isItemLoop, onBufferedWriter, treeGuards, tsGuards, pyKwargs, pyHasSplat, treeCallName, treeDef, treeFns, treeFnName, tsDef, tsFnName, tsFns, tsIsItemLoop } from "./_lib/performance.js";
import { codeSpan } from "./_lib/message.js";
import { DefSet } from "./_lib/resolve.js";
import { callLine as tsCallLine, compactText, enclosingLoop as tsLoopOf } from "./_lib/ts.js";
import { boundedText, compactTreeText, descendants, enclosingLoop as treeLoopOf, line, memoUp, UP } from "./_lib/tree.js";

// DynamoDB BatchGetItem reads up to 100 items and BatchWriteItem writes up to 25 in one request; SQS
// SendMessageBatch and SNS PublishBatch take 10 messages. One call per item pays the round trip N times.

interface Facts {
  /** Functions and methods (by name) defined in the PR's files whose bodies make a network call directly. */
  netFns: DefSet;
}

const GENERIC = /^(get|set|put|post|send|run|call|then|map|load|save|find|fetch|handle|process|execute|query|update|create|delete|remove|apply|next|main)$/;
// Calls that credentials-per-request and secret-fetch-per-request report themselves (per item included): one finding per line.
const OWNED = /AssumeRole|assume_?role|GetSecretValue|get_?secret_?value|GetParameters?(ByPath)?Command|get_parameters?(_by_path)?\b|getParameters?\(/i;
const BATCH = /batch|bulk|many$|Many$|transact|mget|mset|PutEvents|put_events|PutRecords|put_records|DeleteObjects|delete_objects|executemany|pipeline/i;
const CHUNKED = /chunk|batch|page|slice|group|partition|window/i;
const LIMITED = /semaphore|\bsem\b|limiter|limit\(|acquire|buffer_unordered|buffered\(|for_each_concurrent|try_for_each_concurrent|pLimit|p_limit/i;

// Names bound to a concurrency limiter in the file: `_PING_CONCURRENCY = asyncio.Semaphore(8)`, `self._gate = anyio.CapacityLimiter(4)`,
// `let permits = Arc::new(Semaphore::new(8))`, `private readonly gate = new Bottleneck({ maxConcurrent: 5 })`.
const LIMITER_CTOR =
  /\b(?:self\.|this\.)?(\w+)\s*(?::[^=\n]{1,160})?=\s*(?:new\s+)?(?:Arc::new\(\s*)?(?:[\w.]+\.|\w+::)?(?:Semaphore|BoundedSemaphore|CapacityLimiter|Limiter|RateLimiter|Bottleneck|PQueue|pLimit)\s*(?:::(?:new|const_new))?\s*\(/g;
let limiterNames: RegExp | undefined;
/** The file being checked: calls resolve to repository functions from here (see _lib/resolve.ts). */
let caller: ParsedFile | undefined;

/** What a Rust call is called on: `self` for `self.f()`, `db` for `db::f()`, "" for `f()`. */
function rsQualifier(call: TNode): string {
  const fn = call.childForFieldName("function");
  if (fn?.type === "field_expression") return compactTreeText(fn.childForFieldName("value"));
  if (fn?.type === "scoped_identifier") return fn.childForFieldName("path")?.text ?? "";
  return "";
}

function fileLimiters(text: string): RegExp | undefined {
  const names = [...new Set([...text.matchAll(LIMITER_CTOR)].map((m) => m[1]))];
  return names.length ? new RegExp(`\\b(${names.join("|")})\\b`) : undefined;
}

/** Code that bounds its concurrency: a limiter named as such, or one of the file's limiter variables. */
function limited(text: string): boolean {
  return LIMITED.test(text) || Boolean(limiterNames?.test(text));
}

function suggestion(op: string): string {
  if (/GetItem|GetCommand|get_item/i.test(op)) return "read the keys with one BatchGetItem (up to 100 keys per call)";
  if (/PutItem|PutCommand|DeleteItem|DeleteCommand|put_item|delete_item/i.test(op)) return "write the items with BatchWriteItem (up to 25 per call)";
  if (/SendMessage|send_message/i.test(op)) return "send the messages with SendMessageBatch (10 per call)";
  if (/Publish|publish/.test(op)) return "publish with PublishBatch / PutEvents entries";
  if (/DeleteObject|delete_object/i.test(op)) return "delete with DeleteObjects (1,000 keys per call)";
  if (/\.(insert|insert_one|insertOne|create|save|upsert|values)\b|cursor\.execute/i.test(op)) return "write the rows in one statement (multi-row INSERT, createMany/insertMany, executemany, bulk_create)";
  if (/query|execute|find|select|fetch_one|fetch_all|objects|scalar|first|get\(/i.test(op)) return "load the rows with one query (`IN`/`ANY`, `findMany`, a join)";
  return "use the service's batch API, or run the calls with bounded concurrency (p-limit, a semaphore, `buffer_unordered(n)`)";
}

function message(label: string, loopLine: number): string {
  return `\`${label}\` makes one network round trip per item of the loop on line ${loopLine} (N+1): latency grows with the input and bursts hit rate limits; ${suggestion(label)}.`;
}

// ---------- TypeScript ----------

const CLIENT_PART =
  /client|repo|repository|dynamo|redis|prisma|knex|mongo|stripe|supabase|firestore|octokit|graphql|elastic|kafka|axios|secrets|eventbridge|kinesis|connection|collection|publisher|producer|queue/i;
const CLIENT_EXACT = /^(db|ddb|s3|sqs|sns|sts|ssm|lambda|http|https|api|pool|conn|sql|tx|trx|table|es|bus|docClient|cosmos|dynamodb|database|em|manager|ses|sm|kms)$/i;
const CLIENT_SUFFIX = /(Db|DB|Api|API|Pool|Table|Conn|Sql|Http|Bus|Client|Repo|Repository)$/;

function clientish(recv: string): boolean {
  const parts = recv.split(/\??\.|\(\)|\[|\]/).filter(Boolean);
  return parts.some((p) => CLIENT_PART.test(p) || CLIENT_EXACT.test(p) || CLIENT_SUFFIX.test(p) || typedClients.has(p));
}

// Declared types that hold a database or service client: `@InjectRepository(User) private readonly users: Repository<User>`,
// `@InjectModel(Cat.name) private cats: Model<Cat>`, `constructor(private readonly orders: OrdersApiClient)`.
const CLIENT_TYPE = /^(Repository|MongoRepository|TreeRepository|EntityManager|DataSource|Model|ModelStatic|ModelCtor|PrismaClient|PrismaService|Knex|Pool|PoolClient|Redis|Cluster|Collection|Db|Sequelize|Connection|MikroORM|EntityRepository|Kysely|\w*Client)\b/;

/** Names (properties, parameters, variables) declared with a client type in the file being checked. */
let typedClients = new Set<string>();

function tsTypedClients(file: ParsedFile): Set<string> {
  const out = new Set<string>();
  const decls = [
    ...file.ts!.getDescendantsOfKind(SyntaxKind.PropertyDeclaration),
    ...file.ts!.getDescendantsOfKind(SyntaxKind.Parameter),
    ...file.ts!.getDescendantsOfKind(SyntaxKind.VariableDeclaration),
  ];
  for (const d of decls) {
    const type = d.getTypeNode()?.getText() ?? "";
    if (CLIENT_TYPE.test(type) && !/^(Model|Collection|Connection)$/.test(d.getName())) out.add(d.getName());
    if (TYPEORM_TYPE.test(type)) typeormRepos.add(d.getName());
  }
  return out;
}

const TS_DB_METHOD =
  /^(query|execute|exec|findOne|findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findById|findByPk|findAll|find|findOneBy|findBy|findOneOrFail|count|aggregate|insert|insertOne|update|updateOne|upsert|create|save|remove|delete|deleteOne|replaceOne|getItem|putItem|updateItem|deleteItem|get|put|scan|getObject|putObject|headObject|deleteObject|copyObject|publish|invoke|sendMessage|hget|hset|hgetall|set|incr|expire|lpush|rpush|sadd|zadd|xadd|one|oneOrNone|many|manyOrNone|any|none|raw|select|first|request|post|patch|del|head|fetch)$/;
const TS_MODEL_METHOD = /^(findById|findOne|findAll|findByPk|findOneAndUpdate|countDocuments|updateOne|deleteOne|destroy|exists)$/;
const RESPONSE_LIKE = /^(res|response|reply|ws|socket|channel|port|worker|process|window|self|parent|client\.res)$/;

/** The label of a network call (`ddb.send(new GetCommand(...))`, `fetch(url)`, `prisma.user.findUnique`), or undefined. */
function tsNetworkCall(call: CallExpression, netFns: DefSet): string | undefined {
  const expr = call.getExpression();
  if (Node.isIdentifier(expr)) {
    const name = expr.getText();
    if (/^(fetch|axios|got|ky|ofetch|\$fetch|superagent|needle|knex)$/.test(name)) return `${name}(...)`;
    return netFns.has(name, "", caller) ? `${name}(...)` : undefined;
  }
  if (!Node.isPropertyAccessExpression(expr)) return undefined;
  const name = expr.getName();
  const recv = compactText(expr.getExpression());
  if (name === "promise" && Node.isCallExpression(expr.getExpression())) return tsNetworkCall(expr.getExpression() as CallExpression, netFns);
  if (name === "send") {
    const arg = call.getArguments()[0];
    if (arg && Node.isNewExpression(arg) && /Command$/.test(arg.getExpression().getText())) return `${recv}.send(new ${arg.getExpression().getText()}(...))`;
    return clientish(recv) && !RESPONSE_LIKE.test(recv) ? `${recv}.send(...)` : undefined;
  }
  if (/^(axios|got|ky|superagent|needle|undici|ofetch)$/.test(recv)) return `${recv}.${name}(...)`;
  if (name === "create" && tsInMemoryCreate(call, recv)) return undefined;
  return tsMemberCall(recv.replace(/\((.|\n)*/, "(...)"), name, netFns);
}

function tsMemberCall(recv: string, name: string, netFns: DefSet): string | undefined {
  if (TS_DB_METHOD.test(name) && clientish(recv) && !RESPONSE_LIKE.test(recv)) return `${recv}.${name}(...)`;
  if (TS_MODEL_METHOD.test(name) && /^[A-Z]\w*$/.test(recv)) return `${recv}.${name}(...)`;
  if (netFns.has(name, recv, caller) && !GENERIC.test(name)) return `${recv}.${name}(...)`;
  return undefined;
}

/** True when the call's result is awaited (directly, through `.promise()` or parentheses) or handed back from an iterating callback. */
function tsAwaited(call: Node, iterating: boolean): boolean {
  let cur = call;
  for (;;) {
    const p = cur.getParent();
    if (!p) return false;
    if (Node.isAwaitExpression(p) || Node.isYieldExpression(p)) return true;
    if (Node.isParenthesizedExpression(p) || Node.isNonNullExpression(p) || Node.isAsExpression(p)) { cur = p; continue; }
    // RxJS: `await firstValueFrom(this.http.get(url))` (NestJS HttpService returns Observables)
    if (Node.isCallExpression(p) && p.getArguments()[0] === cur && /^(rxjs\.)?(firstValueFrom|lastValueFrom)$/.test(p.getExpression().getText())) { cur = p; continue; }
    // builder chains: db.select().from(t).where(...), .promise(), .then(...)
    if (Node.isPropertyAccessExpression(p) && Node.isCallExpression(p.getParent()) && (p.getParent() as CallExpression).getExpression() === p) { cur = p.getParent()!; continue; }
    if (iterating && (Node.isReturnStatement(p) || (Node.isArrowFunction(p) && p.getBody() === cur))) return true;
    return false;
  }
}

/** True when the loop itself (not a nested function) contains a statement of one of the kinds. */
function tsOwn(loop: Node, kinds: SyntaxKind[]): boolean {
  return kinds.some((k) => loop.getDescendantsOfKind(k).some((d) => !tsFns(d).some((f) => loop.containsRange(f.getPos(), f.getEnd()))));
}

/** What a loop statement iterates over: `for (const c of chunks)` -> "const c chunks"; `for (;;)` -> its condition. */
function tsLoopHead(loop: Node): string {
  if (Node.isForOfStatement(loop) || Node.isForInStatement(loop)) return `${loop.getInitializer().getText()} ${loop.getExpression().getText()}`;
  if (Node.isForStatement(loop)) return loop.getCondition()?.getText() ?? "";
  return "";
}

/**
 * `manager.save(lines.map((l) => manager.create(Line, l)))`: the callback's return values go straight into another call
 * (a batch write, a serializer), not into Promise.all, so returning from the callback awaits nothing per item.
 */
function tsMapIntoCall(loop: CallExpression): boolean {
  const expr = loop.getExpression();
  if (!Node.isPropertyAccessExpression(expr) || !/^(map|flatMap)$/.test(expr.getName())) return false;
  const parent = loop.getParent();
  if (!parent || !Node.isCallExpression(parent) || !parent.getArguments().includes(loop)) return false;
  return !/(^|\.)(all|allSettled|any|race|map|mapSeries|each|settle|gather)$|Promise|pMap|pAll/.test(parent.getExpression().getText());
}

// TypeORM: `EntityManager.create(Entity, plain)` and `Repository.create(plain)` only build an entity object in memory.
const TYPEORM_TYPE = /^(Repository|MongoRepository|TreeRepository|EntityManager)\b/;
let typeormRepos = new Set<string>();

function tsInMemoryCreate(call: CallExpression, recv: string): boolean {
  const args = call.getArguments();
  if (args[0] && Node.isIdentifier(args[0]) && /^[A-Z]/.test(args[0].getText()) && args.length <= 2) return true;
  return typeormRepos.has(recv.replace(/^this\./, ""));
}

/** The loop a call repeats in, if it is a loop over items that the call could be batched or bounded across. */
function tsItemLoop(call: CallExpression): Node | undefined {
  const loop = tsLoopOf(call);
  if (!loop || !tsFns(loop).length) return undefined;
  if (Node.isCallExpression(loop)) {
    const recv = loop.getExpression();
    const over = Node.isPropertyAccessExpression(recv) ? recv.getExpression().getText() : "";
    if (CHUNKED.test(over)) return undefined;
  } else {
    if (!tsIsItemLoop(loop) || CHUNKED.test(tsLoopHead(loop))) return undefined;
    // A loop that stops at the first success (failover, search) is sequential on purpose.
    if (tsOwn(loop, [SyntaxKind.ReturnStatement, SyntaxKind.BreakStatement])) return undefined;
  }
  // Nested in a loop over chunks: the chunk bounds the concurrency.
  if (loop.getAncestors().some((outer) => CHUNKED.test(tsLoopHead(outer)))) return undefined;
  return loop;
}

/**
 * `Promise.all(ids.map(fetchUser))`, `ids.forEach(this.notify)`: a function that makes a network call passed by
 * reference to an iterating method; the label of that function, or undefined.
 */
function tsMappedNetworkFn(call: CallExpression, netFns: DefSet): string | undefined {
  const expr = call.getExpression();
  if (!Node.isPropertyAccessExpression(expr) || !/^(map|flatMap|forEach)$/.test(expr.getName())) return undefined;
  const arg = call.getArguments()[0];
  if (!arg) return undefined;
  const name = Node.isIdentifier(arg) ? arg.getText() : Node.isPropertyAccessExpression(arg) && /^this$/.test(arg.getExpression().getText()) ? arg.getName() : "";
  if (!name || !netFns.has(name, Node.isIdentifier(arg) ? "" : "this", caller) || GENERIC.test(name)) return undefined;
  if (CHUNKED.test(expr.getExpression().getText()) || !tsFns(call).length) return undefined;
  if (expr.getName() === "forEach") return `${arg.getText()}(...)`;
  // The promises are awaited together (Promise.all/allSettled), or awaited as the result.
  const parent = call.getParent();
  const all = parent && Node.isCallExpression(parent) && /^Promise\.(all|allSettled)$/.test(parent.getExpression().getText()) ? parent : undefined;
  if (!all && !tsAwaited(call, false)) return undefined;
  if (all && tsFns(all).some((f) => LIMITED.test(f.getText()) && /pLimit|limit\(/.test(f.getText()))) return undefined;
  return `${arg.getText()}(...)`;
}

/** `sts.send(new AssumeRoleCommand(...))` (or an alias of it imported from the STS/Secrets Manager/SSM clients). */
function tsOwned(call: CallExpression): boolean {
  if (OWNED.test(call.getExpression().getText())) return true;
  const arg = call.getArguments()[0];
  if (!arg || !Node.isNewExpression(arg)) return false;
  const ctor = arg.getExpression().getText();
  if (OWNED.test(ctor)) return true;
  const imp = call.getSourceFile().getImportDeclarations().find((d) => d.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === ctor));
  return Boolean(imp && /client-(sts|secrets-manager|ssm)$/.test(imp.getModuleSpecifierValue()));
}

function tsDetect(file: ParsedFile, ctx: RuleContext<Facts>): Report[] {
  const out: Report[] = [];
  typeormRepos = new Set();
  caller = file;
  const writers = bufferedWriters(file.text);
  typedClients = tsTypedClients(file);
  limiterNames = fileLimiters(file.text);
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const mapped = tsMappedNetworkFn(call, ctx.facts.netFns);
    if (mapped) {
      if (!out.some((r) => r.line === tsCallLine(call))) out.push({ line: tsCallLine(call), message: message(mapped, tsCallLine(call)) });
      continue;
    }
    const label = tsNetworkCall(call, ctx.facts.netFns);
    if (!label || BATCH.test(label) || tsOwned(call)) continue;
    if (Node.isPropertyAccessExpression(call.getParent()!) && (call.getParent() as any).getName() === "promise") continue;
    const loop = tsItemLoop(call);
    if (!loop || !tsAwaited(call, Node.isCallExpression(loop) && !tsMapIntoCall(loop))) continue;
    if (onBufferedWriter(call.getExpression().getText(), writers) || inMemoGuard(tsGuards(call, loop))) continue;
    if (!out.some((r) => r.line === tsCallLine(call))) out.push({ line: tsCallLine(call), message: message(label, loop.getStartLineNumber()) });
  }
  typedClients = new Set();
  return out;
}

// ---------- Python ----------

const PY_BOTO =
  /^(get_item|put_item|update_item|delete_item|query|scan|get_object|put_object|head_object|delete_object|copy_object|upload_file|upload_fileobj|download_file|send_message|publish|put_record|invoke|get_secret_value|get_parameter|start_execution|send_email|send_raw_email|assume_role|delete_message|change_message_visibility|describe_\w+)$/;
const PY_CLIENT_SEG = /^_*(\w+_)?(client|session|http|api|sess|conn|connection|cursor|cur|db|database|collection|coll|pool|tx|engine|table|redis|mongo|repo|repository|s3|sqs|sns|ddb|dynamodb|ssm|stripe)$/i;

/** The last segment of a receiver names a client: \`self.http\`, \`orders_table\`, \`db\`, \`redis_client\`. */
function pyClientish(recv: string): boolean {
  if (/(^|\.)request\.session$/.test(recv)) return false; // Django/Flask session: in-memory
  return PY_CLIENT_SEG.test(recv.split(".").pop() ?? "") || pyBound.has(recv);
}

// `with requests.Session() as s:`, `http = httpx.Client(...)`, `r = redis.Redis(...)`: short names bound to a client.
const PY_CLIENT_CTOR = String.raw`(?:[\w.]+\.)?(?:Session|Client|AsyncClient|ClientSession|client|resource|Redis|StrictRedis|MongoClient|connect|create_engine|PoolManager)\(`;
let pyBound = new Set<string>();

function pyBoundClients(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(new RegExp(String.raw`\bwith\s+${PY_CLIENT_CTOR}[^\n]*?\)\s+as\s+(\w+)`, "g"))) out.add(m[1]);
  for (const m of text.matchAll(new RegExp(String.raw`^[ \t]*(\w+)\s*(?::\s*[\w.\[\]]+\s*)?=\s*${PY_CLIENT_CTOR}`, "gm"))) out.add(m[1]);
  for (const m of text.matchAll(/\b(\w+)\s*:\s*(?:requests\.Session|httpx\.(?:Async)?Client|aiohttp\.ClientSession|redis\.\w*Redis)\b/g)) out.add(m[1]);
  return out;
}
const PY_HTTP = /^(get|post|put|patch|delete|head|request|send|stream)$/;
const PY_DB = /^(execute|fetch|fetchrow|fetchval|fetch_one|fetch_all|scalar|scalars|get|find_one|find|insert_one|update_one|delete_one|replace_one|count_documents|aggregate|merge|refresh|hget|hset|hgetall|set|incr|expire|delete|lpush|rpush|sadd|zadd|xadd|publish)$/;

function pyNetworkCall(call: TNode, netFns: DefSet): string | undefined {
  const fn = call.childForFieldName("function");
  if (!fn) return undefined;
  const text = compactTreeText(fn);
  const shown = codeSpan(fn.text);
  const awaited = call.parent?.type === "await";
  if (/^(requests|httpx)\.(get|post|put|patch|delete|head|request)$|^(urllib\.request\.)?urlopen$/.test(text)) return `${shown}(...)`;
  if (fn.type === "identifier") return netFns.has(text, "", caller) && !GENERIC.test(text) ? `${shown}(...)` : undefined;
  if (fn.type !== "attribute") return undefined;
  const name = fn.childForFieldName("attribute")?.text ?? "";
  const recv = boundedText(fn.childForFieldName("object"));
  if (/batch|pipe|pipeline/i.test(recv)) return undefined;
  if (/\.objects(\.|$)/.test(recv) && /^(get|create|get_or_create|update_or_create|first|last|exists|count|update|delete|aggregate|latest|earliest)$/.test(name)) return `${shown}(...)`;
  if (/\.query\(/.test(recv) && /^(all|first|one|one_or_none|scalar|count|get)$/.test(name)) return `${shown}(...)`;
  if (PY_BOTO.test(name) && (pyKwargs(call).length || pyHasSplat(call))) return `${shown}(...)`;
  if (fn.childForFieldName("object")?.type === "call") return undefined; // resp.get("Item") on a result
  if ((PY_HTTP.test(name) || PY_DB.test(name)) && pyClientish(recv) && !/^self$/.test(recv)) return `${shown}(...)`;
  if (awaited && pyClientish(recv) && !/^(close|aclose|acquire|release|__aenter__|__aexit__|sleep|wait)$/.test(name)) return `${shown}(...)`;
  if (netFns.has(name, recv, caller) && !GENERIC.test(name)) return `${shown}(...)`;
  return undefined;
}

// ---------- Rust ----------

/** Rust: the network call an `.await` (or a diesel call) completes: `client.get_item()...send().await`, `sqlx::query(..).fetch_one(&pool).await`. */
function rsNetworkCall(node: TNode, netFns: DefSet): { label: string; at: TNode } | undefined {
  if (node.type !== "await_expression") return undefined;
  const inner = node.namedChild(0);
  if (inner?.type !== "call_expression") return undefined;
  const name = treeCallName(inner);
  const argc = inner.childForFieldName("arguments")?.namedChildCount ?? 0;
  const chain = rsChainCalls(inner);
  const first = chain[0];
  const op = first ? treeCallName(first) : name;
  const at = first?.childForFieldName("function")?.childForFieldName("field") ?? inner;
  if (name === "send" && argc === 0 && chain.length >= 2) return { label: `.${op}()…send().await`, at };
  if (/^reqwest::(blocking::)?get$/.test(inner.childForFieldName("function")?.text ?? "")) return { label: "reqwest::get(...).await", at: inner };
  if (/^(fetch_one|fetch_all|fetch_optional|fetch|execute|query_async)$/.test(name) &&
    (/\bquery(_as|_scalar)?!?\s*\(|sqlx::query/.test(inner.text) || /pool|conn|db|tx|executor/i.test(inner.childForFieldName("arguments")?.text ?? ""))) {
    return { label: `${name}(...).await`, at };
  }
  if (netFns.has(name, rsQualifier(inner), caller) && !GENERIC.test(name)) return { label: `${name}(...).await`, at: inner };
  return undefined;
}

/** The calls of a method chain, first call first: `a.b().c().d()` -> [b(), c(), d()]. */
function rsChainCalls(call: TNode): TNode[] {
  const out: TNode[] = [];
  let cur: TNode | null = call;
  while (cur?.type === "call_expression") {
    out.unshift(cur);
    const fn = cur.childForFieldName("function");
    cur = fn?.type === "field_expression" ? fn.childForFieldName("value") : null;
    while (cur && (cur.type === "await_expression" || cur.type === "try_expression")) cur = cur.namedChild(0);
  }
  return out;
}

function treeItemLoop(node: TNode): TNode | undefined {
  const loop = treeLoopOf(node);
  if (!loop || !isItemLoop(loop)) return undefined;
  if (!treeFns(loop).some((f) => f.type === "function_item" || f.type === "function_definition")) return undefined;
  const over = (loop.childForFieldName("right") ?? loop.childForFieldName("value"))?.text ?? "";
  if (CHUNKED.test(over) || CHUNKED.test((loop.childForFieldName("left") ?? loop.childForFieldName("pattern"))?.text ?? "")) return undefined;
  if (loop.type === "call_expression" && (CHUNKED.test(loop.childForFieldName("function")?.text ?? "") || LIMITED.test(chainAbove(loop)))) return undefined;
  if (/comprehension|generator/.test(loop.type) && limited(loop.text)) return undefined;
  // between the call and the loop: `async with sem:`, `let _permit = sem.acquire().await`
  for (let cur = node.parent; cur && cur.id !== loop.id; cur = cur.parent) {
    if (cur.type === "with_statement" && limited(cur.text.split("\n")[0])) return undefined;
    if (cur.type === "block" && descendants(cur, "let_declaration").some((l) => limited(l.text))) return undefined;
    // one transaction per item (`with transaction.atomic():`, `let mut tx = pool.begin().await?`) is a deliberate
    // unit of work: each item commits or rolls back alone, which one batched statement would not keep
    if (cur.type === "with_statement" && PER_ITEM_TX.test(cur.text.split("\n")[0])) return undefined;
    if (cur.type === "block" && descendants(cur, "let_declaration").some((l) => PER_ITEM_TX.test(l.childForFieldName("value")?.text ?? ""))) return undefined;
  }
  if (/^for_/.test(loop.type)) {
    const body = loop.childForFieldName("body");
    const stops = descendants(body ?? loop, ["return_statement", "break_statement", "return_expression", "break_expression"])
      .filter((s) => !treeFns(s).some((f) => f.startIndex > loop.startIndex && f.endIndex <= loop.endIndex));
    if (stops.length) return undefined;
  }
  for (let cur = loop.parent; cur; cur = cur.parent) {
    if (/^for_/.test(cur.type) && CHUNKED.test((cur.childForFieldName("right") ?? cur.childForFieldName("value") ?? cur).text.split("\n")[0])) return undefined;
  }
  return loop;
}

const PER_ITEM_TX = /\btransaction\.atomic\b|\.(begin|begin_nested|transaction|atomic)\(\s*\)/;

/** Text of the method chain a Rust iterator call sits in (to spot `.buffer_unordered(n)` after `.map(...)`). */
/** The chain's text after this link; on a very long chain its first and last 2,000 characters around "…". */
function chainAbove(call: TNode): string {
  const top = chainTops(call.tree.rootNode).get(call.id) ?? call;
  const text = top.text;
  const from = call.text.length;
  if (text.length - from <= 4000) return text.slice(from);
  return `${text.slice(from, from + 2000)}…${text.slice(-2000)}`;
}

const CHAIN_LINKS = ["call_expression", "field_expression", "await_expression", "try_expression"];
const tops = new WeakMap<object, Map<number, TNode>>();

/**
 * For every link of a method chain, the chain's outermost node: found top-down in one pass over the tree, since
 * walking up from each link (tree-sitter finds a parent from the root) costs links x depth on long chains.
 */
function chainTops(root: TNode): Map<number, TNode> {
  let found = tops.get(root.tree);
  if (found) return found;
  found = new Map();
  for (const top of descendants(root, CHAIN_LINKS)) {
    if (found.has(top.id)) continue;
    for (let cur: TNode | null = top; cur && CHAIN_LINKS.includes(cur.type); ) {
      found.set(cur.id, top);
      cur = cur.type === "call_expression" ? cur.childForFieldName("function") : cur.type === "field_expression" ? cur.childForFieldName("value") : cur.namedChild(0);
    }
  }
  tops.set(root.tree, found);
  return found;
}

function treeDetect(file: ParsedFile, ctx: RuleContext<Facts>): Report[] {
  const out: Report[] = [];
  const types = file.language === "rust" ? ["await_expression"] : ["call"];
  pyBound = file.language === "python" ? pyBoundClients(file.text) : new Set();
  caller = file;
  const writers = bufferedWriters(file.text);
  limiterNames = fileLimiters(file.text);
  for (const node of descendants(file.tree!.rootNode, types)) {
    const hit = file.language === "rust" ? rsNetworkCall(node, ctx.facts.netFns) : pyCall(node, ctx.facts.netFns);
    if (!hit || BATCH.test(hit.label) || OWNED.test(hit.label)) continue;
    const loop = treeItemLoop(node);
    if (!loop) continue;
    const callee = (node.type === "await_expression" ? node.namedChild(0) : node)?.childForFieldName("function")?.text ?? "";
    if (onBufferedWriter(callee.replace(/\s+/g, ""), writers) || inMemoGuard(treeGuards(node, loop)) || runsEachStatement(node.text, treeLoopVar(loop))) continue;
    if (!out.some((r) => r.line === line(hit.at))) out.push({ line: line(hit.at), message: message(hit.label, line(loop)) });
  }
  if (file.language === "rust") {
    for (const hit of rsFannedOut(file.tree!.rootNode, ctx.facts.netFns)) {
      if (!out.some((r) => r.line === line(hit.at))) out.push({ line: line(hit.at), message: message(hit.label, line(hit.loop)) });
    }
  } else {
    for (const hit of pyMappedNetworkFn(file.tree!.rootNode, ctx.facts.netFns)) {
      if (!out.some((r) => r.line === line(hit.at))) out.push({ line: line(hit.at), message: message(hit.label, line(hit.at)) });
    }
  }
  pyBound = new Set();
  return out;
}

/** The variable a `for` loop binds (`for stmt in migration.apply_sql`), if one plain name. */
function treeLoopVar(loop: TNode): string | undefined {
  const v = (loop.childForFieldName("pattern") ?? loop.childForFieldName("left"))?.text.replace(/^(mut|&)\s*/, "");
  return v && /^\w+$/.test(v) ? v : undefined;
}

/**
 * The loop runs each of a list of SQL statements (a migration's steps): the statement itself is the loop variable, so
 * every round trip is a different statement, not the same query once per item, and no batch form exists.
 */
export function runsEachStatement(callText: string, loopVar: string | undefined): boolean {
  if (!loopVar) return false;
  return new RegExp(String.raw`\b(query|query_as|query_scalar|raw_sql|execute|executescript|exec|batch_execute|simple_query|text)\s*(::<[^>]*>)?\(\s*(&\s*\**)?(sqlalchemy\.)?(text\()?${loopVar}\s*\)?\s*[,)]`).test(callText);
}

const JOINED = /(^|::)(try_)?join_all$|FuturesUnordered|FuturesOrdered/;

/**
 * Rust: futures built per item and awaited together without a bound:
 * `join_all(ids.iter().map(|id| http.get(url(id)).send()))`, `join_all(ids.into_iter().map(fetch_user))`.
 */
function rsFannedOut(root: TNode, netFns: DefSet): { label: string; at: TNode; loop: TNode }[] {
  const out: { label: string; at: TNode; loop: TNode }[] = [];
  for (const map of descendants(root, "call_expression")) {
    if (treeCallName(map) !== "map" || map.childForFieldName("function")?.type !== "field_expression") continue;
    if (!treeFns(map).some((f) => f.type === "function_item")) continue;
    if (LIMITED.test(chainAbove(map))) continue;
    const joined = JOINED.test(chainAbove(map)) || rsInJoin(map);
    if (!joined) continue;
    const arg = map.childForFieldName("arguments")?.namedChild(0);
    if (!arg) continue;
    if (arg.type === "identifier" || arg.type === "scoped_identifier") {
      const name = arg.text.replace(/^.*::/, "");
      if (netFns.has(name, arg.text.includes("::") ? arg.text.replace(/::\w+$/, "") : "", caller) && !GENERIC.test(name)) out.push({ label: `${name}(...)`, at: map, loop: map });
      continue;
    }
    if (arg.type !== "closure_expression") continue;
    let body = arg.childForFieldName("body");
    while (body?.type === "block" && body.namedChildCount === 1) body = body.namedChild(0);
    if (body?.type === "expression_statement") body = body.namedChild(0);
    if (body?.type !== "call_expression") continue;
    const chain = rsChainCalls(body);
    const argc = body.childForFieldName("arguments")?.namedChildCount ?? 0;
    if (treeCallName(body) === "send" && argc === 0 && chain.length >= 2) {
      const first = chain[0];
      out.push({ label: `.${treeCallName(first)}()…send()`, at: first.childForFieldName("function")?.childForFieldName("field") ?? body, loop: map });
    } else if (netFns.has(treeCallName(body), rsQualifier(body), caller) && !GENERIC.test(treeCallName(body))) {
      out.push({ label: `${treeCallName(body)}(...)`, at: body, loop: map });
    }
  }
  return out;
}

/** The iterator is an argument of `join_all(...)` / `try_join_all(...)` (directly or through `.collect()`). */
/** The callee to match by name: a method call's own name, not the whole chain before it (long on long chains). */
function calleeOf(call: TNode): string {
  const fn = call.childForFieldName("function");
  return (fn?.type === "field_expression" ? fn.childForFieldName("field") : fn)?.text ?? "";
}

function rsInJoin(node: TNode): boolean {
  return memoUp("in-join", node, (_, cur) => {
    if (cur.type === "call_expression" && JOINED.test(calleeOf(cur))) return true;
    if (/^(function_item|closure_expression|let_declaration|expression_statement)$/.test(cur.type)) return false;
    return UP;
  }, false);
}

/** Python: `asyncio.gather(*map(fetch_user, ids))` with a function that makes a network call. */
function pyMappedNetworkFn(root: TNode, netFns: DefSet): { label: string; at: TNode }[] {
  const out: { label: string; at: TNode }[] = [];
  for (const call of descendants(root, "call")) {
    if (call.childForFieldName("function")?.text !== "map") continue;
    const fn = call.childForFieldName("arguments")?.namedChild(0);
    const name = fn?.type === "identifier" ? fn.text : fn?.type === "attribute" && /^self\./.test(fn.text) ? fn.childForFieldName("attribute")?.text ?? "" : "";
    if (!name || !netFns.has(name, fn!.type === "identifier" ? "" : "self", caller) || GENERIC.test(name)) continue;
    if (!treeFns(call).some((f) => f.type === "function_definition")) continue;
    const gather = call.parent?.type === "list_splat" ? call.parent.parent?.parent : undefined;
    if (gather?.type !== "call" || !/(^|\.)gather$/.test(gather.childForFieldName("function")?.text ?? "")) continue;
    out.push({ label: `${fn!.text}(...)`, at: call });
  }
  return out;
}

function pyCall(call: TNode, netFns: DefSet): { label: string; at: TNode } | undefined {
  const label = pyNetworkCall(call, netFns);
  return label ? { label, at: call } : undefined;
}

// ---------- collect ----------

function collect(review: ReviewFacts): Facts {
  const netFns = new DefSet();
  const none = new DefSet();
  for (const f of review.files) {
    if (f.ts) {
      typeormRepos = new Set();
      typedClients = tsTypedClients(f);
      limiterNames = fileLimiters(f.text);
      for (const call of f.ts.getDescendantsOfKind(SyntaxKind.CallExpression)) {
        const tsHit = tsNetworkCall(call, none);
        if (!tsHit || tsOwned(call)) continue;
        const fn = tsFns(call).find((x) => tsFnName(x));
        if (fn && !limited(fn.getText())) netFns.add(tsDef(fn, tsFnName(fn)));
      }
    } else if (f.tree) {
      const types = f.language === "rust" ? ["await_expression"] : ["call"];
      pyBound = f.language === "python" ? pyBoundClients(f.text) : new Set();
      limiterNames = fileLimiters(f.text);
      for (const node of descendants(f.tree.rootNode, types)) {
        const hit = f.language === "rust" ? rsNetworkCall(node, none) : pyNetworkCall(node, none);
        // a helper whose only remote call is an AssumeRole/secret read is reported inside, by the owning rules
        if (!hit || OWNED.test(typeof hit === "string" ? hit : hit.label)) continue;
        const fn = treeFns(node).find((x) => treeFnName(x));
        if (fn && !limited(fn.text)) netFns.add(treeDef(fn, f.path));
      }
    }
  }
  typedClients = new Set();
  pyBound = new Set();
  limiterNames = undefined;
  for (const n of netFns.names()) if (GENERIC.test(n) || n.length < 4) netFns.delete(n);
  return { netFns };
}

export default defineRule<Facts>({
  meta: {
    scope: "service",
    id: "network-call-in-loop",
    category: "performance",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "Awaited network or database call made once per item of a loop or map/forEach callback (N+1).",
    why: "Each iteration pays a full round trip, so latency grows linearly with the input (100 items at 20 ms is 2 s); fanned-out versions fire unbounded bursts that hit service throttling (DynamoDB, SQS, partner APIs) and exhaust connection pools.",
    fix: "Use the batch API (BatchGetItem/BatchWriteItem, SendMessageBatch, one SQL query with IN/ANY, findMany) or, where none exists, run the calls with bounded concurrency (p-limit, an asyncio.Semaphore, `buffer_unordered(n)`), in chunks.",
    docs: [
      "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html",
      "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html",
    ],
  },
  collect,
  detect: { typescript: tsDetect, rust: treeDetect, python: treeDetect },
  cases: [
    {
      name: "ts: a call split over lines in a loop is reported on the line of the called method",
      language: "typescript",
      path: "src/routes/items.ts",
      code: `import { Router } from "express";
import { prisma } from "../db";
export const r = Router();
r.post("/y", async (req, res) => {
  for (const id of req.body.ids) {
    const item = await prisma.item
      .findUnique({ where: { id } });
    res.write(JSON.stringify(item));
  }
  res.end();
});
`,
      expect: [7],
    },
    {
      name: "py: writes through boto3's batch_writer buffer and flush 25 at a time",
      language: "python",
      path: "app/ingest.py",
      code: `import boto3

table = boto3.resource("dynamodb").Table("events")


def lambda_handler(event, context):
    with table.batch_writer() as writer:
        for record in event["Records"]:
            writer.put_item(Item={"pk": record["id"], "body": record["body"]})
`,
      expect: [],
    },
    {
      name: "ts: Prisma updates handed together to $transaction([...]) run as one batch",
      language: "typescript",
      path: "src/services/prices.ts",
      code: `import { prisma } from "../db.js";

export async function reprice(items: { id: string; price: number }[]) {
  await prisma.$transaction(items.map((i) => prisma.item.update({ where: { id: i.id }, data: { price: i.price } })));
}
`,
      expect: [],
    },
    {
      name: "py: the loop's own iterable is one query, not one per item",
      files: [
        {
          path: "app/plugin/service.py",
          code: `def get_all(*, db_session):
    return db_session.query(Plugin).all()
`,
        },
        {
          path: "app/plugin/flows.py",
          code: `from app.plugin import service as plugin_service


def enabled_slugs(db_session):
    slugs = []
    for plugin in plugin_service.get_all(db_session=db_session):
        slugs.append(plugin.slug)
    return slugs
`,
        },
      ],
      expect: [],
    },
    {
      name: "py: a lookup memoised in a dict is fetched once per key",
      language: "python",
      path: "app/report.py",
      code: `import boto3

ddb = boto3.client("dynamodb")


def owners(rows):
    cache = {}
    out = []
    for row in rows:
        if row["owner"] not in cache:
            cache[row["owner"]] = ddb.get_item(TableName="users", Key={"pk": {"S": row["owner"]}})
        out.append(cache[row["owner"]])
    return out
`,
      expect: [],
    },
    {
      name: "py: str.join in a loop is not the repository's join() that queries",
      files: [
        {
          path: "app/search/query.py",
          code: `def join(db_session, model, other):
    return db_session.query(model).join(other).all()
`,
        },
        {
          path: "app/incident/models.py",
          code: `def describe(incidents):
    lines = []
    for incident in incidents:
        lines.append(", ".join(incident.tags))
    return lines
`,
        },
      ],
      expect: [],
    },
    {
      name: "py: a call through a module alias that queries, once per item",
      files: [
        {
          path: "app/participant/service.py",
          code: `def get_by_email(*, db_session, email):
    return db_session.query(Participant).filter(Participant.email == email).first()
`,
        },
        {
          path: "app/incident/flows.py",
          code: `from app.participant import service as participant_service


def notify(db_session, emails):
    for email in emails:
        participant = participant_service.get_by_email(db_session=db_session, email=email)
        send(participant)
`,
        },
      ],
      expect: ["app/incident/flows.py:6"],
    },
    // ---------- TypeScript ----------
    {
      name: "ts: one GetCommand per order id in a for-of loop",
      language: "typescript",
      path: "src/services/orders.ts",
      code: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function loadOrders(orderIds: string[]) {
  const orders = [];
  for (const id of orderIds) {
    const out = await ddb.send(new GetCommand({ TableName: "orders", Key: { pk: id } }));
    if (out.Item) orders.push(out.Item);
  }
  return orders;
}
`,
      expect: [9],
    },
    {
      name: "ts: Promise.all over an unbounded map of Prisma lookups",
      language: "typescript",
      path: "src/routes/team.ts",
      code: `import { Router } from "express";
import { prisma } from "../db.js";

export const team = Router();

team.get("/teams/:id/members", async (req, res) => {
  const team = await prisma.team.findUniqueOrThrow({ where: { id: req.params.id } });
  const members = await Promise.all(
    team.memberIds.map((id) => prisma.user.findUnique({ where: { id } })),
  );
  res.json(members);
});
`,
      expect: [9],
    },
    {
      name: "ts: forEach(async) posts one webhook per subscriber",
      language: "typescript",
      path: "src/webhooks/fanout.ts",
      code: `export async function notifySubscribers(subscribers: { url: string }[], event: object) {
  subscribers.forEach(async (sub) => {
    await fetch(sub.url, { method: "POST", body: JSON.stringify(event), signal: AbortSignal.timeout(5000) });
  });
}
`,
      expect: [3],
    },
    {
      name: "ts: SQS message per item from a class method (SDK v3)",
      language: "typescript",
      path: "src/services/dispatcher.ts",
      code: `import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

export class Dispatcher {
  private readonly sqs = new SQSClient({});

  constructor(private readonly queueUrl: string) {}

  async dispatch(jobs: { id: string; payload: unknown }[]) {
    for (let i = 0; i < jobs.length; i++) {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(jobs[i]) }));
    }
  }
}
`,
      expect: [10],
    },
    {
      name: "ts: loop awaits a helper that calls the partner API",
      language: "typescript",
      path: "src/services/pricing.ts",
      code: `export class PricingService {
  constructor(private readonly baseUrl: string) {}

  private async quoteFor(sku: string): Promise<number> {
    const res = await fetch(this.baseUrl + "/quotes/" + sku, { signal: AbortSignal.timeout(3000) });
    return (await res.json()).price;
  }

  async priceCart(skus: string[]) {
    let total = 0;
    for (const sku of skus) {
      total += await this.quoteFor(sku);
    }
    return total;
  }
}
`,
      expect: [12],
    },
    {
      name: "ts: DocumentClient get per key (SDK v2)",
      language: "typescript",
      path: "src/repositories/profiles.ts",
      code: `import AWS from "aws-sdk";

const docClient = new AWS.DynamoDB.DocumentClient();

export async function profilesFor(userIds: string[]) {
  const out = [];
  for (const userId of userIds) {
    const { Item } = await docClient.get({ TableName: "profiles", Key: { userId } }).promise();
    out.push(Item);
  }
  return out;
}
`,
      expect: [8],
    },
    {
      name: "ts: BatchGetCommand per chunk of 100 keys",
      language: "typescript",
      path: "src/services/orders.ts",
      code: `import { DynamoDBDocumentClient, BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function loadOrders(orderIds: string[]) {
  const orders = [];
  for (const keys of chunk(orderIds, 100)) {
    const out = await ddb.send(new BatchGetCommand({ RequestItems: { orders: { Keys: keys.map((pk) => ({ pk })) } } }));
    orders.push(...(out.Responses?.orders ?? []));
  }
  return orders;
}
`,
      expect: [],
    },
    {
      name: "ts: bounded concurrency with p-limit",
      language: "typescript",
      path: "src/webhooks/fanout.ts",
      code: `import pLimit from "p-limit";

const limit = pLimit(8);

export async function notifySubscribers(subscribers: { url: string }[], event: object) {
  await Promise.all(
    subscribers.map((sub) =>
      limit(() => fetch(sub.url, { method: "POST", body: JSON.stringify(event), signal: AbortSignal.timeout(5000) })),
    ),
  );
}
`,
      expect: [],
    },
    {
      name: "ts: pagination loop that must follow LastEvaluatedKey",
      language: "typescript",
      path: "src/repositories/audit.ts",
      code: `import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function auditTrail(tenantId: string) {
  const items = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({
      TableName: "audit",
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": tenantId },
      ExclusiveStartKey: startKey,
    }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
`,
      expect: [],
    },
    {
      name: "ts: retry and regional failover loops return on the first success",
      language: "typescript",
      path: "src/clients/geo.ts",
      code: `const REGIONS = ["https://eu.geo.example.com", "https://us.geo.example.com"];

export async function lookup(ip: string) {
  for (const base of REGIONS) {
    try {
      const res = await fetch(base + "/ip/" + ip, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return res.json();
    } catch {
      continue;
    }
  }
  throw new Error("geo lookup failed");
}

export async function withRetry(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (res.ok) return res;
    await new Promise((r) => setTimeout(r, 2 ** attempt * 100));
  }
  throw new Error("unavailable");
}
`,
      expect: [],
    },
    {
      name: "ts: in-memory lookups in a loop; comments and strings mention fetch and send",
      language: "typescript",
      path: "src/services/totals.ts",
      code: `// We used to await fetch(url) for every line item; prices now come in one call.
export function totals(lines: { sku: string; qty: number }[], prices: Map<string, number>) {
  const note = "no ddb.send(new GetCommand()) in this loop";
  let sum = 0;
  for (const line of lines) {
    sum += (prices.get(line.sku) ?? 0) * line.qty;
  }
  return { sum, note };
}
`,
      expect: [],
    },
    // ---------- Python ----------
    {
      name: "py: get_item per order id",
      language: "python",
      path: "app/services/orders.py",
      code: `import boto3

table = boto3.resource("dynamodb").Table("orders")


def load_orders(order_ids: list[str]) -> list[dict]:
    orders = []
    for order_id in order_ids:
        item = table.get_item(Key={"pk": order_id}).get("Item")
        if item:
            orders.append(item)
    return orders
`,
      expect: [9],
    },
    {
      name: "py: Django view queries one profile per user",
      language: "python",
      path: "app/views/users.py",
      code: `from django.http import JsonResponse

from .models import Profile, User


def team_members(request, team_id):
    members = []
    for user in User.objects.filter(team_id=team_id):
        profile = Profile.objects.get(user_id=user.id)
        members.append({"name": user.name, "avatar": profile.avatar})
    return JsonResponse({"members": members})
`,
      expect: [9],
    },
    {
      name: "py: FastAPI route awaits one HTTP call per url",
      language: "python",
      path: "app/api/previews.py",
      code: `import httpx
from fastapi import APIRouter

router = APIRouter()
http = httpx.AsyncClient(timeout=5.0)


@router.post("/previews")
async def previews(urls: list[str]):
    out = []
    for url in urls:
        resp = await http.get(url)
        out.append({"url": url, "status": resp.status_code})
    return out
`,
      expect: [12],
    },
    {
      name: "py: SQLAlchemy query per id",
      language: "python",
      path: "app/repositories/users.py",
      code: `from sqlalchemy.orm import Session

from .models import User


def users_by_ids(db: Session, ids: list[int]) -> list[User]:
    return [db.query(User).filter(User.id == user_id).first() for user_id in ids]
`,
      expect: [7],
    },
    {
      name: "py: gather over an unbounded generator of helper calls",
      language: "python",
      path: "app/services/quotes.py",
      code: `import asyncio

import httpx


class QuoteService:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def fetch_quote(self, symbol: str) -> float:
        resp = await self.client.get(f"https://quotes.example.com/{symbol}")
        return resp.json()["price"]

    async def quotes(self, symbols: list[str]) -> list[float]:
        return await asyncio.gather(*(self.fetch_quote(s) for s in symbols))
`,
      expect: [15],
    },
    {
      name: "py: batch_writer buffers the puts",
      language: "python",
      path: "app/services/import_orders.py",
      code: `import boto3

table = boto3.resource("dynamodb").Table("orders")


def import_orders(orders: list[dict]) -> int:
    with table.batch_writer() as batch:
        for order in orders:
            batch.put_item(Item=order)
    return len(orders)
`,
      expect: [],
    },
    {
      name: "py: paginator and one DeleteObjects per page",
      language: "python",
      path: "app/services/cleanup.py",
      code: `import boto3

s3 = boto3.client("s3")


def purge_prefix(bucket: str, prefix: str) -> None:
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys})
`,
      expect: [],
    },
    {
      name: "py: retry loop and a semaphore-bounded gather",
      language: "python",
      path: "app/clients/partner.py",
      code: `import asyncio

import httpx
import requests

sem = asyncio.Semaphore(8)
client = httpx.AsyncClient(timeout=5.0)


def get_with_retry(url: str) -> requests.Response:
    for attempt in range(3):
        resp = requests.get(url, timeout=5)
        if resp.ok:
            return resp
    raise RuntimeError("partner unavailable")


async def fetch_bounded(url: str):
    async with sem:
        return await client.get(url)


async def fetch_all(urls: list[str]):
    return await asyncio.gather(*(fetch_bounded(u) for u in urls))
`,
      expect: [],
    },
    {
      name: "py: async with a request context per failed delivery record (loop variable named attempt)",
      language: "python",
      path: "app/services/replay.py",
      code: `import aiohttp

from .models import Delivery


async def replay_failed(request):
    replayed = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
        for attempt in await Delivery.failed_for(request.user.account_id):
            async with http.put(attempt.target, json=attempt.body) as resp:
                replayed += resp.status < 300
    return replayed
`,
      expect: [10],
    },
    {
      name: "py: gather over helpers bounded by a module semaphore and a CapacityLimiter attribute; a delay schedule retry",
      language: "python",
      path: "app/services/mirror.py",
      code: `import asyncio

import anyio
import httpx

_http = httpx.AsyncClient(timeout=4.0)
_MIRROR_SLOTS = asyncio.BoundedSemaphore(6)


async def _mirror_one(url: str) -> int:
    async with _MIRROR_SLOTS:
        return (await _http.put(url)).status_code


async def mirror(urls: list[str]) -> list[int]:
    return await asyncio.gather(*(_mirror_one(u) for u in urls))


class Warmer:
    def __init__(self) -> None:
        self._lanes = anyio.CapacityLimiter(3)

    async def _warm(self, url: str) -> None:
        async with self._lanes:
            await _http.head(url)

    async def warm_all(self, urls: list[str]) -> None:
        await asyncio.gather(*[self._warm(u) for u in urls])


async def put_with_schedule(url: str) -> int:
    for delay in (0.2, 0.8, 3.0):
        resp = await _http.put(url)
        if resp.status_code < 500:
            return resp.status_code
        await asyncio.sleep(delay)
    return 503
`,
      expect: [],
    },
    {
      name: "py: one IN query, then dict lookups; comments mention get_item in a loop",
      language: "python",
      path: "app/repositories/prices.py",
      code: `def price_lines(cursor, lines: list[dict]) -> list[dict]:
    skus = [line["sku"] for line in lines]
    cursor.execute("select sku, price from prices where sku = any(%s)", (skus,))
    prices = dict(cursor.fetchall())
    # no table.get_item(Key=...) per line any more
    return [{**line, "price": prices.get(line["sku"])} for line in lines]
`,
      expect: [],
    },
    // ---------- Rust ----------
    {
      name: "rs: get_item per id in a for loop",
      language: "rust",
      path: "src/repo/orders.rs",
      code: `use aws_sdk_dynamodb::{types::AttributeValue, Client};

pub async fn load_orders(client: &Client, ids: &[String]) -> anyhow::Result<Vec<Order>> {
    let mut orders = Vec::new();
    for id in ids {
        let out = client
            .get_item()
            .table_name("orders")
            .key("pk", AttributeValue::S(id.clone()))
            .send()
            .await?;
        if let Some(item) = out.item {
            orders.push(Order::try_from(item)?);
        }
    }
    Ok(orders)
}
`,
      expect: [7],
    },
    {
      name: "rs: one HTTP request per webhook subscriber",
      language: "rust",
      path: "src/webhooks.rs",
      code: `pub async fn notify(http: &reqwest::Client, subscribers: &[Subscriber], event: &Event) -> anyhow::Result<()> {
    for sub in subscribers {
        http.post(&sub.url).json(event).send().await?.error_for_status()?;
    }
    Ok(())
}
`,
      expect: [3],
    },
    {
      name: "rs: a migration's SQL statements run one after another (the statement is the loop variable)",
      language: "rust",
      path: "src/db/background_migrations.rs",
      code: `pub async fn apply(pool: &PgPool, migration: Migration) -> Result<(), sqlx::Error> {
    for stmt in migration.apply_sql {
        sqlx::query(stmt).execute(pool).await?;
    }
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "py: each statement of a schema script executed in turn; a per-item insert is still N+1",
      language: "python",
      path: "app/db/schema.py",
      code: `async def apply(conn, statements, rows):
    for statement in statements:
        await conn.execute(statement)
    for row in rows:
        await conn.execute("INSERT INTO items (id) VALUES ($1)", row.id)
`,
      expect: [5],
    },
    {
      name: "rs: sqlx query per user id",
      language: "rust",
      path: "src/repo/users.rs",
      code: `use sqlx::PgPool;

pub async fn users_by_ids(pool: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<User>> {
    let mut users = Vec::with_capacity(ids.len());
    for id in ids {
        let user = sqlx::query_as::<_, User>("select * from users where id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?;
        users.push(user);
    }
    Ok(users)
}
`,
      expect: [6],
    },
    {
      name: "rs: join_all over an unbounded map of requests",
      language: "rust",
      path: "src/services/quotes.rs",
      code: `use futures::future::join_all;

pub async fn quotes(http: &reqwest::Client, symbols: &[String]) -> Vec<reqwest::Result<reqwest::Response>> {
    join_all(symbols.iter().map(|s| async move {
        http.get(format!("https://quotes.example.com/{s}")).send().await
    }))
    .await
}
`,
      expect: [5],
    },
    {
      name: "rs: batch_get_item per chunk of 100 keys",
      language: "rust",
      path: "src/repo/orders.rs",
      code: `use aws_sdk_dynamodb::{types::KeysAndAttributes, Client};

pub async fn load_orders(client: &Client, keys: Vec<Key>) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    for chunk in keys.chunks(100) {
        let req = KeysAndAttributes::builder().set_keys(Some(chunk.iter().map(Key::to_map).collect())).build()?;
        let out = client.batch_get_item().request_items("orders", req).send().await?;
        items.extend(out.responses.unwrap_or_default().remove("orders").unwrap_or_default());
    }
    Ok(items)
}
`,
      expect: [],
    },
    {
      name: "rs: buffer_unordered bounds the concurrency",
      language: "rust",
      path: "src/services/quotes.rs",
      code: `use futures::{stream, StreamExt};

pub async fn quotes(http: &reqwest::Client, symbols: &[String]) -> Vec<reqwest::Result<reqwest::Response>> {
    stream::iter(symbols)
        .map(|s| async move { http.get(format!("https://quotes.example.com/{s}")).send().await })
        .buffer_unordered(8)
        .collect()
        .await
}
`,
      expect: [],
    },
    {
      name: "rs: scan pagination loop",
      language: "rust",
      path: "src/repo/audit.rs",
      code: `pub async fn all_audit(client: &aws_sdk_dynamodb::Client) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = client.scan().table_name("audit").set_exclusive_start_key(start).send().await?;
        items.extend(page.items.unwrap_or_default());
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    Ok(items)
}
`,
      expect: [],
    },
    {
      name: "rs: retry loop and channel sends; comments mention send().await in a loop",
      language: "rust",
      path: "src/worker.rs",
      code: `use tokio::sync::mpsc::Sender;

pub async fn fetch_with_retry(http: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    for attempt in 0..3u32 {
        match http.get(url).send().await {
            Ok(resp) => return Ok(resp.text().await?),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100 << attempt)).await,
        }
    }
    anyhow::bail!("unavailable")
}

// each item goes to the channel; no client.get_item().send().await per item
pub async fn enqueue(tx: &Sender<Job>, jobs: Vec<Job>) -> anyhow::Result<()> {
    for job in jobs {
        tx.send(job).await?;
    }
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "ts: helper passed by reference to map, typed TypeORM repository in a loop, queue drained in a while loop",
      language: "typescript",
      path: "src/sync/sync.service.ts",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { User } from "./user.entity";

const sqs = new SQSClient({});

async function fetchUser(id: string): Promise<User> {
  const res = await fetch(\`https://users.internal/v1/users/\${id}\`, { signal: AbortSignal.timeout(2000) });
  return res.json() as Promise<User>;
}

@Injectable()
export class SyncService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async hydrate(ids: string[]) {
    return Promise.all(ids.map(fetchUser));
  }

  async loadProfiles(ids: string[]) {
    const out: User[] = [];
    for (const id of ids) {
      const user = await this.users.findOne({ where: { id } });
      if (user) out.push(user);
    }
    return out;
  }

  async drain(queue: { body: string }[]) {
    while (queue.length > 0) {
      const job = queue.shift()!;
      await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL!, MessageBody: job.body }));
    }
  }
}
`,
      expect: [19, 25, 34],
    },
    {
      name: "ts: local helpers mapped, chunk uploads, in-memory while drain and a receive loop",
      language: "typescript",
      path: "src/sync/worker.ts",
      code: `import { readFile } from "node:fs/promises";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import type { ConfigService } from "@nestjs/config";

const s3 = new S3Client({});

async function parseFile(path: string) {
  return JSON.parse(await readFile(path, "utf8"));
}

async function uploadChunk(chunk: string[]) {
  await s3.send(new PutObjectCommand({ Bucket: "exports", Key: chunk[0], Body: chunk.join("\\n") }));
}

export class Worker {
  constructor(private readonly config: ConfigService) {}

  parseAll(paths: string[]) {
    return Promise.all(paths.map(parseFile));
  }

  async uploadAll(lines: string[]) {
    const chunks: string[][] = [];
    for (let i = 0; i < lines.length; i += 500) chunks.push(lines.slice(i, i + 500));
    await Promise.all(chunks.map(uploadChunk));
  }

  settings(keys: string[]) {
    return keys.map((k) => this.config.get(k));
  }

  normalise(queue: string[]) {
    const out: string[] = [];
    while (queue.length > 0) out.push(queue.shift()!.trim());
    return out;
  }
}
`,
      expect: [],
    },
    {
      name: "py: requests.Session bound by with, and a list drained in a while loop",
      language: "python",
      path: "app/tasks/webhooks.py",
      code: `import boto3
import requests

sqs = boto3.client("sqs")


def post_webhooks(subscribers, payload):
    with requests.Session() as s:
        for sub in subscribers:
            s.post(sub.url, json=payload, timeout=5)


def drain(queue_url, messages):
    while messages:
        body = messages.pop()
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
`,
      expect: [10, 16],
    },
    {
      name: "py: deque drained in memory and an indexed while over dicts",
      language: "python",
      path: "app/tasks/normalise.py",
      code: `from collections import deque


def normalise(records):
    pending = deque(records)
    out = []
    while pending:
        rec = pending.popleft()
        out.append(rec.get("name", "").strip())
    return out


def total_size(items):
    total, i = 0, 0
    while i < len(items):
        total += items[i].get("size", 0)
        i += 1
    return total
`,
      expect: [],
    },
    {
      name: "rs: join_all over request futures built without await, and an indexed while loop",
      language: "rust",
      path: "src/sync.rs",
      code: `use futures::future::join_all;
use sqlx::PgPool;

pub async fn fetch_users(http: &reqwest::Client, ids: Vec<i64>) -> Vec<reqwest::Result<reqwest::Response>> {
    join_all(ids.into_iter().map(|id| http.get(format!("https://users.internal/{id}")).send())).await
}

pub async fn mark_all(pool: &PgPool, ids: &[i64]) -> anyhow::Result<()> {
    let mut i = 0;
    while i < ids.len() {
        sqlx::query("update users set seen = true where id = $1").bind(ids[i]).execute(pool).await?;
        i += 1;
    }
    Ok(())
}
`,
      expect: [5, 11],
    },
    {
      name: "ts: NestJS HttpService call awaited through firstValueFrom per item",
      language: "typescript",
      path: "src/catalog/stock.service.ts",
      code: `import { Injectable } from "@nestjs/common";
import { HttpService } from "@nestjs/axios";
import { firstValueFrom } from "rxjs";

@Injectable()
export class StockService {
  constructor(private readonly http: HttpService) {}

  async levels(skus: string[]) {
    const levels: Record<string, number> = {};
    for (const sku of skus) {
      const res = await firstValueFrom(this.http.get<{ level: number }>("/stock/" + sku));
      levels[sku] = res.data.level;
    }
    return levels;
  }
}
`,
      expect: [12],
    },
    {
      name: "ts: TypeORM create() builds entities in memory, saved in one call",
      language: "typescript",
      path: "src/catalog/import.service.ts",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { DataSource, Repository } from "typeorm";
import { Product } from "./product.entity";
import { Price } from "./price.entity";

@Injectable()
export class ImportService {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    private readonly dataSource: DataSource,
  ) {}

  async importRows(rows: { sku: string; cents: number }[]) {
    const entities = rows.map((r) => this.products.create({ sku: r.sku }));
    await this.products.save(entities);
    await this.dataSource.transaction(async (em) => {
      await em.save(rows.map((r) => em.create(Price, { sku: r.sku, cents: r.cents })));
    });
  }
}
`,
      expect: [],
    },
    {
      name: "py: helpers whose only remote call is AssumeRole are left to credentials-per-request; one transaction per item is a unit of work, writes looped inside one transaction are not",
      path: "app/jobs.py",
      code: `import boto3
from django.db import transaction

sts = boto3.client("sts")
secrets = boto3.client("secretsmanager")
table = boto3.resource("dynamodb").Table("t")

def role_session(arn):
    return sts.assume_role(RoleArn=arn, RoleSessionName="x")["Credentials"]

def audit(arn, rows):
    creds = sts.assume_role(RoleArn=arn, RoleSessionName="x")["Credentials"]
    table.put_item(Item={"pk": arn, "n": len(rows)})
    return creds

def run(arns, accounts):
    for arn in arns:
        role_session(arn)
        audit(arn, [])
    for account in accounts:
        with transaction.atomic():
            Order.objects.create(account=account)
            Ledger.objects.create(account=account, amount=1)
    with transaction.atomic():
        for account in accounts:
            Order.objects.create(account=account)
`,
      expect: [19, 26],
    },
    {
      name: "rs: a transaction per id keeps each settlement atomic; per-row updates inside one shared transaction are N+1",
      path: "src/settle.rs",
      code: `pub async fn settle(pool: &sqlx::PgPool, ids: &[i64]) -> anyhow::Result<()> {
    for id in ids {
        let mut tx = pool.begin().await?;
        sqlx::query("update invoices set settled = true where id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("insert into outbox (invoice_id) values ($1)").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
    }
    let mut tx = pool.begin().await?;
    for id in ids {
        sqlx::query("update invoices set seen = true where id = $1").bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
`,
      expect: [10],
    },
  ],
});
