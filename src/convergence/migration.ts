// The batch migration for a series that is not converging: shell commands built only from the breaking
// changes the cascade rules detected (Finding.change), never guessed. Pure.
import type { ContractChange, Finding, Language } from "../engine/types.js";

export interface Migration {
  /** One block per detected change: a comment line, then the commands. */
  steps: { change: ContractChange; title: string; commands: string[]; note?: string }[];
  /** What to run once after the whole batch. */
  check: string[];
}

const esc = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const files = (c: ContractChange) => c.files.map((f) => quote(f)).join(" ");

const CHECK: Record<Language, string[]> = {
  typescript: ["npx tsc --noEmit", "npm test"],
  rust: ["cargo check --workspace --all-targets", "cargo test --workspace"],
  python: ["mypy .", "pytest"],
};

/** The old form as a regex for rg/sd: `.name(` for methods, `name!` for macros, the whole word otherwise. */
function oldForm(c: ContractChange): { find: string; replace?: string } {
  const name = esc(c.name);
  if (c.symbol === "method") return { find: `\\.${name}\\(`, replace: c.newName && `.${c.newName}(` };
  if (c.symbol === "macro") return { find: `\\b${name}!`, replace: c.newName && `${c.newName}!` };
  return { find: `\\b${name}\\b`, replace: c.newName };
}

function label(c: ContractChange): string {
  const sep = c.language === "rust" ? "::" : ".";
  const name = c.owner ? `${c.owner}${sep}${c.name}` : c.name;
  return c.symbol === "macro" ? `${name}!` : name;
}

function step(c: ContractChange): Migration["steps"][number] {
  const { find, replace } = oldForm(c);
  const where = `${c.files.length} file${c.files.length === 1 ? "" : "s"}`;
  if (c.kind === "renamed" && replace) {
    return {
      change: c,
      title: `${label(c)} → ${c.newName} (renamed in ${c.definedIn}; ${where} still on the old name)`,
      commands: [`rg -l ${quote(find)} ${files(c)} | xargs sd ${quote(find)} ${quote(replace)}`],
    };
  }
  const list = `rg -n ${quote(find)} ${files(c)}`;
  const what =
    c.kind === "removed"
      ? { title: `${label(c)} was removed from ${c.definedIn}`, note: "No replacement was detected: move each use listed to what replaces it." }
      : c.kind === "arity"
        ? { title: `${label(c)} changed its arity in ${c.definedIn}`, note: "Each call listed passes the old number of arguments: give it the new ones (their values are yours to choose)." }
        : { title: `${label(c)} changed a parameter's type in ${c.definedIn}`, note: "Each call listed passes the old type: convert the argument at every one of them." };
  return { change: c, title: `${what.title} (${where})`, commands: [list], note: what.note };
}

/** The breaking changes the cascade rules detected, once each. */
export function changesOf(findings: Finding[]): ContractChange[] {
  const seen = new Set<string>();
  return findings
    .map((f) => f.change)
    .filter((c): c is ContractChange => Boolean(c))
    .filter((c) => {
      const key = `${c.definedIn}\0${c.owner ?? ""}\0${c.name}\0${c.kind}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
}

/** The migration for the changes the engine detected; undefined when it detected none. */
export function batchMigration(changes: ContractChange[]): Migration | undefined {
  if (!changes.length) return undefined;
  const languages = [...new Set(changes.map((c) => c.language))];
  return { steps: changes.map(step), check: languages.flatMap((l) => CHECK[l]) };
}

/** The migration as one shell script (comments, commands, then the check). */
export function migrationScript(m: Migration): string {
  const lines: string[] = [];
  m.steps.forEach((s, i) => {
    lines.push(`# ${i + 1}. ${s.title}`);
    if (s.note) lines.push(`#    ${s.note}`);
    lines.push(...s.commands, "");
  });
  lines.push("# then, once, for the whole batch:", ...m.check);
  return lines.join("\n");
}
