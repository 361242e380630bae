// A periodic charge with no contracted cap, or a cap applied with max instead of min.
import { Node as TsNode, SyntaxKind, type CallExpression, type ConditionalExpression } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { enclosingFunctions, calleeText, line } from "./_lib/ts.js";
import { line as tline } from "./_lib/tree.js";
import {
  dedupeByLine, isCapName, isFloorName, isMoneyName, nameParts, isPeriodicChargeName, isUsageOrPriceName, treeFileNames, treeLastName, treeNames,
  treeUnwrapConversion, tsFileNames, tsLastName, tsNames, tsUnwrapConversion,
} from "./_lib/business.js";

/** `metered`, `billable`, `billedAmount`: names of what a period's usage comes to. */
const METERED = /^(metered|billed|billable|accrued|owed|overage|usage)$/;
const chargeLike = (names: string[]) =>
  names.some((n) => isMoneyName(n) || isUsageOrPriceName(n) || isPeriodicChargeName(n) || nameParts(n).some((p) => METERED.test(p)));

/**
 * Of two operands, the cap and the charge, when one is a cap and the other a charge. `inCharge`: the
 * expression sits in a function that computes a periodic charge, so any non-cap, non-floor operand is
 * the charge (`Math.max(x, plan.monthlyCap)` inside `monthlyCharge`).
 */
function capPair(a: Operand, b: Operand, inCharge = false): string | undefined {
  for (const [cap, other] of [[a, b], [b, a]]) {
    if (!isCapName(cap.last) || other.names.some(isCapName)) continue;
    // A variable computed from the usage charge (`let with_minimum = usage.max(min)`) is the charge, whatever its name says.
    const fromCharge = chargeLike((other.origin ?? []).filter((n) => !isFloorName(n) && !isCapName(n)));
    if (fromCharge) return cap.last;
    if (other.names.some(isFloorName)) continue;
    if (chargeLike(other.names) || (inCharge && other.names.length > 0)) return cap.last;
  }
  return undefined;
}

/**
 * An operand: its last name, the names in it, and for a local variable the names of its initializer
 * (`let floored = usage.max(minimum); floored.max(cap)`: `floored` is the usage charge).
 */
interface Operand {
  last: string;
  names: string[];
  origin?: string[];
}

const inverted = (text: string, cap: string, min: string) =>
  `\`${text}\` lifts every charge up to at least \`${cap}\` instead of limiting it; a cap is \`${min}\`.`;

/** A name in the file that speaks of a cap; the `max`/`min` builtins (`max(0, calls - included)`) are no cap. */
const namesCap = (name: string) => !/^(max|min|maximum|minimum)$/.test(name) && isCapName(name);

// --- TypeScript ---

function tsOperand(operand: TsNode): Operand {
  // `Math.max(subtotal, Number(plan.monthlyCap))`: the cap is read through the conversion.
  const n = tsUnwrapConversion(operand);
  const out: Operand = { last: tsLastName(n), names: tsNames(n) };
  if (!TsNode.isIdentifier(n)) return out;
  const fn = enclosingFunctions(n).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a) || TsNode.isFunctionExpression(a));
  const decl = fn?.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === n.getText() && d.getStart() < n.getStart());
  if (decl?.getInitializer()) out.origin = tsNames(decl.getInitializer()!);
  return out;
}

function tsMax(call: CallExpression): Report | undefined {
  const args = call.getArguments();
  if (!/^(Math|Decimal|BigNumber|Big|Prisma\.Decimal)\.max(imum)?$/.test(calleeText(call)) || args.length !== 2) return undefined;
  const cap = capPair(tsOperand(args[0]), tsOperand(args[1]), tsInCharge(call));
  return cap ? { line: line(call), message: inverted(call.getText(), cap, "Math.min(total, cap)") } : undefined;
}

/** `total > cap ? total : cap` picks the larger of the two. */
function tsTernary(cond: ConditionalExpression): Report | undefined {
  const test = cond.getCondition();
  if (!TsNode.isBinaryExpression(test)) return undefined;
  const op = test.getOperatorToken().getText();
  const [l, r] = [test.getLeft().getText(), test.getRight().getText()];
  const [t, f] = [cond.getWhenTrue().getText(), cond.getWhenFalse().getText()];
  const larger = /^>=?$/.test(op) ? [l, r] : /^<=?$/.test(op) ? [r, l] : undefined;
  if (!larger || t !== larger[0] || f !== larger[1]) return undefined;
  const cap = capPair(tsOperand(test.getLeft()), tsOperand(test.getRight()), tsInCharge(cond));
  return cap ? { line: line(cond), message: inverted(cond.getText(), cap, "Math.min(total, cap)") } : undefined;
}

/** The node sits in a function or method whose name says it computes a periodic charge. */
function tsInCharge(node: TsNode): boolean {
  for (const fn of node.getAncestors()) {
    if (TsNode.isFunctionDeclaration(fn) || TsNode.isMethodDeclaration(fn)) return isPeriodicChargeName(fn.getName() ?? "");
    if ((TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn)) && TsNode.isVariableDeclaration(fn.getParent())) {
      return isPeriodicChargeName((fn.getParent() as import("ts-morph").VariableDeclaration).getName());
    }
  }
  return false;
}

function tsFunctions(file: ParsedFile): { name: string; node: TsNode }[] {
  const out: { name: string; node: TsNode }[] = [];
  for (const fn of file.ts!.getDescendantsOfKind(SyntaxKind.FunctionDeclaration)) out.push({ name: fn.getName() ?? "", node: fn });
  for (const m of file.ts!.getDescendantsOfKind(SyntaxKind.MethodDeclaration)) out.push({ name: m.getName(), node: m });
  for (const v of file.ts!.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = v.getInitializer();
    if (init && (TsNode.isArrowFunction(init) || TsNode.isFunctionExpression(init))) out.push({ name: v.getName(), node: init });
  }
  return out;
}

/** `closeMonth`, `close_tenant_month`, `run_billing_cycle`: a function that works on one billing period. */
function isPeriodFunctionName(name: string): boolean {
  return nameParts(name).some((p) => /^(month|monthly|period|cycle|invoice|billing)$/.test(p));
}

/** `amount`, `total`, `charge`, `invoiceTotal`: a variable that holds what the period is charged. */
function isChargeTarget(name: string): boolean {
  return Boolean(name) && (isMoneyName(name) || nameParts(name).some((p) => /^(amount|total|charge|charges|bill|due)$/.test(p))) && !isCapName(name) && !isFloorName(name);
}

/** The variable a product ends up in, through `+ baseFee` and parentheses: `const amount = calls * price + fee`. */
function tsChargeTarget(node: TsNode): string {
  let cur = node;
  for (let p = cur.getParent(); p && (TsNode.isBinaryExpression(p) && /^[-+*]$/.test(p.getOperatorToken().getText()) || TsNode.isParenthesizedExpression(p)); p = p.getParent()) cur = p;
  const parent = cur.getParent();
  if (parent && TsNode.isVariableDeclaration(parent)) return parent.getName();
  if (parent && TsNode.isBinaryExpression(parent) && parent.getOperatorToken().getText() === "=") return tsLastName(parent.getLeft());
  return "";
}

function tsMissingCap(file: ParsedFile): Report[] {
  if ([...tsFileNames(file.ts!)].some(namesCap)) return [];
  const out: Report[] = [];
  for (const { name, node } of tsFunctions(file)) {
    const chargeFn = isPeriodicChargeName(name);
    if (!chargeFn && !isPeriodFunctionName(name)) continue;
    const product = node.getDescendantsOfKind(SyntaxKind.BinaryExpression).find((b) => {
      if (b.getOperatorToken().getText() !== "*") return false;
      const [l, r] = [b.getLeft(), b.getRight()];
      if (TsNode.isNumericLiteral(l) || TsNode.isNumericLiteral(r) || ![tsLastName(l), tsLastName(r)].some(isUsageOrPriceName)) return false;
      // In a function named for the period (`closeMonth`), the product must be what the period is charged (`amount = calls * price`).
      return chargeFn || isChargeTarget(tsChargeTarget(b));
    });
    if (product && !node.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => calleeText(c) === "Math.min")) {
      out.push({ line: line(product), message: `\`${name}\` charges \`${product.getText()}\` for the period with no contracted cap (nothing limits it with \`Math.min\`).` });
    }
  }
  return out;
}

function tsDetect(file: ParsedFile): Report[] {
  const out: Report[] = [];
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const r = tsMax(call);
    if (r) out.push(r);
  }
  for (const cond of file.ts!.getDescendantsOfKind(SyntaxKind.ConditionalExpression)) {
    const r = tsTernary(cond);
    if (r) out.push(r);
  }
  out.push(...tsMissingCap(file));
  return dedupeByLine(out.sort((a, b) => a.line - b.line));
}

// --- Python and Rust ---

function treeOperand(operand: Node): Operand {
  // `max(subtotal, float(contract.monthly_cap))`, `subtotal.max(plan.cap as f64)`: the cap is read through the conversion.
  const n = treeUnwrapConversion(operand);
  const out: Operand = { last: treeLastName(n), names: treeNames(n) };
  const id = n.type === "identifier" ? n.text : undefined;
  let fn: Node | null = n.parent;
  while (fn && fn.type !== "function_item" && fn.type !== "function_definition") fn = fn.parent;
  if (!id || !fn) return out;
  for (const d of fn.descendantsOfType(["let_declaration", "assignment"])) {
    const left = d!.childForFieldName("pattern") ?? d!.childForFieldName("left");
    const right = d!.childForFieldName("value") ?? d!.childForFieldName("right");
    if (left?.text.replace(/^mut\s+/, "") === id && right && d!.startIndex < n.startIndex) out.origin = treeNames(right);
  }
  return out;
}

interface TreeLang {
  call: string;
  fn: string;
  bin: string;
  literal: RegExp;
  /** A `max` call: returns the two operands, or undefined. */
  maxOperands: (call: Node) => [Node, Node] | undefined;
  hasMin: (fn: Node) => boolean;
  min: string;
}

function treeArgs(call: Node): Node[] {
  return (call.childForFieldName("arguments")?.namedChildren ?? []).filter((n): n is Node => n !== null && n.type !== "comment");
}

const PY: TreeLang = {
  call: "call",
  fn: "function_definition",
  bin: "binary_operator",
  literal: /^(integer|float)$/,
  maxOperands: (call) => {
    const fn = call.childForFieldName("function");
    const args = treeArgs(call);
    if (fn?.text === "max" && args.length === 2) return [args[0], args[1]];
    if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "max" && args.length === 1) return [fn.childForFieldName("object")!, args[0]];
    return undefined;
  },
  hasMin: (fn) => fn.descendantsOfType("call").some((c) => /^min$|\.min$/.test(c?.childForFieldName("function")?.text ?? "")),
  min: "min(total, cap)",
};

const RS: TreeLang = {
  call: "call_expression",
  fn: "function_item",
  bin: "binary_expression",
  literal: /^(integer_literal|float_literal)$/,
  maxOperands: (call) => {
    const fn = call.childForFieldName("function");
    const args = treeArgs(call);
    if (fn?.type === "field_expression" && fn.childForFieldName("field")?.text === "max" && args.length === 1) return [fn.childForFieldName("value")!, args[0]];
    if (/^((std::)?cmp::|f64::|f32::|Decimal::)?max$/.test(fn?.text ?? "") && args.length === 2) return [args[0], args[1]];
    return undefined;
  },
  hasMin: (fn) => fn.descendantsOfType("call_expression").some((c) => /(^|\.|::)(min|clamp)$/.test(c?.childForFieldName("function")?.text ?? "")),
  min: "total.min(cap)",
};

/** Python/Rust twin of tsChargeTarget: `amount = calls * price + fee`, `let total = units * price;`. */
function treeChargeTarget(node: Node, lang: TreeLang): string {
  let cur = node;
  for (let p = cur.parent; p && ((p.type === lang.bin && /^[-+*]$/.test(p.childForFieldName("operator")?.text ?? "")) || p.type === "parenthesized_expression"); p = p.parent) cur = p;
  const parent = cur.parent;
  if (parent?.type === "assignment") return treeLastName(parent.childForFieldName("left"));
  if (parent?.type === "let_declaration") return parent.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") ?? "";
  return "";
}

function treeInCharge(node: Node, lang: TreeLang): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === lang.fn) return isPeriodicChargeName(n.childForFieldName("name")?.text ?? "");
  }
  return false;
}

function treeDetect(file: ParsedFile, lang: TreeLang): Report[] {
  const root = file.tree!.rootNode;
  const out: Report[] = [];
  for (const call of root.descendantsOfType(lang.call)) {
    const ops = lang.maxOperands(call!);
    const cap = ops && capPair(treeOperand(ops[0]), treeOperand(ops[1]), treeInCharge(call!, lang));
    if (cap) out.push({ line: tline(call!), message: inverted(call!.text, cap, lang.min) });
  }
  if (![...treeFileNames(root)].some(namesCap)) {
    for (const fn of root.descendantsOfType(lang.fn)) {
      const name = fn!.childForFieldName("name")?.text ?? "";
      const chargeFn = isPeriodicChargeName(name);
      if ((!chargeFn && !isPeriodFunctionName(name)) || lang.hasMin(fn!)) continue;
      const product = fn!.descendantsOfType(lang.bin).find((b) => {
        const [l, r] = [b!.childForFieldName("left"), b!.childForFieldName("right")];
        if (b!.childForFieldName("operator")?.text !== "*" || !l || !r || lang.literal.test(l.type) || lang.literal.test(r.type)) return false;
        // `float(calls) * float(plan.price_per_call)`: the names inside conversions count too.
        const names = [treeLastName(l), treeLastName(r), ...[l, r].filter((x) => /^(call|call_expression|type_cast_expression)$/.test(x.type)).flatMap(treeNames)];
        return names.some(isUsageOrPriceName) && (chargeFn || isChargeTarget(treeChargeTarget(b!, lang)));
      });
      if (product) out.push({ line: tline(product), message: `\`${name}\` charges \`${product.text}\` for the period with no contracted cap (nothing limits it with \`min\`).` });
    }
  }
  return dedupeByLine(out.sort((a, b) => a.line - b.line));
}

export default defineRule({
  meta: {
    id: "missing-or-inverted-cap",
    category: "business",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "A periodic charge has no contracted cap, or the cap is applied with max instead of min.",
    why: "Contracts usually cap the monthly charge; without the cap a usage spike (a retry storm, a runaway script) bills the customer far beyond the agreed limit, and `max(total, cap)` bills every customer at least the cap, so both end in refunds and disputes.",
    fix: "Apply the contracted cap with min (Math.min(total, cap), min(total, cap), total.min(cap)) after all usage is summed, and confirm with the domain owner which plans carry a cap.",
  },
  detect: { typescript: tsDetect, python: (f) => treeDetect(f, PY), rust: (f) => treeDetect(f, RS) },
  cases: CASES(),
});

function CASES() {
  return [
    {
      name: "ts: Math.max applies the monthly cap backwards",
      language: "typescript" as const,
      code: `import type { Plan } from "./plans.js";
import { usageRepo } from "./usage-repo.js";

export async function invoiceAmount(customerId: string, plan: Plan): Promise<number> {
  const usage = await usageRepo.monthlyCalls(customerId);
  const total = usage * plan.pricePerCallCents;
  return Math.max(total, plan.monthlyCapCents);
}
`,
      expect: [7],
    },
    {
      name: "ts: ternary keeps the larger of total and limit",
      language: "typescript" as const,
      code: `export class ChargeCalculator {
  constructor(private readonly contractLimitCents: number) {}

  finalCharge(subtotalCents: number): number {
    return subtotalCents > this.contractLimitCents ? subtotalCents : this.contractLimitCents;
  }
}
`,
      expect: [5],
    },
    {
      name: "ts: monthly charge with no cap at all",
      language: "typescript" as const,
      code: `import { meter } from "../metering/meter.js";

export async function calculateMonthlyCharge(accountId: string, unitPriceCents: number) {
  const apiCalls = await meter.countCalls(accountId);
  return apiCalls * unitPriceCents;
}
`,
      expect: [5],
    },
    {
      name: "ts: arrow function computing a period total",
      language: "typescript" as const,
      code: `import type { UsageRecord } from "./types.js";

export const billingPeriodTotal = (records: UsageRecord[], ratePerUnitCents: number) => {
  const units = records.reduce((sum, r) => sum + r.units, 0);
  const totalCents = units * ratePerUnitCents;
  return { units, totalCents };
};
`,
      expect: [5],
    },
    {
      name: "ts: Math.min applies the cap",
      language: "typescript" as const,
      code: `import type { Plan } from "./plans.js";

export function calculateMonthlyCharge(calls: number, plan: Plan): number {
  const uncapped = calls * plan.pricePerCallCents;
  return Math.min(uncapped, plan.monthlyCapCents);
}
`,
      expect: [],
    },
    {
      name: "ts: Math.max with a minimum charge and zero are floors",
      language: "typescript" as const,
      code: `export function invoiceTotal(usageCents: number, creditsCents: number, minimumChargeCents: number) {
  const net = Math.max(usageCents - creditsCents, 0);
  return Math.max(net, minimumChargeCents);
}
`,
      expect: [],
    },
    {
      name: "ts: cap applied by a helper in the same module",
      language: "typescript" as const,
      code: `import { contractFor } from "../contracts/repo.js";

function applyContractCap(amountCents: number, capCents: number | null) {
  return capCents === null ? amountCents : Math.min(amountCents, capCents);
}

export async function monthlyInvoiceTotal(accountId: string, calls: number, pricePerCallCents: number) {
  const contract = await contractFor(accountId);
  return applyContractCap(calls * pricePerCallCents, contract.capCents);
}
`,
      expect: [],
    },
    {
      name: "ts: non-billing max and cap words in comments",
      language: "typescript" as const,
      code: `// Math.max(total, cap) would be wrong for a monthly charge.
export function pageSize(requested: number, fallback: number) {
  const note = "Math.max(total, cap)";
  return { size: Math.max(requested, fallback), note };
}

export function orderTotal(qty: number, unitPriceCents: number) {
  return qty * unitPriceCents;
}
`,
      expect: [],
    },
    {
      name: "py: max() instead of min() for the cap",
      language: "python" as const,
      code: `from app.plans import get_plan
from app.usage import usage_repo

def invoice_amount(customer_id: str) -> int:
    plan = get_plan(customer_id)
    total = usage_repo.monthly_calls(customer_id) * plan.price_per_call_cents
    return max(total, plan.monthly_cap_cents)
`,
      expect: [7],
    },
    {
      name: "py: Decimal.max with a contracted limit",
      language: "python" as const,
      code: `from decimal import Decimal

class InvoiceBuilder:
    def __init__(self, contract_limit: Decimal):
        self.contract_limit = contract_limit

    def finalize(self, subtotal: Decimal) -> Decimal:
        return subtotal.max(self.contract_limit)
`,
      expect: [8],
    },
    {
      name: "py: monthly charge without a cap",
      language: "python" as const,
      code: `from app.metering import meter

def calculate_monthly_charge(account_id: str, unit_price_cents: int) -> int:
    api_calls = meter.count_calls(account_id)
    return api_calls * unit_price_cents
`,
      expect: [5],
    },
    {
      name: "py: billing period total in a service class",
      language: "python" as const,
      code: `class UsageBilling:
    def __init__(self, repo):
        self.repo = repo

    async def billing_period_total(self, account_id, rate_per_unit_cents):
        units = await self.repo.sum_units(account_id)
        return units * rate_per_unit_cents
`,
      expect: [7],
    },
    {
      name: "py: min() applies the cap",
      language: "python" as const,
      code: `def calculate_monthly_charge(calls: int, plan) -> int:
    uncapped = calls * plan.price_per_call_cents
    return min(uncapped, plan.monthly_cap_cents)
`,
      expect: [],
    },
    {
      name: "py: max() with a minimum commitment and zero",
      language: "python" as const,
      code: `def invoice_total(usage_cents: int, credits_cents: int, minimum_commitment_cents: int) -> int:
    net = max(usage_cents - credits_cents, 0)
    return max(net, minimum_commitment_cents)
`,
      expect: [],
    },
    {
      name: "py: one-off order total is not periodic",
      language: "python" as const,
      code: `def order_total(qty: int, unit_price_cents: int) -> int:
    return qty * unit_price_cents

def retry_delay(attempt: int, cap_seconds: float) -> float:
    return min(2 ** attempt, cap_seconds)
`,
      expect: [],
    },
    {
      name: "py: cap words in strings and comments, cap handled elsewhere",
      language: "python" as const,
      code: `from app.contracts import apply_cap

# max(total, cap) is the classic mistake.
def monthly_invoice_total(calls, price_per_call_cents, contract):
    doc = "max(total, cap)"
    return apply_cap(calls * price_per_call_cents, contract)
`,
      expect: [],
    },
    {
      name: "rs: total.max(cap)",
      language: "rust" as const,
      code: `use crate::plans::Plan;

pub fn invoice_amount(calls: u64, plan: &Plan) -> u64 {
    let total = calls * plan.price_per_call_cents;
    total.max(plan.monthly_cap_cents)
}
`,
      expect: [5],
    },
    {
      name: "rs: std::cmp::max with a spend limit",
      language: "rust" as const,
      code: `use std::cmp;

pub struct Contract { pub spend_limit_cents: i64 }

pub fn final_charge(contract: &Contract, subtotal_cents: i64) -> i64 {
    cmp::max(subtotal_cents, contract.spend_limit_cents)
}
`,
      expect: [6],
    },
    {
      name: "rs: monthly charge without a cap",
      language: "rust" as const,
      code: `use crate::metering::Meter;

pub async fn calculate_monthly_charge(meter: &Meter, account_id: &str, unit_price_cents: i64) -> anyhow::Result<i64> {
    let api_calls = meter.count_calls(account_id).await?;
    Ok(api_calls * unit_price_cents)
}
`,
      expect: [5],
    },
    {
      name: "rs: invoice total method without a cap",
      language: "rust" as const,
      code: `pub struct UsageBilling { pub rate_per_unit_cents: i64 }

impl UsageBilling {
    pub fn period_invoice_total(&self, units: i64) -> i64 {
        units * self.rate_per_unit_cents
    }
}
`,
      expect: [5],
    },
    {
      name: "rs: min applies the cap",
      language: "rust" as const,
      code: `pub fn calculate_monthly_charge(calls: i64, price_per_call_cents: i64, monthly_cap_cents: i64) -> i64 {
    (calls * price_per_call_cents).min(monthly_cap_cents)
}
`,
      expect: [],
    },
    {
      name: "rs: max with a floor",
      language: "rust" as const,
      code: `pub fn invoice_total(usage_cents: i64, credits_cents: i64, minimum_charge_cents: i64) -> i64 {
    (usage_cents - credits_cents).max(0).max(minimum_charge_cents)
}
`,
      expect: [],
    },
    {
      name: "rs: max for non-money values",
      language: "rust" as const,
      code: `pub fn backoff_ms(attempt: u32, max_backoff_ms: u64) -> u64 {
    let base = 100u64 * 2u64.pow(attempt);
    base.max(max_backoff_ms / 10)
}

pub fn order_total(qty: i64, unit_price_cents: i64) -> i64 {
    qty * unit_price_cents
}
`,
      expect: [],
    },
    {
      name: "rs: cap words in comments and strings",
      language: "rust" as const,
      code: `// total.max(cap) is wrong for a monthly charge.
pub fn explain() -> &'static str {
    "use total.min(cap), never total.max(cap)"
}
`,
      expect: [],
    },
    {
      name: "ts: metered amount lifted to the cap with Math.max and Decimal.max",
      language: "typescript" as const,
      code: `import Decimal from "decimal.js";

export class UsageBiller {
  constructor(private readonly contract: { monthlyCapCents: number; minimumCommitCents: number }) {}

  monthlyCharge(units: number, unitPriceCents: number): number {
    const metered = units * unitPriceCents;
    return Math.max(metered, this.contract.monthlyCapCents);
  }

  monthlyChargeDecimal(units: Decimal, unitPrice: Decimal): Decimal {
    const metered = units.times(unitPrice);
    return Decimal.max(metered, this.contract.monthlyCapCents);
  }
}
`,
      expect: [8, 13],
    },
    {
      name: "ts: floor with Math.max, then the cap with Math.min",
      language: "typescript" as const,
      code: `export class UsageBiller {
  constructor(private readonly contract: { monthlyCapCents: number; minimumCommitCents: number }) {}

  monthlyCharge(units: number, unitPriceCents: number): number {
    const metered = Math.max(units * unitPriceCents, this.contract.minimumCommitCents);
    return Math.min(metered, this.contract.monthlyCapCents);
  }
}
`,
      expect: [],
    },
    {
      name: "py: max(metered, spend_cap) in a monthly invoicer",
      language: "python" as const,
      code: `from decimal import Decimal


class MonthlyInvoicer:
    def __init__(self, contract):
        self.contract = contract

    def monthly_amount(self, usage_units: int, rate: Decimal) -> Decimal:
        metered = rate * usage_units
        return max(metered, self.contract.spend_cap)

    def peak_concurrency(self, samples: list[int]) -> int:
        return max(samples, default=0)
`,
      expect: [10],
    },
    {
      name: "rs: metered.max(plan.monthly_limit_cents)",
      language: "rust" as const,
      code: `pub struct Plan {
    pub monthly_limit_cents: i64,
    pub floor_cents: i64,
}

pub fn monthly_charge(plan: &Plan, usage: i64, rate_cents: i64) -> i64 {
    let metered = usage * rate_cents;
    metered.max(plan.monthly_limit_cents)
}

pub fn monthly_charge_capped(plan: &Plan, usage: i64, rate_cents: i64) -> i64 {
    let metered = (usage * rate_cents).max(plan.floor_cents);
    metered.min(plan.monthly_limit_cents)
}
`,
      expect: [8],
    },
    {
      name: "rs: usage floored at the minimum, then 'capped' with max",
      language: "rust" as const,
      code: `pub fn charge_for(usage_cents: i64, plan: &Plan) -> i64 {
    let with_minimum = usage_cents.max(plan.minimum_cents);
    with_minimum.max(plan.cap_cents)
}
`,
      expect: [3],
    },
    {
      name: "rs: usage floored at the minimum, then capped with min",
      language: "rust" as const,
      code: `pub fn charge_for(usage_cents: i64, plan: &Plan) -> i64 {
    let with_minimum = usage_cents.max(plan.minimum_cents);
    with_minimum.min(plan.cap_cents)
}
`,
      expect: [],
    },
    {
      name: "py: month-close task computes the amount from usage with no cap",
      language: "python" as const,
      code: `from decimal import Decimal


def close_period(account, calls):
    amount = Decimal(calls) * account.plan.unit_price + account.plan.base_fee
    return account.invoices.create(amount=amount)
`,
      expect: [5],
    },
    {
      name: "py: month-close task caps the amount",
      language: "python" as const,
      code: `from decimal import Decimal


def close_period(account, calls):
    amount = min(Decimal(calls) * account.plan.unit_price + account.plan.base_fee, account.plan.monthly_cap)
    return account.invoices.create(amount=amount)
`,
      expect: [],
    },
    {
      name: "ts: month close multiplies calls by price into the invoice amount, no cap",
      language: "typescript" as const,
      code: `export function closeBillingCycle(calls: number, unitPriceCents: number, baseFeeCents: number) {
  const totalCents = calls * unitPriceCents + baseFeeCents;
  return { totalCents };
}
`,
      expect: [2],
    },
    {
      name: "ts: a period report multiplies, but only into a statistic",
      language: "typescript" as const,
      code: `export function monthlyReport(calls: number, avgLatencyMs: number, days: number) {
  const callsPerDay = calls / days;
  const busyMs = calls * avgLatencyMs;
  return { callsPerDay, busyMs };
}
`,
      expect: [],
    },
    {
      name: "py: the cap read through Decimal(str(..)) and int(..) is still lifted with max",
      language: "python" as const,
      code: `from decimal import Decimal


def close_month(contract, calls: int):
    subtotal = calls * Decimal(contract.unit_price)
    return max(subtotal, Decimal(str(contract.monthly_cap)))


def monthly_invoice(plan, usage: int):
    amount = usage * plan.price
    return max(int(plan.spend_limit), amount)
`,
      expect: [6, 11],
    },
    {
      name: "py: converted cap applied with min, converted minimum with max",
      language: "python" as const,
      code: `from decimal import Decimal


def close_month(contract, calls: int):
    subtotal = calls * Decimal(contract.unit_price)
    return min(subtotal, Decimal(str(contract.monthly_cap)))


def close_period(plan, usage: int):
    amount = usage * plan.price
    return max(amount, Decimal(plan.minimum_commit))
`,
      expect: [],
    },
    {
      name: "ts: Math.max over Number(cap) and parseInt(capCents)",
      language: "typescript" as const,
      code: `export function monthlyTotal(calls: number, plan: { unitPrice: string; monthlyCap: string }) {
  const subtotal = calls * Number(plan.unitPrice);
  return Math.max(subtotal, Number(plan.monthlyCap));
}

export function monthlyCharge(units: number, plan: { price: number; capCents: string }) {
  const usageCents = units * plan.price;
  return Math.max(parseInt(plan.capCents, 10), usageCents);
}
`,
      expect: [3, 8],
    },
    {
      name: "ts: Math.min over Number(cap)",
      language: "typescript" as const,
      code: `export function monthlyTotal(calls: number, plan: { unitPrice: string; monthlyCap: string }) {
  const subtotal = calls * Number(plan.unitPrice);
  return Math.min(subtotal, Number(plan.monthlyCap));
}
`,
      expect: [],
    },
    {
      name: "rs: subtotal.max(cap as f64)",
      language: "rust" as const,
      code: `pub fn monthly_charge(calls: i64, plan: &Plan) -> f64 {
    let subtotal = calls as f64 * plan.unit_price;
    subtotal.max(plan.monthly_cap as f64)
}
`,
      expect: [3],
    },
    {
      name: "ts: cap read in cents and scaled to the charge's unit, applied with Math.max",
      path: "src/billing/seats.ts",
      code: `export function seatsCharge(plan: { seatFee: number; ceilingCents: number }, seats: number): number {
  const charge = seats * plan.seatFee;
  return Math.max(charge, plan.ceilingCents / 100);
}
`,
      expect: [3],
    },
    {
      name: "ts: cap scaled from cents and applied with Math.min",
      path: "src/billing/seats.ts",
      code: `export function seatsCharge(plan: { seatFeeCents: number; ceilingCents: number }, seats: number): number {
  const chargeCents = seats * plan.seatFeeCents;
  return Math.min(chargeCents / 100, plan.ceilingCents / 100);
}
`,
      expect: [],
    },
    {
      name: "py: a periodic total with a max(0, …) floor on usage but no cap at all",
      language: "python" as const,
      code: `def billable_storage(gb: int, included_gb: int) -> int:
    return max(0, gb - included_gb)


def monthly_total(plan, gb: int) -> int:
    total = plan.base_fee_cents + billable_storage(gb, plan.included_gb) * plan.price_per_gb_cents
    return total
`,
      expect: [6],
    },
    {
      name: "py: max(0, …) floor and the contracted cap applied with min",
      language: "python" as const,
      code: `def billable_storage(gb: int, included_gb: int) -> int:
    return max(0, gb - included_gb)


def monthly_total(plan, gb: int) -> int:
    total = plan.base_fee_cents + billable_storage(gb, plan.included_gb) * plan.price_per_gb_cents
    return min(total, plan.spend_cap_cents)
`,
      expect: [],
    },
  ];
}
