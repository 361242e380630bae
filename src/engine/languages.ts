import type { Language } from "./types.js";

const BY_EXTENSION: Record<string, Language> = {
  ts: "typescript", tsx: "typescript", mts: "typescript", cts: "typescript",
  js: "typescript", jsx: "typescript", mjs: "typescript", cjs: "typescript",
  rs: "rust",
  py: "python",
};

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
}

export function languageOf(path: string): Language | undefined {
  return BY_EXTENSION[extensionOf(path)];
}

/** Source code in any language (rules or not), infrastructure code included; not prose, data, config or assets. */
const CODE_EXTENSIONS = new Set([
  ...Object.keys(BY_EXTENSION),
  "go", "java", "kt", "kts", "scala", "groovy", "clj", "cljs", "rb", "php", "cs", "fs", "vb", "swift", "m", "mm",
  "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "ex", "exs", "erl", "hrl", "hs", "ml", "mli", "elm", "dart", "lua",
  "pl", "pm", "r", "jl", "zig", "nim", "sh", "bash", "zsh", "ps1", "sql", "vue", "svelte", "astro", "tf", "hcl", "proto", "graphql", "gql",
]);

/**
 * Whether a path holds code. Documentation, data, configuration and assets (Markdown, text, YAML, JSON, images)
 * do not: a category's default path globs never classify them (docs/auth.md is not security code).
 */
export function isCode(path: string): boolean {
  return CODE_EXTENSIONS.has(extensionOf(path));
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
