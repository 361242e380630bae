// The last retry gives up on data by logging it away: the branch taken when the attempts run out (or Python's
// `for … else`) only logs a warning and returns, so the rows/events it was writing are lost for good. Used by
// retry-without-backoff beside its backoff checks.
import { Node as TsNode, SyntaxKind } from "ts-morph";
import type { Node } from "web-tree-sitter";
import type { ParsedFile, Report, RuleCase } from "../../src/engine/rule.js";
import { callSpan } from "./message.js";
import { descendants, line } from "./tree.js";
import { enclosingFunctions } from "./ts.js";

/** `attempt === MAX_ATTEMPTS`, `retries >= maxRetries`, `tries_left == 0`, `attempt == RETRIES - 1`, `is_last_attempt`. */
const EXHAUSTED = /\b\w*(attempts?|retr(y|ies)|tries)\w*\s*(===?|>=|>)\s*[\w.]*(max|limit|retries|attempts|tries)\w*(\s*-\s*1)?|\b\w*(retries|tries|attempts)_?(left|remaining)\w*\s*(===?|<=|<)\s*0\b|\b(is_?)?last_?(attempt|try|retry)\b(?!\s*:(?!:))|\bisLastAttempt\b/i;
const DATA = /\b\w*(usage|rows?|records?|events?|items?|batch(es)?|entries|samples|metering|meter|billing|payload|messages?)\w*\b/i;
const LOG_ONLY = /\b(warn|warning|error|info|log|exception)\b/;
/** What keeps the data: raising so the caller or queue retries, a dead-letter/failed store, a requeue, a persisted write. */
const KEEPS = /\b(throw|raise|bail!|panic!|Err\(|reject|dead_?letter|dlq|DLQ|deadLetter|requeue|re_?enqueue|enqueue|nack|persist|spool|outbox|failed_?(rows|items|events|queue|table))\b|\?\s*;/;

function message(what: string): string {
  return `When the retries run out this only logs (\`${what}\`) and moves on: the ${/usage|meter|billing/i.test(what) ? "usage rows" : "data"} it was writing are dropped for good, with a warning nobody acts on. Keep them: re-raise so the queue redelivers, or write them to a dead-letter queue/table for replay.`;
}

/** Rust `if let Err(e) = send(..)` matches a pattern: it tests no attempt count, whatever the arguments are named. */
const isPatternTest = (cond: Node | null) => Boolean(cond && (cond.type === "let_condition" || cond.type === "let_chain" || /^let\s/.test(cond.text)));

export function tsGiveUps(file: ParsedFile): Report[] {
  const out: Report[] = [];
  for (const stmt of file.ts!.getDescendantsOfKind(SyntaxKind.IfStatement)) {
    if (!EXHAUSTED.test(stmt.getExpression().getText())) continue;
    const body = stmt.getThenStatement().getText();
    const fn = enclosingFunctions(stmt).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a));
    if (KEEPS.test(body) || !DATA.test(fn?.getText() ?? file.text)) continue;
    const log = stmt.getThenStatement().getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => LOG_ONLY.test(c.getExpression().getText().split(".").pop() ?? ""));
    if (log) out.push({ line: log.getStartLineNumber(), message: message(callSpan(log.getText())) });
  }
  return out;
}

function logCall(block: Node, py: boolean): Node | undefined {
  if (py) return descendants(block, "call").find((c) => LOG_ONLY.test((c.childForFieldName("function")?.text ?? "").split(".").pop() ?? ""));
  return descendants(block, "macro_invocation").find((m) => /^(warn|error|info)$/.test(m.childForFieldName("macro")?.text.split("::").pop() ?? ""));
}

function treeGiveUps(file: ParsedFile, py: boolean): Report[] {
  const out: Report[] = [];
  const fnType = py ? "function_definition" : "function_item";
  const push = (block: Node | null | undefined, at: Node) => {
    if (!block || KEEPS.test(block.text)) return;
    let fn: Node | null = at.parent;
    while (fn && fn.type !== fnType) fn = fn.parent;
    if (!DATA.test(fn?.text ?? file.text)) return;
    const log = logCall(block, py);
    if (log) out.push({ line: line(log), message: message(callSpan(log.text)) });
  };
  for (const stmt of descendants(file.tree!.rootNode, py ? ["if_statement", "elif_clause"] : ["if_expression"])) {
    const cond = stmt.childForFieldName("condition");
    if (!isPatternTest(cond) && EXHAUSTED.test(cond?.text ?? "")) push(stmt.childForFieldName("consequence"), stmt);
  }
  // Python `for attempt in range(N): ... else:` runs the else block when no attempt broke out of the loop.
  if (py) {
    for (const loop of descendants(file.tree!.rootNode, "for_statement")) {
      const header = `${loop.childForFieldName("left")?.text ?? ""} ${loop.childForFieldName("right")?.text ?? ""}`;
      if (/attempt|retr|tries|range\(\s*\w*(RETRIES|ATTEMPTS|retries|attempts|TRIES)/i.test(header)) push(loop.childForFieldName("alternative"), loop);
    }
  }
  return out;
}

export const pyGiveUps = (file: ParsedFile) => treeGiveUps(file, true);
export const rsGiveUps = (file: ParsedFile) => treeGiveUps(file, false);

export function giveUpCases(): RuleCase[] {
  return [
    {
      name: "py: for/else after the last BatchWriteItem retry only logs the dropped usage rows",
      language: "python",
      code: `import logging
import random
import time

log = logging.getLogger(__name__)


def flush_usage(table, rows):
    pending = rows
    for attempt in range(5):
        resp = table.meta.client.batch_write_item(RequestItems={"usage": pending})
        pending = resp.get("UnprocessedItems", {}).get("usage", [])
        if not pending:
            break
        time.sleep(min(2 ** attempt, 20) * random.random())
    else:
        log.warning("dropping %d usage rows after retries", len(pending))
`,
      expect: [17],
    },
    {
      name: "py: for/else that sends the rows to a dead-letter queue",
      language: "python",
      code: `def flush_usage(table, rows, dlq):
    pending = rows
    for attempt in range(5):
        pending = write_batch(table, pending)
        if not pending:
            break
        time.sleep(min(2 ** attempt, 20) * random.random())
    else:
        log.warning("sending %d usage rows to the dead-letter queue", len(pending))
        dlq.send_messages(pending)
`,
      expect: [],
    },
    {
      name: "ts: the give-up branch of a metering retry warns and returns",
      language: "typescript",
      code: `export async function sendUsage(batch: UsageRow[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      await meter.post("/v1/usage", batch);
      return;
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS) {
        logger.warn({ err, rows: batch.length }, "usage upload failed, giving up");
        return;
      }
      await sleep(backoff(attempt));
    }
  }
}
`,
      expect: [8],
    },
    {
      name: "ts: the give-up branch rethrows so the queue redelivers",
      language: "typescript",
      code: `export async function sendUsage(batch: UsageRow[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await meter.post("/v1/usage", batch);
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS) {
        logger.error({ err, rows: batch.length }, "usage upload failed");
        throw err;
      }
      await sleep(backoff(attempt));
    }
  }
}
`,
      expect: [],
    },
    {
      name: "rs: last attempt logs a warning and returns Ok, dropping the events",
      language: "rust",
      code: `pub async fn publish_usage(client: &Client, events: Vec<UsageEvent>) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match client.put_events(&events).await {
            Ok(_) => return Ok(()),
            Err(e) => {
                if attempt >= MAX_ATTEMPTS {
                    tracing::warn!(error = %e, count = events.len(), "giving up on usage events");
                    return Ok(());
                }
                tokio::time::sleep(backoff(attempt)).await;
            }
        }
    }
}
`,
      expect: [9],
    },
    {
      name: "rs: last attempt returns the error to the caller",
      language: "rust",
      code: `pub async fn publish_usage(client: &Client, events: Vec<UsageEvent>) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match client.put_events(&events).await {
            Ok(_) => return Ok(()),
            Err(e) => {
                if attempt >= MAX_ATTEMPTS {
                    tracing::error!(error = %e, "usage events failed");
                    return Err(e.into());
                }
                tokio::time::sleep(backoff(attempt)).await;
            }
        }
    }
}
`,
      expect: [],
    },
    {
      name: "rs: `if let Err(e) = send(..)` carrying a `last_attempt:` field is no exhausted-retries branch",
      language: "rust",
      code: `async fn on_success(sender: &Sender, task: &Task, attempt: Attempt, events: Vec<Event>) -> Result<()> {
    if task.attempt_count as usize >= SEND_FAILING_EVENT_AFTER {
        if let Err(e) = sender
            .send_operational_webhook(
                task.org_id,
                Webhook::Recovered(AttemptEvent { events, last_attempt: attempt.into() }),
            )
            .await
        {
            tracing::error!(
                "Failed sending Recovered webhook: {}",
                e
            );
        }
    }
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "rs: a multi-line give-up log after the last attempt, quoted by its macro alone",
      language: "rust",
      code: `pub async fn flush_events(client: &Client, events: Vec<Event>) -> anyhow::Result<()> {
    for attempt in 1..=MAX_ATTEMPTS {
        match client.put_events(&events).await {
            Ok(_) => return Ok(()),
            Err(e) if attempt == MAX_ATTEMPTS => {}
            Err(_) => tokio::time::sleep(backoff(attempt)).await,
        }
        let is_last_attempt = attempt == MAX_ATTEMPTS;
        if is_last_attempt {
            tracing::error!(
                count = events.len(),
                "giving up on the events"
            );
            return Ok(());
        }
    }
    Ok(())
}
`,
      expect: [10],
    },
  ];
}
