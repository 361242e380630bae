import { Node, SyntaxKind, type CallExpression } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { descendants, enclosingFunction, line } from "./_lib/tree.js";
import {
  LOG_METHOD, TREE_LOOP_TYPES, pyCallName, rsChain, rsChainTop, treeDelayCalls, treeLoopBounded, treeString,
  tsDelayCalls, tsFunctionName, tsFunctionOf, tsInLogCall, tsIsLoop, tsLoopBounded, tsObjectArg, tsProp,
} from "./_lib/resilience.js";

// AWS docs (BatchWriteItem): "If any requested operations fail because the table's provisioned throughput is
// exceeded or an internal processing failure occurs, the failed operations are returned in the UnprocessedItems
// response parameter. You can investigate and optionally resend the requests." and "we strongly recommend that
// you use an exponential backoff algorithm". BatchGetItem returns UnprocessedKeys the same way.

const TS_COMMANDS = /^(BatchWriteItemCommand|BatchWriteCommand|BatchGetItemCommand|BatchGetCommand)$/;
const TS_V2_METHODS = /^(batchWriteItem|batchGetItem|batchWrite|batchGet)$/;
const LEFTOVER = /^Unprocessed(Items|Keys)$/;

/** The SDK call a batch operation is sent with (v3 `client.send(new BatchWriteCommand(...))`, v2 `.batchWrite(...)`). */
function tsBatchCalls(file: ParsedFile): { call: CallExpression; op: string }[] {
  const out: { call: CallExpression; op: string }[] = [];
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const expr = call.getExpression();
    if (!Node.isPropertyAccessExpression(expr)) continue;
    const name = expr.getName();
    if (name === "send") {
      const arg = call.getArguments()[0];
      const made = arg && Node.isIdentifier(arg) ? tsLocalInit(arg) : arg;
      if (made && Node.isNewExpression(made) && TS_COMMANDS.test(made.getExpression().getText().replace(/^.*\./, ""))) {
        out.push({ call, op: made.getExpression().getText().replace(/^.*\./, "") });
      }
    } else if (TS_V2_METHODS.test(name)) {
      const params = tsObjectArg(call.getArguments()[0]);
      const promised = call.getParent()?.getParent()?.getText().endsWith(".promise()");
      if ((params && tsProp(params, "RequestItems")) || promised) out.push({ call, op: name });
    }
  }
  return out;
}

function tsLocalInit(id: Node): Node | undefined {
  const fn = tsFunctionOf(id) ?? id.getSourceFile();
  const decl = fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === id.getText());
  return decl?.getInitializer();
}

/** Walks up from the call through `.promise()`, `await`, parentheses and `Promise.all(xs.map(...))` to the node whose parent consumes the result. */
function tsResultNode(call: Node): Node {
  let cur = call;
  for (;;) {
    const p = cur.getParent();
    if (!p) return cur;
    if (Node.isAwaitExpression(p) || Node.isParenthesizedExpression(p)) cur = p;
    else if (Node.isPropertyAccessExpression(p) && p.getName() === "promise" && Node.isCallExpression(p.getParent())) cur = p.getParent()!;
    else if (Node.isArrowFunction(p) && p.getBody() === cur) {
      const mapCall = p.getParentIfKind(SyntaxKind.CallExpression);
      const all = mapCall?.getParentIfKind(SyntaxKind.CallExpression);
      if (!all || !/^Promise\.all(Settled)?$/.test(all.getExpression().getText())) return cur;
      cur = all;
    } else return cur;
  }
}

/** True when the function reads UnprocessedItems/Keys outside a log call, or hands the result on. */
function tsHandled(fn: Node, resultVar: string | undefined): boolean {
  const reads = [
    ...fn.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).filter((p) => LEFTOVER.test(p.getName())),
    ...fn.getDescendantsOfKind(SyntaxKind.BindingElement).filter((b) => LEFTOVER.test(b.getPropertyNameNode()?.getText() ?? b.getName())),
    ...fn.getDescendantsOfKind(SyntaxKind.StringLiteral).filter((s) => LEFTOVER.test(s.getLiteralValue()) && Node.isElementAccessExpression(s.getParent())),
  ];
  if (reads.some((r) => !tsInLogCall(r))) return true;
  if (!resultVar) return false;
  return fn.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== resultVar) return false;
    const p = id.getParent();
    if (Node.isReturnStatement(p) || (Node.isArrowFunction(p) && p.getBody() === id)) return true;
    if (Node.isCallExpression(p) && p.getArguments().includes(id as never) && !tsInLogCall(id)) return true;
    return Node.isShorthandPropertyAssignment(p) || (Node.isPropertyAssignment(p) && p.getInitializer() === id && !tsInLogCall(id));
  });
}

function tsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const { call, op } of tsBatchCalls(file)) {
    const fn = tsFunctionOf(call) ?? file.ts!;
    const result = tsResultNode(call);
    const parent = result.getParent();
    const leftover = /Get/.test(op) ? "UnprocessedKeys" : "UnprocessedItems";
    // A retry of the leftovers: a loop (or recursive call) around this call that reads them.
    const loop = call.getFirstAncestor((a) => tsIsLoop(a));
    const retrying = loop && /Unprocessed(Items|Keys)/.test(loop.getText()) && fn.containsRange(loop.getPos(), loop.getEnd());
    const fnName = tsFunctionName(fn);
    const recursive = loop ? undefined : fn.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) =>
      fnName !== "" && c.getExpression().getText().replace(/^.*\./, "") === fnName && /Unprocessed(Items|Keys)/.test(c.getText()));
    if (retrying || recursive) {
      const where = retrying ? loop! : fn;
      if (tsDelayCalls(where).length === 0) {
        reports.push({ line: (retrying ? loop! : recursive!).getStartLineNumber(), message: `\`${leftover}\` from \`${op}\` are resent immediately, with no backoff; under throttling this loop hammers the table.` });
      } else if (retrying && !tsLoopBounded(loop!)) {
        reports.push({ line: loop!.getStartLineNumber(), message: `\`${leftover}\` from \`${op}\` are resent with no attempt limit; a table that stays throttled keeps this request spinning.` });
      }
      continue;
    }
    if (!parent || Node.isReturnStatement(parent) || Node.isArrowFunction(parent)) continue;
    let resultVar: string | undefined;
    if (Node.isVariableDeclaration(parent)) {
      const nameNode = parent.getNameNode();
      if (Node.isObjectBindingPattern(nameNode)) {
        if (nameNode.getElements().some((e) => LEFTOVER.test(e.getPropertyNameNode()?.getText() ?? e.getName()))) continue;
      } else resultVar = nameNode.getText();
    } else if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
      resultVar = parent.getLeft().getText();
    } else if (!Node.isExpressionStatement(parent)) continue;
    if (tsHandled(fn, resultVar)) continue;
    reports.push({ line: call.getStartLineNumber(), message: `\`${op}\` result's \`${leftover}\` is never read: throttled items are silently dropped.` });
  }
  return reports;
}

// ---------- Python ----------

function pyIsLogCall(call: TNode): boolean {
  const fn = call.childForFieldName("function");
  return fn?.type === "attribute" && LOG_METHOD.test(fn.childForFieldName("attribute")?.text ?? "") && /(^|\.)(logging|log|logger|_?logger|LOG|LOGGER|\w*_log(ger)?)$/i.test(fn.childForFieldName("object")?.text ?? "");
}

function inside(node: TNode, pred: (n: TNode) => boolean): boolean {
  for (let cur = node.parent; cur; cur = cur.parent) if (pred(cur)) return true;
  return false;
}

function pyHandled(scope: TNode, resultVar: string | undefined): boolean {
  const reads = descendants(scope, "string").filter((s) => LEFTOVER.test(treeString(s) ?? ""));
  if (reads.some((s) => !inside(s, (n) => n.type === "call" && pyIsLogCall(n)))) return true;
  if (!resultVar) return false;
  return descendants(scope, "identifier").some((id) => {
    if (id.text !== resultVar) return false;
    const p = id.parent;
    if (p?.type === "return_statement") return true;
    return p?.type === "argument_list" && !pyIsLogCall(p.parent!);
  });
}

function pyDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const call of descendants(file.tree!.rootNode, "call")) {
    const op = pyCallName(call);
    if (op !== "batch_write_item" && op !== "batch_get_item") continue;
    const leftover = op === "batch_get_item" ? "UnprocessedKeys" : "UnprocessedItems";
    const scope = enclosingFunction(call) ?? file.tree!.rootNode;
    const loop = ancestorOf(call, TREE_LOOP_TYPES, scope);
    if (loop && /Unprocessed(Items|Keys)/.test(loop.text)) {
      const msg = retryProblem(loop, leftover, op);
      if (msg) reports.push({ line: line(loop), message: msg });
      continue;
    }
    let top = call;
    while (top.parent?.type === "await" || top.parent?.type === "parenthesized_expression") top = top.parent;
    const parent = top.parent;
    if (!parent || parent.type === "return_statement") continue;
    let resultVar: string | undefined;
    if (parent.type === "assignment") resultVar = parent.childForFieldName("left")?.text;
    else if (parent.type !== "expression_statement") continue;
    if (pyHandled(scope, resultVar)) continue;
    reports.push({ line: line(call), message: `\`${op}\` response's \`${leftover}\` is never read: throttled items are silently dropped.` });
  }
  return reports;
}

function ancestorOf(node: TNode, types: string[], stop: TNode): TNode | undefined {
  for (let cur = node.parent; cur && cur.id !== stop.id; cur = cur.parent) if (types.includes(cur.type)) return cur;
  return undefined;
}

function retryProblem(loop: TNode, leftover: string, op: string): string | undefined {
  if (treeDelayCalls(loop).length === 0) return `\`${leftover}\` from \`${op}\` are resent immediately, with no backoff; under throttling this loop hammers the table.`;
  if (!treeLoopBounded(loop)) return `\`${leftover}\` from \`${op}\` are resent with no attempt limit; a table that stays throttled keeps this request spinning.`;
  return undefined;
}

// ---------- Rust ----------

function rsDetect(file: ParsedFile): Report[] {
  const reports: Report[] = [];
  for (const call of descendants(file.tree!.rootNode, "call_expression")) {
    const fnNode = call.childForFieldName("function");
    const op = fnNode?.type === "field_expression" ? fnNode.childForFieldName("field")?.text ?? "" : "";
    if (op !== "batch_write_item" && op !== "batch_get_item") continue;
    const top = rsChainTop(call);
    if (!rsChain(top).includes("send")) continue;
    const leftover = op === "batch_get_item" ? "unprocessed_keys" : "unprocessed_items";
    const scope = enclosingFunction(call) ?? file.tree!.rootNode;
    const loop = ancestorOf(call, TREE_LOOP_TYPES, scope);
    const mentions = (root: TNode) => descendants(root, "field_identifier").some((f) => /^unprocessed_(items|keys)$/.test(f.text));
    if (loop && mentions(loop)) {
      const msg = retryProblem(loop, leftover, op);
      if (msg) reports.push({ line: line(loop), message: msg });
      continue;
    }
    const parent = top.parent;
    if (!parent) continue;
    if (parent.type === "return_expression") continue;
    if (parent.type === "block" && parent.lastNamedChild?.id === top.id) continue; // tail expression: returned
    if (parent.type === "let_declaration" && parent.childForFieldName("pattern")?.text !== "_") {
      const name = parent.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") ?? "";
      const escapes = descendants(scope, "identifier").some((id) => id.text === name && id.id !== parent.childForFieldName("pattern")?.id
        && (id.parent?.type === "return_expression" || (id.parent?.type === "block" && id.parent.lastNamedChild?.id === id.id) || id.parent?.type === "arguments"));
      if (mentions(scope) || escapes) continue;
    } else if (parent.type !== "expression_statement" && parent.type !== "let_declaration") {
      if (mentions(scope)) continue;
    }
    reports.push({ line: line(fnNode!.childForFieldName("field")!), message: `\`${op}\` output's \`${leftover}\` is never read: throttled items are silently dropped.` });
  }
  return reports;
}

export default defineRule({
  meta: {
    id: "unprocessed-items-ignored",
    category: "resilience",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "DynamoDB BatchWriteItem/BatchGetItem results whose UnprocessedItems/UnprocessedKeys are dropped or resent in a tight loop.",
    why: "Batch calls succeed even when DynamoDB throttles part of the batch: the throttled part comes back as UnprocessedItems/UnprocessedKeys. Ignoring it loses writes and reads silently under load; resending it at once, forever, burns the capacity that caused the throttling.",
    fix: "Resend the unprocessed part in a bounded loop with exponential backoff and jitter, and fail loudly when attempts run out (or use a helper that does, such as boto3's Table.batch_writer()).",
    docs: [
      "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html",
      "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html",
    ],
  },
  detect: { typescript: tsDetect, python: pyDetect, rust: rsDetect },
  cases: [
    {
      name: "v3 lib-dynamodb BatchWriteCommand awaited and dropped",
      language: "typescript",
      code: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function saveReadings(readings: Reading[]): Promise<void> {
  for (const chunk of chunks(readings, 25)) {
    await doc.send(new BatchWriteCommand({
      RequestItems: { [TABLE]: chunk.map((r) => ({ PutRequest: { Item: r } })) },
    }));
  }
}
`,
      expect: [8],
    },
    {
      name: "BatchGetItemCommand result used for Responses only",
      language: "typescript",
      code: `import { BatchGetItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";

const ddb = new DynamoDBClient({});

export async function loadProducts(ids: string[]) {
  const cmd = new BatchGetItemCommand({
    RequestItems: { products: { Keys: ids.map((id) => ({ pk: { S: id } })) } },
  });
  const res = await ddb.send(cmd);
  logger.info({ unprocessed: res.UnprocessedKeys }, "batch get done");
  return (res.Responses?.products ?? []).map((i) => unmarshall(i));
}
`,
      expect: [10],
    },
    {
      name: "v2 DocumentClient batchWrite().promise() in Promise.all",
      language: "typescript",
      code: `import AWS from "aws-sdk";

const docClient = new AWS.DynamoDB.DocumentClient();

export const handler = async (event: SQSEvent) => {
  const items = event.Records.map((r) => JSON.parse(r.body));
  await Promise.all(
    chunk(items, 25).map((batch) =>
      docClient.batchWrite({ RequestItems: { Orders: batch.map((Item) => ({ PutRequest: { Item } })) } }).promise(),
    ),
  );
  return { ok: true };
};
`,
      expect: [9],
    },
    {
      name: "leftovers resent in a while loop with no delay",
      language: "typescript",
      code: `import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { doc } from "./db.js";

export async function writeAll(requestItems: Record<string, any[]>) {
  let pending = requestItems;
  while (Object.keys(pending).length > 0) {
    const out = await doc.send(new BatchWriteCommand({ RequestItems: pending }));
    pending = out.UnprocessedItems ?? {};
  }
}
`,
      expect: [6],
    },
    {
      name: "recursive resend with no delay",
      language: "typescript",
      code: `import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export class EventWriter {
  constructor(private readonly doc: DynamoDBDocumentClient) {}

  async writeBatch(items: Record<string, any[]>): Promise<void> {
    const res = await this.doc.send(new BatchWriteCommand({ RequestItems: items }));
    if (res.UnprocessedItems && Object.keys(res.UnprocessedItems).length) {
      await this.writeBatch(res.UnprocessedItems);
    }
  }
}
`,
      expect: [9],
    },
    {
      name: "bounded retry with exponential backoff and jitter",
      language: "typescript",
      code: `import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { setTimeout as sleep } from "node:timers/promises";
import { doc } from "./db.js";

export async function writeAll(requestItems: Record<string, any[]>) {
  let pending = requestItems;
  for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
    if (attempt >= 8) throw new Error("unprocessed items left after 8 attempts");
    if (attempt > 0) await sleep(Math.random() * 50 * 2 ** attempt);
    const out = await doc.send(new BatchWriteCommand({ RequestItems: pending }));
    pending = out.UnprocessedItems ?? {};
  }
}
`,
      expect: [],
    },
    {
      name: "result returned to the caller",
      language: "typescript",
      code: `import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { doc } from "./db.js";

export function fetchBatch(keys: Key[]) {
  return doc.send(new BatchGetCommand({ RequestItems: { users: { Keys: keys } } }));
}

export async function fetchBatchAwaited(keys: Key[]) {
  const out = await doc.send(new BatchGetCommand({ RequestItems: { users: { Keys: keys } } }));
  return out;
}
`,
      expect: [],
    },
    {
      name: "destructured UnprocessedItems handed to a retry queue",
      language: "typescript",
      code: `import { BatchWriteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

const ddb = new DynamoDBClient({});

export async function flush(requests: WriteRequest[]) {
  const { UnprocessedItems } = await ddb.send(new BatchWriteItemCommand({ RequestItems: { audit: requests } }));
  if (UnprocessedItems?.audit?.length) await retryQueue.enqueue(UnprocessedItems.audit);
}
`,
      expect: [],
    },
    {
      name: "mentions in comments and strings, and a user batchGet helper",
      language: "typescript",
      code: `// BatchWriteItem can return UnprocessedItems; see retryUnprocessed() in db.ts.
const HELP = "await client.send(new BatchWriteCommand(...)) drops UnprocessedItems";

export async function loadUsers(loader: UserLoader, ids: string[]) {
  const users = await loader.batchGet(ids);
  return users.filter(Boolean);
}
`,
      expect: [],
    },
    {
      name: "boto3 client batch_write_item response dropped",
      language: "python",
      code: `import boto3

dynamodb = boto3.client("dynamodb")


def save_events(events):
    for chunk in chunks(events, 25):
        dynamodb.batch_write_item(
            RequestItems={"events": [{"PutRequest": {"Item": e}} for e in chunk]}
        )
`,
      expect: [8],
    },
    {
      name: "batch_get_item keys read, UnprocessedKeys only logged",
      language: "python",
      code: `import logging
import boto3

logger = logging.getLogger(__name__)
resource = boto3.resource("dynamodb")


def get_profiles(user_ids):
    resp = resource.batch_get_item(
        RequestItems={"profiles": {"Keys": [{"user_id": u} for u in user_ids]}}
    )
    logger.info("left over: %s", resp.get("UnprocessedKeys"))
    return resp["Responses"]["profiles"]
`,
      expect: [9],
    },
    {
      name: "async aioboto3 leftovers resent without sleep",
      language: "python",
      code: `import aioboto3

session = aioboto3.Session()


async def put_all(items):
    async with session.client("dynamodb") as client:
        request = {"orders": items}
        while request:
            resp = await client.batch_write_item(RequestItems=request)
            request = resp.get("UnprocessedItems")
`,
      expect: [9],
    },
    {
      name: "leftovers resent forever with a fixed sleep",
      language: "python",
      code: `import time
import boto3

client = boto3.client("dynamodb")


def write_batch(request_items):
    while request_items:
        resp = client.batch_write_item(RequestItems=request_items)
        request_items = resp.get("UnprocessedItems", {})
        time.sleep(0.5)
`,
      expect: [8],
    },
    {
      name: "Table.batch_writer handles leftovers",
      language: "python",
      code: `import boto3

table = boto3.resource("dynamodb").Table("events")


def save_events(events):
    with table.batch_writer() as batch:
        for e in events:
            batch.put_item(Item=e)
`,
      expect: [],
    },
    {
      name: "bounded backoff loop",
      language: "python",
      code: `import random
import time
import boto3

client = boto3.client("dynamodb")
MAX_ATTEMPTS = 6


def write_batch(request_items):
    for attempt in range(MAX_ATTEMPTS):
        resp = client.batch_write_item(RequestItems=request_items)
        request_items = resp.get("UnprocessedItems")
        if not request_items:
            return
        time.sleep(random.uniform(0, 0.05 * 2 ** attempt))
    raise RuntimeError("unprocessed items remain")
`,
      expect: [],
    },
    {
      name: "response returned to caller",
      language: "python",
      code: `import boto3

client = boto3.client("dynamodb")


def fetch(keys):
    return client.batch_get_item(RequestItems={"users": {"Keys": keys}})


def fetch_checked(keys):
    resp = client.batch_get_item(RequestItems={"users": {"Keys": keys}})
    if resp["UnprocessedKeys"]:
        raise RetryableError(resp["UnprocessedKeys"])
    return resp["Responses"]["users"]
`,
      expect: [],
    },
    {
      name: "trigger words in docstring and string",
      language: "python",
      code: `def describe():
    """batch_write_item returns UnprocessedItems; we use batch_writer instead."""
    return "client.batch_write_item(RequestItems=...)"
`,
      expect: [],
    },
    {
      name: "Rust batch_write_item output dropped with ?",
      language: "rust",
      code: `use aws_sdk_dynamodb::{types::WriteRequest, Client};

pub async fn save_events(client: &Client, table: &str, writes: Vec<WriteRequest>) -> Result<(), Error> {
    for chunk in writes.chunks(25) {
        client
            .batch_write_item()
            .request_items(table, chunk.to_vec())
            .send()
            .await?;
    }
    Ok(())
}
`,
      expect: [6],
    },
    {
      name: "Rust batch_get_item reads responses only",
      language: "rust",
      code: `use aws_sdk_dynamodb::Client;

pub async fn load(client: &Client, keys: KeysAndAttributes) -> Result<Vec<Item>, Error> {
    let out = client.batch_get_item().request_items("users", keys).send().await?;
    let items = out.responses().and_then(|r| r.get("users")).cloned().unwrap_or_default();
    Ok(items.into_iter().map(Item::from).collect())
}
`,
      expect: [4],
    },
    {
      name: "Rust let _ discards the output",
      language: "rust",
      code: `use aws_sdk_dynamodb::Client;

pub async fn flush(client: &Client, items: HashMap<String, Vec<WriteRequest>>) {
    let _ = client.batch_write_item().set_request_items(Some(items)).send().await;
    tracing::info!("flushed batch");
}
`,
      expect: [4],
    },
    {
      name: "Rust leftovers resent in a loop without sleep",
      language: "rust",
      code: `use aws_sdk_dynamodb::Client;

pub async fn write_all(client: &Client, mut pending: HashMap<String, Vec<WriteRequest>>) -> Result<(), Error> {
    while !pending.is_empty() {
        let out = client.batch_write_item().set_request_items(Some(pending)).send().await?;
        pending = out.unprocessed_items.unwrap_or_default();
    }
    Ok(())
}
`,
      expect: [4],
    },
    {
      name: "Rust bounded retry with backoff",
      language: "rust",
      code: `use std::time::Duration;
use aws_sdk_dynamodb::Client;

pub async fn write_all(client: &Client, mut pending: HashMap<String, Vec<WriteRequest>>) -> Result<(), Error> {
    for attempt in 0..8u32 {
        let out = client.batch_write_item().set_request_items(Some(pending)).send().await?;
        pending = out.unprocessed_items.unwrap_or_default();
        if pending.is_empty() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(25 * 2u64.pow(attempt))).await;
    }
    Err(Error::Unprocessed)
}
`,
      expect: [],
    },
    {
      name: "Rust output returned as tail expression",
      language: "rust",
      code: `use aws_sdk_dynamodb::{operation::batch_get_item::BatchGetItemOutput, Client};

pub async fn fetch(client: &Client, keys: KeysAndAttributes) -> Result<BatchGetItemOutput, Error> {
    let out = client.batch_get_item().request_items("users", keys).send().await?;
    Ok(out)
}

pub async fn fetch_raw(client: &Client, keys: KeysAndAttributes) -> Result<BatchGetItemOutput, SdkError> {
    client.batch_get_item().request_items("users", keys).send().await
}
`,
      expect: [],
    },
    {
      name: "Rust unprocessed keys checked",
      language: "rust",
      code: `use aws_sdk_dynamodb::Client;

pub async fn load(client: &Client, keys: KeysAndAttributes) -> Result<Vec<Item>, Error> {
    let out = client.batch_get_item().request_items("users", keys).send().await?;
    if out.unprocessed_keys().map_or(false, |k| !k.is_empty()) {
        return Err(Error::Partial);
    }
    Ok(parse(out.responses()))
}
`,
      expect: [],
    },
    {
      name: "Rust comment and string mention the call",
      language: "rust",
      code: `/// Wraps client.batch_write_item() and retries unprocessed_items with backoff.
pub fn describe() -> &'static str {
    "client.batch_write_item().send().await? ignores unprocessed_items"
}
`,
      expect: [],
    },
    {
      name: "rs: a round counter checked against a limit that bails (\`bail!(..)\`) bounds the resend loop; the same loop without it does not",
      path: "src/store/batch.rs",
      code: `use aws_sdk_dynamodb::Client;
use std::time::Duration;

const MAX_ROUNDS: u32 = 5;

pub async fn put_all(db: &Client, mut pending: Option<std::collections::HashMap<String, Vec<aws_sdk_dynamodb::types::WriteRequest>>>) -> anyhow::Result<()> {
    let mut round = 0;
    while let Some(req) = pending.take().filter(|r| !r.is_empty()) {
        if round >= MAX_ROUNDS {
            anyhow::bail!("unprocessed items after {round} rounds");
        }
        tokio::time::sleep(Duration::from_millis(25 * 2u64.pow(round))).await;
        let out = db.batch_write_item().set_request_items(Some(req)).send().await?;
        pending = out.unprocessed_items().cloned();
        round += 1;
    }
    Ok(())
}

pub async fn put_forever(db: &Client, mut pending: Option<std::collections::HashMap<String, Vec<aws_sdk_dynamodb::types::WriteRequest>>>) -> anyhow::Result<()> {
    let mut round = 0;
    while let Some(req) = pending.take().filter(|r| !r.is_empty()) {
        tokio::time::sleep(Duration::from_millis(25 * 2u64.pow(round.min(6)))).await;
        let out = db.batch_write_item().set_request_items(Some(req)).send().await?;
        pending = out.unprocessed_items().cloned();
        round += 1;
    }
    Ok(())
}
`,
      expect: [22],
    },
  ],
});
