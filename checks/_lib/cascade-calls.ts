// Call sites a changed contract leaves behind that name matching alone misses: a renamed name still used in a
// file that no longer declares or imports it (one of several call sites not migrated), and an argument of the
// old type passed to a changed parameter, also through `as any` / `as unknown as T` casts that hide the break.
// The type check uses ts-morph's checker over the review's own in-memory project (changed and fetched files).
import { Node as TsNode, SyntaxKind, type SourceFile, type Type } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { ancestorOfKind } from "./ts.js";

const DECLARES = (parent: TsNode | undefined, id: TsNode) =>
  Boolean(parent && (
    TsNode.isFunctionDeclaration(parent) || TsNode.isVariableDeclaration(parent) || TsNode.isParameterDeclaration(parent) ||
    TsNode.isClassDeclaration(parent) || TsNode.isInterfaceDeclaration(parent) || TsNode.isTypeAliasDeclaration(parent) ||
    TsNode.isEnumDeclaration(parent) || TsNode.isBindingElement(parent) || TsNode.isImportSpecifier(parent) ||
    TsNode.isImportClause(parent) || TsNode.isNamespaceImport(parent) || TsNode.isFunctionExpression(parent)
  ) && (parent as any).getNameNode?.() === id);

/** Is `id` a property/member name rather than a reference (`x.name`, `{ name: 1 }`, `class { name() {} }`)? */
function isMemberName(id: TsNode): boolean {
  const parent = id.getParent();
  if (!parent) return false;
  if (TsNode.isPropertyAccessExpression(parent) && parent.getNameNode() === id) return true;
  if (TsNode.isQualifiedName(parent) && parent.getRight() === id) return true;
  const named = TsNode.isPropertyAssignment(parent) || TsNode.isPropertySignature(parent) || TsNode.isPropertyDeclaration(parent) ||
    TsNode.isMethodDeclaration(parent) || TsNode.isMethodSignature(parent) || TsNode.isGetAccessorDeclaration(parent) ||
    TsNode.isSetAccessorDeclaration(parent) || TsNode.isEnumMember(parent) || TsNode.isExportSpecifier(parent);
  return named && (parent as any).getNameNode?.() === id;
}

/** References to `name` in a file that neither declares nor imports it: what the compiler reports as "Cannot find name". */
export function tsFreeRefs(sf: SourceFile, name: string): TsNode[] {
  const ids = sf.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name);
  if (!ids.length || ids.some((id) => DECLARES(id.getParent(), id))) return [];
  return ids.filter((id) => !isMemberName(id) && !ancestorOfKind(id, SyntaxKind.ImportDeclaration));
}

/** Calls `name(..)` by the bare name in a Rust file that defines, binds and imports no such name. */
export function rustFreeCalls(root: Node, name: string): Node[] {
  const declared = root.descendantsOfType(["function_item", "let_declaration", "use_declaration", "macro_definition", "parameter", "closure_parameters"])
    .some((n) => {
      if (n!.type === "function_item") return n!.childForFieldName("name")?.text === name;
      return new RegExp(`\\b${name}\\b`).test(n!.type === "let_declaration" ? n!.childForFieldName("pattern")?.text ?? "" : n!.text);
    });
  if (declared) return [];
  return root.descendantsOfType("call_expression").filter((c) => c!.childForFieldName("function")?.type === "identifier" && c!.childForFieldName("function")!.text === name) as Node[];
}

/** The expression under `as` / `<T>` casts, parentheses and `!`, and whether a cast that erases the type was crossed. */
function uncast(arg: TsNode): { inner: TsNode; erased: boolean } {
  let inner = arg;
  let erased = false;
  for (;;) {
    if (TsNode.isAsExpression(inner) || TsNode.isTypeAssertion(inner)) {
      if (/^(any|unknown)$/.test(inner.getTypeNode()?.getText() ?? "") || TsNode.isAsExpression(inner.getExpression()) || TsNode.isTypeAssertion(inner.getExpression())) erased = true;
      inner = inner.getExpression();
    } else if (TsNode.isParenthesizedExpression(inner) || TsNode.isNonNullExpression(inner)) inner = inner.getExpression();
    else return { inner, erased };
  }
}

const UNKNOWABLE = (t: Type) => t.isAny() || t.isUnknown() || t.getText() === "error" || t.isTypeParameter();

/**
 * How a call's argument breaks a parameter whose type changed: "cast" when a type-erasing cast hides an argument
 * the new type does not accept, "type" when the argument itself does not fit; undefined when it fits or the
 * types cannot be known (unresolved imports are `any` in the review's project).
 */
export function argumentBreak(arg: TsNode, param: Type): "cast" | "type" | undefined {
  if (UNKNOWABLE(param)) return undefined;
  const { inner, erased } = uncast(arg);
  const type = inner.getType();
  if (UNKNOWABLE(type) || type.isAssignableTo(param)) return undefined;
  return erased ? "cast" : inner === arg ? "type" : undefined;
}

/** The declared type of parameter `i` of an exported function (declaration or `const f = (..) =>`). */
export function parameterType(sf: SourceFile, name: string, i: number): Type | undefined {
  const fn = sf.getFunction(name) ?? sf.getVariableDeclaration(name)?.getInitializer();
  if (!fn || !(TsNode.isFunctionDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn))) return undefined;
  const p = fn.getParameters()[i];
  return p?.getTypeNode() ? p.getType() : undefined;
}
