import { Node as TsNode, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type ReviewFacts, type RuleContext } from "../src/engine/rule.js";
import { callSpan } from "./_lib/message.js";
import { tsDef, tsFnName, tsFns, treeDef, treeFnName, treeFns } from "./_lib/performance.js";
import { DefSet } from "./_lib/resolve.js";
import { descendants, line } from "./_lib/tree.js";
import { ancestorOfKind, enclosingFunctions } from "./_lib/ts.js";

// A transaction is only durable once it commits. Anything sent to the outside world inside it (a queue
// message, an event, an email) cannot be taken back when the transaction rolls back, and it can reach a
// consumer before the rows it refers to are visible. Framework hooks exist for exactly this: Django's
// `transaction.on_commit` ("Django provides the on_commit() function to register callback functions that
// should be executed after a transaction is successfully committed"), SQLAlchemy's `after_commit` event,
// or a transactional outbox written in the same transaction.

interface Region {
  start: number;
  end: number;
  line: number;
  label: string;
  /** Names bound to the transaction handle: calls that pass it write to the database (an outbox). */
  tx: Set<string>;
  /** Explicit session work (SQLAlchemy): the commit that ends it; no transaction is "opened" by the first write. */
  commit?: { label: string; line: number };
}

interface Effect {
  start: number;
  line: number;
  label: string;
  /** Text of the receiver and arguments, to spot outbox writes through the transaction handle. */
  args: string[];
  receiver: string;
  /** The called name, to resolve a repository helper of that name (checks/_lib/resolve.ts). */
  name: string;
  /** A known SDK or broker call (an AWS command, a producer, Celery's delay); false when only its name suggests a send. */
  known: boolean;
  /** The function the call is in, when named (so a repository helper that sends is known as a sender). */
  def?: { name: string; path: string; owner?: string };
}

interface Facts {
  /** Repository functions whose body sends (a known SDK call, or a call of another sender). */
  senders: DefSet;
  /** Every repository function that could be taken for a send by its name. */
  defined: DefSet;
}

/** Names that suggest a send but belong to any code base: only a known receiver or the helper's own body says whether they send. */
const GUESSED = /^(?!(send_message|send_message_batch|send_email|send_raw_email|send_templated_email|send_bulk_templated_email|send_bulk_email|send_mail|send_mass_mail|send_task|sendMessage|sendMessageBatch|sendEmail|sendRawEmail|sendMail|sendToQueue|sendBatch)$)(enqueue\w*|notify\w*|emit_?[eE]vent|publish_?([eE]vent|[mM]essage)\w*|send(_\w+|[A-Z]\w*))$/;
/** Receivers that are brokers, mailers or SDK clients by their name. */
const SDK_RECEIVER = /(^|\.)(sns|sqs|ses|sesv2|eventbridge|events|kinesis|firehose|sfn|producer|kafka\w*|channel|transporter|mailer|sgMail|resend|postmark|pubsub|publisher|celery\w*|rabbit\w*|amqp\w*|nats|bus|eventBus|event_bus)$/i;

function isKnown(name: string, receiver: string): boolean {
  return !GUESSED.test(name) || SDK_RECEIVER.test(receiver.replace(/\(\)$/, "").replace(/^(this|self)\./, ""));
}

const SIDE_COMMANDS = /^(Publish|PublishBatch|SendMessage|SendMessageBatch|PutEvents|PutRecord|PutRecords|SendEmail|SendRawEmail|SendTemplatedEmail|SendBulkTemplatedEmail|SendBulkEmail|StartExecution)Command$/;
const TS_METHODS = /^(publish|publishEvent|publishMessage|publishBatch|sendMessage|sendMessageBatch|putEvents|putRecords?|sendEmail|sendRawEmail|sendTemplatedEmail|sendMail|sendToQueue|sendNotification|sendWebhook|sendSms|sendPush|emitEvent|enqueue\w*|notify[A-Z]\w*|startExecution)$/;
const PY_METHODS = /^(publish|publish_batch|publish_event|publish_message|send_message|send_message_batch|put_events|put_records?|send_email|send_raw_email|send_templated_email|send_bulk_templated_email|start_execution|basic_publish|delay|apply_async|send_task|send_mail|send_mass_mail|send_notification|send_webhook|send_sms|emit_event|enqueue\w*|notify_\w+|send_\w+_email)$/;
const RS_METHODS = /^(publish|publish_batch|publish_event|send_message|send_message_batch|put_events|put_records?|send_email|start_execution|basic_publish|emit_event|enqueue\w*|notify_\w+|send_notification|send_\w+_email)$/;
const RS_SENDER = /producer|kafka|mailer|mail|smtp|ses|sns|sqs|notifier|notifications?/i;
const SENDER_RECEIVER = /producer|kafka|mailer|mail|smtp|email|ses|sns|sqs|bus|broker|emitter|notifier|notifications?|events?$/i;

function inside(effect: Effect, regions: Region[]): Region | undefined {
  return regions.find((r) => effect.start > r.start && effect.start < r.end);
}

function usesTx(effect: Effect, tx: Set<string>): boolean {
  const names = [...tx].filter(Boolean);
  if (!names.length) return false;
  const first = effect.receiver.split(/[.:\s(]/)[0];
  return names.includes(first) || effect.args.some((a) => names.includes(a.replace(/^(&mut \*?|&|\*|await )/, "").trim()));
}

/** Code that runs once a transaction was rolled back: after a swallowed rollback, or later in the handler that rolls back. */
interface RolledBack {
  start: number;
  end: number;
  line: number;
  /** "handler": inside the except/catch clause, after its rollback call. */
  where?: "handler";
}

/** Effects that report the failure itself (a failure event, an alert) are right on the rollback path. */
const FAILURE_EFFECT = /fail|error|alert|abort|rollback|rolled_?back|declin|reject|incident|page_?on_?call|pagerduty/i;

/**
 * What a call is, judged before reporting it: a repository helper is judged by its body (one that only buffers the
 * message until the unit of work ends sends nothing here); a known SDK call sends; any other call whose name only
 * suggests a send is reported one level lower, saying so.
 */
function judge(e: Effect, file: ParsedFile, facts: Facts | undefined): "sends" | "maybe" | "no" {
  const ref = { path: file.path, text: file.text };
  if (facts?.defined.has(e.name, e.receiver, ref)) return facts.senders.has(e.name, e.receiver, ref) ? "sends" : "no";
  return e.known ? "sends" : "maybe";
}

function where(region: Region): string {
  return region.commit
    ? `before \`${region.commit.label}\` (line ${region.commit.line}) commits the session's work (pending since line ${region.line})`
    : `inside the transaction opened by \`${region.label}\` (line ${region.line}), before it commits`;
}

function report(effects: Effect[], regions: Region[], afterRollback: RolledBack[], file: ParsedFile, facts?: Facts): Report[] {
  const out: Report[] = [];
  for (const e of effects) {
    const verdict = judge(e, file, facts);
    if (verdict === "no") continue;
    const lower = verdict === "maybe";
    const hedge = lower ? ` (if it sends a message: its definition is not in the review)` : "";
    const region = inside(e, regions);
    if (region && !usesTx(e, region.tx)) {
      out.push({
        line: e.line,
        lower,
        message: `\`${e.label}\`${hedge} runs ${where(region)}: if ${region.commit ? "the commit fails" : "the transaction rolls back"} the message is already out, and a consumer can act on rows it cannot see yet.`,
      });
      continue;
    }
    const rollback = afterRollback.find((r) => e.start > r.start && e.start < r.end);
    if (rollback?.where === "handler") {
      if (FAILURE_EFFECT.test(e.label)) continue;
      out.push({
        line: e.line,
        lower,
        message: `\`${e.label}\`${hedge} runs in the error handler after the rollback (line ${rollback.line}): it announces work that was never committed. Send it only after the commit succeeds.`,
      });
    } else if (rollback) {
      out.push({
        line: e.line,
        lower,
        message: `\`${e.label}\`${hedge} runs after a \`try\` whose error path rolls back (line ${rollback.line}) without leaving the function, so it also fires when nothing was committed.`,
      });
    }
  }
  return out;
}

// ---------- TypeScript / JavaScript ----------

function tsCalleeName(call: CallExpression): string {
  const expr = call.getExpression();
  return TsNode.isPropertyAccessExpression(expr) ? expr.getName() : expr.getText();
}

function tsReceiver(call: CallExpression): string {
  const expr = call.getExpression();
  return TsNode.isPropertyAccessExpression(expr) ? expr.getExpression().getText() : "";
}

function tsEffects(file: SourceFile): Effect[] {
  const effects: Effect[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const name = tsCalleeName(call);
    const receiver = tsReceiver(call);
    const args = call.getArguments();
    let hit = false;
    if (name === "send" && args[0]) {
      const arg = args[0];
      const ctor = TsNode.isNewExpression(arg) ? arg.getExpression().getText() : TsNode.isIdentifier(arg) ? commandOf(arg.getText(), call) : "";
      hit = SIDE_COMMANDS.test(ctor) || (/producer|kafka|mailer|sgMail|resend|postmark/i.test(receiver) && !/^res(ponse)?$/.test(receiver));
    } else if (TS_METHODS.test(name) && !/^(res|response|window|document)$/.test(receiver)) hit = true;
    else if (/^send[A-Z]\w*$/.test(name) && /producer|kafka|mailer|mail|smtp|email|ses|sns|sqs|notifier|broker/i.test(receiver) && !/^res(ponse)?$/.test(receiver)) hit = true;
    else if (name === "add" && /queue/i.test(receiver)) hit = true;
    else if (name === "emit" && /event|bus|emitter|broker/i.test(receiver)) hit = true;
    if (!hit || inAfterCommitCallback(call)) continue;
    const expr = call.getExpression();
    const fn = tsFns(call).find((f) => tsFnName(f));
    effects.push({
      start: call.getStart(),
      line: (TsNode.isPropertyAccessExpression(expr) ? expr.getNameNode() : call).getStartLineNumber(),
      label: callSpan(call.getText()),
      args: args.map((a) => a.getText()),
      receiver: receiver.replace(/\s+/g, ""),
      name,
      known: name === "send" || isKnown(name, receiver.replace(/\s+/g, "")),
      def: fn ? tsDef(fn, tsFnName(fn)) : undefined,
    });
  }
  return effects;
}

/** `const cmd = new PublishCommand(...)` in the same function -> "PublishCommand". */
function commandOf(name: string, at: TsNode): string {
  const fn = enclosingFunctions(at).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a)) ?? at.getSourceFile();
  const decl = fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === name);
  const init = decl?.getInitializer();
  return init && TsNode.isNewExpression(init) ? init.getExpression().getText() : "";
}

function inAfterCommitCallback(node: TsNode): boolean {
  return Boolean(node.getFirstAncestor((a) => TsNode.isCallExpression(a) && /^(afterCommit|onCommit|on_commit|afterTransaction|setImmediate)$/.test(tsCalleeName(a))));
}

const shorten = (text: string) => callSpan(text, 70);

const TS_TX_CALLBACK = /^(\$transaction|transaction|withTransaction|runInTransaction|inTransaction|transactional)$/;
const BEGIN_SQL = /^["'`]\s*(BEGIN|START TRANSACTION)/i;
const END_SQL = /^["'`]\s*(COMMIT|ROLLBACK|END)\b/i;

function tsRegions(file: SourceFile): { regions: Region[]; afterRollback: RolledBack[] } {
  const regions: Region[] = [];
  const afterRollback: RolledBack[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const name = tsCalleeName(call);
    const receiver = tsReceiver(call);
    const callback = call.getArguments().find((a) => TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a));
    const kysely = name === "execute" && /\.transaction\(\)$/.test(receiver.replace(/\s+/g, ""));
    if (callback && (TS_TX_CALLBACK.test(name) || kysely) && (TsNode.isArrowFunction(callback) || TsNode.isFunctionExpression(callback))) {
      const tx = new Set(callback.getParameters().map((p) => p.getName()));
      regions.push({ start: callback.getStart(), end: callback.getEnd(), line: call.getStartLineNumber(), label: shorten(`${call.getExpression().getText()}(...)`), tx });
    }
    const sql = call.getArguments()[0]?.getText() ?? "";
    const begins = (name === "query" && BEGIN_SQL.test(sql)) || /^(beginTransaction|startTransaction|begin)$/.test(name) || (name === "transaction" && call.getArguments().every((a) => TsNode.isObjectLiteralExpression(a)));
    if (begins) {
      const fn = enclosingFunctions(call).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a));
      if (!fn) continue;
      const decl = ancestorOfKind(call, SyntaxKind.VariableDeclaration);
      const handle = decl?.getName() ?? receiver;
      const end = fn.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => c.getStart() > call.getStart() && isCommit(c));
      regions.push({ start: call.getEnd(), end: end ? end.getStart() : fn.getEnd(), line: call.getStartLineNumber(), label: shorten(call.getText()), tx: new Set([handle]) });
    }
  }
  // A helper handed the open transaction (`tx: Prisma.TransactionClient`, `trx: Knex.Transaction`):
  // its whole body runs before the caller commits.
  for (const fn of [...file.getDescendantsOfKind(SyntaxKind.FunctionDeclaration), ...file.getDescendantsOfKind(SyntaxKind.MethodDeclaration), ...file.getDescendantsOfKind(SyntaxKind.ArrowFunction)]) {
    const body = fn.getBody();
    if (!body || TsNode.isCallExpression(fn.getParent())) continue; // callbacks of transaction(...) are handled above
    const param = fn.getParameters().find((p) => /^(Prisma\.TransactionClient|TransactionClient|Knex\.Transaction|Transaction)(<.*>)?$/.test(p.getTypeNode()?.getText().replace(/\s+/g, "") ?? ""));
    if (!param) continue;
    regions.push({ start: body.getStart(), end: body.getEnd(), line: param.getStartLineNumber(), label: shorten(param.getText()), tx: new Set([param.getName()]) });
  }
  for (const stmt of file.getDescendantsOfKind(SyntaxKind.TryStatement)) {
    const block = stmt.getCatchClause()?.getBlock();
    if (!block) continue;
    const rollback = block.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => /^(rollback|abortTransaction|rollbackTransaction)$/.test(tsCalleeName(c)) || (tsCalleeName(c) === "query" && /ROLLBACK/i.test(c.getArguments()[0]?.getText() ?? "")));
    const leaves = block.getDescendants().some((d) => TsNode.isThrowStatement(d) || TsNode.isReturnStatement(d));
    const parent = stmt.getParent();
    if (rollback && !leaves && parent) afterRollback.push({ start: stmt.getEnd(), end: parent.getEnd(), line: block.getStartLineNumber() });
    if (rollback) afterRollback.push({ start: rollback.getEnd(), end: block.getEnd(), line: rollback.getStartLineNumber(), where: "handler" });
  }
  return { regions, afterRollback };
}

function isCommit(call: CallExpression): boolean {
  const name = tsCalleeName(call);
  return /^(commit|commitTransaction)$/.test(name) || (name === "query" && END_SQL.test(call.getArguments()[0]?.getText() ?? ""));
}

function detectTs(file: ParsedFile, ctx: RuleContext<Facts>): Report[] {
  const { regions, afterRollback } = tsRegions(file.ts!);
  if (!regions.length && !afterRollback.length) return [];
  return report(tsEffects(file.ts!), regions, afterRollback, file, ctx.facts);
}

// ---------- Python ----------

function pyCallName(call: Node): { name: string; receiver: string } {
  const fn = call.childForFieldName("function");
  if (fn?.type === "attribute") return { name: fn.childForFieldName("attribute")?.text ?? "", receiver: fn.childForFieldName("object")?.text ?? "" };
  return { name: fn?.text ?? "", receiver: "" };
}

function pyEffects(root: Node, path: string): Effect[] {
  const effects: Effect[] = [];
  for (const call of descendants(root, "call")) {
    const { name, receiver } = pyCallName(call);
    const hit = (PY_METHODS.test(name) && !/^(self\.)?(logger|log|logging)$/.test(receiver)) ||
      ((name === "send" || name === "produce" || /^send_\w+$/.test(name)) && SENDER_RECEIVER.test(receiver));
    if (!hit) continue;
    const deferred = [call, ...ancestorsUntilFn(call)].some((a) => a.type === "lambda" || (a.type === "call" && /^(on_commit|after_commit)$/.test(pyCallName(a).name)));
    if (deferred) continue;
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((n): n is Node => n !== null).map((n) => n.text);
    const at = call.childForFieldName("function")?.childForFieldName("attribute") ?? call;
    effects.push({ start: call.startIndex, line: line(at), label: shorten(call.text), args, receiver, name, known: isKnown(name, receiver), def: treeEffectDef(call, path) });
  }
  return effects;
}

function treeEffectDef(call: Node, path: string): Effect["def"] {
  const fn = treeFns(call).find((f) => treeFnName(f));
  return fn ? treeDef(fn, path) : undefined;
}

function ancestorsUntilFn(node: Node): Node[] {
  const out: Node[] = [];
  for (let cur = node.parent; cur && cur.type !== "function_definition"; cur = cur.parent) out.push(cur);
  return out;
}

const PY_TX = /^(transaction\.atomic|atomic|\w+(\.\w+)*\.(begin|begin_nested|transaction|atomic))$/;
const PY_DB = /^(self\.)?(_?(\w+_)?(session|db|conn|connection|cursor|cur|uow|tx|txn)|db\.session)$/;

function pyRegions(root: Node): { regions: Region[]; afterRollback: RolledBack[] } {
  const regions: Region[] = [];
  for (const item of descendants(root, "with_item")) {
    const value = item.childForFieldName("value");
    const expr = value?.type === "as_pattern" ? value.namedChildren[0] : value;
    const callee = expr?.type === "call" ? expr.childForFieldName("function")?.text ?? "" : expr?.text ?? "";
    if (!PY_TX.test(callee)) continue;
    const stmt = item.parent?.parent;
    const body = stmt?.childForFieldName("body");
    if (!stmt || !body) continue;
    const alias = value?.type === "as_pattern" ? value.childForFieldName("alias")?.text ?? "" : "";
    const receiver = callee.split(".").slice(0, -1).join(".");
    regions.push({ start: body.startIndex, end: body.endIndex, line: line(item), label: `with ${expr!.text}`, tx: new Set([alias, receiver]) });
  }
  for (const dec of descendants(root, "decorator")) {
    if (!/^@\s*(transaction\.atomic|atomic|\w+\.atomic)(\(.*\))?$/.test(dec.text)) continue;
    const body = dec.parent?.childForFieldName("definition")?.childForFieldName("body");
    if (body) regions.push({ start: body.startIndex, end: body.endIndex, line: line(dec), label: dec.text, tx: new Set() });
  }
  // Explicit session work: a database call, then the side effect, then `.commit()` in the same function.
  for (const fn of descendants(root, "function_definition")) {
    const calls = descendants(fn, "call");
    const commits = calls.filter((c) => pyCallName(c).name === "commit" && PY_DB.test(pyCallName(c).receiver));
    // Any session work before a commit opens the unit of work (SQLAlchemy autobegins on first use: a
    // `get` followed by attribute changes is committed by that `commit`).
    const writes = calls.filter((c) => /^(add|add_all|execute|executemany|flush|merge|delete|bulk_save_objects|save|insert|update|get|query|scalar|scalars|refresh)$/.test(pyCallName(c).name) && PY_DB.test(pyCallName(c).receiver));
    let openedUntil = -1;
    for (const write of writes) {
      const commit = commits.find((c) => c.startIndex > write.startIndex);
      if (!commit || commit.startIndex <= openedUntil) continue;
      openedUntil = commit.startIndex;
      regions.push({ start: write.startIndex, end: commit.startIndex, line: line(write), label: shorten(write.text), tx: new Set([pyCallName(commit).receiver]), commit: { label: `${pyCallName(commit).receiver}.commit()`, line: line(commit) } });
    }
  }
  const afterRollback: RolledBack[] = [];
  for (const stmt of descendants(root, "try_statement")) {
    for (const clause of stmt.namedChildren.filter((c): c is Node => c?.type === "except_clause")) {
      const rollback = descendants(clause, "call").find((c) => pyCallName(c).name === "rollback");
      const leaves = descendants(clause, ["raise_statement", "return_statement"]).length > 0;
      if (rollback && !leaves && stmt.parent) afterRollback.push({ start: stmt.endIndex, end: stmt.parent.endIndex, line: line(clause) });
      if (rollback) afterRollback.push({ start: rollback.endIndex, end: clause.endIndex, line: line(rollback), where: "handler" });
    }
  }
  return { regions, afterRollback };
}

function detectPy(file: ParsedFile, ctx: RuleContext<Facts>): Report[] {
  const root = file.tree!.rootNode;
  const { regions, afterRollback } = pyRegions(root);
  if (!regions.length && !afterRollback.length) return [];
  return dedupe(report(pyEffects(root, file.path), regions, afterRollback, file, ctx.facts));
}

function dedupe(reports: Report[]): Report[] {
  const seen = new Set<number>();
  return reports.filter((r) => !seen.has(r.line) && seen.add(r.line));
}

// ---------- Rust ----------

function rsMethod(call: Node): { name: string; receiver: Node | null; field: Node | null } {
  const fn = call.childForFieldName("function");
  if (fn?.type === "field_expression") return { name: fn.childForFieldName("field")?.text ?? "", receiver: fn.childForFieldName("value"), field: fn.childForFieldName("field") };
  const name = fn?.type === "scoped_identifier" ? fn.childForFieldName("name")?.text ?? "" : fn?.text ?? "";
  return { name, receiver: null, field: fn };
}

function rsEffects(root: Node, path: string): Effect[] {
  const effects: Effect[] = [];
  for (const call of descendants(root, "call_expression")) {
    const { name, receiver, field } = rsMethod(call);
    const recv = receiver?.text ?? "";
    const hit = RS_METHODS.test(name) || ((name === "send" || /^send_\w+$/.test(name)) && RS_SENDER.test(recv.split(/[.(]/).pop() ?? recv));
    if (!hit) continue;
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((n): n is Node => n !== null).map((n) => n.text);
    const recvText = recv.replace(/\s+/g, "");
    effects.push({ start: field?.startIndex ?? call.startIndex, line: line(field ?? call), label: callSpan(`${recv ? `${recvText}.` : ""}${name}(…)`), args, receiver: recvText, name, known: RS_SENDER.test(recvText.split(/[.(]/).pop() ?? recvText) || isKnown(name, recvText), def: treeEffectDef(call, path) });
  }
  return effects;
}

function rsRegions(root: Node): Region[] {
  const regions: Region[] = [];
  for (const decl of descendants(root, "let_declaration")) {
    const value = decl.childForFieldName("value");
    if (!value || !/\.(begin|begin_transaction|transaction)\(\s*\)/.test(value.text) || value.type === "closure_expression") continue;
    const handle = decl.childForFieldName("pattern")?.text ?? "";
    const block = decl.parent;
    if (!block) continue;
    const commit = descendants(block, "call_expression").find((c) => c.startIndex > decl.endIndex && /^(commit|rollback)$/.test(rsMethod(c).name) && rsMethod(c).receiver?.text === handle);
    regions.push({ start: decl.endIndex, end: commit ? commit.startIndex : block.endIndex, line: line(decl), label: shorten(value.text), tx: new Set([handle]) });
  }
  // A helper handed the open transaction (`tx: &mut Transaction<'_, Postgres>`, sea-orm's
  // `&DatabaseTransaction`): its whole body runs before the caller commits.
  for (const fn of descendants(root, "function_item")) {
    const body = fn.childForFieldName("body");
    const params = fn.childForFieldName("parameters");
    if (!body || !params) continue;
    for (const param of descendants(params, "parameter")) {
      const type = param.childForFieldName("type")?.text.replace(/\s+/g, "") ?? "";
      if (!/^&(mut)?(\w+::)*(Transaction<|PgTransaction\b|MySqlTransaction\b|SqliteTransaction\b|DatabaseTransaction\b)/.test(type)) continue;
      const handle = param.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") ?? "";
      regions.push({ start: body.startIndex, end: body.endIndex, line: line(param), label: shorten(`${handle}: ${type}`), tx: new Set([handle]) });
      break;
    }
  }
  for (const call of descendants(root, "call_expression")) {
    const { name } = rsMethod(call);
    if (!/^(transaction|run|transaction_async|in_transaction)$/.test(name)) continue;
    if (name === "run" && !/build_transaction/.test(call.text.slice(0, 200))) continue;
    const closure = call.childForFieldName("arguments")?.namedChildren.find((a) => a?.type === "closure_expression");
    if (!closure) continue;
    const params = closure.childForFieldName("parameters")?.text.replace(/[|&\s]|mut/g, "").split(",")[0].split(":")[0] ?? "";
    regions.push({ start: closure.startIndex, end: closure.endIndex, line: line(call), label: shorten(`${call.childForFieldName("function")?.text ?? "transaction"}(|..| ...)`), tx: new Set([params]) });
  }
  return regions;
}

function detectRs(file: ParsedFile, ctx: RuleContext<Facts>): Report[] {
  const root = file.tree!.rootNode;
  const regions = rsRegions(root);
  if (!regions.length) return [];
  return dedupe(report(rsEffects(root, file.path), regions, [], file, ctx.facts));
}

// ---------- repository helpers ----------

/** Which repository functions send: a known SDK call in their body, or a call of another sender (two levels). */
function collect(review: ReviewFacts): Facts {
  const senders = new DefSet();
  const defined = new DefSet();
  const all: { effect: Effect; file: ParsedFile }[] = [];
  for (const file of review.files) {
    const effects = file.ts ? tsEffects(file.ts) : file.tree ? (file.language === "rust" ? rsEffects : pyEffects)(file.tree.rootNode, file.path) : [];
    for (const effect of effects) all.push({ effect, file });
    const defs = file.ts
      ? file.ts.getDescendants().filter((n) => TsNode.isFunctionDeclaration(n) || TsNode.isMethodDeclaration(n) || TsNode.isArrowFunction(n) || TsNode.isFunctionExpression(n)).map((fn) => ({ fn, name: tsFnName(fn) })).filter((d) => GUESSED.test(d.name)).map((d) => tsDef(d.fn, d.name))
      : file.tree
        ? descendants(file.tree.rootNode, ["function_item", "function_definition"]).filter((fn) => GUESSED.test(treeFnName(fn))).map((fn) => treeDef(fn, file.path))
        : [];
    for (const d of defs) defined.add(d);
  }
  for (let pass = 0; pass < 2; pass++) {
    for (const { effect, file } of all) {
      if (!effect.def) continue;
      const ref = { path: file.path, text: file.text };
      const sends = defined.has(effect.name, effect.receiver, ref) ? senders.has(effect.name, effect.receiver, ref) : effect.known;
      if (sends) senders.add(effect.def);
    }
  }
  return { senders, defined };
}

export default defineRule<Facts>({
  meta: {
    scope: "service",
    id: "side-effect-before-commit",
    category: "framework",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "An event publish, queue send or email happens inside a database transaction before it commits, or after a rollback path.",
    why: "Messages cannot be rolled back. Sent inside a transaction, an event announces data that may never commit, and a fast consumer may read before the commit is visible; sent after a swallowed rollback, it announces work that did not happen. Both show up as phantom orders, duplicate emails and consumers failing on missing rows.",
    fix: "Publish after the commit succeeds (Django `transaction.on_commit`, SQLAlchemy `after_commit`, code after `tx.commit().await?`), or write the event to an outbox table in the same transaction and let a relay publish it. Re-raise or return after a rollback.",
    docs: [
      "https://docs.djangoproject.com/en/stable/topics/db/transactions/#performing-actions-after-commit",
      "https://docs.sqlalchemy.org/en/20/orm/events.html#sqlalchemy.orm.SessionEvents.after_commit",
      "https://www.prisma.io/docs/orm/prisma-client/queries/transactions#interactive-transactions",
      "https://docs.rs/sqlx/latest/sqlx/struct.Transaction.html",
    ],
  },
  collect,
  detect: { typescript: detectTs, python: detectPy, rust: detectRs },
  cases: CASES(),
});

function CASES() {
  return [
    // ---- TypeScript
    {
      name: "Prisma interactive transaction publishes to SNS before commit",
      language: "typescript" as const,
      code: `import { PrismaClient } from "@prisma/client";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";

const prisma = new PrismaClient();
const sns = new SNSClient({});

export async function placeOrder(tenantId: string, input: OrderInput) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data: { tenantId, ...input } });
    await tx.inventory.update({ where: { sku: input.sku }, data: { reserved: { increment: input.qty } } });
    await sns.send(new PublishCommand({ TopicArn: process.env.ORDERS_TOPIC, Message: JSON.stringify(order) }));
    return order;
  });
}
`,
      expect: [11],
    },
    {
      name: "pg client BEGIN ... email ... COMMIT",
      language: "typescript" as const,
      code: `import { pool } from "./db";
import { mailer } from "./mailer";

export async function inviteUser(tenantId: string, email: string) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query("INSERT INTO invites (tenant_id, email) VALUES ($1, $2) RETURNING id", [tenantId, email]);
    await mailer.sendMail({ to: email, subject: "You're invited", text: \`Accept: https://app/invite/\${rows[0].id}\` });
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}
`,
      expect: [9],
    },
    {
      name: "knex transaction sends an SQS message with a prebuilt command",
      language: "typescript" as const,
      code: `import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { knex } from "./knex";

const sqs = new SQSClient({});

export async function closeInvoice(invoiceId: string) {
  await knex.transaction(async (trx) => {
    await trx("invoices").where({ id: invoiceId }).update({ status: "closed" });
    const command = new SendMessageCommand({ QueueUrl: process.env.BILLING_QUEUE, MessageBody: invoiceId });
    await sqs.send(command);
  });
}
`,
      expect: [10],
    },
    {
      name: "event published after a swallowed rollback",
      language: "typescript" as const,
      code: `import { dataSource } from "./data-source";
import { eventBus } from "./events";

export async function transferCredits(from: string, to: string, amount: number) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await runner.manager.decrement(Account, { id: from }, "credits", amount);
    await runner.manager.increment(Account, { id: to }, "credits", amount);
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction();
    logger.error({ err }, "transfer failed");
  } finally {
    await runner.release();
  }
  await eventBus.publish("credits.transferred", { from, to, amount });
}
`,
      expect: [18],
    },
    {
      name: "helper taking a Prisma.TransactionClient publishes before the caller commits",
      language: "typescript" as const,
      code: `import { Prisma } from "@prisma/client";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";

const sns = new SNSClient({});

export async function applyCredit(tx: Prisma.TransactionClient, accountId: string, cents: number) {
  await tx.ledgerEntry.create({ data: { accountId, cents } });
  await sns.send(new PublishCommand({ TopicArn: process.env.LEDGER_TOPIC, Message: JSON.stringify({ accountId, cents }) }));
}

export async function recordDebit(tx: Prisma.TransactionClient, accountId: string, cents: number) {
  await tx.ledgerEntry.create({ data: { accountId, cents: -cents } });
  await tx.outboxEvent.create({ data: { type: "Debited", payload: { accountId, cents } } });
}
`,
      expect: [8],
    },
    {
      name: "ts: a repository enqueueEmail that only pushes onto the unit of work's outbox array is no send",
      files: [
        {
          path: "src/signup.ts",
          code: `import { knex } from "./knex";
import { enqueueEmail } from "./mail/outbox";

export async function signup(email: string) {
  await knex.transaction(async (trx) => {
    const [user] = await trx("users").insert({ email }).returning("*");
    enqueueEmail({ to: email, template: "welcome", userId: user.id });
  });
}
`,
        },
        {
          path: "src/mail/outbox.ts",
          changed: false,
          code: `const pending: { to: string; template: string; userId: string }[] = [];

export function enqueueEmail(mail: { to: string; template: string; userId: string }) {
  pending.push(mail);
}
`,
        },
      ],
      expect: [],
    },
    {
      name: "publish after the transaction resolves",
      language: "typescript" as const,
      code: `import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { prisma } from "./prisma";

const sns = new SNSClient({});

export async function placeOrder(tenantId: string, input: OrderInput) {
  const order = await prisma.$transaction(async (tx) => {
    const created = await tx.order.create({ data: { tenantId, ...input } });
    await tx.inventory.update({ where: { sku: input.sku }, data: { reserved: { increment: input.qty } } });
    return created;
  });
  await sns.send(new PublishCommand({ TopicArn: process.env.ORDERS_TOPIC, Message: JSON.stringify(order) }));
  return order;
}
`,
      expect: [],
    },
    {
      name: "transactional outbox written through the transaction handle",
      language: "typescript" as const,
      code: `import { prisma } from "./prisma";
import { outbox } from "./outbox";

export async function placeOrder(tenantId: string, input: OrderInput) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data: { tenantId, ...input } });
    await tx.outboxEvent.create({ data: { type: "order.placed", payload: order } });
    await outbox.enqueue(tx, { type: "order.placed", orderId: order.id });
    return order;
  });
}
`,
      expect: [],
    },
    {
      name: "rollback path rethrows; publish only on success",
      language: "typescript" as const,
      code: `import { pool } from "./db";
import { producer } from "./kafka";

export async function archiveProject(id: string) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("UPDATE projects SET archived = true WHERE id = $1", [id]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
  await producer.send({ topic: "projects", messages: [{ key: id, value: "archived" }] });
}
`,
      expect: [],
    },
    {
      name: "res.send and comments inside a transaction are not side effects",
      language: "typescript" as const,
      code: `import type { Request, Response } from "express";
import { knex } from "./knex";

export async function updateProfile(req: Request, res: Response) {
  await knex.transaction(async (trx) => {
    // do not publish("profile.updated") here: the relay picks it up from the outbox
    await trx("profiles").where({ id: req.params.id }).update(req.body);
    await trx("outbox").insert({ type: "profile.updated", payload: JSON.stringify(req.body) });
  });
  res.send({ ok: true });
}
`,
      expect: [],
    },
    // ---- Python
    {
      name: "Django atomic block sends an email",
      language: "python" as const,
      code: `from django.core.mail import send_mail
from django.db import transaction

from .models import Invoice


def issue_invoice(account, lines):
    with transaction.atomic():
        invoice = Invoice.objects.create(account=account, total=sum(l.amount for l in lines))
        invoice.lines.bulk_create(lines)
        send_mail("Your invoice", f"Invoice {invoice.number} is ready", "billing@example.com", [account.email])
    return invoice
`,
      expect: [11],
    },
    {
      name: "Celery task queued inside @transaction.atomic",
      language: "python" as const,
      code: `from django.db import transaction

from .models import Order
from .tasks import fulfil_order


@transaction.atomic
def place_order(user, cart):
    order = Order.objects.create(user=user, total=cart.total)
    for item in cart.items:
        order.items.create(sku=item.sku, qty=item.qty)
    fulfil_order.delay(order.id)
    return order
`,
      expect: [12],
    },
    {
      name: "repository method: loaded row changed, event sent, then self.session.commit()",
      language: "python" as const,
      code: `import json

import boto3
from sqlalchemy.orm import Session

events = boto3.client("events")


class OrderRepository:
    def __init__(self, session: Session):
        self.session = session

    def mark_shipped(self, order_id: int, tracking: str) -> None:
        order = self.session.get(Order, order_id)
        order.status = "shipped"
        order.tracking = tracking
        events.put_events(Entries=[{"Source": "shipping", "DetailType": "OrderShipped", "Detail": json.dumps({"id": order_id})}])
        self.session.commit()

    def archive(self, order_id: int) -> None:
        order = self.session.get(Order, order_id)
        order.archived = True
        self.session.commit()
        events.put_events(Entries=[{"Source": "orders", "DetailType": "OrderArchived", "Detail": json.dumps({"id": order_id})}])
`,
      expect: [17],
    },
    {
      name: "SQLAlchemy session: SNS publish between add and commit",
      language: "python" as const,
      code: `import json

import boto3

from app.db import SessionLocal
from app.models import Signup

sns = boto3.client("sns")


def register(email: str, plan: str) -> int:
    session = SessionLocal()
    signup = Signup(email=email, plan=plan)
    session.add(signup)
    session.flush()
    sns.publish(TopicArn=TOPIC_ARN, Message=json.dumps({"id": signup.id, "email": email}))
    session.commit()
    return signup.id
`,
      expect: [16],
    },
    {
      name: "async SQLAlchemy begin block sends an SQS message",
      language: "python" as const,
      code: `from app.db import async_session
from app.queues import sqs


async def cancel_subscription(subscription_id: str) -> None:
    async with async_session() as session:
        async with session.begin():
            sub = await session.get(Subscription, subscription_id)
            sub.status = "cancelled"
            await sqs.send_message(QueueUrl=CANCEL_QUEUE, MessageBody=subscription_id)
`,
      expect: [10],
    },
    {
      name: "py: a repository enqueue_job that buffers jobs until the session commits is no send",
      files: [
        {
          path: "app/billing/service.py",
          code: `from app.jobs import enqueue_job
from app.models import Invoice


def issue_invoice(db_session, account_id, total):
    invoice = Invoice(account_id=account_id, total=total)
    db_session.add(invoice)
    db_session.flush()
    enqueue_job(db_session, "send_invoice", invoice_id=invoice.id)
    db_session.commit()
    return invoice
`,
        },
        {
          path: "app/jobs.py",
          changed: false,
          code: `from sqlalchemy import event
from sqlalchemy.orm import Session

from app.queue import queue


def enqueue_job(session, name, **kwargs):
    session.info.setdefault("jobs", []).append((name, kwargs))


@event.listens_for(Session, "after_commit")
def _flush_jobs(session):
    for name, kwargs in session.info.pop("jobs", []):
        queue.send_task(name, kwargs=kwargs)
`,
        },
      ],
      expect: [],
    },
    {
      name: "py: a repository enqueue_job that sends to SQS itself is reported where it is called",
      files: [
        {
          path: "app/billing/service.py",
          code: `from app.jobs import enqueue_job
from app.models import Invoice


def issue_invoice(db_session, account_id, total):
    invoice = Invoice(account_id=account_id, total=total)
    db_session.add(invoice)
    db_session.flush()
    enqueue_job("send_invoice", invoice_id=invoice.id)
    db_session.commit()
    return invoice
`,
        },
        {
          path: "app/jobs.py",
          changed: false,
          code: `import json

import boto3

sqs = boto3.client("sqs")


def enqueue_job(name, **kwargs):
    sqs.send_message(QueueUrl=JOBS_QUEUE, MessageBody=json.dumps({"name": name, "kwargs": kwargs}))
`,
        },
      ],
      expect: ["app/billing/service.py:9"],
    },
    {
      name: "transaction.on_commit defers the task",
      language: "python" as const,
      code: `from django.db import transaction

from .tasks import fulfil_order


def place_order(user, cart):
    with transaction.atomic():
        order = Order.objects.create(user=user, total=cart.total)
        transaction.on_commit(lambda: fulfil_order.delay(order.id))
    return order
`,
      expect: [],
    },
    {
      name: "publish after commit",
      language: "python" as const,
      code: `import boto3

sns = boto3.client("sns")


def register(session, email: str) -> int:
    signup = Signup(email=email)
    session.add(signup)
    session.commit()
    sns.publish(TopicArn=TOPIC_ARN, Message=str(signup.id))
    return signup.id
`,
      expect: [],
    },
    {
      name: "outbox row written inside the atomic block",
      language: "python" as const,
      code: `from django.db import transaction

from .models import Order, OutboxEvent


def place_order(user, cart):
    with transaction.atomic():
        order = Order.objects.create(user=user, total=cart.total)
        OutboxEvent.objects.create(topic="orders", payload={"id": order.id})
        # the relay will publish() this after commit
    return order
`,
      expect: [],
    },
    {
      name: "logger calls inside a transaction; rollback path re-raises",
      language: "python" as const,
      code: `import logging

logger = logging.getLogger(__name__)


def rename(session, project_id, name):
    try:
        with session.begin():
            project = session.get(Project, project_id)
            project.name = name
            logger.info("renamed", extra={"project_id": project_id})
    except Exception:
        session.rollback()
        raise
    notify_watchers(project_id)
`,
      expect: [],
    },
    // ---- Rust
    {
      name: "sqlx transaction publishes to SNS before commit",
      language: "rust" as const,
      code: `use aws_sdk_sns::Client as SnsClient;
use sqlx::PgPool;

pub async fn place_order(pool: &PgPool, sns: &SnsClient, order: NewOrder) -> anyhow::Result<Uuid> {
    let mut tx = pool.begin().await?;
    let id: Uuid = sqlx::query_scalar("INSERT INTO orders (tenant_id, total) VALUES ($1, $2) RETURNING id")
        .bind(&order.tenant_id)
        .bind(order.total)
        .fetch_one(&mut *tx)
        .await?;
    sns.publish()
        .topic_arn(&order.topic_arn)
        .message(serde_json::to_string(&order)?)
        .send()
        .await?;
    tx.commit().await?;
    Ok(id)
}
`,
      expect: [11],
    },
    {
      name: "diesel transaction closure sends an email",
      language: "rust" as const,
      code: `use diesel::prelude::*;
use lettre::{AsyncTransport, Message};

pub fn invite(conn: &mut PgConnection, mailer: &Mailer, email: &str) -> QueryResult<i64> {
    conn.transaction(|conn| {
        let id = diesel::insert_into(invites::table)
            .values(invites::email.eq(email))
            .returning(invites::id)
            .get_result(conn)?;
        mailer.send(invite_message(email, id));
        Ok(id)
    })
}
`,
      expect: [10],
    },
    {
      name: "rdkafka producer send inside a sea-orm transaction",
      language: "rust" as const,
      code: `use rdkafka::producer::FutureRecord;
use sea_orm::{DatabaseConnection, TransactionTrait};

pub async fn close_account(db: &DatabaseConnection, producer: &FutureProducer, id: i64) -> Result<(), AppError> {
    let txn = db.begin().await?;
    accounts::Entity::update(accounts::ActiveModel { id: Set(id), closed: Set(true), ..Default::default() })
        .exec(&txn)
        .await?;
    producer.send(FutureRecord::to("accounts").key(&id.to_string()).payload("closed"), Duration::from_secs(1)).await?;
    txn.commit().await?;
    Ok(())
}
`,
      expect: [9],
    },
    {
      name: "SQS send_message inside a sqlx transaction (free function helper)",
      language: "rust" as const,
      code: `pub async fn refund(state: &AppState, payment_id: Uuid) -> Result<(), ApiError> {
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE payments SET status = 'refunded' WHERE id = $1").bind(payment_id).execute(&mut *tx).await?;
    state.sqs.send_message().queue_url(&state.refund_queue).message_body(payment_id.to_string()).send().await?;
    tx.commit().await?;
    Ok(())
}
`,
      expect: [4],
    },
    {
      name: "publish after commit",
      language: "rust" as const,
      code: `pub async fn place_order(pool: &PgPool, sns: &SnsClient, order: NewOrder) -> anyhow::Result<Uuid> {
    let mut tx = pool.begin().await?;
    let id = insert_order(&mut tx, &order).await?;
    tx.commit().await?;
    sns.publish().topic_arn(&order.topic_arn).message(id.to_string()).send().await?;
    Ok(id)
}
`,
      expect: [],
    },
    {
      name: "outbox insert through the transaction",
      language: "rust" as const,
      code: `pub async fn place_order(pool: &PgPool, order: NewOrder) -> anyhow::Result<Uuid> {
    let mut tx = pool.begin().await?;
    let id = insert_order(&mut tx, &order).await?;
    outbox::enqueue(&mut tx, "order.placed", &id).await?;
    tx.commit().await?;
    Ok(id)
}
`,
      expect: [],
    },
    {
      name: "helper handed the open sqlx transaction sends to SQS; the caller commits later",
      language: "rust" as const,
      code: `impl BillingService {
    async fn enqueue_invoice(&self, tx: &mut Transaction<'_, Postgres>, invoice_id: Uuid) -> anyhow::Result<()> {
        sqlx::query("UPDATE invoices SET state = 'queued' WHERE id = $1").bind(invoice_id).execute(&mut **tx).await?;
        self.sqs.send_message().queue_url(&self.queue_url).message_body(invoice_id.to_string()).send().await?;
        Ok(())
    }

    async fn record_outbox(&self, tx: &mut Transaction<'_, Postgres>, invoice_id: Uuid) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO outbox (kind, ref_id) VALUES ('invoice', $1)").bind(invoice_id).execute(&mut **tx).await?;
        Ok(())
    }
}
`,
      expect: [4],
    },
    {
      name: "mpsc channel send inside a transaction is in-process",
      language: "rust" as const,
      code: `pub async fn record(pool: &PgPool, events: &tokio::sync::mpsc::Sender<Event>, e: Event) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO audit (kind) VALUES ($1)").bind(&e.kind).execute(&mut *tx).await?;
    events.send(e).await?;
    tx.commit().await?;
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "no transaction: publish in a plain handler",
      language: "rust" as const,
      code: `// publish() inside a transaction would be wrong; here there is none.
pub async fn ping(sns: &SnsClient, arn: &str) -> anyhow::Result<()> {
    sns.publish().topic_arn(arn).message("ping").send().await?;
    Ok(())
}
`,
      expect: [],
    },
    {
      name: "python: notification sent in the except clause after the rollback (then re-raised)",
      language: "python" as const,
      code: `def approve_payout(db, notifier_client, payout_id):
    payout = db.get(Payout, payout_id)
    try:
        payout.state = "approved"
        db.commit()
    except IntegrityError:
        db.rollback()
        notifier_client.send_payout_approved(payout.owner_id)
        raise
`,
      expect: [8],
    },
    {
      name: "python: a failure event after the rollback reports the failure; success event after the try",
      language: "python" as const,
      code: `def approve_payout(db, producer, payout_id):
    payout = db.get(Payout, payout_id)
    try:
        payout.state = "approved"
        db.commit()
    except IntegrityError:
        db.rollback()
        producer.send("payouts.approval_failed", payout_id)
        raise
    producer.send("payouts.approved", payout_id)
`,
      expect: [],
    },
    {
      name: "ts: catch block rolls back, then mails the user as if the signup succeeded",
      language: "typescript" as const,
      code: `export async function signup(pool: Pool, mailer: Mailer, email: string) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO users(email) VALUES ($1)", [email]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    await mailer.sendWelcome(email);
    throw err;
  } finally {
    client.release();
  }
}
`,
      expect: [9],
    },
    {
      name: "ts: catch block rolls back and publishes a failure event; completion published after the try",
      language: "typescript" as const,
      code: `export async function signup(pool: Pool, bus: EventBus, email: string) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO users(email) VALUES ($1)", [email]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    await bus.publish({ type: "signup.failed", email });
    throw err;
  } finally {
    client.release();
  }
  await bus.publish({ type: "signup.completed", email });
}
`,
      expect: [],
    },
    {
      name: "rust: domain-named mailer method (send_period_closed) before tx.commit()",
      language: "rust" as const,
      code: `pub async fn close_period(pool: &PgPool, mailer: &Mailer, id: i64) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE periods SET closed = true WHERE id = $1").bind(id).execute(&mut *tx).await?;
    mailer.send_period_closed(id).await?;
    tx.commit().await?;
    Ok(())
}
`,
      expect: [4],
    },
    {
      name: "rust: the same mailer call after tx.commit()",
      language: "rust" as const,
      code: `pub async fn close_period(pool: &PgPool, mailer: &Mailer, id: i64) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE periods SET closed = true WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    mailer.send_period_closed(id).await?;
    Ok(())
}
`,
      expect: [],
    },
  ];
}
