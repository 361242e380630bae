// Shared vocabulary and small syntax helpers for the business-logic rules.
import { Node as TsNode, SyntaxKind, type SourceFile } from "ts-morph";
import type { Node } from "web-tree-sitter";
import type { Report } from "../../src/engine/rule.js";

/** `monthlyTotalCents` -> ["monthly", "total", "cents"]. */
export function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const MONEY = new Set([
  "price", "prices", "amount", "amounts", "cost", "costs", "balance", "fee", "fees", "subtotal", "refund", "payment",
  "payout", "revenue", "salary", "wage", "fare", "dollars", "usd", "eur", "gbp", "spend", "tax", "charge", "charges",
  "total", "due", "owed", "paid", "proration", "surcharge",
]);
/** Parts that mean the name holds a rate, an id, a date or integer minor units, not a money value. */
const NOT_MONEY = new Set([
  "cents", "cent", "minor", "pence", "micros", "millis", "percent", "percentage", "pct", "rate", "ratio", "count",
  "currency", "code", "type", "at", "date", "time", "status", "str", "text", "label", "format", "formatted", "display",
  "decimal", "dec", "decimals", "precision", "scale", "digits", "places", "factor", "multiplier", "coefficient", "id", "ids",
]);
/** Last parts that make the name a count or a measure (`totalRequests`, `feeItems`), unless after `per`. */
const COUNT_TAIL = new Set([
  "requests", "calls", "call", "events", "bytes", "pages", "attempts", "retries", "len", "length", "size", "units", "unit",
  "items", "qty", "quantity", "days", "seconds", "ms", "idx", "index", "key", "url", "name", "weight", "ms", "num", "number",
]);
/** Weak money parts count only as the last part (`total` yes, `totalRequests` no). */
const WEAK_MONEY = new Set(["total", "due", "owed", "paid", "charge", "charges", "balance"]);

/** Words that show a file deals in money at all: without one, a bare `total` or `balance` is some other quantity (rainfall, load). */
const MONEY_CONTEXT =
  /price|cost|amount|currenc|invoice|payment|charge|billing|refund|payout|revenue|salary|\bfee|\btax|cents|\busd\b|\beur\b|stripe|checkout|\bcart\b|subscription|ledger|wallet|money|decimal/i;
let moneyContext = true;

/** Runs a detector with the file's money context known (see isMoneyName). */
export function withMoneyContext<T>(text: string, detect: () => T): T {
  const before = moneyContext;
  moneyContext = MONEY_CONTEXT.test(text);
  try {
    return detect();
  } finally {
    moneyContext = before;
  }
}

export function isMoneyName(name: string): boolean {
  const parts = nameParts(name);
  if (!parts.length || parts.some((p) => NOT_MONEY.has(p))) return false;
  const last = parts[parts.length - 1];
  if (COUNT_TAIL.has(last) && parts[parts.length - 2] !== "per") return false;
  const strong = parts.some((p) => MONEY.has(p) && !WEAK_MONEY.has(p));
  if (!strong && !moneyContext) return false;
  return parts.some((p) => MONEY.has(p) && (!WEAK_MONEY.has(p) || p === last || parts[parts.indexOf(p) + 1] === "per"));
}

const RATE = new Set(["rate", "ratio", "percent", "percentage", "pct", "multiplier", "factor", "markup", "vat"]);
export function isRateName(name: string): boolean {
  return nameParts(name).some((p) => RATE.has(p));
}

const CAP = new Set(["cap", "caps", "capped", "ceiling", "limit", "max", "maximum", "contracted"]);
const FLOOR = new Set(["min", "minimum", "floor", "commit", "commitment", "committed", "base", "baseline", "zero"]);
/** `monthlyCap`, `contractedLimit`, `max_charge`: an upper bound; `minimumCharge` is a floor, not a cap. */
export function isCapName(name: string): boolean {
  const parts = nameParts(name);
  return parts.some((p) => CAP.has(p)) && !parts.some((p) => FLOOR.has(p));
}

/** `minimumCharge`, `floorCents`, `committedSpend`: a lower bound, which `max` applies correctly. */
export function isFloorName(name: string): boolean {
  return nameParts(name).some((p) => FLOOR.has(p) && p !== "base" && p !== "zero");
}

const PERIOD = new Set(["monthly", "month", "months", "period", "periodic", "cycle", "recurring", "billing", "invoice", "bill", "annual", "yearly", "weekly"]);
const CHARGE = new Set(["charge", "charges", "total", "amount", "fee", "fees", "cost", "bill", "invoice"]);
/** `calculateMonthlyCharge`, `invoice_total`, `computeBill`: a function that computes a periodic charge. */
export function isPeriodicChargeName(name: string): boolean {
  const parts = nameParts(name);
  if (parts.some((p) => /^(cap|capped|limit|preview|estimate|display|format|render)$/.test(p))) return false;
  const period = parts.filter((p) => PERIOD.has(p));
  const charge = parts.filter((p) => CHARGE.has(p));
  if (!period.length || !charge.length) return false;
  return period.some((p) => !charge.includes(p)) || charge.some((p) => !period.includes(p)) || period.some((p) => p === "bill" || p === "invoice");
}

const USAGE = new Set([
  "usage", "calls", "call", "requests", "request", "units", "unit", "quantity", "qty", "count", "volume", "minutes",
  "seats", "events", "tokens", "gb", "hours", "messages", "api", "used", "consumed",
]);
export function isUsageOrPriceName(name: string): boolean {
  const parts = nameParts(name);
  return parts.some((p) => USAGE.has(p) || MONEY.has(p) || RATE.has(p) || p === "per");
}

const BILLING = new Set([
  "bill", "billing", "billed", "billable", "invoice", "invoices", "invoicing", "period", "periods", "cycle", "subscription",
  "subscriptions", "usage", "charge", "charges", "statement", "meter", "metered", "metering", "renewal", "proration",
  "prorate", "prorated", "quota", "monthly",
]);
export function isBillingName(name: string): boolean {
  return nameParts(name).some((p) => BILLING.has(p));
}

const PERIOD_WORDS = new Set(["month", "months", "monthly", "period", "periods", "cycle", "cycles", "year", "billing", "invoice", "statement", "renewal", "start", "end"]);
export function isPeriodName(name: string): boolean {
  return nameParts(name).some((p) => PERIOD_WORDS.has(p));
}

/** Metering calls: `recordUsage`, `usage.record`, `meter.increment`, `stripe.subscriptionItems.createUsageRecord`, `record_usage`. */
export function isMeteringCall(callee: string): boolean {
  const segments = callee.replace(/\(\)/g, "").split(/\.|::/).filter(Boolean);
  const method = segments[segments.length - 1] ?? "";
  const receiver = segments.slice(0, -1).join(".");
  const parts = nameParts(method);
  const verb = /^(record|track|increment|incr|inc|report|add|create|emit|log|meter|bill|charge|debit|publish|send|push|count|enqueue)$/;
  // `usageQueue.enqueue(..)`, `usageStore.write(..)`, `meter.append(..)`: handing usage to a queue or a store records it.
  const storeVerb = /^(enqueue|queue|put|write|append|insert|save|store|submit|upsert)$/;
  const subject = /^(usage|billable|meter|metered|metering|billing|charge|bill|credits?)$/;
  if (parts.length > 1 && verb.test(parts[0]) && parts.slice(1).some((p) => subject.test(p))) return true;
  if (/^(meter|bill|charge)$/.test(parts[0] ?? "") && parts.length > 1 && /^(request|call|api|customer|tenant|account|usage)$/.test(parts[1])) return true;
  // `usage.record(...)`, `self.meter.increment(...)`, `UsageRecord.objects.create(...)`
  const recv = receiver.split(".").flatMap(nameParts);
  const other = /^(invoice|invoices|customer|subscription|session|portal|refund|plan|price|product|account|summary|summaries)$/;
  if (!recv.some((p) => /^(usage|meter|metering|meters|billing|biller)$/.test(p)) || parts.some((p) => other.test(p))) return false;
  if (verb.test(parts[0] ?? "")) return true;
  // A store verb only on a usage container (`usageQueue`, `meterEvents`, `usage_store`), not another entity named
  // after usage (`prisma.usageAlert.upsert` saves an alert setting).
  const last = nameParts(receiver.split(".").pop() ?? "");
  return storeVerb.test(parts[0] ?? "") && last.every((p) => /^(usage|usages|meter|meters|metering|metered|billing|billable|queue|store|repo|repository|events?|records?|buffer|log|stream|sink|writer|client|service|table|topic|producer|recorder|counter|tracker|api|calls?|requests?)$/.test(p));
}

/** True for a name that carries a response status: `statusCode`, `status`, `ok`, `status_code`, `is_success`. */
export function isStatusName(name: string): boolean {
  return /^(status|statusCode|status_code|ok|is_success|is_server_error|is_client_error|succeeded|success|failed|error|err|is_ok|is_err)$/i.test(name);
}

export function isHealthPath(path: string): boolean {
  return /^\/?(_?health\w*|healthz|readyz?|livez?|liveness|readiness|ping|status|probe)(\/|$)/i.test(path.replace(/^\/(api\/)?(v\d+\/)?/, "/"));
}

/** Identifiers and property names inside a ts-morph node (including the node itself). */
export function tsNames(node: TsNode): string[] {
  const out: string[] = [];
  if (TsNode.isIdentifier(node)) out.push(node.getText());
  for (const id of node.getDescendantsOfKind(SyntaxKind.Identifier)) out.push(id.getText());
  return out;
}

/** The identifiers of a TS source file (code only: comments and strings are not identifiers). */
export function tsFileNames(file: SourceFile): Set<string> {
  return new Set(file.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
}

/** The last name of an expression: `invoice.total` -> "total", `x` -> "x", `a["amount"]` -> "amount". */
export function tsLastName(node: TsNode): string {
  if (TsNode.isIdentifier(node)) return node.getText();
  if (TsNode.isPropertyAccessExpression(node)) return node.getName();
  if (TsNode.isElementAccessExpression(node)) {
    const arg = node.getArgumentExpression();
    return arg && TsNode.isStringLiteral(arg) ? arg.getLiteralText() : "";
  }
  if (TsNode.isParenthesizedExpression(node) || TsNode.isNonNullExpression(node) || TsNode.isAsExpression(node)) return tsLastName(node.getExpression());
  return "";
}

const NAME_TYPES = ["identifier", "field_identifier", "property_identifier", "type_identifier", "shorthand_field_identifier"];

/** Identifier-like names under a tree-sitter node (code only), plus string keys of subscripts (`body["amount"]`). */
export function treeNames(node: Node): string[] {
  const out = NAME_TYPES.includes(node.type) ? [node.text] : [];
  for (const n of node.descendantsOfType(NAME_TYPES)) if (n) out.push(n.text);
  for (const s of node.descendantsOfType("subscript")) {
    const key = s?.childForFieldName("subscript");
    if (key?.type === "string") out.push(stringContent(key));
  }
  for (const c of node.descendantsOfType("call")) {
    const fn = c?.childForFieldName("function");
    const arg = c?.childForFieldName("arguments")?.namedChildren[0];
    if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "get" && arg?.type === "string") out.push(stringContent(arg));
  }
  return out;
}

export function stringContent(node: Node): string {
  return node.namedChildren.filter((c) => c?.type === "string_content").map((c) => c!.text).join("");
}

/** The last name of a tree-sitter expression: `self.total` -> "total", `body["amount"]` -> "amount". */
export function treeLastName(node: Node | null | undefined): string {
  if (!node) return "";
  switch (node.type) {
    case "identifier":
    case "field_identifier":
      return node.text;
    case "attribute":
      return node.childForFieldName("attribute")?.text ?? "";
    case "field_expression":
      return node.childForFieldName("field")?.text ?? "";
    case "subscript": {
      const key = node.childForFieldName("subscript");
      return key?.type === "string" ? stringContent(key) : "";
    }
    case "parenthesized_expression":
    case "reference_expression":
    case "try_expression":
      return treeLastName(node.namedChildren[node.namedChildren.length - 1]);
    case "scoped_identifier":
      return node.childForFieldName("name")?.text ?? "";
    default:
      return "";
  }
}

/** Identifier names in a whole tree, for file-level vocabulary tests. */
export function treeFileNames(root: Node): Set<string> {
  return new Set(root.descendantsOfType(NAME_TYPES).map((n) => n!.text));
}

/** One report per line, first message wins. */
export function dedupeByLine(reports: Report[]): Report[] {
  const seen = new Set<number>();
  return reports.filter((r) => (seen.has(r.line) ? false : (seen.add(r.line), true)));
}

export function isBillingPath(path: string): boolean {
  return /(^|\/)(billing|invoic\w*|pricing|payments?|metering|usage|subscriptions?|charges?)(\/|\.|_|-)/i.test(path);
}

/** A currency-unit scale: `100`, `100.0`, `1000`, `1e2`, `10 ** digits`, `Decimal(100)`. */
const UNIT_SCALE = /^(100|1000|100\.0|1000\.0|1e2|1e3|10\*\*\w+|Decimal\((100|"100")\))$/;

const PY_CONVERSION = /^(float|int|Decimal|decimal\.Decimal|str|round|abs|Money)$/;
const RS_CONVERSION = /^(Decimal::from|Decimal::from_f64|Decimal::try_from|f64::from|i64::from|u64::from|Some)$/;

/**
 * The value inside a numeric conversion: `float(contract.monthly_cap)`, `Decimal(str(cap))`, `cap as f64`,
 * `Decimal::from(cap)`, `(cap)` -> the node for `cap`, so its name can be read.
 */
export function treeUnwrapConversion(node: Node): Node {
  let cur = node;
  for (let i = 0; i < 4; i++) {
    if (cur.type === "parenthesized_expression" && cur.namedChildren.length === 1) cur = cur.namedChildren[0]!;
    else if ((cur.type === "binary_operator" || cur.type === "binary_expression") && /^[*/]$/.test(cur.childForFieldName("operator")?.text ?? "") && UNIT_SCALE.test(cur.childForFieldName("right")?.text.replace(/\s+/g, "") ?? "")) {
      // `cap_cents / 100`, `cap * 100.0`: the same amount in another currency unit.
      cur = cur.childForFieldName("left") ?? cur;
    }
    else if (cur.type === "type_cast_expression") cur = cur.childForFieldName("value") ?? cur;
    else if ((cur.type === "call" || cur.type === "call_expression") && (PY_CONVERSION.test(cur.childForFieldName("function")?.text ?? "") || RS_CONVERSION.test(cur.childForFieldName("function")?.text ?? ""))) {
      const first = cur.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment");
      if (!first || first.type === "keyword_argument") break;
      cur = first;
    } else break;
  }
  return cur;
}

const TS_CONVERSION = /^(Number|parseFloat|parseInt|Number\.parseFloat|Number\.parseInt|BigInt|Math\.round|Math\.abs)$/;

/** TS twin of treeUnwrapConversion: `Number(plan.monthlyCap)`, `new Decimal(cap)`, `parseInt(capCents, 10)`, `cap as number`. */
export function tsUnwrapConversion(node: TsNode): TsNode {
  let cur = node;
  for (let i = 0; i < 4; i++) {
    if (TsNode.isParenthesizedExpression(cur) || TsNode.isAsExpression(cur) || TsNode.isNonNullExpression(cur)) cur = cur.getExpression();
    else if (TsNode.isBinaryExpression(cur) && /^[*/]$/.test(cur.getOperatorToken().getText()) && UNIT_SCALE.test(cur.getRight().getText().replace(/\s+/g, ""))) cur = cur.getLeft();
    else if (TsNode.isCallExpression(cur) && TS_CONVERSION.test(cur.getExpression().getText()) && cur.getArguments()[0]) cur = cur.getArguments()[0];
    else if (TsNode.isNewExpression(cur) && /^(Decimal|Big|BigNumber|Prisma\.Decimal)$/.test(cur.getExpression().getText()) && cur.getArguments()[0]) cur = cur.getArguments()[0];
    else break;
  }
  return cur;
}
