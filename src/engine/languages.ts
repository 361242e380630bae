import type { Language } from "./types.js";

const BY_EXTENSION: Record<string, Language> = {
  ts: "typescript", tsx: "typescript", mts: "typescript", cts: "typescript",
  js: "typescript", jsx: "typescript", mjs: "typescript", cjs: "typescript",
  rs: "rust",
  py: "python",
};

export function languageOf(path: string): Language | undefined {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return BY_EXTENSION[ext];
}

export const TEST_PATH =
  /(^|\/)(tests?|__tests__|__mocks__|spec|specs|testing|test_helpers|test_utils|testdata|test_files|fixtures?|benches|bench|e2e)(\/|$)|\.(test|spec|e2e-spec|bench)\.[a-z]+$|(^|\/)(test_[^/]+|[^/]+_test|conftest)\.py$|_test\.rs$/;
/** Where scripts usually live: a first guess that serving code overrides (checks/_lib/context.ts). */
export const SCRIPT_PATH =
  /(^|\/)(scripts?|bin|cli|[\w-]+[-_]cli|tools|examples?|migrations?|seeds?|seeders?|alembic|revisions|\.install-scripts)(\/|$)|(^|\/)(cli|manage|setup|noxfile|fabfile|seed|example|regen_\w+|build)\.(py|rs|[cm]?[jt]s)$|(^|\/)[\w.-]+\.config\.[cm]?[jt]s$/;

/**
 * From the path alone, for places that have no code to read (the checklist's file scope): tests and likely scripts.
 * Rules decide from the code itself (checks/_lib/context.ts), which also checks a server under `src/bin/`.
 */
export function isNonServiceCode(path: string): boolean {
  return TEST_PATH.test(path) || SCRIPT_PATH.test(path);
}
