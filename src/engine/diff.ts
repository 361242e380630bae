// Which lines of the new file a unified diff shows, and how.

export interface DiffLines {
  /** Lines added by the PR (right-hand side). */
  added: Set<number>;
  /** Every right-hand line shown in the diff: added and unchanged context. */
  visible: Set<number>;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parsePatch(patch: string | undefined): DiffLines {
  const added = new Set<number>();
  const visible = new Set<number>();
  if (!patch) return { added, visible };
  let line = 0;
  for (const text of patch.split("\n")) {
    const hunk = HUNK.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (line === 0 || text === "" || text.startsWith("-") || text.startsWith("\\")) continue;
    if (text.startsWith("+")) added.add(line);
    visible.add(line);
    line++;
  }
  return { added, visible };
}

export type LineFilter = "added" | "diff_context" | "file";

/** True when a finding spanning [line, endLine] touches the lines the filter keeps. */
export function inFilter(diff: DiffLines, filter: LineFilter, line: number, endLine: number): boolean {
  if (filter === "file") return true;
  const lines = filter === "added" ? diff.added : diff.visible;
  for (let l = line; l <= endLine; l++) if (lines.has(l)) return true;
  return false;
}
