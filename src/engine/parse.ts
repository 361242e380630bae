// Parse every file once: ts-morph for TypeScript/JavaScript, tree-sitter for Rust and Python.
import { createRequire } from "node:module";
import { Project, ScriptKind, type Node, type SourceFile, type SyntaxKind } from "ts-morph";
import { Language as TsLanguage, Parser } from "web-tree-sitter";
import { languageOf } from "./languages.js";
import type { ParsedFile } from "./rule.js";
import type { Language } from "./types.js";

export interface SourceInput {
  path: string;
  content: string;
  changed: boolean;
  baseContent?: string;
}

const require = createRequire(import.meta.url);
let grammars: Promise<Record<"rust" | "python", TsLanguage>> | undefined;

/** Loads the tree-sitter runtime and grammars from node_modules, once per process. */
export function loadGrammars(): Promise<Record<"rust" | "python", TsLanguage>> {
  grammars ??= (async () => {
    await Parser.init();
    const [rust, python] = await Promise.all([
      TsLanguage.load(require.resolve("tree-sitter-rust/tree-sitter-rust.wasm")),
      TsLanguage.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm")),
    ]);
    return { rust, python };
  })();
  return grammars;
}

function scriptKind(path: string): ScriptKind {
  if (/\.(jsx)$/.test(path)) return ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(path)) return ScriptKind.JS;
  if (/\.tsx$/.test(path)) return ScriptKind.TSX;
  return ScriptKind.TS;
}

/**
 * Rules ask the same file for the same node kinds again and again; ts-morph wraps every node on each walk.
 * Remember each kind's list per file (the tree is never edited), so all rules share one walk per kind.
 */
function memoizeKinds(file: SourceFile): SourceFile {
  const walk = file.getDescendantsOfKind.bind(file);
  const seen = new Map<SyntaxKind, Node[]>();
  file.getDescendantsOfKind = ((kind: SyntaxKind) => {
    if (!seen.has(kind)) seen.set(kind, walk(kind));
    return [...seen.get(kind)!];
  }) as SourceFile["getDescendantsOfKind"];
  return file;
}

export async function parseFiles(inputs: SourceInput[]): Promise<ParsedFile[]> {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
  const langs = await loadGrammars();
  const parser = new Parser();
  const parsed: ParsedFile[] = [];
  for (const input of inputs) {
    const language = languageOf(input.path);
    if (!language) continue;
    const file: ParsedFile = {
      path: input.path,
      language,
      text: input.content,
      lines: input.content.split("\n"),
      changed: input.changed,
      baseText: input.baseContent,
    };
    if (language === "typescript") {
      file.ts = memoizeKinds(
        project.createSourceFile(`/${input.path}`, input.content, { overwrite: true, scriptKind: scriptKind(input.path) }),
      );
    } else {
      parser.setLanguage(langs[language as "rust" | "python"]);
      file.tree = parser.parse(input.content) ?? undefined;
    }
    parsed.push(file);
  }
  parser.delete();
  return parsed;
}

export type { Language };

/** Frees the tree-sitter trees (they live in WASM memory, not the JS heap). */
export function disposeFiles(files: ParsedFile[]): void {
  for (const file of files) file.tree?.delete();
}
