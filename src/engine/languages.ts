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
// Prose and assets: a file like docs/auth.md, AUTHORS or a diagram says nothing about what runs. Configuration,
// templates and policies (YAML, JSON, HTML, Rego, Dockerfiles) do, so they are not listed here.
const PROSE_OR_ASSET_EXTENSIONS = new Set([
  "md", "markdown", "mdx", "rst", "txt", "adoc", "asciidoc", "org", "textile", "rtf", "tex",
  "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "avif", "psd", "drawio", "excalidraw", "pdf",
  "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "wav", "ogg", "webm", "mov",
]);
const PROSE_NAMES = /^(license|licence|copying|notice|authors|contributors|changelog|changes|history|readme|codeofconduct|code_of_conduct)(\.[\w-]+)?$/i;

/**
 * Whether a path is prose or an asset (Markdown, text, images, fonts, LICENSE): a category's default path globs
 * never classify it. Everything else (code, configuration, templates, policies) can belong to a category by path.
 */
export function isProseOrAsset(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return PROSE_OR_ASSET_EXTENSIONS.has(extensionOf(path)) || PROSE_NAMES.test(name);
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
