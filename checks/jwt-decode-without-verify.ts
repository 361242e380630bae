import { Node as TsNode, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type RuleCase } from "../src/engine/rule.js";
import { inRequestHandler as tsInHandler } from "./_lib/ts.js";
import { boundedText, descendants, inRequestHandler, line } from "./_lib/tree.js";
import { outermostFunction, rsChain, treeVerifiedBefore, tsOutermostFn } from "./_lib/security.js";

// Docs relied on:
// - jsonwebtoken (npm): `jwt.decode` "Returns the decoded payload without verifying if the signature is valid."
// - jose: `decodeJwt` "does not validate the JWS Signature".
// - jwt-decode: "This library doesn't validate the token, any well-formed JWT can be decoded."
// - PyJWT: with `verify_signature` False "the integrity or authenticity of the claimset cannot be trusted".
// - python-jose: `get_unverified_claims` "Returns the decoded claims without verification of any kind."
// - Rust jsonwebtoken: `insecure_disable_signature_validation` "With validation disabled you should not
//   trust any of the values of the claims"; `dangerous::insecure_decode` decodes "with NO VALIDATION".

/** Claims only used to schedule a refresh (exp/iat/nbf) are not an authorization decision. */
const TIMING_CLAIMS = /^(exp|iat|nbf)$/;
const AUTHZ_CLAIMS = /^(sub|role|roles|permissions?|scopes?|scp|groups|admin|isAdmin|is_admin|tenant\w*|org\w*|userId|user_id|email|aud|iss|claims|payload|user)$/i;
const DISPLAY_CLAIMS = /^(name|email|picture|given_name|family_name|preferred_username|nickname|locale|exp|iat)$/;
const FRONTEND_PATH = /(^|\/)(components|pages|app|client|frontend|web|ui|hooks|views)\//;

// ---------- TypeScript ----------

interface TsImports {
  /** Namespaces whose `.decode` does not verify (jsonwebtoken default/namespace/require). */
  decodeNs: Set<string>;
  /** Bare functions that decode without verifying, with the library they come from. */
  fns: Map<string, "jsonwebtoken" | "jose" | "jwt-decode">;
  /** The file uses NestJS's JwtService, whose `decode()` does not verify either. */
  nestJwt: boolean;
  /** Namespaces of jose (`jose.decodeJwt`). */
  joseNs: Set<string>;
  other: Set<string>;
}

function tsImports(file: SourceFile): TsImports {
  const out: TsImports = { decodeNs: new Set(), fns: new Map(), joseNs: new Set(), other: new Set(), nestJwt: false };
  const add = (mod: string, def: string | undefined, ns: string | undefined, named: [string, string][]) => {
    if (mod === "jsonwebtoken") {
      for (const n of [def, ns]) if (n) out.decodeNs.add(n);
      for (const [name, alias] of named) if (name === "decode") out.fns.set(alias, "jsonwebtoken");
    } else if (mod === "@nestjs/jwt") {
      out.nestJwt = named.some(([name]) => name === "JwtService");
    } else if (mod === "jose") {
      if (ns) out.joseNs.add(ns);
      for (const [name, alias] of named) if (name === "decodeJwt") out.fns.set(alias, "jose");
    } else if (mod === "jwt-decode") {
      if (def) out.fns.set(def, "jwt-decode");
      for (const [name, alias] of named) if (/^(jwtDecode|default)$/.test(name)) out.fns.set(alias, "jwt-decode");
    } else {
      for (const n of [def, ns]) if (n) out.other.add(n);
    }
  };
  for (const imp of file.getImportDeclarations()) {
    add(
      imp.getModuleSpecifierValue(),
      imp.getDefaultImport()?.getText(),
      imp.getNamespaceImport()?.getText(),
      imp.getNamedImports().map((n) => [n.getName(), n.getAliasNode()?.getText() ?? n.getName()]),
    );
  }
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getExpression().getText() !== "require") continue;
    const mod = call.getArguments()[0];
    const decl = call.getParentIfKind(SyntaxKind.VariableDeclaration);
    if (!mod || !TsNode.isStringLiteral(mod) || !decl) continue;
    const name = decl.getNameNode();
    if (TsNode.isIdentifier(name)) add(mod.getLiteralText(), name.getText(), undefined, []);
    else add(mod.getLiteralText(), undefined, undefined, name.getDescendantsOfKind(SyntaxKind.BindingElement).map((b) => [b.getPropertyNameNode()?.getText() ?? b.getName(), b.getName()]));
  }
  return out;
}

type Lib = "jsonwebtoken" | "jose" | "jwt-decode" | "@nestjs/jwt" | "manual";

function tsUnverifiedLib(call: CallExpression, imports: TsImports): Lib | undefined {
  const expr = call.getExpression();
  if (TsNode.isIdentifier(expr)) return imports.fns.get(expr.getText());
  if (!TsNode.isPropertyAccessExpression(expr)) return undefined;
  const obj = expr.getExpression().getText();
  const name = expr.getName();
  if (name === "decode" && imports.decodeNs.has(obj)) return "jsonwebtoken";
  if (name === "decodeJwt" && imports.joseNs.has(obj)) return "jose";
  // NestJS: `this.jwtService.decode(token)` returns the payload unverified (`verify`/`verifyAsync` check it).
  if (name === "decode" && imports.nestJwt && /(^|\.)\w*jwt\w*$/i.test(obj)) return "@nestjs/jwt";
  // `jwt.decode(token)` with the import out of sight (re-exported helper): one argument or an options object.
  if (name === "decode" && /^(jwt|jsonwebtoken)$/.test(obj) && !imports.other.has(obj)) {
    const args = call.getArguments();
    if (args.length === 1 || (args.length === 2 && TsNode.isObjectLiteralExpression(args[1]))) return "jsonwebtoken";
  }
  return undefined;
}

/** `Buffer.from(token.split(".")[1], "base64")`, `atob(jwt.split('.')[1])`. */
function tsManualDecode(call: CallExpression): boolean {
  const callee = call.getExpression().getText();
  if (!/^(Buffer\.from|atob|base64url\.decode|base64UrlDecode|decodeBase64\w*)$/.test(callee)) return false;
  const arg = call.getArguments()[0];
  const isTokenSplit = (split: TsNode | undefined) =>
    Boolean(split && TsNode.isCallExpression(split) && /(token|jwt|bearer|auth\w*|credential)\w*\.split$/i.test(split.getExpression().getText()) && /^["']\.["']$/.test(split.getArguments()[0]?.getText() ?? ""));
  if (arg && TsNode.isElementAccessExpression(arg) && arg.getArgumentExpression()?.getText() === "1") return isTokenSplit(arg.getExpression());
  // `const [, payload] = token.split(".")` and then `Buffer.from(payload, "base64url")`.
  if (!arg || !TsNode.isIdentifier(arg)) return false;
  const fn = tsOutermostFn(call) ?? call.getSourceFile();
  return fn.getDescendantsOfKind(SyntaxKind.ArrayBindingPattern).some((pattern) => {
    const el = pattern.getElements()[1];
    const decl = pattern.getParent();
    return Boolean(el && TsNode.isBindingElement(el) && el.getName() === arg.getText() && TsNode.isVariableDeclaration(decl) && isTokenSplit(decl.getInitializer()));
  });
}

/** The outermost expression carrying the decoded value (through `await`, `JSON.parse(...).toString()`, `as T`). */
function valueNode(call: TsNode): TsNode {
  let cur: TsNode = call;
  for (;;) {
    const p = cur.getParent();
    if (!p) return cur;
    if (TsNode.isAwaitExpression(p) || TsNode.isAsExpression(p) || TsNode.isParenthesizedExpression(p) || TsNode.isNonNullExpression(p)) cur = p;
    else if (TsNode.isPropertyAccessExpression(p) && p.getName() === "toString" && TsNode.isCallExpression(p.getParent())) cur = p.getParent()!;
    else if (TsNode.isCallExpression(p) && /^(JSON\.parse|String)$/.test(p.getExpression().getText())) cur = p;
    else return cur;
  }
}

/** Property names read from the decoded value: direct access, destructuring, or accesses on the variable it is stored in. */
function readClaims(value: TsNode): { names: string[]; stored: string[] } {
  const p = value.getParent();
  if (TsNode.isPropertyAccessExpression(p)) return { names: [p.getName()], stored: [] };
  const decl = p && TsNode.isVariableDeclaration(p) ? p : undefined;
  const assign = p && TsNode.isBinaryExpression(p) && p.getOperatorToken().getKind() === SyntaxKind.EqualsToken ? p : undefined;
  if (assign) return { names: [], stored: [assign.getLeft().getText()] };
  if (!decl) return { names: ["*"], stored: [] };
  const nameNode = decl.getNameNode();
  if (TsNode.isObjectBindingPattern(nameNode)) return { names: nameNode.getElements().map((e) => e.getPropertyNameNode()?.getText() ?? e.getName()), stored: [] };
  const v = nameNode.getText();
  const fn = tsOutermostFn(decl) ?? decl.getSourceFile();
  const names: string[] = [];
  for (const id of fn.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (id.getText() !== v || id === nameNode) continue;
    const parent = id.getParent();
    if (TsNode.isPropertyAccessExpression(parent) && parent.getExpression() === id) names.push(parent.getName());
    else if (TsNode.isElementAccessExpression(parent) && parent.getExpression() === id) names.push(parent.getArgumentExpression()?.getText().replace(/["'`]/g, "") ?? "*");
    else names.push("*");
  }
  return { names, stored: [] };
}

function verifiesInFunction(node: TsNode): boolean {
  const fn = tsOutermostFn(node);
  if (!fn) return false;
  return fn.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => /(^|\.)(verify|jwtVerify|verifyJwt|verifyToken|verifyIdToken|verifyAccessToken)$/.test(c.getExpression().getText()));
}

function tsDetect(file: ParsedFile): Report[] {
  const sf = file.ts!;
  const imports = tsImports(sf);
  const out: Report[] = [];
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const lib: Lib | undefined = tsUnverifiedLib(call, imports) ?? (tsManualDecode(call) ? "manual" : undefined);
    if (!lib) continue;
    if (lib === "jsonwebtoken" && call.getArguments().some((a) => /complete\s*:\s*true/.test(a.getText())) && headerOnly(call)) continue;
    if (verifiesInFunction(call)) continue;
    const { names, stored } = readClaims(valueNode(call));
    if (names.length && names.every((n) => n === "header" || TIMING_CLAIMS.test(n))) continue;
    // Reading only profile claims (`name`, `email`, `picture`) to show who is signed in decides nothing.
    if (lib === "jwt-decode" && names.length && names.every((n) => DISPLAY_CLAIMS.test(n)) && !tsInHandler(call)) continue;
    const intoRequest = stored.some((s) => /^(req|request)\.|^res\.locals\.|^ctx\.state\./.test(s));
    if (lib !== "jsonwebtoken" && !intoRequest) {
      const authzUse = names.some((n) => AUTHZ_CLAIMS.test(n) || n === "*") && !/\.(tsx|jsx)$/.test(file.path) && !FRONTEND_PATH.test(file.path);
      if (!tsInHandler(call) && !authzUse) continue;
    }
    const what = lib === "manual" ? "Base64-decoding the JWT payload by hand" : lib === "@nestjs/jwt" ? `\`${call.getExpression().getText()}(...)\` (JwtService.decode, unlike verify)` : `\`${call.getExpression().getText()}(...)\` (${lib})`;
    out.push({ line: call.getStartLineNumber(), message: `${what} returns claims without checking the signature; a forged token passes.` });
  }
  return out;
}

function headerOnly(call: CallExpression): boolean {
  const { names } = readClaims(valueNode(call));
  return names.length > 0 && names.every((n) => n === "header");
}

// ---------- Python ----------

function pyDictResolves(node: Node | null | undefined, fn: Node | undefined, root: Node, test: (d: Node) => boolean): boolean {
  if (!node) return false;
  if (node.type === "dictionary") return test(node);
  if (node.type === "identifier") {
    for (const a of [...(fn ? descendants(fn, "assignment") : []), ...descendants(root, "assignment")]) {
      if (a.childForFieldName("left")?.text === node.text && a.childForFieldName("right")?.type === "dictionary") return test(a.childForFieldName("right")!);
    }
  }
  return false;
}

const noSignature = (d: Node) =>
  descendants(d, "pair").some((p) => /^["']verify_signature["']$/.test(p.childForFieldName("key")?.text ?? "") && p.childForFieldName("value")?.type === "false");

function pyKwarg(call: Node, name: string): Node | undefined {
  const args = call.childForFieldName("arguments");
  const kw = args?.namedChildren.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === name);
  return kw?.childForFieldName("value") ?? undefined;
}

/** Local names bound to PyJWT / python-jose decode functions or modules: `from jwt import decode as jwt_decode`, `import jwt as pyjwt`. */
const pyAliasCache = new WeakMap<Node, Map<string, string>>();
function pyJwtAliases(root: Node): Map<string, string> {
  const cached = pyAliasCache.get(root);
  if (cached) return cached;
  const out = new Map<string, string>();
  for (const imp of descendants(root, "import_from_statement")) {
    const mod = imp.childForFieldName("module_name")?.text ?? "";
    if (!/^(jwt|jwt\.api_jwt|jose|jose\.jwt)$/.test(mod)) continue;
    for (const a of descendants(imp, "aliased_import")) {
      const name = a.childForFieldName("name")?.text ?? "";
      const alias = a.childForFieldName("alias")?.text ?? "";
      if (/^(decode|decode_complete|get_unverified_claims|jwt)$/.test(name) && alias) out.set(alias, name === "jwt" ? "jose.jwt" : `jwt.${name}`);
    }
  }
  for (const imp of descendants(root, "import_statement")) {
    for (const a of descendants(imp, "aliased_import")) {
      const name = a.childForFieldName("name")?.text ?? "";
      const alias = a.childForFieldName("alias")?.text ?? "";
      if (/^(jwt|jose\.jwt)$/.test(name) && alias) out.set(alias, name);
    }
  }
  pyAliasCache.set(root, out);
  return out;
}

/** The callee with a jwt alias replaced by what it stands for (`jwt_decode` -> `jwt.decode`). */
function pyCallee(call: Node): string {
  const callee = boundedText(call.childForFieldName("function"));
  const aliases = pyJwtAliases(call.tree.rootNode);
  const [head, ...rest] = callee.split(".");
  const real = aliases.get(head);
  return real ? [real, ...rest].join(".") : callee;
}

function pyUnverified(call: Node, root: Node): string | undefined {
  const callee = pyCallee(call);
  const shown = call.childForFieldName("function")?.text ?? callee;
  if (/(^|\.)get_unverified_claims$/.test(callee)) return shown;
  if (!/(^|\.)(decode|decode_complete)$/.test(callee) || !/^(jwt|jose\.jwt|api_jwt|decode|decode_complete|pyjwt|jwt\.api_jwt)(\.|$)/.test(callee)) return undefined;
  const fn = outermostFunction(call);
  if (pyDictResolves(pyKwarg(call, "options"), fn, root, noSignature)) return shown;
  if (pyKwarg(call, "verify")?.type === "false") return shown;
  return undefined;
}

function pyVerifiedDecode(call: Node): boolean {
  const callee = pyCallee(call);
  if (!/(^|\.)(decode|decode_complete)$/.test(callee) || !/^(jwt|jose)/.test(callee)) return false;
  const positional = call.childForFieldName("arguments")?.namedChildren.filter((a) => a && a.type !== "keyword_argument") ?? [];
  return positional.length >= 2 || Boolean(pyKwarg(call, "key"));
}

/** `base64.urlsafe_b64decode(token.split(".")[1] + "==")`. */
function pyManualDecode(call: Node): boolean {
  const callee = call.childForFieldName("function")?.text ?? "";
  if (!/b64decode$/.test(callee)) return false;
  const arg = call.childForFieldName("arguments")?.namedChildren[0];
  return Boolean(arg && /(token|jwt|bearer|auth\w*)\w*\.split\(\s*["']\.["']\s*\)\s*\[\s*1\s*\]/i.test(arg.text));
}

/** Claims read from the value of `call`: subscripts/attributes/`.get()` on the variable it is assigned to. */
function pyReadClaims(call: Node): string[] {
  const p = call.parent;
  if (p?.type === "subscript") return [p.childForFieldName("subscript")?.text.replace(/["']/g, "") ?? "*"];
  if (p?.type !== "assignment" || p.childForFieldName("left")?.type !== "identifier") return ["*"];
  const v = p.childForFieldName("left")!.text;
  const fn = outermostFunction(call);
  const names: string[] = [];
  for (const id of descendants(fn ?? call.tree.rootNode, "identifier")) {
    if (id.text !== v || id.startIndex === p.childForFieldName("left")!.startIndex) continue;
    const up = id.parent;
    if (up?.type === "subscript" && up.childForFieldName("value")?.startIndex === id.startIndex) names.push(up.childForFieldName("subscript")?.text.replace(/["']/g, "") ?? "*");
    else if (up?.type === "attribute" && up.childForFieldName("object")?.startIndex === id.startIndex) {
      const attr = up.childForFieldName("attribute")?.text ?? "*";
      const call2 = up.parent?.type === "call" ? up.parent : undefined;
      names.push(attr === "get" && call2 ? call2.childForFieldName("arguments")?.namedChildren[0]?.text.replace(/["']/g, "") ?? "*" : attr);
    } else names.push("*");
  }
  return names;
}

function pyDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const out: Report[] = [];
  for (const call of descendants(root, "call")) {
    const manual = pyManualDecode(call);
    const callee = manual ? "base64 decode of the JWT payload" : pyUnverified(call, root);
    if (!callee) continue;
    const fn = outermostFunction(call);
    if (fn && descendants(fn, "call").some((c) => c.startIndex !== call.startIndex && pyVerifiedDecode(c) && !pyUnverified(c, root))) continue;
    if (treeVerifiedBefore(call)) continue;
    const names = pyReadClaims(call);
    if (names.length && names.every((n) => TIMING_CLAIMS.test(n))) continue;
    if (manual && !inRequestHandler(call) && !/auth|token|user|claims|principal/i.test(fn?.childForFieldName("name")?.text ?? "")) continue;
    out.push({ line: line(call), message: `\`${manual ? callee : callee + "(...)"}\` reads claims without verifying the signature; a forged token passes.` });
  }
  return out;
}

// ---------- Rust ----------

const RS_INSECURE_FN = /(^|::)(dangerous_insecure_decode|dangerous_insecure_decode_with_validation|dangerous_unsafe_decode|insecure_decode)$/;

function rsCalleeName(call: Node): string {
  const f = call.childForFieldName("function");
  if (!f) return "";
  if (f.type === "generic_function") return f.childForFieldName("function")?.text ?? "";
  if (f.type === "field_expression") return f.childForFieldName("field")?.text ?? "";
  return f.text;
}

function rsDetect(file: ParsedFile): Report[] {
  const root = file.tree!.rootNode;
  const out: Report[] = [];
  for (const call of descendants(root, "call_expression")) {
    const name = rsCalleeName(call);
    let insecure: string | undefined;
    let validationVar: string | undefined;
    if (RS_INSECURE_FN.test(name)) insecure = name.replace(/^.*::/, "");
    else if (name === "insecure_disable_signature_validation") {
      insecure = "insecure_disable_signature_validation()";
      validationVar = rsChain(call)[0]?.call.childForFieldName("function")?.childForFieldName("value")?.text;
    } else if (/(^|::)parse_unverified$/.test(name)) insecure = "parse_unverified";
    if (!insecure) continue;
    if (rsVerifiesElsewhere(call, validationVar) || treeVerifiedBefore(call) || (insecure === "parse_unverified" && rsVerifiedAfter(call))) continue;
    out.push({ line: line(call), message: `\`${insecure}\` yields JWT claims with no signature check; a forged token passes.` });
  }
  for (const a of descendants(root, "assignment_expression")) {
    if (/\.validate_signature$/.test(a.childForFieldName("left")?.text ?? "") && a.childForFieldName("right")?.text === "false" && !rsVerifiesElsewhere(a, undefined)) {
      out.push({ line: line(a), message: "`validate_signature = false` turns off the JWT signature check; a forged token passes." });
    }
  }
  return out;
}

/**
 * jwt crate: `Token::parse_unverified` gives a `Token<_, _, Unverified>` whose `verify_with_key(&key)` checks the
 * signature and gives the verified token (https://docs.rs/jwt/latest/jwt/#verifying): parsed, then verified, in the
 * same function is the documented way to read the header first.
 */
function rsVerifiedAfter(call: Node): boolean {
  let decl: Node | null = call.parent;
  while (decl && decl.type !== "let_declaration" && decl.type !== "function_item") decl = decl.parent;
  const name = decl?.type === "let_declaration" ? decl.childForFieldName("pattern")?.text.replace(/^mut\s+/, "") : undefined;
  const fn = outermostFunction(call);
  if (!name || !/^\w+$/.test(name) || !fn) return false;
  const after = fn.text.slice(decl!.endIndex - fn.startIndex);
  return new RegExp(String.raw`\b${name}\s*\.\s*verify_with_(key|store)\s*\(|verify_with_(key|store)\s*\(\s*&?\s*${name}\b`).test(after);
}

/** Another `decode(..)` in the same function with a validation other than the disabled one (decode-to-pick-key, then verify). */
function rsVerifiesElsewhere(node: Node, validationVar: string | undefined): boolean {
  const fn = outermostFunction(node);
  if (!fn) return false;
  return descendants(fn, "call_expression").some((c) => {
    if (rsCalleeName(c).replace(/^.*::/, "") !== "decode") return false;
    const args = c.childForFieldName("arguments")?.namedChildren ?? [];
    if (args.length < 3) return false;
    const validation = args[2]!.text.replace(/^&\s*/, "");
    return validationVar === undefined ? !/insecure/.test(c.text) : validation !== validationVar;
  });
}



// ---------- cases ----------
const TS = "typescript" as const;
const RS = "rust" as const;
const PY = "python" as const;

const CASES: RuleCase[] = [
  {
    name: "python: signature checked with the public key first, then the payload decoded without a second check",
    language: "python",
    path: "app/webhooks.py",
    code: `import base64
import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def verify_event(token: str, public_key):
    header, payload, signature = token.split(".")
    public_key.verify(base64.urlsafe_b64decode(signature + "=="), f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["tenant_id"]
`,
    expect: [],
  },
  {
    name: "python: a verify whose result is ignored in a branch that goes on is no check",
    language: "python",
    path: "app/webhooks.py",
    code: `import jwt


def handle(request, key):
    token = request.headers["Authorization"]
    if not key.verify(token):
        log.warning("bad signature")
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["sub"]
`,
    expect: [8],
  },
  {
    name: "rust: ed25519 verify with ? before reading the claims",
    language: "rust",
    path: "src/auth.rs",
    code: `pub fn claims(token: &str, key: &VerifyingKey) -> Result<Claims, AuthError> {
    let (msg, sig) = split(token)?;
    key.verify(msg.as_bytes(), &sig).map_err(|_| AuthError::BadSignature)?;
    let data = jsonwebtoken::dangerous_insecure_decode::<Claims>(token)?;
    Ok(data.claims)
}
`,
    expect: [],
  },
  {
    name: "express middleware trusts jwt.decode claims",
    language: TS,
    code: `import jwt from "jsonwebtoken";
import type { Request, Response, NextFunction } from "express";

export function requireAdmin(req: Request, res: Response, next: NextFunction) {
  const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  const claims = jwt.decode(token) as { role?: string; tenantId?: string } | null;
  if (!claims || claims.role !== "admin") return res.status(403).end();
  (req as any).user = claims;
  next();
}
`,
    expect: [6],
  },
  {
    name: "named decode import aliased, used for tenant in a service",
    language: TS,
    code: `import { decode as decodeToken } from "jsonwebtoken";
import { OrdersRepo } from "./orders-repo";

export class OrdersService {
  constructor(private readonly repo: OrdersRepo) {}

  async listForCaller(authHeader: string) {
    const payload = decodeToken(authHeader.slice(7)) as any;
    return this.repo.listByTenant(payload.tenantId);
  }
}
`,
    expect: [8],
  },
  {
    name: "jose decodeJwt in a Next.js route handler",
    language: TS,
    path: "src/api/projects/route.ts",
    code: `import * as jose from "jose";
import { db } from "../../db";

export async function GET(request: Request) {
  const token = request.headers.get("authorization")?.split(" ")[1] ?? "";
  const { sub, org_id } = jose.decodeJwt(token);
  const rows = await db.project.findMany({ where: { orgId: String(org_id), ownerId: sub } });
  return Response.json(rows);
}
`,
    expect: [6],
  },
  {
    name: "jwt-decode in a Lambda authorizer",
    language: TS,
    code: `import { jwtDecode } from "jwt-decode";

interface Claims { sub: string; scope: string }

export const handler = async (event: { authorizationToken: string; methodArn: string }) => {
  const claims = jwtDecode<Claims>(event.authorizationToken);
  const allow = claims.scope.split(" ").includes("orders:write");
  return { principalId: claims.sub, policyDocument: policy(allow, event.methodArn) };
};

function policy(allow: boolean, arn: string) {
  return { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: allow ? "Allow" : "Deny", Resource: arn }] };
}
`,
    expect: [6],
  },
  {
    name: "payload base64-decoded by hand in middleware",
    language: TS,
    code: `import type { Request, Response, NextFunction } from "express";

export function tenantContext(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization!.split(" ")[1];
  const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
  res.locals.tenantId = claims.tenant_id;
  next();
}
`,
    expect: [5],
  },
  {
    name: "jwt.verify with key and algorithms",
    language: TS,
    code: `import jwt from "jsonwebtoken";
import type { Request, Response, NextFunction } from "express";

const PUBLIC_KEY = process.env.JWT_PUBLIC_KEY!;

export function requireAdmin(req: Request, res: Response, next: NextFunction) {
  const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  // jwt.decode would not check the signature, so verify instead
  const claims = jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256"], audience: "orders-api" }) as any;
  if (claims.role !== "admin") return res.status(403).end();
  next();
}
`,
    expect: [],
  },
  {
    name: "decode header only to pick the JWKS key, then verify",
    language: TS,
    code: `import jwt from "jsonwebtoken";
import { jwks } from "./jwks";

export async function authenticate(token: string) {
  const decoded = jwt.decode(token, { complete: true });
  const key = await jwks.getSigningKey(decoded?.header.kid);
  return jwt.verify(token, key.getPublicKey(), { algorithms: ["RS256"] });
}
`,
    expect: [],
  },
  {
    name: "jose jwtVerify with remote JWKS",
    language: TS,
    code: `import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from "jose";

const JWKS = createRemoteJWKSet(new URL("https://auth.example.com/.well-known/jwks.json"));

export async function principal(req: Request) {
  const token = req.headers.get("authorization")?.slice(7) ?? "";
  const { kid } = decodeProtectedHeader(token);
  const { payload } = await jwtVerify(token, JWKS, { issuer: "https://auth.example.com/", audience: "api" });
  return { sub: payload.sub, kid };
}
`,
    expect: [],
  },
  {
    name: "jwt-decode in a React component to show the name",
    language: TS,
    path: "src/components/UserBadge.tsx",
    code: `import { jwtDecode } from "jwt-decode";

export function UserBadge({ token }: { token: string }) {
  const { name } = jwtDecode<{ name: string }>(token);
  return <span className="badge">{name}</span>;
}
`,
    expect: [],
  },
  {
    name: "client reads exp only to schedule a refresh; strings mention jwt.decode",
    language: TS,
    code: `import { jwtDecode } from "jwt-decode";

const NOTE = "never authorize with jwt.decode(token)";

export function msUntilRefresh(accessToken: string): number {
  const { exp } = jwtDecode<{ exp: number }>(accessToken);
  return exp * 1000 - Date.now() - 60_000;
}
`,
    expect: [],
  },
  {
    name: "PyJWT verify_signature False in FastAPI dependency",
    language: PY,
    code: `import jwt
from fastapi import Depends, Header, HTTPException


def get_current_user(authorization: str = Header(...)):
    token = authorization.removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    if "orders:read" not in claims.get("scope", ""):
        raise HTTPException(status_code=403)
    return claims
`,
    expect: [7],
  },
  {
    name: "python-jose get_unverified_claims in Flask view",
    language: PY,
    code: `from flask import Blueprint, request, jsonify
from jose import jwt

from .repo import invoices_for_tenant

bp = Blueprint("invoices", __name__)


@bp.route("/invoices")
def list_invoices():
    token = request.headers["Authorization"].split()[1]
    claims = jwt.get_unverified_claims(token)
    return jsonify(invoices_for_tenant(claims["tenant_id"]))
`,
    expect: [12],
  },
  {
    name: "options dict held in a variable",
    language: PY,
    code: `import jwt

DECODE_OPTIONS = {"verify_signature": False, "verify_exp": True}


class TokenService:
    def principal(self, token: str) -> dict:
        payload = jwt.decode(token, algorithms=["RS256"], options=DECODE_OPTIONS)
        return {"user": payload["sub"], "roles": payload.get("roles", [])}
`,
    expect: [8],
  },
  {
    name: "PyJWT 1.x verify=False",
    language: PY,
    code: `import jwt


def lambda_handler(event, context):
    token = event["headers"]["authorization"][7:]
    claims = jwt.decode(token, verify=False)
    if claims.get("role") != "admin":
        return {"statusCode": 403}
    return {"statusCode": 200, "body": "ok"}
`,
    expect: [6],
  },
  {
    name: "manual base64 decode in request handler",
    language: PY,
    code: `import base64
import json


def handler(event, context):
    token = event["headers"]["authorization"].split()[1]
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return {"statusCode": 200, "body": claims["tenant_id"]}
`,
    expect: [7],
  },
  {
    name: "PyJWT decode with key and algorithms",
    language: PY,
    code: `import jwt
from fastapi import Header, HTTPException

from .settings import settings


def get_current_user(authorization: str = Header(...)):
    token = authorization.removeprefix("Bearer ")
    try:
        return jwt.decode(token, settings.jwt_public_key, algorithms=["RS256"], audience="orders")
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401)
`,
    expect: [],
  },
  {
    name: "unverified decode to read iss, then verified decode",
    language: PY,
    code: `import jwt

from .jwks import key_for_issuer


def verify_token(token: str) -> dict:
    unverified = jwt.decode(token, options={"verify_signature": False})
    key = key_for_issuer(unverified["iss"])
    return jwt.decode(token, key, algorithms=["RS256"], issuer=unverified["iss"])
`,
    expect: [],
  },
  {
    name: "header only and exp-only reads; comments mention verify_signature False",
    language: PY,
    code: `import time
import jwt

# jwt.decode(token, options={"verify_signature": False}) must never gate access


def signing_kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def needs_refresh(token: str) -> bool:
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["exp"] - time.time() < 60
`,
    expect: [],
  },
  {
    name: "verify_signature True",
    language: PY,
    code: `import jwt


def load_claims(token: str, key: str) -> dict:
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": True, "require": ["exp"]})
`,
    expect: [],
  },
  {
    name: "axum extractor with insecure_disable_signature_validation",
    language: RS,
    code: `use axum::http::request::Parts;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};

pub struct AuthUser(pub Claims);

pub fn claims_from_parts(parts: &Parts) -> Result<Claims, AuthError> {
    let token = bearer(parts)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.insecure_disable_signature_validation();
    let data = decode::<Claims>(token, &DecodingKey::from_secret(&[]), &validation)?;
    Ok(data.claims)
}
`,
    expect: [9],
  },
  {
    name: "jsonwebtoken 7 dangerous_insecure_decode",
    language: RS,
    code: `use actix_web::{HttpRequest, HttpResponse};
use jsonwebtoken::dangerous_insecure_decode;

pub async fn list_orders(req: HttpRequest, repo: web::Data<Repo>) -> HttpResponse {
    let token = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let data = dangerous_insecure_decode::<Claims>(&token[7..]).unwrap();
    HttpResponse::Ok().json(repo.orders_for(&data.claims.tenant_id).await)
}
`,
    expect: [6],
  },
  {
    name: "jsonwebtoken 10 dangerous::insecure_decode",
    language: RS,
    code: `use jsonwebtoken::dangerous;

pub fn tenant_of(token: &str) -> Result<String, AuthError> {
    let data = dangerous::insecure_decode::<Claims>(token)?;
    Ok(data.claims.tenant_id)
}
`,
    expect: [4],
  },
  {
    name: "jwt crate parse_unverified",
    language: RS,
    code: `use jwt::{Header, Token, Unverified};

pub fn role(token: &str) -> Result<String, Error> {
    let parsed: Token<Header, Claims, Unverified> = Token::parse_unverified(token)?;
    Ok(parsed.claims().role.clone())
}
`,
    expect: [4],
  },
  {
    name: "jwt crate: parse_unverified to read the header, then verify_with_key on the same token",
    language: RS,
    code: `use hmac::{Hmac, Mac};
use jwt::VerifyWithKey;

pub fn from_authorization(key: &[u8], token: &str) -> Result<AuthUser, Error> {
    let jwt = jwt::Token::<jwt::Header, Claims, _>::parse_unverified(token).map_err(|_| Error::Unauthorized)?;
    let hmac = Hmac::<Sha384>::new_from_slice(key).expect("any key length");
    let jwt = jwt.verify_with_key(&hmac).map_err(|_| Error::Unauthorized)?;
    Ok(AuthUser { id: jwt.claims().user_id })
}
`,
    expect: [],
  },
  {
    name: "jwt crate: parse_unverified, and a different token verified",
    language: RS,
    code: `use jwt::VerifyWithKey;

pub fn user(key: &Hmac<Sha384>, token: &str, refresh: &str) -> Result<Claims, Error> {
    let parsed = jwt::Token::<jwt::Header, Claims, _>::parse_unverified(token)?;
    let other: Token<Header, Claims, _> = refresh.verify_with_key(key)?;
    Ok(parsed.claims().clone())
}
`,
    expect: [4],
  },
  {
    name: "decode with a real key and validation",
    language: RS,
    code: `use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};

pub fn verify(token: &str, key: &DecodingKey) -> Result<Claims, AuthError> {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&["orders-api"]);
    let data = decode::<Claims>(token, key, &validation)?;
    Ok(data.claims)
}
`,
    expect: [],
  },
  {
    name: "decode_header to pick the kid",
    language: RS,
    code: `use jsonwebtoken::{decode, decode_header, Validation, Algorithm};

pub async fn verify(token: &str, jwks: &Jwks) -> Result<Claims, AuthError> {
    let header = decode_header(token)?;
    let key = jwks.find(header.kid.as_deref().ok_or(AuthError::NoKid)?)?;
    let data = decode::<Claims>(token, &key, &Validation::new(Algorithm::RS256))?;
    Ok(data.claims)
}
`,
    expect: [],
  },
  {
    name: "insecure decode of iss to choose the issuer key, then verified decode",
    language: RS,
    code: `use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};

pub fn verify_multi_issuer(token: &str, keys: &Keys) -> Result<Claims, AuthError> {
    let mut peek = Validation::new(Algorithm::RS256);
    peek.insecure_disable_signature_validation();
    let unverified = decode::<Issuer>(token, &DecodingKey::from_secret(&[]), &peek)?;
    let key = keys.for_issuer(&unverified.claims.iss)?;
    let strict = Validation::new(Algorithm::RS256);
    Ok(decode::<Claims>(token, key, &strict)?.claims)
}
`,
    expect: [],
  },
  {
    name: "comments and strings mention insecure_decode",
    language: RS,
    code: `// Never call dangerous::insecure_decode or insecure_disable_signature_validation() here.
pub const POLICY: &str = "insecure_decode is banned";

pub fn audience() -> &'static str {
    "orders-api"
}
`,
    expect: [],
  },
  {
    name: "NestJS guard trusts JwtService.decode",
    language: "typescript",
    code: `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from "@nestjs/common";
import { JwtService } from "@nestjs/jwt";

@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly jwtService: JwtService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const token = request.headers.authorization?.replace("Bearer ", "");
    if (!token) throw new UnauthorizedException();
    const payload = this.jwtService.decode(token) as { tenant_id: string; roles: string[] };
    request.tenantId = payload.tenant_id;
    return payload.roles.includes("member");
  }
}
`,
    expect: [12],
  },
  {
    name: "NestJS guard with JwtService.verifyAsync",
    language: "typescript",
    code: `import { CanActivate, ExecutionContext, Injectable } from "@nestjs/common";
import { JwtService } from "@nestjs/jwt";

@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly jwtService: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const token = request.headers.authorization?.replace("Bearer ", "");
    const payload = await this.jwtService.verifyAsync<{ tenant_id: string }>(token);
    request.tenantId = payload.tenant_id;
    return true;
  }
}
`,
    expect: [],
  },
  {
    name: "payload split into a variable and base64-decoded in a helper",
    language: "typescript",
    code: `import type { Request, Response, NextFunction } from "express";

function parseToken(token: string): { tenant_id: string } {
  const [, body] = token.split(".");
  return JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
}

export function scopeFromBearer(req: Request, res: Response, next: NextFunction) {
  (req as any).tenant = parseToken(req.headers.authorization!.slice(7)).tenant_id;
  next();
}
`,
    expect: [5],
  },
  {
    name: "jwt-decode reads only profile claims to show a name",
    language: "typescript",
    path: "src/session/profile.ts",
    code: `import { jwtDecode } from "jwt-decode";

export function displayName(idToken: string): string {
  const { name, email } = jwtDecode<{ name?: string; email: string }>(idToken);
  return name ?? email;
}
`,
    expect: [],
  },
  {
    name: "PyJWT decode imported under an alias with verify_signature False",
    language: "python",
    code: `from typing import Annotated

from fastapi import Header
from jwt import decode as jwt_decode


def current_tenant(authorization: Annotated[str, Header()]) -> str:
    token = authorization.removeprefix("Bearer ")
    claims = jwt_decode(token, options={"verify_signature": False}, algorithms=["RS256"])
    return claims["tenant_id"]
`,
    expect: [9],
  },
  {
    name: "aliased PyJWT decode with a key and algorithms",
    language: "python",
    code: `from jwt import decode as jwt_decode

from app.settings import settings


def current_tenant(token: str) -> str:
    claims = jwt_decode(token, settings.public_key, algorithms=["RS256"], audience="api")
    return claims["tenant_id"]
`,
    expect: [],
  },
];

export default defineRule({
  meta: {
    scope: "service",
    id: "jwt-decode-without-verify",
    category: "security",
    languages: ["typescript", "rust", "python"],
    severity: "failure",
    description: "JWT claims are read with a decode call that skips signature verification.",
    why: "A decoded-but-unverified token is whatever the caller wrote: anyone can edit the payload (role, tenant, sub) and re-encode it, so authorization built on those claims lets one tenant act as another or as an admin.",
    fix: "Verify the token before trusting any claim: `jwt.verify`/`jwtVerify` with the expected key, algorithms, issuer and audience (PyJWT `jwt.decode(token, key, algorithms=[...])`, Rust `decode` with a `Validation` that keeps signature checks). Decode without verifying only to read the header (kid) and pick the key.",
    docs: [
      "https://github.com/auth0/node-jsonwebtoken#jwtdecodetoken--options",
      "https://github.com/panva/jose/blob/main/docs/util/decode_jwt/functions/decodeJwt.md",
      "https://github.com/auth0/jwt-decode#readme",
      "https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation",
      "https://python-jose.readthedocs.io/en/latest/jwt/api.html",
      "https://docs.rs/jsonwebtoken/latest/jsonwebtoken/struct.Validation.html#method.insecure_disable_signature_validation",
      "https://docs.rs/jsonwebtoken/latest/jsonwebtoken/dangerous/fn.insecure_decode.html",
    ],
  },
  detect: {
    typescript: (file) => tsDetect(file),
    python: (file) => pyDetect(file),
    rust: (file) => rsDetect(file),
  },
  cases: CASES,
});
