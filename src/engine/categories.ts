import type { CategoryId } from "./types.js";

export interface CategoryInfo {
  id: CategoryId;
  name: string;
  /** When the human work belongs: before the AI writes code, or after. */
  when: "before" | "after";
  advice: string;
}

export const CATEGORIES: readonly CategoryInfo[] = [
  {
    id: "novel",
    name: "Novel design",
    when: "before",
    advice: "Design it first: a person writes the type-level or architectural spec (an ADR), then code follows it.",
  },
  {
    id: "framework",
    name: "Framework execution order",
    when: "after",
    advice: "Have a person check the runtime order of middleware, hooks and transactions, not just how they are registered.",
  },
  {
    id: "performance",
    name: "Uncached external calls",
    when: "after",
    advice: "Have a person decide what must be cached or batched on every per-request or per-item path.",
  },
  {
    id: "security",
    name: "Security hardening",
    when: "before",
    advice: "Write the threat model first; the code then implements the controls it names.",
  },
  {
    id: "resilience",
    name: "Operational resilience",
    when: "after",
    advice: "Add the operations pass: limits, backoff, timeouts, fallbacks and structured logs with correlation ids.",
  },
  {
    id: "business",
    name: "Implicit business rules",
    when: "before",
    advice: "Confirm the unwritten rules with the domain owner before relying on the code.",
  },
  {
    id: "cascade",
    name: "Cascading change",
    when: "after",
    advice: "Stop fixing error by error: list every breaking change, migrate all dependents in one batch, then compile.",
  },
];

export const CATEGORY_IDS = CATEGORIES.map((c) => c.id) as CategoryId[];

export function categoryInfo(id: CategoryId): CategoryInfo {
  const info = CATEGORIES.find((c) => c.id === id);
  if (!info) throw new Error(`unknown category ${id}`);
  return info;
}

export const SEVERITY_RANK: Record<string, number> = { failure: 3, warning: 2, notice: 1, off: 0 };
