// Many files changed by the same token substitution: a migration done by hand, file by file.
import { defineRule, type CaseFile, type Report, type RuleContext } from "../src/engine/rule.js";
import { substitutions } from "./_lib/cascade.js";

const WORD = /[A-Za-z_]\w*/;

/** Tokens back to code: a space only between two word tokens. */
function show(tokens: string): string {
  const parts = tokens.split(" ").filter(Boolean);
  return parts.reduce((s, t, i) => s + (i && WORD.test(parts[i - 1].slice(-1)) && WORD.test(t[0]) ? " " : "") + t, "");
}

function detectPr(ctx: RuleContext<undefined>): Report[] {
  const threshold = ctx.config.cascade.wide_change_files;
  const filesBySub = new Map<string, string[]>();
  for (const file of ctx.files) {
    if (!file.changed || file.baseText === undefined || file.baseText === file.text) continue;
    for (const sub of substitutions(file.baseText, file.text) ?? []) {
      if (!WORD.test(sub)) continue;
      const list = filesBySub.get(sub) ?? [];
      list.push(file.path);
      filesBySub.set(sub, list);
    }
  }
  const wide = [...filesBySub].filter(([, files]) => files.length > threshold).sort((a, b) => b[1].length - a[1].length);
  if (!wide.length) return [];
  const described = wide.slice(0, 3).map(([sub, files]) => {
    const [from, to] = sub.split("\u0000");
    return `\`${show(from) || "(nothing)"}\` -> \`${show(to) || "(nothing)"}\` in ${files.length} files`;
  });
  const files = [...new Set(wide[0][1])];
  const sample = files.slice(0, 5).map((f) => `\`${f}\``).join(", ") + (files.length > 5 ? `, and ${files.length - 5} more` : "");
  return [{
    line: 1,
    message: `The same substitution was applied by hand across many files (${described.join("; ")}: ${sample}). Treat it as one batch migration: a scripted search-and-replace plus a compile check, in one atomic change, rather than file-by-file fixes.`,
  }];
}

export default defineRule({
  meta: {
    id: "wide-mechanical-change",
    category: "cascade",
    languages: ["pr"],
    severity: "notice",
    description: "More files than the configured threshold changed by the same mechanical token substitution.",
    why: "A rename or signature change rippling through many files is where file-by-file fixing stalls: each local fix can break another dependent, partial states get committed, and the error count stops converging.",
    fix: "Inventory every breaking change first, apply each as one scripted substitution across the repository (rg + sd, an IDE rename, a codemod), compile once, and land the migration as one atomic change.",
  },
  detectPr,
  cases: CASES(),
});

function CASES() {
  const note: CaseFile = { path: "CHANGELOG.md", base: "# Changes\n", code: "# Changes\n\n- storage refactor\n" };
  const rustRepo = (i: number, method: string) => `use crate::store::Store;

pub struct Repo${i} { store: Store }

impl Repo${i} {
    pub fn put(&self, item: &Item${i}) -> Result<(), StoreError> {
        self.store.${method}(item)?;
        Ok(())
    }
}
`;
  const rustFiles = (n: number, from: string, to: string): CaseFile[] =>
    Array.from({ length: n }, (_, i) => ({ path: `src/repos/repo${i}.rs`, base: rustRepo(i, from), code: rustRepo(i, to) }));
  const tsService = (i: number, err: string) => `import { ${err} } from "../errors.js";
import { db } from "../db.js";

export async function load${i}(id: string) {
  const row = await db.get("t${i}", id);
  if (!row) throw new ${err}("missing " + id);
  return row;
}
`;
  const pyHandler = (i: number, fn: string) => `from app.clients import ${fn}

def handle_${i}(event, context):
    client = ${fn}("tenant")
    return client.fetch(event["id"])
`;
  const field = (i: number, access: string) => `impl Handler${i} {
    pub async fn run(&self) -> Result<(), Error> {
        let table = ${access}.table("events");
        table.scan().await
    }
}
`;
  return [
    {
      name: "rust: .save( -> .db_save( in 12 files",
      files: [note, ...rustFiles(12, "save", "db_save")],
      expect: ["pr"],
    },
    {
      name: "ts: RepositoryError -> EventStoreError in 11 files",
      files: [note, ...Array.from({ length: 11 }, (_, i) => ({ path: `src/services/s${i}.ts`, base: tsService(i, "RepositoryError"), code: tsService(i, "EventStoreError") }))],
      expect: ["pr"],
    },
    {
      name: "python: get_client -> client_for in 13 files",
      files: [note, ...Array.from({ length: 13 }, (_, i) => ({ path: `app/handlers/h${i}.py`, base: pyHandler(i, "get_client"), code: pyHandler(i, "client_for") }))],
      expect: ["pr"],
    },
    {
      name: "rust: self.client field -> self.client() method in 11 files",
      files: [note, ...Array.from({ length: 11 }, (_, i) => ({ path: `src/handlers/h${i}.rs`, base: field(i, "self.client"), code: field(i, "self.client()") }))],
      expect: ["pr"],
    },
    {
      name: "exactly the threshold (10 files) is not wide",
      files: [note, ...rustFiles(10, "save", "db_save")],
      expect: [],
    },
    {
      name: "12 files, each with a different rename",
      files: [note, ...Array.from({ length: 12 }, (_, i) => ({ path: `src/repos/repo${i}.rs`, base: rustRepo(i, "save"), code: rustRepo(i, `save_v${i}`) }))],
      expect: [],
    },
    {
      name: "12 files that each gain new code, not a substitution",
      files: [
        note,
        ...Array.from({ length: 12 }, (_, i) => ({
          path: `src/services/s${i}.ts`,
          base: tsService(i, "RepositoryError"),
          code: tsService(i, "RepositoryError") + `\nexport function describe${i}() {\n  return "service ${i}";\n}\n`,
        })),
      ],
      expect: [],
    },
    {
      name: "12 files reformatted or with a new year in the licence header",
      files: [
        note,
        ...Array.from({ length: 12 }, (_, i) => ({
          path: `app/handlers/h${i}.py`,
          base: `# Copyright 2024 Example\n` + pyHandler(i, "get_client"),
          code: `# Copyright 2025 Example\n` + pyHandler(i, "get_client").replace(`client = get_client("tenant")`, `client = get_client( "tenant" )`),
        })),
      ],
      expect: [],
    },
  ];
}
