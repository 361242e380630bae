// Parse every file once: ts-morph for TypeScript/JavaScript, tree-sitter for Rust and Python.
import { StringUtils } from "@ts-morph/common";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as tsMorph from "ts-morph";
import { Node, Project, ScriptKind, SyntaxKind, ts, type SourceFile } from "ts-morph";
import { Language as TsLanguage, Node as TreeNode, Parser, type Tree } from "web-tree-sitter";
import { checkBudget, memoryOver, startStep } from "./budget.js";
import { wasmMemory } from "./memory.js";
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

/** Loads the tree-sitter runtime (over the engine's own WASM memory) and the grammars of these languages, each once per process. */
export async function loadGrammars(languages: ("rust" | "python")[] = ["rust", "python"]): Promise<Partial<Record<"rust" | "python", TsLanguage>>> {
  runtime ??= Parser.init({ wasmMemory: wasmMemory() });
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
 * ts-morph finds the comments between a block's statements by scanning from each statement to the end (and the
 * start) of its line: on a minified file or one long line that is the whole file per statement, quadratic.
 * The same answers from one index of the text's line breaks, built once per long text.
 */
type StringUtilsClass = {
  getLineStartFromPos(str: string, pos: number): number;
  getLineEndFromPos(str: string, pos: number): number;
  getLineNumberAtPos(str: string, pos: number): number;
};
// The module ts-morph itself uses (one copy: package.json pins the range ts-morph asks for), so bundles carry it too.
const stringUtils = StringUtils as unknown as StringUtilsClass | undefined;
if (stringUtils) {
  const ownStart = stringUtils.getLineStartFromPos.bind(stringUtils);
  const ownEnd = stringUtils.getLineEndFromPos.bind(stringUtils);
  stringUtils.getLineStartFromPos = (str, pos) => {
    const breaks = lineBreaks(str, pos);
    if (!breaks) return ownStart(str, pos);
    const i = firstAtOrAfter(breaks, pos) - 1; // the last break before pos
    return i >= 0 ? breaks[i] + 1 : 0;
  };
  stringUtils.getLineEndFromPos = (str, pos) => {
    const breaks = lineBreaks(str, pos);
    if (!breaks) return ownEnd(str, pos);
    const i = firstAtOrAfter(breaks, pos);
    return i < breaks.length ? breaks[i] : str.length;
  };
  // A node's line number counts the "\n" before it, from the start of the file each time: O(file) per question.
  const ownNumber = stringUtils.getLineNumberAtPos.bind(stringUtils);
  stringUtils.getLineNumberAtPos = (str, pos) => {
    const newlines = lineBreaks(str, pos, true);
    return newlines ? firstAtOrAfter(newlines, pos) + 1 : ownNumber(str, pos);
  };
  // ts-morph's own backward scans to a line's start, through the same index.
  const proto = Node.prototype as unknown as { getStart(jsDoc?: boolean): number; getEnd(): number; _sourceFile: SourceFile };
  Object.assign(proto, {
    getStartLinePos(this: typeof proto, includeJsDocComments?: boolean) {
      return stringUtils.getLineStartFromPos(this._sourceFile.getFullText(), this.getStart(includeJsDocComments));
    },
    getEndLineNumber(this: typeof proto) {
      return stringUtils.getLineNumberAtPos(this._sourceFile.getFullText(), this.getEnd());
    },
  });
}

const breaksOf = new Map<string, { any: number[]; newlines: number[] }>();

/** Positions of "\n" and "\r" (or of "\n" alone) in a long text (remembered for the last few texts); undefined for short ones. */
function lineBreaks(str: string, pos: number, newlinesOnly = false): number[] | undefined {
  if (str.length < 4096 || pos < 0 || pos > str.length) return undefined;
  let breaks = breaksOf.get(str);
  if (!breaks) {
    breaks = { any: [], newlines: [] };
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      if (c === 10 || c === 13) breaks.any.push(i);
      if (c === 10) breaks.newlines.push(i);
    }
    if (breaksOf.size >= 8) breaksOf.delete(breaksOf.keys().next().value!);
    breaksOf.set(str, breaks);
  }
  return newlinesOnly ? breaks.newlines : breaks.any;
}

/**
 * TypeScript's parser recovers from a lone `#` (`<.#`) with a private name that has no text, and ts-morph's
 * getText() of it throws; such a name reads as "" (a missing identifier's text) instead.
 */
for (const name of ["Identifier", "PrivateIdentifier"] as const) {
  const cls = (tsMorph as unknown as Record<string, { prototype: { getText(): string; compilerNode: { escapedText?: string } } }>)[name];
  const own = cls?.prototype.getText;
  if (own) {
    cls.prototype.getText = function (this: { compilerNode: { escapedText?: string } }) {
      return this.compilerNode.escapedText === undefined ? "" : own.call(this);
    };
  }
}

/**
 * Parser recovery leaves `import *` (no `from "..."`) with a missing or non-string module specifier, and
 * ts-morph's getModuleSpecifierValue() throws on it; such a specifier reads as "" (import) or absent (export).
 */
type WithSpecifier = { prototype: { getModuleSpecifierValue(): string | undefined; compilerNode: { moduleSpecifier?: ts.Node } } };
for (const [name, missing] of [["ImportDeclaration", ""], ["ExportDeclaration", undefined]] as const) {
  const cls = (tsMorph as unknown as Record<string, WithSpecifier>)[name];
  const own = cls?.prototype.getModuleSpecifierValue;
  if (own) {
    cls.prototype.getModuleSpecifierValue = function (this: WithSpecifier["prototype"]) {
      const spec = this.compilerNode.moduleSpecifier;
      return spec?.kind === SyntaxKind.StringLiteral ? own.call(this) : missing;
    };
  }
}

/**
 * tree-sitter keeps no parent pointers: `node.parent` searches down from the root, so a walk up from a node
 * deep in a tree costs depth² and rules that walk up from every node of a long chain are cubic. And
 * `descendantsOfType` walks the node's subtree each time, so asking it of every node of a long chain or deep
 * nesting is quadratic. The first of either asked of a tree indexes every node in one walk (its parent, its
 * place in document order, the last node of its subtree, the nodes of each type); later ones are lookups.
 */
interface TreeIndex {
  parents: Map<number, TreeNode | null>;
  /** Node id -> its index in document (pre-)order. */
  order: Map<number, number>;
  /** Pre-order index -> the pre-order index of the last node in its subtree. */
  last: number[];
  byType: Map<string, { at: number[]; nodes: TreeNode[] }>;
}

const indexes = new WeakMap<Tree, TreeIndex>();

function treeIndex(tree: Tree): TreeIndex {
  let index = indexes.get(tree);
  if (!index) indexes.set(tree, (index = indexTree(tree)));
  return index;
}

const treeParent = Object.getOwnPropertyDescriptor(TreeNode.prototype, "parent")?.get;
if (treeParent) {
  Object.defineProperty(TreeNode.prototype, "parent", {
    configurable: true,
    get(this: TreeNode) {
      const parent = treeIndex(this.tree).parents.get(this.id);
      return parent === undefined ? treeParent.call(this) : parent;
    },
  });
}

// `type` asks the WASM module each time; a node's type never changes, so remember it on the node.
const treeType = Object.getOwnPropertyDescriptor(TreeNode.prototype, "type")?.get;
const TYPE = Symbol("type");
if (treeType) {
  Object.defineProperty(TreeNode.prototype, "type", {
    configurable: true,
    get(this: TreeNode & { [TYPE]?: string }) {
      return (this[TYPE] ??= treeType.call(this) as string);
    },
  });
}

const ownDescendants = TreeNode.prototype.descendantsOfType;
TreeNode.prototype.descendantsOfType = function (this: TreeNode, types: string | string[], start?: unknown, end?: unknown) {
  checkBudget();
  const index = treeIndex(this.tree);
  const from = index.order.get(this.id);
  if (start !== undefined || end !== undefined || from === undefined) return ownDescendants.call(this, types, start as never, end as never);
  const to = index.last[from];
  const found: { at: number; node: TreeNode }[] = [];
  for (const type of new Set(Array.isArray(types) ? types : [types])) {
    const list = index.byType.get(type);
    if (!list) continue;
    for (let i = firstAtOrAfter(list.at, from); i < list.at.length && list.at[i] <= to; i++) found.push({ at: list.at[i], node: list.nodes[i] });
  }
  if (Array.isArray(types) && types.length > 1) found.sort((a, b) => a.at - b.at);
  return found.map((f) => f.node);
};

function firstAtOrAfter(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function indexTree(tree: Tree): TreeIndex {
  const index: TreeIndex = { parents: new Map(), order: new Map(), last: [], byType: new Map() };
  const cursor = tree.walk();
  const stack: { node: TreeNode; at: number }[] = [];
  let count = 0;
  const visit = (node: TreeNode, parent: TreeNode | null) => {
    const at = count++;
    index.parents.set(node.id, parent);
    index.order.set(node.id, at);
    let list = index.byType.get(node.type);
    if (!list) index.byType.set(node.type, (list = { at: [], nodes: [] }));
    list.at.push(at);
    list.nodes.push(node);
    return at;
  };
  try {
    let node = cursor.currentNode;
    let at = visit(node, null);
    for (;;) {
      if ((count & 1023) === 0) checkBudget();
      if (cursor.gotoFirstChild()) {
        stack.push({ node, at });
        node = cursor.currentNode;
        at = visit(node, stack[stack.length - 1].node);
        continue;
      }
      index.last[at] = count - 1;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return index;
        const up = stack.pop()!;
        index.last[up.at] = count - 1;
      }
      node = cursor.currentNode;
      at = visit(node, stack[stack.length - 1].node);
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

type Factory = { getNodeFromCompilerNode(n: ts.Node, sf: unknown): Node; getExistingNodeFromCompilerNode(n: ts.Node): Node | undefined };

/**
 * ts-morph wraps a node's parent before the node, by recursion: the first node wrapped deep in a long chain or
 * deep nesting (thousands of levels) overflows the stack. Wrap the missing ancestors first, top down, in a loop.
 */
function wrapTopDown(project: Project): void {
  const factory = (project as unknown as { _context?: { compilerFactory?: Factory } })._context?.compilerFactory;
  const proto = factory && (Object.getPrototypeOf(factory) as Factory & { topDown?: boolean });
  if (!proto || proto.topDown) return;
  const own = proto.getNodeFromCompilerNode;
  proto.topDown = true;
  proto.getNodeFromCompilerNode = function (this: Factory, node: ts.Node, sf: unknown) {
    if (node.kind !== SyntaxKind.SourceFile && !this.getExistingNodeFromCompilerNode(node)) {
      const missing: ts.Node[] = [];
      for (let p = node.parent; p && p.kind !== SyntaxKind.SourceFile && !this.getExistingNodeFromCompilerNode(p); p = p.parent) missing.push(p);
      for (let i = missing.length - 1; i >= 0; i--) own.call(this, missing[i], sf);
    }
    return own.call(this, node, sf);
  };
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
  wrapTopDown(project);
  const present = new Set(inputs.map((i) => languageOf(i.path)));
  const langs = await loadGrammars((["rust", "python"] as const).filter((l) => present.has(l)));
  const parser = new Parser();
  const result: ParseResult = { parsed: [], failed: [] };
  try {
    for (const input of inputs) {
      const language = languageOf(input.path);
      if (!language) continue;
      onFile?.(input.path);
      startStep();
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
    // Parsing stops (no tree) once it grows tree-sitter's memory past limits.memory_mb.
    const tree = parser.parse(input.content, null, { progressCallback: () => memoryOver() !== undefined });
    const over = memoryOver();
    if (!tree) parser.reset(); // a stopped parse would otherwise resume on the next file
    if (over) {
      tree?.delete();
      throw new Error(`${over} while parsing it`);
    }
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
