// Shared fixtures for the checklist unit tests.
import { readFileSync } from "node:fs";
import type { Editor, Permission } from "../../src/checklist/authorize.js";
import { stateKey } from "../../src/checklist/state.js";
import type { CategoryId, EngineResult, Finding } from "../../src/engine/types.js";

export const TEMPLATE = readFileSync(new URL("../../config/checklist.md", import.meta.url), "utf8");
export const KEY = stateKey("test-webhook-secret");
export const REPO = "octo-org/octo-repo";

export function result(categories: CategoryId[], files: { path: string; categories: CategoryId[] }[] = [], findings: Finding[] = []): EngineResult {
  return {
    files: files.map((f) => ({ path: f.path, categories: f.categories.map((category) => ({ category, reasons: ["test"] })) })),
    pr: categories.map((category) => ({ category, reasons: ["test"] })),
    findings,
    suppressions: [],
    skipped: [],
    notes: [],
    coverage: [],
  };
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: "jwt-decode-without-verify",
    category: "security",
    path: "src/auth.ts",
    line: 3,
    endLine: 3,
    severity: "failure",
    message: "JWT decoded without verification",
    remediation: "Verify the signature",
    fingerprint: "aaaaaaaaaaaaaaaa",
    ...over,
  };
}

export function editor(login: string, permission: Permission, isAuthor = false, teams: string[] = []): Editor {
  return { login, permission, isAuthor, inTeam: async (t) => teams.includes(t) };
}
