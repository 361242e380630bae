// Generated source files of hostile or unusual shapes, per language, at a given size in bytes.
// Used by bench/shapes.ts (time and memory per size) and the engine's fuzz test.
import type { Language } from "../../src/engine/types.js";

export const SHAPES = ["long-string", "long-line", "literal-table", "deep-nesting", "small-functions", "minified", "method-chain"] as const;
export type Shape = (typeof SHAPES)[number];
export const LANGUAGES: Language[] = ["typescript", "python", "rust"];

const EXTENSION: Record<Language, string> = { typescript: "ts", python: "py", rust: "rs" };

export function shapePath(language: Language, shape: Shape): string {
  return `src/gen/${shape}.${EXTENSION[language]}`;
}

/** Repeats `unit(i)` until the text reaches `bytes`. */
function fill(bytes: number, unit: (i: number) => string, head = "", tail = ""): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; length < bytes; i++) {
    const piece = unit(i);
    parts.push(piece);
    length += piece.length;
  }
  parts.push(tail);
  return parts.join("");
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Embedded data as it often comes: one run of letters and digits (a token, a hex or base62 blob). */
const blob = (i: number) => ALNUM[(i * 7919) % 62];

export function generate(language: Language, shape: Shape, bytes: number): string {
  switch (shape) {
    case "long-string":
      if (language === "rust") return fill(bytes, blob, 'pub const TEXT: &str = "', '";\n');
      if (language === "python") return fill(bytes, blob, 'TEXT = "', '"\n');
      return fill(bytes, blob, 'export const TEXT = "', '";\n');
    case "long-line":
      if (language === "rust") return fill(bytes, (i) => `let v${i} = total + ${i}; `, "pub fn run(total: u64) { ", "}\n");
      if (language === "python") return fill(bytes, (i) => `v${i} = total + ${i}; `, "def run(total):\n    ", "return 0\n");
      return fill(bytes, (i) => `const v${i} = total + ${i}; `, "export function run(total: number) { ", "}\n");
    case "literal-table":
      if (language === "rust") return fill(bytes, (i) => `    ("key${i}", ${i}),\n`, "pub static TABLE: &[(&str, u32)] = &[\n", "];\n");
      if (language === "python") return fill(bytes, (i) => `    "key${i}": {"id": ${i}, "price": ${i}.5},\n`, "TABLE = {\n", "}\n");
      return fill(bytes, (i) => `  key${i}: { id: ${i}, price: ${i}.5 },\n`, "export const TABLE = {\n", "};\n");
    case "deep-nesting":
      return nested(language, bytes);
    case "method-chain":
      if (language === "rust") return fill(bytes, (i) => `.map(|r| r + ${i % 10})`, "pub fn run(v: Vec<u64>) -> Vec<u64> {\n    v.into_iter()", ".collect()\n}\n");
      if (language === "python") return fill(bytes, (i) => `.filter(x=${i % 10})`, "def run(q):\n    return q", "\n");
      return fill(bytes, (i) => `.then((r) => r + ${i % 10})`, 'export const chain = fetch("/a")', ";\n");
    case "small-functions":
      if (language === "rust") return fill(bytes, (i) => `pub fn f${i}(x: u64) -> u64 {\n    x + ${i}\n}\n`);
      if (language === "python") return fill(bytes, (i) => `def f${i}(x):\n    return x + ${i}\n\n`);
      return fill(bytes, (i) => `export function f${i}(x: number): number {\n  return x + ${i};\n}\n`);
    case "minified":
      if (language === "python") return fill(bytes, (i) => `f${i}=lambda a:a+${i};g${i}=[f${i}(b) for b in range(3)];`, "", "\n");
      if (language === "rust") return fill(bytes, (i) => `fn f${i}(a:u64)->u64{if a>${i}{a-1}else{a+${i}}}`, "", "\n");
      return fill(bytes, (i) => `function f${i}(a){return a>${i}?fetch("/x"+a).then(function(r){return r.json()}):a+${i}}var g${i}=f${i}(1);`, "!function(){", "}();\n");
  }
}

/** Blocks nested as deep as the size allows (a line per level, so the file grows with depth). */
function nested(language: Language, bytes: number): string {
  // Python indents a column per level, so its depth grows with the square root of the size.
  const depth = Math.max(1, Math.floor(language === "python" ? Math.sqrt(2 * bytes) : bytes / 40));
  const open: string[] = [];
  const close: string[] = [];
  for (let d = 0; d < depth; d++) {
    const pad = " ".repeat(Math.min(d, 60));
    if (language === "python") open.push(`${" ".repeat(d * 1)}if x > ${d}:\n`);
    else if (language === "rust") open.push(`${pad}if x > ${d} {\n`), close.push(`${pad}}\n`);
    else open.push(`${pad}if (x > ${d}) {\n`), close.push(`${pad}}\n`);
  }
  const body = language === "python" ? `${" ".repeat(depth)}x += 1\n` : "x += 1;\n";
  const inner = open.join("") + body + close.reverse().join("");
  if (language === "python") return `def run(x):\n${inner.replace(/^/gm, " ")}`;
  if (language === "rust") return `pub fn run(mut x: u64) {\n${inner}}\n`;
  return `export function run(x: number) {\n${inner}}\n`;
}
