// Parse every file once: ts-morph for TypeScript/JavaScript, tree-sitter for Rust and Python.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Node, Project, ScriptKind, SyntaxKind, ts, type SourceFile } from "ts-morph";
import { Language as TsLanguage, Node as TreeNode, Parser, type Tree } from "web-tree-sitter";
import { checkBudget } from "./budget.js";
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
let runtime: Promise<void> | undefined;
const grammars = new Map<"rust" | "python", Promise<TsLanguage>>();

/** A grammar from its npm package, or from beside this module in a bundle (the GitHub Action's). */
function grammarPath(name: string): string {
  const beside = new URL(`./${name}.wasm`, import.meta.url);
  return existsSync(beside) ? fileURLToPath(beside) : require.resolve(`${name}/${name}.wasm`);
}

/** Loads the tree-sitter runtime and the grammars of these languages, each once per process. */
export async function loadGrammars(languages: ("rust" | "python")[] = ["rust", "python"]): Promise<Partial<Record<"rust" | "python", TsLanguage>>> {
  runtime ??= Parser.init();
  await runtime;
  for (const l of languages) if (!grammars.has(l)) grammars.set(l, TsLanguage.load(grammarPath(`tree-sitter-${l}`)));
  const loaded = await Promise.all(languages.map(async (l) => [l, await grammars.get(l)!] as const));
  return Object.fromEntries(loaded);
}

function scriptKind(path: string): ScriptKind {
  if (/\.(jsx)$/.test(path)) return ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(path)) return ScriptKind.JS;
  if (/\.tsx$/.test(path)) return ScriptKind.TSX;
  return ScriptKind.TS;
}

/**
 * ts-morph walks descendants with recursive generators: every node found passes back up through one generator
 * per level, so a walk costs nodes × depth (quadratic on deeply nested code, and a stack overflow past a few
 * thousand levels). The same walks with an explicit stack, same nodes in the same order: parse-tree kinds through
 * forEachChild, tokens and syntax lists through getChildren, as ts-morph itself chooses.
 */
function compilerDescendants(node: Node, kind: SyntaxKind | undefined): ts.Node[] {
  const sourceFile = node.getSourceFile().compilerNode;
  const parseTree = kind !== undefined && kind >= SyntaxKind.FirstNode && kind < SyntaxKind.FirstJSDocNode && node.getKind() !== SyntaxKind.SyntaxList;
  const childrenOf = (n: ts.Node): readonly ts.Node[] => {
    if (!parseTree) return n.getChildren(sourceFile);
    const children: ts.Node[] = [];
    n.forEachChild((c) => void children.push(c));
    return children;
  };
  const found: ts.Node[] = [];
  const stack: ts.Node[] = [...childrenOf(node.compilerNode)].reverse();
  let visited = 0;
  while (stack.length) {
    if ((++visited & 1023) === 0) checkBudget();
    const n = stack.pop()!;
    if (kind === undefined || n.kind === kind) found.push(n);
    const children = childrenOf(n);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}

type Wrap = (this: Node, compilerNode: ts.Node) => Node;
const proto = Node.prototype as unknown as Record<string, unknown> & { _getNodeFromCompilerNode?: Wrap };
if (typeof proto._getNodeFromCompilerNode === "function") {
  proto.getDescendantsOfKind = function (this: Node & { _getNodeFromCompilerNode: Wrap }, kind: SyntaxKind) {
    return compilerDescendants(this, kind).map((n) => this._getNodeFromCompilerNode(n));
  };
  proto.getDescendants = function (this: Node & { _getNodeFromCompilerNode: Wrap }) {
    return compilerDescendants(this, undefined).map((n) => this._getNodeFromCompilerNode(n));
  };
}

/**
 * tree-sitter keeps no parent pointers: `node.parent` searches down from the root, so a walk up from a node
 * deep in a tree costs depth² and rules that walk up from every node of a long chain are cubic. The first
 * `parent` asked of a tree records every node's parent in one walk; later ones are a lookup.
 */
const parents = new WeakMap<Tree, Map<number, TreeNode | null>>();
const treeParent = Object.getOwnPropertyDescriptor(TreeNode.prototype, "parent")?.get;
if (treeParent) {
  Object.defineProperty(TreeNode.prototype, "parent", {
    configurable: true,
    get(this: TreeNode) {
      let known = parents.get(this.tree);
      if (!known) parents.set(this.tree, (known = parentsOf(this.tree)));
      const parent = known.get(this.id);
      return parent === undefined ? treeParent.call(this) : parent;
    },
  });
}

function parentsOf(tree: Tree): Map<number, TreeNode | null> {
  const known = new Map<number, TreeNode | null>();
  const cursor = tree.walk();
  const stack: TreeNode[] = [];
  try {
    known.set(cursor.currentNode.id, null);
    for (;;) {
      const node = cursor.currentNode;
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        known.set(cursor.currentNode.id, node);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return known;
        stack.pop();
      }
      known.set(cursor.currentNode.id, stack[stack.length - 1]);
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Rules ask the same file for the same node kinds again and again; ts-morph wraps every node on each walk.
 * Remember each kind's list per file (the tree is never edited), so all rules share one walk per kind.
 */
function memoizeKinds(file: SourceFile): SourceFile {
  const walk = file.getDescendantsOfKind.bind(file);
  const seen = new Map<SyntaxKind, Node[]>();
  file.getDescendantsOfKind = ((kind: SyntaxKind) => {
    checkBudget();
    if (!seen.has(kind)) seen.set(kind, walk(kind));
    return [...seen.get(kind)!];
  }) as SourceFile["getDescendantsOfKind"];
  return file;
}

export interface ParseResult {
  parsed: ParsedFile[];
  /** Files that could not be parsed (too deeply nested for the parser, out of memory, ...), with the error. */
  failed: { path: string; changed: boolean; message: string }[];
}

/**
 * Parses each file on its own: a file the parser cannot handle is listed in `failed`, the others go on.
 * Never throws; what it allocated is freed with disposeFiles (also when a later file fails).
 */
export async function parseFiles(inputs: SourceInput[], onFile?: (path: string) => void): Promise<ParseResult> {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
  const present = new Set(inputs.map((i) => languageOf(i.path)));
  const langs = await loadGrammars((["rust", "python"] as const).filter((l) => present.has(l)));
  const parser = new Parser();
  const result: ParseResult = { parsed: [], failed: [] };
  try {
    for (const input of inputs) {
      const language = languageOf(input.path);
      if (!language) continue;
      onFile?.(input.path);
      try {
        result.parsed.push(parseOne(input, language, project, parser, langs));
      } catch (error) {
        result.failed.push({ path: input.path, changed: input.changed, message: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    parser.delete();
  }
  return result;
}

function parseOne(input: SourceInput, language: Language, project: Project, parser: Parser, langs: Partial<Record<"rust" | "python", TsLanguage>>): ParsedFile {
  const file: ParsedFile = {
    path: input.path,
    language,
    text: input.content,
    lines: input.content.split("\n"),
    changed: input.changed,
    baseText: input.baseContent,
  };
  if (language === "typescript") {
    file.ts = memoizeKinds(project.createSourceFile(`/${input.path}`, input.content, { overwrite: true, scriptKind: scriptKind(input.path) }));
  } else {
    parser.setLanguage(langs[language as "rust" | "python"]!);
    const tree = parser.parse(input.content);
    if (!tree) throw new Error("the parser gave up on this file");
    file.tree = tree;
  }
  return file;
}

export type { Language };

/** Frees the tree-sitter trees (they live in WASM memory, not the JS heap). */
export function disposeFiles(files: ParsedFile[]): void {
  for (const file of files) file.tree?.delete();
}
