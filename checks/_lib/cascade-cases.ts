// stale-dependents cases for the call sites name matching alone missed: a macro's own module still invoking
// the old form, one of several call sites of a rename left behind, and old arguments hidden behind casts.
import type { RuleCase } from "../../src/engine/rule.js";

const TAX_BASE = `export function addTax(net: number, rate: number): number {\n  return net + Math.round(net * rate);\n}\n`;
const TAX_HEAD = `export type TaxRule = { region: string; basisPoints: number };\nexport function addTax(net: number, rule: TaxRule): number {\n  return net + Math.round((net * rule.basisPoints) / 10_000);\n}\n`;

export function missedCallSiteCases(): RuleCase[] {
  return [
    {
      name: "rs: a macro arm gained a required fragment; its own module still invokes the old form",
      files: [
        {
          path: "src/repo.rs",
          base: `macro_rules! table_repo {\n    ($name:ident, $table:literal) => { pub struct $name; impl $name { pub const TABLE: &'static str = $table; } };\n}\n\ntable_repo!(Orders, "orders");\ntable_repo!(Invoices, "invoices");\n`,
          code: `macro_rules! table_repo {\n    ($name:ident, $table:literal, $scope:ty) => { pub struct $name; impl $name { pub const TABLE: &'static str = $table; type Scope = $scope; } };\n}\n\ntable_repo!(Orders, "orders", TenantScope);\ntable_repo!(Invoices, "invoices");\n`,
        },
      ],
      expect: ["src/repo.rs:1", "src/repo.rs:6"],
    },
    {
      name: "rs: a renamed fn: one of its module's own call sites still uses the old name",
      files: [
        {
          path: "src/billing.rs",
          base: `pub fn charge_usage(tenant: &str, units: u64) -> u64 { units * rate(tenant) }\n\npub fn monthly(tenant: &str, days: &[u64]) -> u64 {\n    days.iter().map(|d| charge_usage(tenant, *d)).sum()\n}\n\npub fn daily(tenant: &str, units: u64) -> u64 {\n    charge_usage(tenant, units)\n}\n`,
          code: `pub fn bill_usage(tenant: &str, units: u64) -> u64 { units * rate(tenant) }\n\npub fn monthly(tenant: &str, days: &[u64]) -> u64 {\n    days.iter().map(|d| bill_usage(tenant, *d)).sum()\n}\n\npub fn daily(tenant: &str, units: u64) -> u64 {\n    charge_usage(tenant, units)\n}\n`,
        },
      ],
      expect: ["src/billing.rs:1", "src/billing.rs:8"],
    },
    {
      name: "ts: rename migrated in the import and two calls of a changed file; the third call was missed",
      files: [
        { path: "src/money.ts", base: `export function toCents(amount: string): number {\n  return Math.round(Number(amount) * 100);\n}\n`, code: `export function parseCents(amount: string): number {\n  return Math.round(Number(amount) * 100);\n}\n` },
        {
          path: "src/cart.ts",
          base: `import { toCents } from "./money";\n\nexport const subtotal = (xs: string[]) => xs.map(toCents).reduce((a, b) => a + b, 0);\nexport const shipping = (s: string) => toCents(s);\nexport const tip = (s: string) => toCents(s);\n`,
          code: `import { parseCents } from "./money";\n\nexport const subtotal = (xs: string[]) => xs.map(parseCents).reduce((a, b) => a + b, 0);\nexport const shipping = (s: string) => parseCents(s);\nexport const tip = (s: string) => toCents(s);\n`,
        },
      ],
      expect: ["src/cart.ts:5", "src/money.ts:1"],
    },
    {
      name: "ts: renamed in its own module, where an internal call still uses the old name",
      files: [
        {
          path: "src/usage.ts",
          base: `export function recordUsage(tenant: string, units: number) {\n  return db.insert({ tenant, units });\n}\n\nexport function recordBatch(tenant: string, batch: number[]) {\n  return Promise.all(batch.map((u) => recordUsage(tenant, u)));\n}\n`,
          code: `export function meterUsage(tenant: string, units: number) {\n  return db.insert({ tenant, units });\n}\n\nexport function recordBatch(tenant: string, batch: number[]) {\n  return Promise.all(batch.map((u) => recordUsage(tenant, u)));\n}\n`,
        },
      ],
      expect: ["src/usage.ts:1", "src/usage.ts:6"],
    },
    {
      name: "ts: a parameter's type changed; a changed caller was 'migrated' by casting the old number through as any / as unknown as",
      files: [
        { path: "src/pricing/tax.ts", base: TAX_BASE, code: TAX_HEAD },
        {
          path: "src/orders/total.ts",
          base: `import { addTax } from "../pricing/tax";\nexport const orderTotal = (net: number, rate: number) => addTax(net, rate);\nexport const cartTotal = (net: number, rate: number) => addTax(net, rate);\n`,
          code: `import { addTax, type TaxRule } from "../pricing/tax";\nexport const orderTotal = (net: number, rate: number) => addTax(net, rate as any);\nexport const cartTotal = (net: number, rate: number) => addTax(net, rate as unknown as TaxRule);\n`,
        },
      ],
      expect: ["src/orders/total.ts:2", "src/orders/total.ts:3", "src/pricing/tax.ts:2"],
    },
    {
      name: "ts: a changed caller migrated to the new type, and a cast of a value whose type is unknown (parsed JSON): nothing stale",
      files: [
        { path: "src/pricing/tax.ts", base: TAX_BASE, code: TAX_HEAD },
        {
          path: "src/orders/total.ts",
          base: `import { addTax } from "../pricing/tax";\nexport const orderTotal = (net: number) => addTax(net, 0.2);\nexport const fromConfig = (net: number, raw: string) => addTax(net, JSON.parse(raw));\n`,
          code: `import { addTax, type TaxRule } from "../pricing/tax";\nconst EU: TaxRule = { region: "EU", basisPoints: 2000 };\nexport const orderTotal = (net: number) => addTax(net, EU);\nexport const fromConfig = (net: number, raw: string) => addTax(net, JSON.parse(raw) as TaxRule);\n`,
        },
      ],
      expect: [],
    },
    {
      name: "ts: a rename whose every call site in the changed file was migrated, and a local of the old name elsewhere",
      files: [
        { path: "src/money.ts", base: `export function toCents(amount: string): number {\n  return Math.round(Number(amount) * 100);\n}\n`, code: `export function parseCents(amount: string): number {\n  return Math.round(Number(amount) * 100);\n}\n` },
        {
          path: "src/cart.ts",
          base: `import { toCents } from "./money";\nexport const tip = (s: string) => toCents(s);\n`,
          code: `import { parseCents } from "./money";\nexport const tip = (s: string) => parseCents(s);\n`,
        },
        {
          path: "src/legacy.ts",
          base: `import { x } from "./money";\nexport const a = 1;\n`,
          code: `import { parseCents } from "./money";\nconst toCents = (s: string) => parseCents(s);\nexport const a = toCents("1");\n`,
        },
      ],
      expect: [],
    },
  ];
}
