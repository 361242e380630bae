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
