// Money held or computed in binary floating point.
// MDN, Number: "The JavaScript Number type is a double-precision 64-bit binary format IEEE 754 value".
// Python docs, decimal: "Decimal numbers can be represented exactly. In contrast, numbers like 1.1 and 2.2
// do not have exact representations in binary floating point."
import { Node as TsNode, SyntaxKind, type BinaryExpression, type CallExpression } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { ancestorOfKind, calleeText, line } from "./_lib/ts.js";
import { line as tline } from "./_lib/tree.js";
import { dedupeByLine, isCapName, isFloorName, isMoneyName, nameParts, isRateName, treeLastName, treeNames, tsLastName, tsNames, withMoneyContext } from "./_lib/business.js";

const ROUNDING = /^Math\.(round|floor|ceil|trunc)$/;

function tsTarget(node: TsNode): string {
  const parent = node.getParent();
  if (parent && TsNode.isVariableDeclaration(parent)) return parent.getName();
  if (parent && (TsNode.isPropertyAssignment(parent) || TsNode.isPropertyDeclaration(parent))) return parent.getName();
  if (parent && TsNode.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return tsLastName(parent.getLeft());
  return "";
}

function moneyIn(node: TsNode): string | undefined {
  const last = tsLastName(node);
  if (last && isMoneyName(last)) return last;
  return tsNames(node).find(isMoneyName);
}

function insideRounding(node: TsNode): boolean {
  const call = ancestorOfKind(node, SyntaxKind.CallExpression);
  return Boolean(call && ROUNDING.test(calleeText(call)) && call.getArguments().some((a) => a === node || a.containsRange(node.getPos(), node.getEnd())));
}

/** TS twin of pyFlow: `const total = Math.max(subtotal, parseFloat(cap))` -> subtotal, total. */
function tsFlow(node: TsNode): string[] {
  const names: string[] = [];
  let cur = node;
  for (let p = cur.getParent(); p; cur = p, p = p.getParent()) {
    if (TsNode.isBinaryExpression(p) && /^[-+*/]$/.test(p.getOperatorToken().getText())) names.push(tsLastName(p.getLeft() === cur ? p.getRight() : p.getLeft()));
    else if (TsNode.isCallExpression(p) && /^Math\.(min|max|round|abs)$/.test(calleeText(p)) && p.getArguments().includes(cur as never)) {
      for (const a of p.getArguments()) if (a !== cur) names.push(tsLastName(a));
    } else if (!TsNode.isParenthesizedExpression(p)) break;
  }
  names.push(tsTarget(cur));
  return names.filter(Boolean);
}

function tsParse(call: CallExpression): Report | undefined {
  const fn = calleeText(call);
  const arg = call.getArguments()[0];
  if (!arg || !/^(parseFloat|Number\.parseFloat|Number)$/.test(fn)) return undefined;
  const own = moneyIn(arg);
  const money = own ?? tsFlow(call).find(isMoneyName);
  if (!money) return undefined;
  const toFixed = arg.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => /\.toFixed$/.test(calleeText(c))) || /\.toFixed\(/.test(arg.getText()) && TsNode.isCallExpression(arg);
  const parent = call.getParent();
  const inArithmetic = parent && TsNode.isBinaryExpression(parent) && /^[*/]$/.test(parent.getOperatorToken().getText());
  if (fn === "Number" && !toFixed && !inArithmetic) return undefined;
  const what = toFixed ? "rounds" : "parses";
  if (!own) return { line: line(call), message: `\`${call.getText()}\` is a binary float that goes into the money value \`${money}\`; cents are lost or invented in arithmetic.` };
  return { line: line(call), message: `\`${fn}(…)\` ${what} \`${money}\` as a binary float; cents are lost or invented in arithmetic.` };
}

function tsMultiply(bin: BinaryExpression): Report | undefined {
  if (bin.getOperatorToken().getText() !== "*") return undefined;
  const [a, b] = [bin.getLeft(), bin.getRight()];
  for (const [money, other] of [[a, b], [b, a]] as const) {
    const name = tsLastName(money);
    if (!isMoneyName(name)) continue;
    const fraction = TsNode.isNumericLiteral(other) && /[.eE]/.test(other.getText());
    const rate = isRateName(tsLastName(other));
    if ((fraction || rate) && !insideRounding(bin)) {
      return { line: line(bin), message: `\`${bin.getText()}\` computes money (\`${name}\`) in floating point and never rounds to a currency unit.` };
    }
  }
  return undefined;
}

/** `Math.round(total * 100) / 100`: rounding a float money value to cents. */
function tsRoundTrip(bin: BinaryExpression): Report | undefined {
  const right = bin.getRight();
  if (bin.getOperatorToken().getText() !== "/" || !/^(100|1000|1e2)$/.test(right.getText())) return undefined;
  const left = bin.getLeft();
  if (!TsNode.isCallExpression(left) || !ROUNDING.test(calleeText(left))) return undefined;
  const money = left.getArguments()[0] && moneyIn(left.getArguments()[0]);
  if (!money) return undefined;
  return { line: line(bin), message: `\`${bin.getText()}\` rounds \`${money}\` as a float; the result still cannot hold exact cents.` };
}

const ORM_FLOAT = /^["'`](float|float4|float8|double|double precision|real)["'`]$/i;

/**
 * ORM columns declared as floats: TypeORM/MikroORM `@Column("float")`, `@Column({ type: "double" })`,
 * Sequelize `price: DataTypes.FLOAT` / `{ type: DataTypes.DOUBLE }`.
 */
function tsOrmColumns(file: ParsedFile): Report[] {
  const out: Report[] = [];
  for (const prop of file.ts!.getDescendantsOfKind(SyntaxKind.PropertyDeclaration)) {
    const name = prop.getName();
    if (!isMoneyName(name)) continue;
    for (const dec of prop.getDecorators()) {
      if (!/^(Column|Property|PrimaryColumn)$/.test(dec.getName())) continue;
      const args = dec.getArguments();
      const typeArg = args.find((a) => TsNode.isStringLiteral(a)) ??
        args.flatMap((a) => (TsNode.isObjectLiteralExpression(a) ? [a.getProperty("type"), a.getProperty("columnType")] : []))
          .map((p) => (p && TsNode.isPropertyAssignment(p) ? p.getInitializer() : undefined)).find(Boolean);
      if (typeArg && ORM_FLOAT.test(typeArg.getText())) {
        out.push({ line: line(prop), message: `Column \`${name}\` is stored as ${typeArg.getText()}; money needs a numeric/decimal column or integer minor units.` });
      }
    }
  }
  for (const pa of file.ts!.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
    const name = pa.getName().replace(/^["']|["']$/g, "");
    const init = pa.getInitializer();
    if (!init || !isMoneyName(name)) continue;
    const type = TsNode.isObjectLiteralExpression(init) ? init.getProperty("type") : undefined;
    const typeText = type && TsNode.isPropertyAssignment(type) ? type.getInitializer()?.getText() ?? "" : init.getText();
    if (/^(DataTypes|Sequelize|sequelize\.DataTypes)\.(FLOAT|DOUBLE|REAL)\b/.test(typeText)) {
      out.push({ line: line(pa), message: `Column \`${name}\` is declared as ${typeText}; money needs DECIMAL or integer minor units.` });
    }
  }
  return out;
}

/**
 * `plan.pricePerCall.toNumber()` (Prisma/decimal.js Decimal), `price.toFloat()`: an exact decimal turned into a float,
 * then kept in a variable or used in arithmetic.
 */
function tsToNumber(call: CallExpression): Report | undefined {
  const callee = call.getExpression();
  if (!TsNode.isPropertyAccessExpression(callee) || !/^(toNumber|toFloat|toJSNumber)$/.test(callee.getName()) || call.getArguments().length) return undefined;
  const money = tsLastName(callee.getExpression());
  if (!isMoneyName(money)) return undefined;
  const parent = call.getParent();
  const kept = parent && (TsNode.isVariableDeclaration(parent) || (TsNode.isBinaryExpression(parent) && /^[-+*/]$|^=$/.test(parent.getOperatorToken().getText())));
  if (!kept) return undefined;
  return { line: line(call), message: `\`${call.getText()}\` turns the exact decimal \`${money}\` into a binary float before computing with it; keep Decimal arithmetic (or integer cents) until the final rounding.` };
}

const MINOR = new Set(["cents", "cent", "minor", "pence", "micros"]);
const isMinorName = (name: string) => nameParts(name).some((p) => MINOR.has(p));
const FORMATTING = /(^|\.)(format|toFixed|toLocaleString|toString|toPrecision|String|log|info|debug|warn|error)$/;

/**
 * A file whose money convention is integer minor units (`monthlyCapCents: number`) but that also declares a money
 * field or parameter as a bare `number` with no unit (`pricePerCall: number`, `amount: number`): those hold major
 * units, i.e. fractions of a currency unit in binary floating point. Returns the names and the declarations.
 */
function tsMajorUnitFields(file: ParsedFile): { names: Set<string>; reports: Report[] } {
  const sf = file.ts!;
  const decls = [
    ...sf.getDescendantsOfKind(SyntaxKind.PropertySignature),
    ...sf.getDescendantsOfKind(SyntaxKind.PropertyDeclaration),
    ...sf.getDescendantsOfKind(SyntaxKind.Parameter),
  ].filter((d) => d.getTypeNode()?.getText() === "number");
  const names = new Set<string>();
  const reports: Report[] = [];
  if (!decls.some((d) => isMinorName(d.getName()))) return { names, reports };
  for (const d of decls) {
    const name = d.getName();
    if (!isMoneyName(name) || TsNode.isParameterDeclaration(d)) continue;
    names.add(name);
    reports.push({ line: line(d), message: `\`${name}: number\` holds money in major units (a binary float) while the file keeps other money in integer minor units; store it as integer cents too (\`${name}Cents\`) or as a decimal.` });
  }
  return { names, reports };
}

/**
 * `plan.monthlyCapCents / 100` used in a computation (Math.min/max, arithmetic, a money variable) rather than only
 * for display: exact integer cents turned into a float amount; and arithmetic on a major-unit float field.
 */
function tsMajorUnitArithmetic(bin: BinaryExpression, floatFields: Set<string>): Report | undefined {
  const op = bin.getOperatorToken().getText();
  if (op === "/" && isMinorName(tsLastName(bin.getLeft())) && /^(100|1000|1e2|1e3|10\s*\*\*\s*\w+)$/.test(bin.getRight().getText())) {
    let cur: TsNode = bin;
    while (TsNode.isParenthesizedExpression(cur.getParent()!)) cur = cur.getParent()!;
    const p = cur.getParent();
    const call = p && TsNode.isCallExpression(p) ? calleeText(p) : "";
    if (FORMATTING.test(call) || (p && TsNode.isTemplateSpan(p))) return undefined;
    const computed = /^Math\.(min|max)$/.test(call) || (p && TsNode.isBinaryExpression(p) && /^[-+*/<>]=?$/.test(p.getOperatorToken().getText())) || (p && TsNode.isVariableDeclaration(p) && isMoneyName(p.getName()));
    if (computed) return { line: line(bin), message: `\`${bin.getText()}\` turns exact integer ${tsLastName(bin.getLeft())} into a float amount and computes with it; compare and compute in cents, convert only to display.` };
  }
  if (op === "*" || op === "/") {
    const name = [tsLastName(bin.getLeft()), tsLastName(bin.getRight())].find((n) => floatFields.has(n));
    if (name && !insideRounding(bin)) return { line: line(bin), message: `\`${bin.getText()}\` computes money from the major-unit float \`${name}\`; the result carries binary rounding error.` };
  }
  return undefined;
}

function tsDetect(file: ParsedFile): Report[] {
  const major = tsMajorUnitFields(file);
  const out: Report[] = [...tsOrmColumns(file), ...major.reports];
  for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const r = tsParse(call) ?? tsToNumber(call);
    if (r) out.push(r);
  }
  for (const bin of file.ts!.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const r = tsRoundTrip(bin) ?? tsMultiply(bin) ?? tsMajorUnitArithmetic(bin, major.names);
    if (r) out.push(r);
  }
  return dedupeByLine(out.sort((x, y) => x.line - y.line));
}

// --- Python ---

function pyIsFloatType(type: Node | null | undefined): boolean {
  return Boolean(type && /^(float|Optional\[float\]|float \| None|None \| float|typing\.Optional\[float\])$/.test(type.text.replace(/\s+/g, " ")));
}

function pyAnnotations(root: Node): Report[] {
  const out: Report[] = [];
  for (const p of root.descendantsOfType(["typed_parameter", "typed_default_parameter"])) {
    const name = p!.childForFieldName("name")?.text ?? p!.namedChildren[0]?.text ?? "";
    if (isMoneyName(name) && pyIsFloatType(p!.childForFieldName("type"))) out.push({ line: tline(p!), message: `Parameter \`${name}: float\` holds money in binary floating point.` });
  }
  for (const a of root.descendantsOfType("assignment")) {
    const name = treeLastName(a!.childForFieldName("left"));
    if (isMoneyName(name) && pyIsFloatType(a!.childForFieldName("type"))) out.push({ line: tline(a!), message: `\`${name}: float\` holds money in binary floating point.` });
  }
  for (const fn of root.descendantsOfType("function_definition")) {
    const name = fn!.childForFieldName("name")?.text ?? "";
    if (isMoneyName(name) && pyIsFloatType(fn!.childForFieldName("return_type"))) out.push({ line: tline(fn!), message: `\`${name}() -> float\` returns money in binary floating point.` });
  }
  return out;
}

function pyTarget(node: Node): string {
  const parent = node.parent;
  if (parent?.type === "assignment" && parent.childForFieldName("right")?.id === node.id) return treeLastName(parent.childForFieldName("left"));
  if (parent?.type === "keyword_argument") return parent.childForFieldName("name")?.text ?? "";
  if (parent?.type === "pair") return treeLastName(parent.childForFieldName("key"));
  return "";
}

/**
 * The names a converted value is combined with on its way to a variable: through `min`/`max`/`round`/`abs`, arithmetic
 * and parentheses, the operands beside it and the target (`total = max(subtotal, float(cap))` -> subtotal, total).
 */
function pyFlow(node: Node): string[] {
  const names: string[] = [];
  let cur = node;
  for (let p = cur.parent; p; cur = p, p = p.parent) {
    if (p.type === "binary_operator" && /^[-+*/]$/.test(p.childForFieldName("operator")?.text ?? "")) {
      const other = p.childForFieldName("left")?.id === cur.id ? p.childForFieldName("right") : p.childForFieldName("left");
      if (other) names.push(treeLastName(other));
    } else if (p.type === "argument_list" && /^(min|max|round|abs|sum)$/.test(p.parent?.childForFieldName("function")?.text ?? "")) {
      for (const a of p.namedChildren) if (a && a.id !== cur.id && a.type !== "keyword_argument") names.push(treeLastName(a));
      p = p.parent!;
    } else if (p.type !== "parenthesized_expression" && p.type !== "unary_operator") break;
  }
  names.push(pyTarget(cur));
  return names.filter(Boolean);
}

function pyCalls(root: Node): Report[] {
  const out: Report[] = [];
  for (const call of root.descendantsOfType("call")) {
    if (call!.childForFieldName("function")?.text !== "float") continue;
    const arg = call!.childForFieldName("arguments")?.namedChildren[0];
    if (!arg) continue;
    const flow = pyFlow(call!);
    const own = [treeLastName(arg), ...treeNames(arg)].find(isMoneyName);
    const joined = own ? undefined : flow.find(isMoneyName);
    if (own) out.push({ line: tline(call!), message: `\`float(…)\` turns \`${own}\` into a binary float; use \`Decimal(str(…))\` or integer cents.` });
    else if (joined) out.push({ line: tline(call!), message: `\`${call!.text}\` is a binary float that goes into the money value \`${joined}\`; use \`Decimal(str(…))\` or integer cents.` });
  }
  return out;
}

function treeMultiply(root: Node, type: string, floatType: string, label: string): Report[] {
  const out: Report[] = [];
  for (const bin of root.descendantsOfType(type)) {
    const op = bin!.childForFieldName("operator")?.text;
    if (op !== "*") continue;
    const [a, b] = [bin!.childForFieldName("left"), bin!.childForFieldName("right")];
    for (const [money, other] of [[a, b], [b, a]]) {
      const name = treeLastName(money);
      if (isMoneyName(name) && other?.type === floatType) {
        out.push({ line: tline(bin!), message: `\`${bin!.text}\` multiplies money (\`${name}\`) by a float ${label}.` });
        break;
      }
    }
  }
  return out;
}

/** Django `amount = models.FloatField()`, SQLAlchemy `amount = Column(Float)` / `mapped_column(Float)`. */
function pyOrmColumns(root: Node): Report[] {
  const out: Report[] = [];
  for (const a of root.descendantsOfType("assignment")) {
    const name = treeLastName(a!.childForFieldName("left"));
    const right = a!.childForFieldName("right");
    if (!right || right.type !== "call" || !isMoneyName(name)) continue;
    const fn = right.childForFieldName("function")?.text ?? "";
    const args = right.childForFieldName("arguments")?.namedChildren ?? [];
    const django = /(^|\.)FloatField$/.test(fn);
    const sqla = /(^|\.)(Column|mapped_column|Field)$/.test(fn) && args.some((x) => /^(sa\.|sqlalchemy\.|types\.)?(Float|REAL|DOUBLE|Double|DOUBLE_PRECISION)(\(|$)/.test(x?.text ?? "") || (x?.type === "keyword_argument" && /^sa_type$|^type_$/.test(x.childForFieldName("name")?.text ?? "") && /Float|Double|REAL/.test(x.childForFieldName("value")?.text ?? "")));
    if (django || sqla) out.push({ line: tline(a!), message: `Column \`${name}\` is a float column (\`${fn}\`); money needs a Decimal/Numeric column or integer cents.` });
  }
  return out;
}

function pyDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const out = [...pyOrmColumns(root), ...pyAnnotations(root), ...pyCalls(root), ...treeMultiply(root, "binary_operator", "float", "literal (a `Decimal` would refuse it)")];
  return dedupeByLine(out.sort((x, y) => x.line - y.line));
}

// --- Rust ---

function rsIsFloat(type: Node | null | undefined): boolean {
  return Boolean(type && /^&?(mut )?(f64|f32|Option<f(64|32)>)$/.test(type.text.replace(/\s+/g, "")));
}

/**
 * Arithmetic on money the file declares as a float (`price_per_call: f64`), or money multiplied by a value cast to a
 * float (`calls as f64 * plan.price`): the computation itself is in floating point.
 */
function rsFloatArithmetic(root: Node): Report[] {
  const floatMoney = new Set<string>();
  for (const f of root.descendantsOfType(["field_declaration", "parameter", "let_declaration"])) {
    const name = (f!.childForFieldName("name") ?? f!.childForFieldName("pattern"))?.text.replace(/^mut\s+/, "") ?? "";
    if (isMoneyName(name) && rsIsFloat(f!.childForFieldName("type"))) floatMoney.add(name);
  }
  const out: Report[] = [];
  const reported = new Set<number>();
  for (const bin of root.descendantsOfType("binary_expression")) {
    if (!/^[*/+-]$/.test(bin!.childForFieldName("operator")?.text ?? "")) continue;
    const [a, b] = [bin!.childForFieldName("left"), bin!.childForFieldName("right")];
    for (const [money, other] of [[a, b], [b, a]]) {
      const name = treeLastName(money);
      if (!isMoneyName(name) || reported.has(tline(bin!))) continue;
      const cast = other?.type === "type_cast_expression" && /^f(32|64)$/.test(other.childForFieldName("type")?.text ?? "");
      if (cast || (floatMoney.has(name) && /^[*/]$/.test(bin!.childForFieldName("operator")!.text))) {
        reported.add(tline(bin!));
        out.push({ line: tline(bin!), message: `\`${bin!.text}\` computes money (\`${name}\`) in floating point; rounding the result afterwards does not undo the error.` });
        break;
      }
    }
  }
  return out;
}

function rsDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const out: Report[] = [];
  const check = (node: Node, name: string, type: Node | null | undefined, what: string) => {
    if (isMoneyName(name) && rsIsFloat(type)) out.push({ line: tline(node), message: `${what} \`${name}: ${type!.text}\` holds money in binary floating point.` });
  };
  for (const f of root.descendantsOfType("field_declaration")) check(f!, f!.childForFieldName("name")?.text ?? "", f!.childForFieldName("type"), "Field");
  // A cap or floor kept as a float beside float money in the same struct (`monthly_cap: f64` next to
  // `price_per_request: f64`) is an amount of the same money.
  for (const list of root.descendantsOfType("field_declaration_list")) {
    const fields = list!.namedChildren.filter((c) => c?.type === "field_declaration") as Node[];
    const named = fields.map((f) => ({ f, name: f.childForFieldName("name")?.text ?? "", float: rsIsFloat(f.childForFieldName("type")) }));
    if (!named.some((x) => x.float && isMoneyName(x.name))) continue;
    for (const x of named) {
      if (x.float && !isMoneyName(x.name) && (isCapName(x.name) || isFloorName(x.name)) && !nameParts(x.name).some((p) => /^(requests?|calls?|units?|count|bytes|seconds|rate|ratio|percent|pct|qty|quantity|weight|score)$/.test(p))) {
        out.push({ line: tline(x.f), message: `Field \`${x.name}: ${x.f.childForFieldName("type")!.text}\` is a money cap beside float prices: it holds money in binary floating point.` });
      }
    }
  }
  for (const p of root.descendantsOfType("parameter")) check(p!, p!.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") ?? "", p!.childForFieldName("type"), "Parameter");
  for (const c of root.descendantsOfType(["const_item", "static_item"])) check(c!, c!.childForFieldName("name")?.text ?? "", c!.childForFieldName("type"), "Constant");
  for (const l of root.descendantsOfType("let_declaration")) {
    const name = l!.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") ?? "";
    const type = l!.childForFieldName("type");
    if (type) check(l!, name, type, "Variable");
    else if (isMoneyName(name) && /parse::<f(64|32)>|\bas f(64|32)\s*;?$/.test(l!.childForFieldName("value")?.text ?? "")) {
      out.push({ line: tline(l!), message: `\`${name}\` is parsed or cast to a float; money loses exactness.` });
    }
  }
  for (const fn of root.descendantsOfType(["function_item", "function_signature_item"])) {
    const name = fn!.childForFieldName("name")?.text ?? "";
    const ret = fn!.childForFieldName("return_type");
    if (isMoneyName(name) && rsIsFloat(ret)) out.push({ line: tline(fn!), message: `\`fn ${name}() -> ${ret!.text}\` returns money in binary floating point.` });
  }
  out.push(...treeMultiply(root, "binary_expression", "float_literal", "literal"));
  out.push(...rsFloatArithmetic(root));
  return dedupeByLine(out.sort((x, y) => x.line - y.line));
}

export default defineRule({
  meta: {
    id: "float-money",
    category: "business",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "Money is parsed, stored or computed as a binary floating-point number.",
    why: "Binary floats cannot represent most decimal amounts (0.1 + 0.2 != 0.3), so totals, taxes and refunds drift by cents, invoices stop reconciling with the payment provider, and customers dispute them.",
    fix: "Keep money as integer minor units (cents) or a decimal type (Decimal in Python, rust_decimal in Rust, big.js/dinero.js in TypeScript), and round once, explicitly, with the currency's rule.",
    docs: [
      "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Number",
      "https://docs.python.org/3/library/decimal.html",
      "https://docs.rs/rust_decimal/latest/rust_decimal/",
    ],
  },
  detect: {
    typescript: (f) => withMoneyContext(f.text, () => tsDetect(f)),
    python: (f) => withMoneyContext(f.text, () => pyDetect(f)),
    rust: (f) => withMoneyContext(f.text, () => rsDetect(f)),
  },
  cases: CASES(),
});

function CASES() {
  return [
    {
      name: "rust: a weather aggregate's `total: f64` in a file with no money in it",
      language: "rust" as const,
      path: "src/db.rs",
      code: `pub struct WeatherAgg {
    pub year: i32,
    pub month: i32,
    pub total: f64,
}
`,
      expect: [],
    },
    {
      name: "rust: an order's `total: f64` beside its price",
      language: "rust" as const,
      path: "src/orders.rs",
      code: `pub struct Order {
    pub price: i64,
    pub total: f64,
}
`,
      expect: [3],
    },
    {
      name: "ts: parseFloat on a price from the request body",
      language: "typescript" as const,
      code: `import { Router } from "express";
import { orders } from "./orders.js";

export const router = Router();

router.post("/orders", async (req, res) => {
  const unitPrice = parseFloat(req.body.unitPrice);
  const quantity = Number.parseInt(req.body.quantity, 10);
  const order = await orders.create({ unitPrice, quantity });
  res.status(201).json(order);
});
`,
      expect: [7],
    },
    {
      name: "ts: tax computed with a float rate and rounded through toFixed",
      language: "typescript" as const,
      code: `export interface LineItem { sku: string; price: number; qty: number }

export function invoiceTotals(items: LineItem[], taxRate: number) {
  const subtotal = items.reduce((sum, i) => sum + i.price * i.qty, 0);
  const tax = subtotal * taxRate;
  const total = Number((subtotal + tax).toFixed(2));
  return { subtotal, tax, total };
}
`,
      expect: [5, 6],
    },
    {
      name: "ts: Math.round(x * 100) / 100 on a discount amount",
      language: "typescript" as const,
      code: `import type { Coupon } from "./coupons.js";

export class DiscountService {
  apply(amount: number, coupon: Coupon): number {
    const discounted = amount * 0.85;
    return Math.round(discounted * 100) / 100;
  }
}
`,
      expect: [5],
    },
    {
      name: "ts: Number(balance) multiplied by an fx rate",
      language: "typescript" as const,
      code: `import { fx } from "../fx/client.js";

export async function convertBalance(account: { balance: string; currency: string }, target: string) {
  const rate = await fx.rate(account.currency, target);
  return Number(account.balance) * rate;
}
`,
      expect: [5],
    },
    {
      name: "ts: integer cents and Math.round on cents",
      language: "typescript" as const,
      code: `export interface LineItem { sku: string; unitPriceCents: number; qty: number }

export function invoiceTotals(items: LineItem[], taxRateBps: number) {
  const subtotalCents = items.reduce((sum, i) => sum + i.unitPriceCents * i.qty, 0);
  const taxCents = Math.round((subtotalCents * taxRateBps) / 10_000);
  return { subtotalCents, taxCents, totalCents: subtotalCents + taxCents };
}
`,
      expect: [],
    },
    {
      name: "ts: big.js and dinero.js for money",
      language: "typescript" as const,
      code: `import Big from "big.js";
import { dinero, multiply } from "dinero.js";
import { USD } from "@dinero.js/currencies";

export function priceWithTax(price: string, taxRate: string): string {
  return new Big(price).times(new Big(1).plus(taxRate)).round(2).toFixed(2);
}

export function lineTotal(amountCents: number, qty: number) {
  return multiply(dinero({ amount: amountCents, currency: USD }), qty);
}
`,
      expect: [],
    },
    {
      name: "ts: parseFloat on non-money values and money words in comments",
      language: "typescript" as const,
      code: `// Do not parseFloat(price): prices are integer cents.
export function parseLatency(header: string | undefined): number {
  const latencyMs = parseFloat(header ?? "0");
  const message = "parseFloat(amount) is forbidden here";
  return latencyMs * 1.5;
}
`,
      expect: [],
    },
    {
      name: "ts: percentages and scores computed as floats",
      language: "typescript" as const,
      code: `export function utilisation(usedUnits: number, quotaUnits: number) {
  const ratio = usedUnits / quotaUnits;
  const percent = Number((ratio * 100).toFixed(1));
  const score = parseFloat(process.env.SCORE_WEIGHT ?? "0.5") * ratio;
  return { percent, score };
}
`,
      expect: [],
    },
    {
      name: "py: float() on a request amount and a float price annotation",
      language: "python" as const,
      code: `from dataclasses import dataclass
from fastapi import APIRouter, Request

router = APIRouter()

@dataclass
class Charge:
    customer_id: str
    amount: float

@router.post("/charges")
async def create_charge(request: Request):
    body = await request.json()
    amount = float(body["amount"])
    return Charge(customer_id=body["customer_id"], amount=amount)
`,
      expect: [9, 14],
    },
    {
      name: "py: tax multiplied by a float literal",
      language: "python" as const,
      code: `from decimal import Decimal

def invoice_totals(lines):
    subtotal = sum(line.unit_price * line.qty for line in lines)
    tax = subtotal * 0.2
    return subtotal + tax
`,
      expect: [5],
    },
    {
      name: "py: function returning a float total",
      language: "python" as const,
      code: `from app.repo import usage_repo

def monthly_total(account_id: str, price_per_call: float) -> float:
    calls = usage_repo.count_calls(account_id)
    return calls * price_per_call
`,
      expect: [3],
    },
    {
      name: "py: pydantic model with a float balance",
      language: "python" as const,
      code: `from pydantic import BaseModel

class WalletOut(BaseModel):
    wallet_id: str
    balance: float
    currency: str
`,
      expect: [5],
    },
    {
      name: "py: Decimal money end to end",
      language: "python" as const,
      code: `from decimal import Decimal, ROUND_HALF_UP
from dataclasses import dataclass

@dataclass
class Charge:
    customer_id: str
    amount: Decimal

def tax_for(amount: Decimal, tax_rate: Decimal) -> Decimal:
    return (amount * tax_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

def parse_amount(body: dict) -> Decimal:
    return Decimal(str(body["amount"]))
`,
      expect: [],
    },
    {
      name: "py: integer cents",
      language: "python" as const,
      code: `def invoice_totals(lines, tax_rate_bps: int):
    subtotal_cents = sum(line.unit_price_cents * line.qty for line in lines)
    tax_cents = (subtotal_cents * tax_rate_bps + 5_000) // 10_000
    return subtotal_cents + tax_cents
`,
      expect: [],
    },
    {
      name: "py: floats for latency and ratios, money words in strings",
      language: "python" as const,
      code: `import time

def timed(fn):
    start = time.monotonic()
    fn()
    elapsed: float = time.monotonic() - start
    note = "never use float(amount) for money"
    error_rate = float(errors) / float(total_requests)
    return elapsed * 1.5, note, error_rate
`,
      expect: [],
    },
    {
      name: "py: float() for a tax rate percentage",
      language: "python" as const,
      code: `import os

TAX_RATE_PERCENT = float(os.environ.get("TAX_RATE_PERCENT", "20"))

def rate_multiplier() -> float:
    return TAX_RATE_PERCENT / 100
`,
      expect: [],
    },
    {
      name: "rs: f64 fields on an invoice struct",
      language: "rust" as const,
      code: `use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Invoice {
    pub id: String,
    pub customer_id: String,
    pub subtotal: f64,
    pub tax_rate: f64,
    pub total: f64,
}
`,
      expect: [7, 9],
    },
    {
      name: "rs: function computing a price in f64",
      language: "rust" as const,
      code: `use crate::plans::Plan;

pub fn prorated_price(plan: &Plan, days_used: u32, days_in_period: u32) -> f64 {
    let fraction = days_used as f64 / days_in_period as f64;
    plan.monthly_price * fraction
}
`,
      expect: [3],
    },
    {
      name: "rs: amount parameter and parse::<f64>",
      language: "rust" as const,
      code: `use axum::Json;
use crate::payments::PaymentRequest;

pub async fn refund(Json(body): Json<PaymentRequest>) -> Result<String, String> {
    let amount = body.amount.parse::<f64>().map_err(|e| e.to_string())?;
    issue_refund(&body.payment_id, amount).await
}

async fn issue_refund(payment_id: &str, amount: f64) -> Result<String, String> {
    Ok(format!("{payment_id}:{amount}"))
}
`,
      expect: [5, 9],
    },
    {
      name: "rs: balance multiplied by a float literal",
      language: "rust" as const,
      code: `pub struct Wallet { pub owner: String, pub balance: Option<f64> }

pub fn with_bonus(w: &Wallet) -> Option<f64> {
    w.balance.map(|balance| balance * 1.05)
}
`,
      expect: [1, 4],
    },
    {
      name: "rs: rust_decimal and integer cents",
      language: "rust" as const,
      code: `use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub struct Invoice {
    pub subtotal: Decimal,
    pub total_cents: i64,
    pub tax_rate: Decimal,
}

pub fn total(inv: &Invoice) -> Decimal {
    (inv.subtotal * (dec!(1) + inv.tax_rate)).round_dp(2)
}
`,
      expect: [],
    },
    {
      name: "rs: f64 for metrics, money words in comments and strings",
      language: "rust" as const,
      code: `// total: f64 would be wrong for money; this is latency.
pub struct Stats {
    pub p99_latency_ms: f64,
    pub error_rate: f64,
}

pub fn describe(s: &Stats) -> String {
    let label = "amount: f64";
    format!("{label} {}", s.p99_latency_ms * 1.0)
}
`,
      expect: [],
    },
    {
      name: "rs: float ratios in a billing module",
      language: "rust" as const,
      code: `pub struct Usage { pub calls: u64, pub quota_calls: u64 }

pub fn utilisation_ratio(u: &Usage) -> f64 {
    u.calls as f64 / u.quota_calls as f64
}

pub fn total_calls(items: &[Usage]) -> u64 {
    items.iter().map(|u| u.calls).sum()
}
`,
      expect: [],
    },
    {
      name: "rs: i64 cents parameters",
      language: "rust" as const,
      code: `pub fn apply_credit(amount_cents: i64, credit_cents: i64) -> i64 {
    (amount_cents - credit_cents).max(0)
}

pub fn price_label(price_cents: i64) -> String {
    format!("{}.{:02}", price_cents / 100, price_cents % 100)
}
`,
      expect: [],
    },
    {
      name: "ts: TypeORM float column for a price",
      language: "typescript" as const,
      code: `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class InvoiceLine {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column("float") unitPrice!: number;
  @Column({ type: "double precision" }) amount!: number;
  @Column("int") quantity!: number;
  @Column("numeric", { precision: 12, scale: 2 }) total!: string;
  @Column("float") weightKg!: number;
}
`,
      expect: [6, 7],
    },
    {
      name: "py: Django FloatField and SQLAlchemy Float for money",
      language: "python" as const,
      code: `from django.db import models
from sqlalchemy import Column, Float, Integer, Numeric
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Payment(models.Model):
    amount = models.FloatField()
    fee = models.DecimalField(max_digits=12, decimal_places=2)
    success_rate = models.FloatField(default=0.0)


class Refund(Base):
    __tablename__ = "refunds"
    id = Column(Integer, primary_key=True)
    refund_amount = Column(Float, nullable=False)
    amount_cents = Column(Integer, nullable=False)
    tax = Column(Numeric(12, 2))
`,
      expect: [9, 17],
    },
    {
      name: "ts: Prisma Decimal price turned into a number before multiplying",
      language: "typescript" as const,
      code: `import type { Product } from "@prisma/client";

export function lineTotal(product: Product, quantity: number): number {
  const unitPrice = product.unitPrice.toNumber();
  return unitPrice * quantity;
}
`,
      expect: [4],
    },
    {
      name: "ts: Decimal arithmetic kept; toNumber only on a count",
      language: "typescript" as const,
      code: `import { Prisma, type Product } from "@prisma/client";

export function lineTotal(product: Product, quantity: Prisma.Decimal): Prisma.Decimal {
  const units = quantity.toNumber();
  return product.unitPrice.mul(units);
}
`,
      expect: [],
    },
    {
      name: "rs: usage cast to f64 and multiplied by the price",
      language: "rust" as const,
      code: `pub fn usage_charge(units: u64, unit_price: rust_decimal::Decimal) -> i64 {
    let price = unit_price.to_f64().unwrap_or(0.0);
    ((units as f64 * price) * 100.0).round() as i64
}
`,
      expect: [3],
    },
    {
      name: "rs: integer cents times an integer count",
      language: "rust" as const,
      code: `pub fn usage_charge(units: i64, unit_price_cents: i64) -> i64 {
    units * unit_price_cents
}
`,
      expect: [],
    },
    {
      name: "py: float() of a cap or surcharge that goes into a money total",
      language: "python" as const,
      code: `def close_month(contract, calls: int):
    subtotal = calls * contract.unit_price_decimal
    total = max(subtotal, float(contract.monthly_cap))
    return total


def invoice_total(invoice, extra):
    grand_total = invoice.subtotal + float(extra.surcharge_value)
    return grand_total
`,
      expect: [3, 8],
    },
    {
      name: "py: float() of counts and timings combined with non-money values",
      language: "python" as const,
      code: `def ratio(report):
    share = max(report.hits, float(report.misses))
    elapsed_total_s = float(report.elapsed_ms) / 1000
    return share, elapsed_total_s


def avg_latency(samples):
    return sum(float(s.latency) for s in samples) / max(len(samples), 1)
`,
      expect: [],
    },
    {
      name: "ts: parseFloat of a cap that ends up in the total",
      language: "typescript" as const,
      code: `export function closeMonth(contract: { monthlyCap: string }, subtotal: number) {
  const total = Math.max(subtotal, parseFloat(contract.monthlyCap));
  return total;
}
`,
      expect: [2],
    },
    {
      name: "ts: parseFloat of a latency combined with a count",
      language: "typescript" as const,
      code: `export function slowest(samples: string[], floorMs: number) {
  const worst = Math.max(floorMs, ...samples.map((s) => 0), parseFloat(samples[0] ?? "0"));
  return worst;
}
`,
      expect: [],
    },
    {
      name: "ts: unit-less money fields beside a cents field, a major-unit product and cents turned into a float to compare",
      language: "typescript" as const,
      code: `export interface Tariff {
  perSeatPrice: number;
  minimumChargeCents: number;
}

export interface Statement {
  fee: number;
}

export function seatCharge(t: Tariff, seats: number): number {
  const base = seats * t.perSeatPrice;
  return Math.max(base, t.minimumChargeCents / 100);
}
`,
      expect: [2, 7, 11, 12],
    },
    {
      name: "ts: money kept in cents throughout; dividing by 100 only to display it",
      language: "typescript" as const,
      code: `export interface Tariff {
  perSeatPriceCents: number;
  minimumChargeCents: number;
  seats: number;
}

export function seatChargeCents(t: Tariff): number {
  return Math.max(t.seats * t.perSeatPriceCents, t.minimumChargeCents);
}

export const label = (t: Tariff) => \`\${(t.minimumChargeCents / 100).toFixed(2)} EUR\`;
export const shown = (cents: number) => new Intl.NumberFormat("en", { style: "currency", currency: "EUR" }).format(cents / 100);
`,
      expect: [],
    },
    {
      name: "rs: a spend cap kept as f64 next to an f64 price in the same struct",
      language: "rust" as const,
      code: `pub struct Contract {
    pub customer_id: String,
    pub unit_price: f64,
    pub spend_limit: f64,
}
`,
      expect: [3, 4],
    },
    {
      name: "rs: a float request cap or ratio limit beside integer money is not money",
      language: "rust" as const,
      code: `pub struct Contract {
    pub unit_price_cents: i64,
    pub max_requests_per_second: f64,
    pub burst_ratio_limit: f64,
}

pub struct Throttle {
    pub price_cents: i64,
    pub max_load: f64,
}
`,
      expect: [],
    },
  ];
}
