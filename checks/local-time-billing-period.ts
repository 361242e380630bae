// Billing-period boundaries computed in the server's local time zone.
// MDN, Date(): with two or more arguments "the ... values are interpreted as local time"; getMonth() "returns
// the month ... according to local time". Python datetime.now(): "If optional argument tz is None or not
// specified, this is like today()", i.e. the local date and time, naive. chrono `Local`: "The local timescale".
import { Node as TsNode, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { ancestorOfKind, enclosingFunctions, calleeName, calleeText, line } from "./_lib/ts.js";
import { compactTreeText, enclosingFunction, line as tline } from "./_lib/tree.js";
import { dedupeByLine, isBillingName, isBillingPath, isPeriodName, nameParts, treeFileNames, treeNames, tsFileNames } from "./_lib/business.js";

const LOCAL_DATE_METHODS = /^(getMonth|getFullYear|getDate|setDate|setMonth|setFullYear|setHours)$/;
const DATE_FNS = /^(startOf|endOf)(Month|Day|Week|Year|Quarter|ISOWeek)$|^(addMonths|subMonths|lastDayOfMonth|getDaysInMonth)$/;

function billingContext(path: string, names: Iterable<string>): boolean {
  if (isBillingPath(path)) return true;
  for (const n of names) if (isBillingName(n)) return true;
  return false;
}

function dateFnsImports(file: SourceFile): Set<string> {
  const out = new Set<string>();
  for (const imp of file.getImportDeclarations()) {
    if (!/^date-fns(\/|$)/.test(imp.getModuleSpecifierValue())) continue;
    for (const n of imp.getNamedImports()) out.add((n.getAliasNode() ?? n.getNameNode()).getText());
  }
  return out;
}

const BOUNDARY = /\b(period|start|end|cycle|cutoff|boundary|since|until)\b/;

/** A local getter whose value becomes a period boundary: `const month = d.getMonth()`, `Date.UTC(d.getFullYear(), …)`. */
function feedsPeriod(call: CallExpression): boolean {
  const decl = ancestorOfKind(call, SyntaxKind.VariableDeclaration);
  if (decl && BOUNDARY.test(nameParts(decl.getName()).join(" "))) return true;
  const parent = call.getParent();
  const outers = [parent, parent && TsNode.isBinaryExpression(parent) ? parent.getParent() : undefined];
  return outers.some((o) => o && (TsNode.isNewExpression(o) || (TsNode.isCallExpression(o) && calleeText(o) === "Date.UTC")));
}

/** `moment().startOf("month")`, `dayjs().endOf("month")`, `DateTime.now().startOf("month")` with no zone in the chain. */
function zonelessStartOf(call: CallExpression): boolean {
  if (!/^(startOf|endOf)$/.test(calleeName(call))) return false;
  const chain = calleeText(call);
  if (/\b(utc|tz|setZone|zone|utcOffset)\b|\.utc\(|\.tz\(/i.test(chain)) return false;
  return /^(moment|dayjs)\(|^DateTime\.(now|local)\(/.test(chain);
}

const ZONED = /\b(toZonedTime|utcToZonedTime|TZDate|TZDateMini|tz)\s*[(.]|\bnew\s+TZDate\b/;

/**
 * The date handed to date-fns is already shifted into a zone (date-fns-tz `toZonedTime`, `@date-fns/tz`
 * `TZDate`), directly or through a variable of the function: its local fields are the zone's wall clock.
 */
function zonedArg(call: CallExpression): boolean {
  const arg = call.getArguments()[0];
  if (!arg) return false;
  if (ZONED.test(arg.getText())) return true;
  if (!TsNode.isIdentifier(arg)) return false;
  const fn = enclosingFunctions(call).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a)) ?? call.getSourceFile();
  return fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).some((d) => d.getName() === arg.getText() && ZONED.test(d.getInitializer()?.getText() ?? ""));
}

const FROM_ZONE = /^(fromZonedTime|zonedTimeToUtc|toDate)$/;

/**
 * date-fns-tz's idiom: `fromZonedTime(new Date(y, m, 1), tz)` reads the fields as the wall clock of `tz` and returns
 * the real instant, so the Date constructor's local zone never reaches the boundary.
 */
function convertedFromZone(ne: TsNode): boolean {
  let cur: TsNode = ne;
  while (TsNode.isParenthesizedExpression(cur.getParent()!)) cur = cur.getParent()!;
  if (isFromZoneArg(cur)) return true;
  // `const startLocal = new Date(y, m, 1); … fromZonedTime(startLocal, tz)`: every use of the variable converts it.
  const decl = cur.getParentIfKind(SyntaxKind.VariableDeclaration);
  if (!decl || decl.getInitializer() !== cur || !TsNode.isIdentifier(decl.getNameNode())) return false;
  const scope = enclosingFunctions(decl).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a)) ?? decl.getSourceFile();
  const uses = scope.getDescendantsOfKind(SyntaxKind.Identifier).filter((i) => i.getText() === decl.getName() && i !== decl.getNameNode());
  return uses.length > 0 && uses.every(isFromZoneArg);
}

/** `fromZonedTime(x, tz)`: `x` is the first argument of a zone-to-UTC conversion given a zone. */
function isFromZoneArg(node: TsNode): boolean {
  const call = node.getParentIfKind(SyntaxKind.CallExpression);
  return Boolean(call && FROM_ZONE.test(calleeText(call).replace(/^.*\./, "")) && call.getArguments()[0] === node && call.getArguments().length >= 2);
}

/** A getter on a date already shifted into a zone (`toZonedTime(now, tz).getMonth()`): it reads the zone's wall clock. */
function zonedWallClock(call: CallExpression): boolean {
  const recv = (call.getExpression() as import("ts-morph").PropertyAccessExpression).getExpression();
  if (ZONED.test(recv.getText())) return true;
  if (!TsNode.isIdentifier(recv)) return false;
  const fn = enclosingFunctions(call).find((a) => TsNode.isFunctionLikeDeclaration(a) || TsNode.isArrowFunction(a)) ?? call.getSourceFile();
  return fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).some((d) => d.getName() === recv.getText() && ZONED.test(d.getInitializer()?.getText() ?? ""));
}

function tsDetect(file: ParsedFile): Report[] {
  const sf = file.ts!;
  if (!billingContext(file.path, tsFileNames(sf))) return [];
  const fns = dateFnsImports(sf);
  const out: Report[] = [];
  for (const ne of sf.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    if (ne.getExpression().getText() === "Date" && ne.getArguments().length >= 2 && !convertedFromZone(ne)) {
      out.push({ line: line(ne), message: `\`${ne.getText()}\` builds the date in the server's local time zone; the period boundary moves with the host's TZ.` });
    }
  }
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const name = calleeName(call);
    const expr = call.getExpression();
    if (TsNode.isPropertyAccessExpression(expr) && LOCAL_DATE_METHODS.test(name) && (/^set/.test(name) || feedsPeriod(call)) && !zonedWallClock(call)) {
      out.push({ line: line(call), message: `\`${calleeText(call)}()\` reads or sets the date in server-local time, not UTC or the customer's zone.` });
    } else if (TsNode.isIdentifier(expr) && fns.has(name) && DATE_FNS.test(name) && !/\bin\s*:/.test(call.getArguments()[1]?.getText() ?? "") && !zonedArg(call)) {
      out.push({ line: line(call), message: `date-fns \`${name}()\` works in the server's local time zone; pass \`{ in: tz(customerZone) }\` or use UTC.` });
    } else if (zonelessStartOf(call)) {
      out.push({ line: line(call), message: `\`${calleeText(call)}(…)\` takes the period boundary in the server's local time zone.` });
    }
  }
  return dedupeByLine(out.sort((a, b) => a.line - b.line));
}

// --- Python and Rust: a local "now" used to derive a period ---

function periodScope(node: Node, root: Node): boolean {
  const scope = enclosingFunction(node) ?? root;
  const names = treeNames(scope);
  if (names.some(isPeriodName)) return true;
  return scope.descendantsOfType("keyword_argument").some((k) => k?.childForFieldName("name")?.text === "day")
    || /\.with_day\(|\.with_day0\(/.test(scope.text);
}

const PY_LOCAL = /^(datetime\.)?(datetime\.now|datetime\.today|date\.today)$|^(time\.localtime|arrow\.now|pendulum\.now|pendulum\.today)$/;

/** How the file names the `datetime` class: `datetime` (from datetime import datetime), `dt.datetime`, `datetime.datetime`. */
function pyDatetimeNames(root: Node): Set<string> {
  const out = new Set<string>();
  for (const imp of root.descendantsOfType(["import_statement", "import_from_statement"])) {
    const t = imp!.text.replace(/\s+/g, " ");
    let m: RegExpExecArray | null;
    if ((m = /^from datetime import .*\bdatetime\b(?: as (\w+))?/.exec(t))) out.add(m[1] ?? "datetime");
    if (/^import datetime\b(?! as)/.test(t)) out.add("datetime.datetime");
    if ((m = /^import datetime as (\w+)/.exec(t))) out.add(`${m[1]}.datetime`);
  }
  return out;
}

/**
 * `datetime(year, month, 1)` with no `tzinfo`: a naive boundary. Not when the value is made aware right away
 * (`make_aware(...)`, `tz.localize(...)`, `.replace(tzinfo=...)`); `.astimezone()` of a naive value reads it as local time.
 */
function naiveDatetime(call: Node, fn: string, args: (Node | null)[], names: Set<string>): boolean {
  if (!names.has(fn)) return false;
  const positional = args.filter((a) => a && a.type !== "keyword_argument" && a.type !== "comment");
  if (positional.length < 3 || positional.length >= 8 || args.some((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "tzinfo")) return false;
  if (args.some((a) => a?.type === "dictionary_splat" || a?.type === "list_splat")) return false;
  const outer = call.parent?.type === "argument_list" ? call.parent.parent : undefined;
  if (outer?.type === "call" && /(^|\.)(make_aware|localize|fromZonedTime|to_aware)$/.test(outer.childForFieldName("function")?.text ?? "")) return false;
  const attr = call.parent?.type === "attribute" ? call.parent.childForFieldName("attribute")?.text : undefined;
  if (attr === "replace" && /tzinfo\s*=/.test(call.parent!.parent?.text ?? "")) return false;
  return true;
}

/** Fields of a variable that holds a local now (`now = datetime.now()`): that call is reported already. */
function fromLocalNow(call: Node, args: (Node | null)[], root: Node): boolean {
  const scope = enclosingFunction(call) ?? root;
  const locals = new Set<string>();
  for (const a of scope.descendantsOfType("assignment")) {
    const right = a!.childForFieldName("right");
    if (right?.type === "call" && PY_LOCAL.test(right.childForFieldName("function")?.text ?? "")) locals.add(a!.childForFieldName("left")?.text ?? "");
  }
  return args.some((a) => a && a.descendantsOfType("identifier").some((id) => locals.has(id!.text)));
}

function pyDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  if (!billingContext(file.path, treeFileNames(root))) return [];
  const out: Report[] = [];
  const datetimeNames = pyDatetimeNames(root);
  for (const call of root.descendantsOfType("call")) {
    const fn = call!.childForFieldName("function")?.text ?? "";
    const args = call!.childForFieldName("arguments")?.namedChildren ?? [];
    if (naiveDatetime(call!, fn, args, datetimeNames) && periodScope(call!, root) && !fromLocalNow(call!, args, root)) {
      out.push({ line: tline(call!), message: `\`${call!.text}\` is a naive datetime with no tzinfo: the boundary is read in the server's (or Django's default) time zone, not the customer's.` });
      continue;
    }
    if (!PY_LOCAL.test(fn) || args.length > 0 || !periodScope(call!, root)) continue;
    out.push({ line: tline(call!), message: `\`${fn}()\` is the server's local, naive time; a period boundary taken from it shifts with the host's time zone.` });
  }
  return out;
}

const RS_LOCAL = /(^|::)Local::(now|today)$|(^|::)OffsetDateTime::now_local$|^Local\.(ymd|ymd_opt|with_ymd_and_hms|from_local_datetime|timestamp_opt)$/;

function rsDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  if (!billingContext(file.path, treeFileNames(root))) return [];
  const out: Report[] = [];
  for (const call of root.descendantsOfType("call_expression")) {
    const fn = compactTreeText(call!.childForFieldName("function"));
    if (!RS_LOCAL.test(fn) || !periodScope(call!, root)) continue;
    out.push({ line: tline(call!), message: `\`${fn}()\` uses the server's local time zone for a billing period; use \`Utc\` or the customer's \`Tz\`.` });
  }
  return out;
}

export default defineRule({
  meta: {
    id: "local-time-billing-period",
    category: "business",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "Billing-period or month boundaries are computed in the server's local time zone.",
    why: "The server's zone is an accident of deployment (UTC in one region, local in another, shifting with daylight saving), so usage near midnight on the first of the month lands in the wrong invoice and the same customer is billed differently depending on which host ran the job.",
    fix: "Compute period boundaries in UTC (Date.UTC, getUTC*, datetime.now(timezone.utc), Utc::now()) or explicitly in the customer's contracted time zone (ZoneInfo, chrono-tz, date-fns-tz, luxon setZone).",
    docs: [
      "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date/Date",
      "https://docs.python.org/3/library/datetime.html#datetime.datetime.now",
      "https://docs.rs/chrono/latest/chrono/offset/struct.Local.html",
    ],
  },
  detect: { typescript: tsDetect, python: pyDetect, rust: rsDetect },
  cases: CASES(),
});

function CASES() {
  return [
    {
      name: "ts: period start from new Date(y, m, 1)",
      language: "typescript" as const,
      code: `import { usageRepo } from "./usage-repo.js";

export async function currentPeriodUsage(customerId: string) {
  const now = new Date();
  const periodStart = new Date(now.getFullYear(), now.getMonth(), 1);
  const periodEnd = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  return usageRepo.sumBetween(customerId, periodStart, periodEnd);
}
`,
      expect: [5, 6],
    },
    {
      name: "ts: setDate(1) and setHours in an invoice job",
      language: "typescript" as const,
      code: `import { invoices } from "../invoices/service.js";

export async function runInvoiceJob(accountIds: string[]) {
  const start = new Date();
  start.setDate(1);
  start.setHours(0, 0, 0, 0);
  for (const id of accountIds) await invoices.close(id, start);
}
`,
      expect: [5, 6],
    },
    {
      name: "ts: date-fns startOfMonth without a zone",
      language: "typescript" as const,
      code: `import { startOfMonth, endOfMonth } from "date-fns";
import { meterRepo } from "./meter-repo.js";

export function billingWindow(at: Date) {
  return { from: startOfMonth(at), to: endOfMonth(at) };
}

export const usageForWindow = (id: string) => meterRepo.between(id, billingWindow(new Date()));
`,
      expect: [5],
    },
    {
      name: "ts: dayjs().startOf('month') in a subscription service",
      language: "typescript" as const,
      code: `import dayjs from "dayjs";

export class SubscriptionService {
  renewalWindow() {
    const from = dayjs().startOf("month").toDate();
    const to = dayjs().endOf("month").toDate();
    return { from, to };
  }
}
`,
      expect: [5, 6],
    },
    {
      name: "ts: UTC period boundaries",
      language: "typescript" as const,
      code: `import { usageRepo } from "./usage-repo.js";

export async function currentPeriodUsage(customerId: string) {
  const now = new Date();
  const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return usageRepo.sumBetween(customerId, periodStart, periodEnd);
}
`,
      expect: [],
    },
    {
      name: "ts: luxon in the customer's zone",
      language: "typescript" as const,
      code: `import { DateTime } from "luxon";

export function billingPeriod(customer: { timeZone: string }) {
  const start = DateTime.now().setZone(customer.timeZone).startOf("month");
  return { start, end: start.plus({ months: 1 }) };
}
`,
      expect: [],
    },
    {
      name: "ts: local dates outside billing code",
      language: "typescript" as const,
      code: `export function greeting(now = new Date()): string {
  const hour = now.getHours();
  const label = new Date(2024, 0, 1).toLocaleDateString();
  return hour < 12 ? "Good morning " + label : "Hello";
}
`,
      expect: [],
    },
    {
      name: "ts: billing words only in comments and strings, dayjs.utc",
      language: "typescript" as const,
      code: `import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
dayjs.extend(utc);

// new Date(y, m, 1) would use local time for the billing period.
export function monthStart() {
  const note = "getMonth() is local";
  return { from: dayjs.utc().startOf("month").toDate(), note };
}
`,
      expect: [],
    },
    {
      name: "ts: local getters for an invoice email label",
      language: "typescript" as const,
      code: `import { mailer } from "../mail/mailer.js";

export async function sendInvoiceEmail(invoice: { issuedAt: Date; email: string }) {
  const monthLabel = invoice.issuedAt.toLocaleString("en-US", { month: "long" });
  const dayOfMonth = invoice.issuedAt.getDate();
  await mailer.send(invoice.email, "Your invoice for " + monthLabel + " (" + dayOfMonth + ")");
}
`,
      expect: [],
    },
    {
      name: "py: datetime.now() for the billing period start",
      language: "python" as const,
      code: `from datetime import datetime
from app.usage import usage_repo

def current_billing_period(customer_id: str):
    now = datetime.now()
    period_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return usage_repo.sum_since(customer_id, period_start)
`,
      expect: [5],
    },
    {
      name: "py: date.today() month boundaries for invoices",
      language: "python" as const,
      code: `import calendar
from datetime import date

class InvoiceScheduler:
    def month_bounds(self):
        today = date.today()
        last_day = calendar.monthrange(today.year, today.month)[1]
        return today.replace(day=1), today.replace(day=last_day)
`,
      expect: [6],
    },
    {
      name: "py: datetime.datetime.now() in a celery invoice task",
      language: "python" as const,
      code: `import datetime
from celery import shared_task
from billing.invoices import close_invoices

@shared_task
def close_monthly_invoices():
    now = datetime.datetime.now()
    month_start = datetime.datetime(now.year, now.month, 1)
    close_invoices(before=month_start)
`,
      expect: [7],
    },
    {
      name: "py: pendulum.now() for subscription renewal cycle",
      language: "python" as const,
      code: `import pendulum

def next_renewal(subscription):
    cycle_start = pendulum.now().start_of("month")
    return cycle_start.add(months=1)
`,
      expect: [4],
    },
    {
      name: "py: UTC and customer zone",
      language: "python" as const,
      code: `from datetime import datetime, timezone
from zoneinfo import ZoneInfo

def current_billing_period(customer):
    now = datetime.now(ZoneInfo(customer.time_zone))
    period_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    generated_at = datetime.now(timezone.utc)
    return period_start, generated_at
`,
      expect: [],
    },
    {
      name: "py: datetime.now() in non-billing code",
      language: "python" as const,
      code: `from datetime import datetime

def month_label():
    now = datetime.now()
    return now.strftime("%B %Y")
`,
      expect: [],
    },
    {
      name: "py: naive now for a timestamp, not a period",
      language: "python" as const,
      code: `from datetime import datetime
from app.usage import usage_repo

def record_usage_event(customer_id: str, units: int):
    usage_repo.insert(customer_id=customer_id, units=units, received=datetime.now())
`,
      expect: [],
    },
    {
      name: "py: billing words in comments only, utcnow",
      language: "python" as const,
      code: `from datetime import datetime

# datetime.now() would give the billing period in local time.
def period_start():
    now = datetime.utcnow()
    return now.replace(day=1)
`,
      expect: [],
    },
    {
      name: "rs: Local::now() for the billing month",
      language: "rust" as const,
      code: `use chrono::{Datelike, Local, NaiveDate};
use crate::usage::UsageRepo;

pub async fn current_period_usage(repo: &UsageRepo, customer_id: &str) -> anyhow::Result<u64> {
    let now = Local::now();
    let period_start = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).unwrap();
    repo.sum_since(customer_id, period_start).await
}
`,
      expect: [5],
    },
    {
      name: "rs: chrono::Local::now() with_day(1) in invoice job",
      language: "rust" as const,
      code: `pub struct InvoiceJob;

impl InvoiceJob {
    pub fn cutoff(&self) -> chrono::DateTime<chrono::Local> {
        chrono::Local::now().with_day(1).unwrap()
    }
}
`,
      expect: [5],
    },
    {
      name: "rs: Local.with_ymd_and_hms for a statement period",
      language: "rust" as const,
      code: `use chrono::{Local, TimeZone};

pub fn statement_period(year: i32, month: u32) -> (chrono::DateTime<Local>, chrono::DateTime<Local>) {
    let start = Local.with_ymd_and_hms(year, month, 1, 0, 0, 0).unwrap();
    let end = Local.with_ymd_and_hms(year, month + 1, 1, 0, 0, 0).unwrap();
    (start, end)
}
`,
      expect: [4, 5],
    },
    {
      name: "rs: time OffsetDateTime::now_local for a billing cycle",
      language: "rust" as const,
      code: `use time::OffsetDateTime;

pub fn billing_cycle_start() -> time::Date {
    let now = OffsetDateTime::now_local().expect("local offset");
    now.date().replace_day(1).unwrap()
}
`,
      expect: [4],
    },
    {
      name: "rs: Utc and customer Tz",
      language: "rust" as const,
      code: `use chrono::{Datelike, TimeZone, Utc};
use chrono_tz::Tz;

pub fn billing_period_start(customer_tz: Tz) -> chrono::DateTime<Tz> {
    let now = Utc::now().with_timezone(&customer_tz);
    customer_tz.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).unwrap()
}
`,
      expect: [],
    },
    {
      name: "rs: Local::now() for log output outside billing",
      language: "rust" as const,
      code: `use chrono::Local;

pub fn banner() -> String {
    format!("started at {}", Local::now().format("%H:%M"))
}
`,
      expect: [],
    },
    {
      name: "rs: Local::now() in billing file but not a period",
      language: "rust" as const,
      code: `use chrono::Local;
use crate::usage::UsageEvent;

pub fn stamp(event: &mut UsageEvent) {
    event.received = Local::now().to_rfc3339();
}
`,
      expect: [],
    },
    {
      name: "rs: words in comments and strings only",
      language: "rust" as const,
      code: `// Local::now() must not be used for the billing period.
pub fn help_text() -> &'static str {
    "Local::now() for the invoice month is wrong"
}
`,
      expect: [],
    },
    {
      name: "ts: date-fns on a date shifted into the customer's zone",
      language: "typescript" as const,
      code: `import { startOfMonth, endOfMonth } from "date-fns";
import { toZonedTime } from "date-fns-tz";

export class BillingCycleService {
  invoiceWindow(tz: string, now: Date = new Date()) {
    const zoned = toZonedTime(now, tz);
    return { from: startOfMonth(zoned), to: endOfMonth(zoned) };
  }
}
`,
      expect: [],
    },
    {
      name: "ts: date-fns-tz wall clock rebuilt and converted back with fromZonedTime",
      path: "src/billing/cycle.ts",
      code: `import { fromZonedTime, toZonedTime } from "date-fns-tz";

export function cycleStart(now: Date, customerZone: string): Date {
  const wall = toZonedTime(now, customerZone);
  return fromZonedTime(new Date(wall.getFullYear(), wall.getMonth(), 1), customerZone);
}
`,
      expect: [],
    },
    {
      name: "ts: zoned wall clock rebuilt with new Date but never converted back",
      path: "src/billing/cycle.ts",
      code: `import { toZonedTime } from "date-fns-tz";

export function cycleStart(now: Date, customerZone: string): Date {
  const wall = toZonedTime(now, customerZone);
  return new Date(wall.getFullYear(), wall.getMonth(), 1);
}
`,
      expect: [5],
    },
    {
      name: "ts: fromZonedTime given the server-local fields of a plain Date",
      path: "src/billing/cycle.ts",
      code: `import { fromZonedTime } from "date-fns-tz";

export function cycleStart(now: Date, customerZone: string): Date {
  return fromZonedTime(new Date(now.getFullYear(), now.getMonth(), 1), customerZone);
}
`,
      expect: [4],
    },
    {
      name: "ts: zoned fields rebuilt into variables that are only handed to fromZonedTime",
      path: "src/billing/period.ts",
      code: `import { fromZonedTime, toZonedTime } from "date-fns-tz";

export function billingPeriod(at: Date, timeZone: string) {
  const wall = toZonedTime(at, timeZone);
  const first = new Date(wall.getFullYear(), wall.getMonth(), 1);
  const next = new Date(wall.getFullYear(), wall.getMonth() + 1, 1);
  return { start: fromZonedTime(first, timeZone), end: fromZonedTime(next, timeZone) };
}
`,
      expect: [],
    },
    {
      name: "ts: one rebuilt boundary converted back, the other used as it is",
      path: "src/billing/period.ts",
      code: `import { fromZonedTime, toZonedTime } from "date-fns-tz";

export function billingPeriod(at: Date, timeZone: string) {
  const wall = toZonedTime(at, timeZone);
  const first = new Date(wall.getFullYear(), wall.getMonth(), 1);
  const next = new Date(wall.getFullYear(), wall.getMonth() + 1, 1);
  return { start: fromZonedTime(first, timeZone), end: next };
}
`,
      expect: [6],
    },
    {
      name: "py: naive datetime(y, m, 1) month boundaries for a statement query",
      path: "app/statements/periods.py",
      code: `import datetime as dt


def statement_period(year: int, month: int):
    start = dt.datetime(year, month, 1)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1).astimezone(dt.timezone.utc)
    return start, end
`,
      expect: [5, 6],
    },
    {
      name: "py: from-imported datetime class, naive cycle start in an invoice job",
      path: "app/jobs/invoice_cycle.py",
      code: `from datetime import datetime


def cycle_start(sub):
    return datetime(sub.renews_on.year, sub.renews_on.month, 1, 0, 0)
`,
      expect: [5],
    },
    {
      name: "py: aware boundaries: tzinfo=, make_aware, replace(tzinfo=)",
      path: "app/statements/periods.py",
      code: `import datetime as dt
from zoneinfo import ZoneInfo
from django.utils import timezone


def statement_period(year: int, month: int, zone: str):
    start = dt.datetime(year, month, 1, tzinfo=ZoneInfo(zone))
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1), ZoneInfo(zone))
    mid = dt.datetime(year, month, 15).replace(tzinfo=dt.timezone.utc)
    return start, end, mid
`,
      expect: [],
    },
    {
      name: "py: naive datetime literal outside billing code and outside a period",
      path: "app/fixtures/users.py",
      code: `from datetime import datetime


def sample_user():
    return {"name": "ada", "born": datetime(1815, 12, 10)}
`,
      expect: [],
    },
  ];
}
