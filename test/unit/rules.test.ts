import { existsSync, readdirSync } from "node:fs";
import { rules } from "../../checks/index.js";
import { CATEGORY_IDS } from "../../src/engine/categories.js";
import { caseCounts, caseFindings, compare } from "../support/rule-tester.js";

// A rule is a module `checks/<id>.ts`, or a folder `checks/<id>/` (index.ts with meta, detectors, cases).
const checksDir = new URL("../../checks/", import.meta.url);
const ruleFiles = readdirSync(checksDir, { withFileTypes: true })
  .filter((f) => !f.name.startsWith("_") && (f.isDirectory() ? existsSync(new URL(`${f.name}/index.ts`, checksDir)) : f.name.endsWith(".ts") && f.name !== "index.ts"))
  .map((f) => f.name.replace(/\.ts$/, ""));

test("every rule module is in the registry, and only those", () => {
  expect(rules.map((r) => r.meta.id).sort()).toEqual(ruleFiles.sort());
});

describe.each(rules.map((r) => [r.meta.id, r] as const))("%s", (_id, rule) => {
  test("meta is complete", () => {
    expect(CATEGORY_IDS).toContain(rule.meta.category);
    for (const text of [rule.meta.description, rule.meta.why, rule.meta.fix]) expect(text.length).toBeGreaterThan(20);
    if (rule.meta.category === "framework" && rule.meta.id !== "side-effect-before-commit") {
      expect(rule.meta.docs?.length).toBeGreaterThan(0);
    }
  });

  test("has at least 4 flagged and 4 clean cases per language", () => {
    const counts = caseCounts(rule);
    const short = rule.meta.languages.filter((l) => (counts[l]?.flagged ?? 0) < 4 || (counts[l]?.clean ?? 0) < 4);
    expect(short).toEqual([]);
  });

  test.each(rule.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const found = await caseFindings(rule, c);
    expect(found.map((f) => f.at).sort(compare)).toEqual([...c.expect].sort(compare));
    // messages quote code on one line, never a fragment cut inside a call's arguments (checks/_lib/message.ts)
    expect(found.map((f) => f.message).filter((m) => m.includes("\n") || [...m.matchAll(/`([^`]+)`/g)].some(([, span]) => /(\.\.\.|…)$/.test(span) && /[("]/.test(span)))).toEqual([]);
  });
});
