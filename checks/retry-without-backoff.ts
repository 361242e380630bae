import { giveUpCases, pyGiveUps, rsGiveUps, tsGiveUps } from "./_lib/retry-giveup.js";
import { Node, SyntaxKind } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { descendants, enclosingFunction, functionName, inRequestHandler as treeInHandler, line } from "./_lib/tree.js";
import { enclosingFunctions, inRequestHandler as tsInHandler } from "./_lib/ts.js";
import {
  pyCallName, pyHasSplat, pyKwarg, rsChain, treeDelayCalls, treeDelayGrows, treeLoopBounded, treeOwnDescendants,
  tsDelayCalls, tsDelayGrows, tsFunctionName, tsIsFunction, tsLoopBounded, tsOwnDescendants, watchesShutdown,
} from "./_lib/resilience.js";

// AWS Builders' Library, "Timeouts, retries, and backoff with jitter": retries without backoff add load to an
// already struggling dependency; "we add jitter to the backoff" so retries do not arrive in synchronized waves.
// urllib3 Retry: "backoff_factor ... By default, backoff is disabled (factor set to 0)".
// tenacity: without `wait=` it retries immediately; without `stop=` it retries forever.

// Deliberate scope: a bounded loop whose delay grows (exponential or linear backoff) is not reported even without
// jitter. Growth already spreads the retries and takes load off the dependency; jitter only matters when many
// clients fail in lockstep, and flagging every un-jittered backoff would bury the real defects (no delay, no bound,
// fixed delay) in noise. The fix text still recommends jitter.
const RETRY_WORD = /attempt|retr|tries|tried/i;

/**
 * A loop with no way out (no `break`, no `return`) outside any request is the task's own main loop (a poller, a
 * listener): it is meant to run as long as the process does, so no attempt limit is by design. Its delay still counts.
 */
function leavesNever(loopText: string): boolean {
  if (!/^\s*(('\w+:\s*)?loop\b|while\s*\(?\s*(true|True|1)\s*\)?\s*[:{]|for\s*\(\s*;\s*;\s*\))/.test(loopText)) return false;
  return !/\b(break|return|raise|throw|exit|process\.exit|sys\.exit)\b|\?\s*[;)]/.test(loopText.replace(/\/\/[^\n]*|#[^\n]*/g, ""));
}

/** `inRequest`: the loop runs inside a request handler (its caller waits), else in a task or worker of its own. */
function problem(op: string, hasDelay: boolean, bounded: boolean, grows: boolean, inRequest = true, loopText = ""): string | undefined {
  if (!inRequest && hasDelay && loopText && leavesNever(loopText)) return undefined;
  if (!hasDelay) return `Retry loop around \`${op}\` retries immediately, with no delay${bounded ? "" : " and no attempt limit"}: it hammers the failing dependency.`;
  if (!bounded) return `Retry loop around \`${op}\` has no attempt limit: a dependency that stays down keeps ${inRequest ? "this request (and its caller)" : "this task"} spinning.`;
  if (!grows) return `Retry loop around \`${op}\` waits a fixed delay with no backoff or jitter: clients retry in synchronized waves.`;
  return undefined;
}

const short = (s: string) => s.replace(/(^|[\s)])\/\/[^\n]*/g, "$1").replace(/\s+/g, "").replace(/^await/, "").slice(0, 60);

// ---------- TypeScript ----------

function tsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  const loops = [SyntaxKind.WhileStatement, SyntaxKind.DoStatement, SyntaxKind.ForStatement].flatMap((k) => file.ts!.getDescendantsOfKind(k));
  for (const loop of loops) {
    const op = tsRetriedCall(loop);
    if (!op) continue;
    const delays = tsDelayCalls(loop);
    if (delays.length && watchesShutdown((enclosingFunctions(loop).find((a) => tsIsFunction(a)) ?? loop).getText())) continue;
    const bounded = tsLoopBounded(loop);
    const msg = problem(op, delays.length > 0, bounded, delays.some((d) => tsDelayGrows(loop, d)), tsInHandler(loop), loop.getText());
    if (msg) reports.push({ line: loop.getStartLineNumber(), message: msg });
  }
  // Recursive retry: a catch clause that calls its own function again.
  for (const clause of file.ts!.getDescendantsOfKind(SyntaxKind.CatchClause)) {
    const fn = enclosingFunctions(clause).find((a) => tsIsFunction(a));
    const name = fn ? tsFunctionName(fn) : "";
    if (!fn || !name) continue;
    const again = tsOwnDescendants(clause, SyntaxKind.CallExpression).find((c) => c.getExpression().getText().replace(/^this\./, "") === name);
    if (!again) continue;
    const delays = tsDelayCalls(fn);
    const bounded = /[-+]\s*1\b|--|\+\+/.test(again.getArguments().map((a) => a.getText()).join(",")) || clause.getDescendantsOfKind(SyntaxKind.ThrowStatement).length > 0;
    const msg = problem(`${name}()`, delays.length > 0, bounded, delays.some((d) => tsDelayGrows(fn, d)));
    if (msg) reports.push({ line: again.getStartLineNumber(), message: msg.replace("Retry loop around", "Recursive retry of") });
  }
  return reports;
}

/** The call a loop retries, when the loop has the retry shape: try { ...; break|return } catch, or an attempt counter. */
function tsRetriedCall(loop: Node): string | undefined {
  const header = Node.isForStatement(loop) ? `${loop.getInitializer()?.getText() ?? ""};${loop.getCondition()?.getText() ?? ""}` : Node.isWhileStatement(loop) || Node.isDoStatement(loop) ? loop.getExpression().getText() : "";
  const tries = tsOwnDescendants(loop, SyntaxKind.TryStatement).filter((t) => t.getFirstAncestor((a) => a === loop || Node.isTryStatement(a)) === loop);
  for (const t of tries) {
    const exits = [...tsOwnDescendants(t.getTryBlock(), SyntaxKind.BreakStatement), ...tsOwnDescendants(t.getTryBlock(), SyntaxKind.ReturnStatement)]
      .filter((s) => Node.isReturnStatement(s) || s.getFirstAncestor((a) => Node.isIterationStatement(a) || Node.isSwitchStatement(a)) === loop);
    const catchBlock = t.getCatchClause()?.getBlock();
    const rethrows = catchBlock && catchBlock.getStatements().length === 1 && Node.isThrowStatement(catchBlock.getStatements()[0]);
    if (rethrows) continue;
    if (exits.length === 0 && !RETRY_WORD.test(header)) continue;
    const call = tsOwnDescendants(t.getTryBlock(), SyntaxKind.CallExpression)[0];
    if (call) return short(call.getExpression().getText()) + "()";
  }
  if (RETRY_WORD.test(header) && !Node.isForOfStatement(loop)) {
    const awaited = tsOwnDescendants(loop, SyntaxKind.AwaitExpression).find((a) => !/sleep|delay|setTimeout|backoff|wait/i.test(a.getText()));
    const call = awaited?.getExpression().asKind(SyntaxKind.CallExpression);
    if (call) return short(call.getExpression().getText()) + "()";
  }
  return undefined;
}

// ---------- Python ----------

function pyDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const loop of descendants(file.tree!.rootNode, ["while_statement", "for_statement"])) {
    if (loop.type === "for_statement") {
      const iter = loop.childForFieldName("right")?.text ?? "";
      const target = loop.childForFieldName("left")?.text ?? "";
      if (!/^range\(/.test(iter) && !RETRY_WORD.test(target)) continue;
    }
    const op = pyRetriedCall(loop);
    if (!op) continue;
    const delays = treeDelayCalls(loop);
    if (delays.length && watchesShutdown(enclosingFunction(loop)?.text ?? loop.text)) continue;
    const bounded = treeLoopBounded(loop);
    const msg = problem(op, delays.length > 0, bounded, delays.some((d) => treeDelayGrows(loop, d)), treeInHandler(loop), loop.text);
    if (msg) reports.push({ line: line(loop), message: msg });
  }
  reports.push(...pyLibraries(file));
  return reports;
}

function pyRetriedCall(loop: TNode): string | undefined {
  const cond = loop.childForFieldName("condition")?.text ?? loop.childForFieldName("left")?.text ?? "";
  for (const t of treeOwnDescendants(loop, "try_statement")) {
    if (innermost(t, ["while_statement", "for_statement", "try_statement"])?.id !== loop.id) continue;
    const body = t.childForFieldName("body");
    const handlers = t.namedChildren.filter((c) => c?.type === "except_clause") as TNode[];
    if (handlers.length === 0) continue;
    const rethrowOnly = (h: TNode) => {
      const block = h.namedChildren.at(-1);
      return block?.namedChildCount === 1 && block.namedChild(0)?.type === "raise_statement";
    };
    if (handlers.every(rethrowOnly)) continue;
    const elseExit = t.namedChildren.some((c) => c?.type === "else_clause" && /\b(break|return)\b/.test(c.text));
    const exits = descendants(body ?? t, ["break_statement", "return_statement"]).filter((s) => innermost(s, ["while_statement", "for_statement"])?.id === loop.id);
    if (exits.length === 0 && !elseExit && !RETRY_WORD.test(cond)) continue;
    const call = descendants(body ?? t, "call")[0];
    if (call) return short(call.childForFieldName("function")?.text ?? "") + "()";
  }
  return undefined;
}

function innermost(node: TNode, types: string[]): TNode | undefined {
  for (let cur = node.parent; cur; cur = cur.parent) if (types.includes(cur.type)) return cur;
  return undefined;
}

/** tenacity `@retry` without `wait=`/`stop=`, urllib3 `Retry(...)` without `backoff_factor`. */
function pyLibraries(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const imports = descendants(root, ["import_from_statement", "import_statement"]).map((i) => i.text).join("\n");
  const tenacity = /\btenacity\b/.test(imports);
  const urllib3 = /urllib3[\w.]*\s+import\s+[^\n]*\bRetry\b/.test(imports);
  const reports: Report[] = [];
  if (tenacity) {
    for (const dec of descendants(root, "decorator")) {
      const expr = dec.namedChild(0);
      const name = expr?.type === "call" ? expr.childForFieldName("function")?.text : expr?.text;
      if (name !== "retry" && name !== "tenacity.retry") continue;
      const call = expr?.type === "call" ? expr : undefined;
      if (call && pyHasSplat(call)) continue;
      const wait = call && pyKwarg(call, "wait");
      const stop = call && pyKwarg(call, "stop");
      const fn = dec.parent?.childForFieldName("definition");
      const target = functionName(fn ?? dec);
      if (!wait) reports.push({ line: line(dec), message: `\`@retry\` on \`${target}\` has no \`wait=\`: tenacity retries immediately${stop ? "" : ", and with no \`stop=\` it retries forever"}.` });
      else if (!stop) reports.push({ line: line(dec), message: `\`@retry\` on \`${target}\` has no \`stop=\`: tenacity retries forever.` });
    }
  }
  if (urllib3) {
    for (const call of descendants(root, "call")) {
      if (call.childForFieldName("function")?.text !== "Retry" || pyHasSplat(call)) continue;
      const factor = pyKwarg(call, "backoff_factor");
      if (factor && !/^0(\.0*)?$/.test(factor.text)) continue;
      reports.push({ line: line(call), message: "urllib3 `Retry(...)` without `backoff_factor` retries with no delay between attempts (the default factor is 0)." });
    }
  }
  return reports;
}

// ---------- Rust ----------

function rsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const loop of descendants(file.tree!.rootNode, ["loop_expression", "while_expression", "for_expression"])) {
    if (loop.type === "for_expression") {
      const iter = loop.childForFieldName("value")?.text ?? "";
      const pat = loop.childForFieldName("pattern")?.text ?? "";
      if (!/\.\./.test(iter) && !RETRY_WORD.test(pat)) continue;
    }
    const op = rsRetriedCall(loop);
    if (!op) continue;
    const delays = treeDelayCalls(loop);
    if (delays.length && watchesShutdown(enclosingFunction(loop)?.text ?? loop.text)) continue;
    const bounded = treeLoopBounded(loop);
    const msg = problem(op, delays.length > 0, bounded, delays.some((d) => treeDelayGrows(loop, d)), treeInHandler(loop), loop.text);
    if (msg) reports.push({ line: line(loop), message: msg });
  }
  return reports;
}

/** Rust retry shape: `match op().await { Ok(v) => return|break, Err(_) => ... }`, `if let Ok(..)`, `while let Err(..) = op()`. */
function rsRetriedCall(loop: TNode): string | undefined {
  const cond = loop.childForFieldName("condition");
  if (cond && /^let\s+Err\s*\(/.test(cond.text)) return rsOpName(cond);
  for (const m of treeOwnDescendants(loop, ["match_expression", "if_expression"])) {
    if (innermost(m, ["loop_expression", "while_expression", "for_expression"])?.id !== loop.id) continue;
    if (m.type === "match_expression") {
      const arms = descendants(m.childForFieldName("body") ?? m, "match_arm");
      const okExit = arms.some((a) => /^Ok\s*\(/.test(a.childForFieldName("pattern")?.text ?? "") && /\b(return|break)\b|\?/.test(a.childForFieldName("value")?.text ?? ""));
      const errRetry = arms.some((a) => /^Err\s*\(/.test(a.childForFieldName("pattern")?.text ?? "") && !/^\s*(return|break)\b/.test(a.childForFieldName("value")?.text ?? ""));
      if (okExit && errRetry) return rsOpName(rsBoundValue(loop, m.childForFieldName("value")));
    } else {
      const c = m.childForFieldName("condition");
      const body = m.childForFieldName("consequence")?.text ?? "";
      if (c && /^let\s+Ok\s*\(/.test(c.text) && /\b(return|break)\b/.test(body)) return rsOpName(c);
    }
  }
  return undefined;
}

/** `let res = client.put_item()...send().await; match res { ... }`: the expression a matched local was bound to in the loop. */
function rsBoundValue(loop: TNode, value: TNode | null): TNode | null {
  if (value?.type !== "identifier") return value;
  const lets = treeOwnDescendants(loop, "let_declaration").filter((l) => l.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") === value.text && l.endIndex <= value.startIndex);
  return lets.at(-1)?.childForFieldName("value") ?? value;
}

function rsOpName(node: TNode | null | undefined): string | undefined {
  const call = node ? descendants(node, "call_expression")[0] : undefined;
  const fn = call?.childForFieldName("function");
  if (!call || !fn) return undefined;
  // SDK builder chains: `client.put_item().table_name(..)...send()` -> `.put_item()…send()`
  const chain = rsChain(call);
  if (chain.length >= 3 && chain.at(-1) === "send") return `.${chain[0]}()…send()`;
  return short(fn.text) + "()";
}

export default defineRule({
  meta: {
    scope: "service",
    id: "retry-without-backoff",
    category: "resilience",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "Retry loops that retry immediately, forever, or on a fixed beat with no backoff or jitter, or that drop the data with only a log line once the retries run out.",
    why: "When a dependency is throttling or down, immediate retries multiply its load and keep it down; unbounded retries tie up the caller indefinitely; fixed delays make every client retry in synchronized waves.",
    fix: "Bound the attempts, wait between them with exponential backoff plus random jitter, and give up with a clear error (or use a retry helper configured that way: p-retry, tenacity with wait/stop, the SDK's retry strategy, backoff/tokio-retry).",
    docs: [
      "https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",
      "https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html#urllib3.util.Retry",
      "https://tenacity.readthedocs.io/en/latest/",
    ],
  },
  detect: {
    typescript: (f) => [...tsDetect(f), ...tsGiveUps(f)],
    python: (f) => [...pyDetect(f), ...pyGiveUps(f)],
    rust: (f) => [...rsDetect(f), ...rsGiveUps(f)],
  },
  cases: [
    ...giveUpCases(),
    {
      name: "rust: accept loop whose error helper in the same file sleeps: a fixed delay, not none",
      language: "rust",
      path: "src/serve/listener.rs",
      code: `use std::time::Duration;

async fn handle_accept_error(e: std::io::Error) {
    tracing::error!(error = %e, "accept error");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

pub async fn accept(listener: &tokio::net::TcpListener) -> tokio::net::TcpStream {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => return stream,
            Err(e) => handle_accept_error(e).await,
        }
    }
}
`,
      expect: [9],
    },
    {
      name: "rust: a poller task that never returns, backing off between polls",
      language: "rust",
      path: "src/receiver.rs",
      code: `async fn run_inner(poller: &Poller) -> ! {
    let mut sleep_time = Duration::ZERO;
    let mut iterator = None;
    loop {
        match poller.client.message().consumer_poll(poller.app_id.clone(), iterator.clone()).await {
            Ok(resp) => {
                iterator = Some(resp.iterator);
                sleep_time = Duration::ZERO;
            }
            Err(e) => {
                tracing::warn!(error = %e, "poll failed");
                sleep_time = (sleep_time * 2).clamp(MIN_SLEEP, MAX_SLEEP);
            }
        }
        tokio::time::sleep(sleep_time).await;
    }
}
`,
      expect: [],
    },
    {
      name: "rust: a consumer loop retrying the same message with no delay is still a retry",
      language: "rust",
      path: "src/consumer.rs",
      code: `pub async fn consume(&self, consumer: StreamConsumer) -> Result<(), Error> {
    loop {
        let msg = consumer.recv().await?;
        let mut failures = 0;
        while let Err(e) = self.process(&msg).await {
            failures += 1;
            if failures >= 3 {
                return Err(e);
            }
            tracing::warn!(error = %e, "process failed");
        }
    }
}
`,
      expect: [5],
    },
    {
      name: "rust: background worker that retries with a delay until the shutdown token fires",
      language: "rust",
      path: "src/cleaner.rs",
      code: `pub async fn run(pool: PgPool, shutdown: CancellationToken) {
    loop {
        if shutdown.is_cancelled() {
            return;
        }
        match clean_expired(&pool).await {
            Ok(_) => break,
            Err(e) => {
                tracing::warn!(error = %e, "cleanup failed");
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
            }
        }
    }
}
`,
      expect: [],
    },
    {
      name: "py: worker loop retrying forever on a fixed delay, outside any request",
      language: "python",
      path: "app/worker.py",
      code: `import time


def consume(queue):
    while True:
        try:
            queue.receive()
            break
        except ConnectionError:
            time.sleep(5)
`,
      expect: [5],
    },
    {
      name: "while(true) try/break with no delay",
      language: "typescript",
      code: `import { publish } from "./bus.js";

export async function publishWithRetry(event: OrderEvent): Promise<void> {
  while (true) {
    try {
      await publish("orders", event);
      break;
    } catch (err) {
      logger.warn({ err }, "publish failed, retrying");
    }
  }
}
`,
      expect: [4],
    },
    {
      name: "bounded for loop with no sleep",
      language: "typescript",
      code: `import axios from "axios";

export async function getQuote(symbol: string) {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await axios.get(\`https://quotes.internal/v1/\${symbol}\`, { timeout: 2000 });
      return res.data;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
`,
      expect: [5],
    },
    {
      name: "sleep but no attempt bound",
      language: "typescript",
      code: `import { setTimeout as sleep } from "node:timers/promises";

export class LedgerClient {
  async post(entry: LedgerEntry) {
    for (;;) {
      try {
        return await this.http.post("/entries", entry);
      } catch (e) {
        await sleep(500 * Math.random());
      }
    }
  }
}
`,
      expect: [5],
    },
    {
      name: "fixed delay, no backoff or jitter",
      language: "typescript",
      code: `const RETRY_DELAY_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function chargeCard(req: ChargeRequest) {
  let attempts = 0;
  while (attempts < 3) {
    try {
      return await payments.charge(req);
    } catch (err) {
      attempts++;
      await sleep(RETRY_DELAY_MS);
    }
  }
  throw new Error("charge failed");
}
`,
      expect: [6],
    },
    {
      name: "recursive retry in catch with no delay",
      language: "typescript",
      code: `export async function fetchConfig(url: string, retries = 3): Promise<Config> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return await res.json();
  } catch (err) {
    if (retries <= 0) throw err;
    return fetchConfig(url, retries - 1);
  }
}
`,
      expect: [7],
    },
    {
      name: "bounded exponential backoff with jitter",
      language: "typescript",
      code: `import { setTimeout as sleep } from "node:timers/promises";

export async function withRetry<T>(op: () => Promise<T>, maxAttempts = 5): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt + 1 >= maxAttempts || !isRetryable(err)) throw err;
      await sleep(Math.random() * Math.min(10_000, 100 * 2 ** attempt));
    }
  }
}
`,
      expect: [],
    },
    {
      name: "delay variable doubled each attempt",
      language: "typescript",
      code: `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendWebhook(url: string, body: unknown) {
  let delay = 200;
  for (let i = 0; i < 4; i++) {
    try {
      return await fetch(url, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(3000) });
    } catch {
      await sleep(delay);
      delay *= 2;
    }
  }
}
`,
      expect: [],
    },
    {
      name: "per-item loop with try/catch is not a retry",
      language: "typescript",
      code: `export async function processBatch(records: SQSRecord[]) {
  const failures: string[] = [];
  for (const record of records) {
    try {
      await handle(JSON.parse(record.body));
    } catch (err) {
      failures.push(record.messageId);
    }
  }
  let i = 0;
  while (i < records.length) {
    try {
      await ack(records[i]);
    } catch (err) {
      logger.error({ err }, "ack failed");
    }
    i++;
  }
  return { batchItemFailures: failures.map((id) => ({ itemIdentifier: id })) };
}
`,
      expect: [],
    },
    {
      name: "p-retry and comments about retry loops",
      language: "typescript",
      code: `import pRetry from "p-retry";

// while (true) { try { await send(); break } catch {} } retries with no backoff: don't.
export async function send(msg: Message) {
  return pRetry(() => queue.send(msg), { retries: 5, factor: 2, randomize: true });
}
`,
      expect: [],
    },
    {
      name: "python for range with no sleep",
      language: "python",
      code: `import requests

def fetch_rates(base: str) -> dict:
    last_exc = None
    for attempt in range(5):
        try:
            resp = requests.get(f"https://rates.internal/{base}", timeout=3)
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException as exc:
            last_exc = exc
    raise last_exc
`,
      expect: [5],
    },
    {
      name: "python while True with sleep and no bound",
      language: "python",
      code: `import time
import logging

log = logging.getLogger(__name__)


def connect_broker(params):
    while True:
        try:
            return pika.BlockingConnection(params)
        except pika.exceptions.AMQPConnectionError:
            log.warning("broker unavailable, retrying")
            time.sleep(2 ** 3)
`,
      expect: [8],
    },
    {
      name: "tenacity retry with no wait",
      language: "python",
      code: `from tenacity import retry, stop_after_attempt
import httpx


@retry(stop=stop_after_attempt(5))
async def get_profile(client: httpx.AsyncClient, user_id: str) -> dict:
    resp = await client.get(f"/profiles/{user_id}")
    resp.raise_for_status()
    return resp.json()
`,
      expect: [5],
    },
    {
      name: "urllib3 Retry without backoff_factor",
      language: "python",
      code: `import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=Retry(total=5, status_forcelist=[502, 503, 504])))
`,
      expect: [6],
    },
    {
      name: "asyncio retry with a fixed sleep",
      language: "python",
      code: `import asyncio


async def publish(producer, topic, payload):
    for attempt in range(3):
        try:
            await producer.send_and_wait(topic, payload)
            break
        except KafkaError:
            await asyncio.sleep(1)
`,
      expect: [5],
    },
    {
      name: "python bounded backoff with jitter",
      language: "python",
      code: `import random
import time


def call_with_retry(fn, max_attempts=5):
    for attempt in range(max_attempts):
        try:
            return fn()
        except TransientError:
            if attempt == max_attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.1 * 2 ** attempt))
`,
      expect: [],
    },
    {
      name: "tenacity with wait and stop, urllib3 with backoff",
      language: "python",
      code: `from tenacity import retry, stop_after_attempt, wait_random_exponential
from urllib3.util.retry import Retry


@retry(wait=wait_random_exponential(multiplier=0.2, max=5), stop=stop_after_attempt(6))
def charge(client, req):
    return client.charge(req)


RETRIES = Retry(total=5, backoff_factor=0.5, status_forcelist=[502, 503])
`,
      expect: [],
    },
    {
      name: "python bounded exponential backoff without jitter is accepted",
      language: "python",
      path: "app/clients/reports.py",
      code: `import time

import requests


def fetch_report(url: str) -> dict:
    for attempt in range(5):
        try:
            resp = requests.get(url, timeout=10)
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException:
            if attempt == 4:
                raise
            time.sleep(0.5 * 2 ** attempt)
    raise RuntimeError("unreachable")
`,
      expect: [],
    },
    {
      name: "per-item loop and failover over mirrors",
      language: "python",
      code: `def process(records):
    for record in records:
        try:
            handle(record)
        except ValueError:
            log.exception("bad record")


def download(mirrors, path):
    for mirror in mirrors:
        try:
            return fetch(mirror, path)
        except IOError:
            continue
`,
      expect: [],
    },
    {
      name: "retry words in strings and a test file",
      language: "python",
      path: "tests/test_client.py",
      code: `def test_retry():
    for attempt in range(3):
        try:
            return call()
        except Exception:
            pass
`,
      expect: [],
    },
    {
      name: "rust loop match with continue and no sleep",
      language: "rust",
      code: `use reqwest::Client;

pub async fn fetch_price(client: &Client, sku: &str) -> Result<Price, Error> {
    loop {
        match client.get(format!("https://pricing/{sku}")).send().await {
            Ok(resp) => return Ok(resp.json().await?),
            Err(e) => {
                tracing::warn!(error = %e, "pricing call failed, retrying");
                continue;
            }
        }
    }
}
`,
      expect: [4],
    },
    {
      name: "rust bounded for with no delay",
      language: "rust",
      code: `pub async fn publish(producer: &FutureProducer, record: FutureRecord<'_, str, [u8]>) -> Result<(), Error> {
    let mut last = None;
    for attempt in 0..5 {
        match producer.send_result(record.clone()) {
            Ok(_) => return Ok(()),
            Err((e, _)) => last = Some(e),
        }
    }
    Err(Error::from(last.unwrap()))
}
`,
      expect: [3],
    },
    {
      name: "rust loop with sleep and no bound",
      language: "rust",
      code: `use std::time::Duration;

pub async fn connect(url: &str) -> PgPool {
    loop {
        match PgPool::connect(url).await {
            Ok(pool) => break pool,
            Err(e) => {
                tracing::error!(error = %e, "db not ready");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}
`,
      expect: [4],
    },
    {
      name: "rust while let Err with fixed sleep",
      language: "rust",
      code: `use std::{thread, time::Duration};

pub fn register(client: &Registry, svc: &Service) {
    let mut tries = 0;
    while let Err(e) = client.register(svc) {
        tries += 1;
        if tries > 10 {
            panic!("could not register: {e}");
        }
        thread::sleep(Duration::from_millis(500));
    }
}
`,
      expect: [5],
    },
    {
      name: "rust bounded exponential backoff with jitter",
      language: "rust",
      code: `use rand::Rng;
use std::time::Duration;

pub async fn send(client: &Client, msg: &Msg) -> Result<(), Error> {
    for attempt in 0..6u32 {
        match client.send(msg).await {
            Ok(()) => return Ok(()),
            Err(e) if attempt == 5 => return Err(e),
            Err(_) => {
                let base = 50u64 * 2u64.pow(attempt);
                let wait = rand::thread_rng().gen_range(0..=base);
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
        }
    }
    unreachable!()
}
`,
      expect: [],
    },
    {
      name: "rust loop over items with match is not a retry",
      language: "rust",
      code: `pub async fn handle_all(client: &Client, ids: Vec<String>) -> Vec<Error> {
    let mut errors = Vec::new();
    for id in ids {
        match client.handle(&id).await {
            Ok(_) => continue,
            Err(e) => errors.push(e),
        }
    }
    errors
}
`,
      expect: [],
    },
    {
      name: "rust backoff crate and a comment",
      language: "rust",
      code: `use backoff::{future::retry, ExponentialBackoff};

// loop { match op().await { Ok(v) => return v, Err(_) => continue } } has no backoff.
pub async fn fetch(client: &Client) -> Result<Body, Error> {
    retry(ExponentialBackoff::default(), || async { Ok(client.fetch().await?) }).await
}
`,
      expect: [],
    },
    {
      name: "rust retry inside a test",
      language: "rust",
      code: `#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn eventually_up() {
        loop {
            match ping().await {
                Ok(_) => break,
                Err(_) => continue,
            }
        }
    }
}
`,
      expect: [],
    },
    {
      name: "rs: result bound to a local, throttling error arm continues at once",
      language: "rust",
      path: "src/store/snapshots.rs",
      code: `pub async fn write_snapshot(ddb: &aws_sdk_dynamodb::Client, table: &str, item: Item) -> anyhow::Result<()> {
    loop {
        let outcome = ddb.put_item().table_name(table).set_item(Some(item.clone().into())).send().await;
        match outcome {
            Ok(_) => return Ok(()),
            Err(e) if is_throttled(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}
`,
      expect: [2],
    },
    {
      name: "rs: match guard bounds the attempts and the delay doubles",
      language: "rust",
      path: "src/store/leases.rs",
      code: `use std::time::Duration;

pub async fn renew(store: &LeaseStore, id: &str) -> anyhow::Result<()> {
    let mut tries = 0u32;
    loop {
        tries += 1;
        match store.renew_lease(id).await {
            Ok(()) => return Ok(()),
            Err(e) if tries < 4 => {
                tracing::warn!(error = %e, tries, "renew failed");
                tokio::time::sleep(Duration::from_millis(100 * 2u64.pow(tries))).await;
            }
            Err(e) => return Err(e),
        }
    }
}
`,
      expect: [],
    },
    {
      name: "rs: match guard whose fallback arm keeps retrying is no bound",
      language: "rust",
      path: "src/store/leases_forever.rs",
      code: `use std::time::Duration;

pub async fn renew(store: &LeaseStore, id: &str) -> anyhow::Result<()> {
    let mut tries = 0u32;
    loop {
        tries += 1;
        match store.renew_lease(id).await {
            Ok(()) => return Ok(()),
            Err(_) if tries < 4 => tokio::time::sleep(Duration::from_millis(100 * 2u64.pow(tries))).await,
            Err(_) => tokio::time::sleep(Duration::from_secs(10)).await,
        }
    }
}
`,
      expect: [5],
    },
  ],
});
