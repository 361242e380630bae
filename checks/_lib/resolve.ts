// Which repository function a call can reach. Facts gathered across files (this function runs per request, that one
// makes a network call) are keyed by where a function is defined, and a call only picks them up when its qualifier
// can name that definition: a bare call to a function of the same file or one it imports, `self.`/`this.` calls within
// the file, `module.fn()` / `module::fn()` through an import, `this.fooService.fn()` on a field named after the class.
// A method called on some other object (`pool.connect()`, `",".join(...)`) reaches no repository function, so one
// `connect()` in a retry loop elsewhere never makes every `connect` "per request".
import { posix } from "node:path";

/** Where a function is defined. */
export interface FnDef {
  name: string;
  path: string;
  /** Enclosing class / impl / object type, if any. */
  owner?: string;
}

/** A call site: the called name and what it was called on ("" for a bare call). */
export interface CallRef {
  name: string;
  qualifier: string;
  /** The calling file (its path, and its text for the imports). */
  file: { path: string; text: string };
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Module names a file answers to: `src/db/mod.rs` -> db, `app/plugin/service.py` -> service, `lib/user-service.ts` -> userservice. */
function moduleNames(path: string): string[] {
  const parts = path.replace(/\.[^./]+$/, "").split("/");
  let last = parts.pop() ?? "";
  if (/^(mod|index|__init__|lib)$/.test(last)) last = parts.pop() ?? last;
  const out = [norm(last)];
  // `user.service.ts` / `users.repository.ts` (NestJS): both halves and the whole
  for (const piece of last.split(".")) out.push(norm(piece));
  return out.filter(Boolean);
}

/** What a file imports: every name it binds by an import, and for module aliases the module's last segment. */
interface Imports {
  names: Set<string>;
  aliases: Map<string, string>;
}

const importCache = new WeakMap<object, Imports>();

/**
 * The module an import names is the file defining the function: `./users.service` from the caller's folder,
 * `app.plugin.service` / `crate::db::pool` as the last folders of the definition's path.
 */
function moduleIs(spec: string, fromPath: string, defPath: string): boolean {
  const def = defPath.replace(/\.[^./]+$/, "").replace(/\/(mod|index|__init__|lib)$/, "");
  if (/^\.\.?\//.test(spec)) return def === posix.join(posix.dirname(fromPath), spec).replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "");
  const segs = spec.replace(/^@\//, "").split(/::|[./]/).filter((x) => x && !/^(crate|self|super|src)$/.test(x));
  return segs.length > 0 && def.split("/").slice(-segs.length).join("/") === segs.join("/");
}

function importsOf(file: { text: string }): Imports {
  let found = importCache.get(file);
  if (found) return found;
  found = { names: new Set(), aliases: new Map() };
  const { names, aliases } = found;
  const bind = (spec: string, module?: string) => {
    for (const part of spec.split(",")) {
      const m = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(part.replace(/[{}()\s]+/g, " "));
      if (!m) continue;
      names.add(m[2] ?? m[1]);
      // `from app.plugin import service as plugin_service`: the alias names module app.plugin.service
      if (module !== undefined) aliases.set(m[2] ?? m[1], `${module}.${m[1]}`);
    }
  };
  const text = file.text;
  // TypeScript / JavaScript
  for (const m of text.matchAll(/\bimport\s+(?:type\s+)?([\w$]+)?\s*,?\s*(?:\{([^}]*)\})?\s*(?:\*\s+as\s+([\w$]+))?\s*from\s*["']([^"']+)["']/g)) {
    if (m[1]) (names.add(m[1]), aliases.set(m[1], m[4]));
    if (m[2]) bind(m[2]);
    if (m[3]) (names.add(m[3]), aliases.set(m[3], m[4]));
  }
  for (const m of text.matchAll(/\b(?:const|let|var)\s+(\{[^}]*\}|[\w$]+)\s*=\s*require\(\s*["']([^"']+)["']/g)) {
    if (m[1].startsWith("{")) bind(m[1].replace(/:/g, " as "));
    else (names.add(m[1]), aliases.set(m[1], m[2]));
  }
  // Python
  for (const m of text.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+(\([^)]*\)|[^\n]+)/gm)) bind(m[2], m[1]);
  for (const m of text.matchAll(/^[ \t]*import\s+([\w.]+)(?:\s+as\s+(\w+))?/gm)) {
    if (m[2]) (names.add(m[2]), aliases.set(m[2], m[1]));
    else for (const seg of m[1].split(".")) names.add(seg);
  }
  // Rust
  for (const m of text.matchAll(/^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);/gm)) {
    for (const a of m[1].matchAll(/([\w:]+)\s+as\s+(\w+)/g)) aliases.set(a[2], a[1]);
    for (const w of m[1].matchAll(/\w+/g)) names.add(w[0]);
  }
  for (const m of text.matchAll(/^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;/gm)) names.add(m[1]);
  importCache.set(file, found);
  return found;
}

function imports(file: { text: string }, name: string): boolean {
  return importsOf(file).names.has(name);
}

/** True when the call can reach the definition. */
export function reaches(call: CallRef, def: FnDef): boolean {
  if (call.name !== def.name) return false;
  const sameFile = call.file.path === def.path;
  const q = call.qualifier.replace(/^(this|self)\./, "").replace(/\(\)$/, "");
  if (!call.qualifier) return sameFile || imports(call.file, call.name);
  if (/^(this|self|Self|cls|super)$/.test(call.qualifier)) return sameFile || Boolean(def.owner);
  const last = q.split(/\.|::/).pop() ?? q;
  const names = moduleNames(def.path);
  const owner = def.owner ? norm(def.owner) : "";
  const key = norm(last);
  if (owner && (key === owner || key === norm(owner.replace(/impl$/, "")))) return true;
  if (/^[A-Z]/.test(last) && def.owner === last) return true;
  const target = importsOf(call.file).aliases.get(last);
  if (target) return moduleIs(target, call.file.path, def.path) || (target.split(/::|[./]/).pop() === def.owner);
  // `db::connect()` through `mod db;` / `use crate::db;`, `service.get()` through `from app.plugin import service`
  if (names.includes(key) && (imports(call.file, last) || sameFile || /::/.test(q))) return true;
  // a field named after the class or module it holds: `this.usersService` -> UsersService / users.service.ts
  if (/^(this|self)\./.test(call.qualifier) && (key === owner || names.includes(key))) return true;
  // ... or declared with its type: `private readonly events: KafkaProducer`, `self.events: KafkaProducer`, `self.events = KafkaProducer(...)`;
  // a variable likewise: `factory = AwsClientFactory(region)`, `const storage = new Storage()`, `(storage: Storage)`
  const type = /^(this|self)\.\w+$/.test(call.qualifier) ? fieldType(call.file, last) : /^[\w$]+$/.test(call.qualifier) ? variableType(call.file, last) : undefined;
  return Boolean(type && def.owner && type === def.owner);
}

const fieldTypes = new WeakMap<object, Map<string, string | undefined>>();

/** The declared class of a field of the calling file's class (TS property or constructor parameter, Python annotation or constructor call). */
function fieldType(file: { text: string }, field: string): string | undefined {
  const seen = fieldTypes.get(file) ?? new Map<string, string | undefined>();
  fieldTypes.set(file, seen);
  if (!seen.has(field)) {
    const f = field.replace(/[$]/g, "\\$&");
    const m = new RegExp(String.raw`\b${f}\s*[?!]?\s*:\s*([A-Z][\w]*)|\bself\.${f}\s*(?::\s*([A-Z]\w*))?\s*=\s*([A-Z]\w*)\(`).exec(file.text);
    seen.set(field, m?.[1] ?? m?.[2] ?? m?.[3]);
  }
  return seen.get(field);
}

const variableTypes = new WeakMap<object, Map<string, string | undefined>>();

/** The class of a variable or parameter of the calling file: `x = Cls(...)`, `const x = new Cls(...)`, `x: Cls`. */
function variableType(file: { text: string }, name: string): string | undefined {
  const seen = variableTypes.get(file) ?? new Map<string, string | undefined>();
  variableTypes.set(file, seen);
  if (!seen.has(name)) {
    const v = name.replace(/[$]/g, "\\$&");
    const m = new RegExp(String.raw`(?:^|[^.\w$])${v}\s*(?::\s*([A-Z][\w]*)[^=\n,)]*)?=\s*(?:new\s+)?(?:await\s+)?([A-Z]\w*)\s*\(|(?:^|[^.\w$])${v}\s*[?!]?\s*:\s*([A-Z]\w*)`, "m").exec(file.text);
    seen.set(name, m?.[1] ?? m?.[2] ?? m?.[3]);
  }
  return seen.get(name);
}

/** Repository functions known for something (they make a network call, they build a client), found by the calls that reach them. */
export class DefSet {
  private byName = new Map<string, FnDef[]>();

  add(def: FnDef): void {
    this.byName.set(def.name, [...(this.byName.get(def.name) ?? []), def]);
  }

  delete(name: string): void {
    this.byName.delete(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** True when a call of `name` on `qualifier` from `file` can reach one of these functions. */
  has(name: string, qualifier: string, file: CallRef["file"] | undefined): boolean {
    const defs = this.byName.get(name);
    return Boolean(defs && file && defs.some((d) => reaches({ name, qualifier, file }, d)));
  }
}
