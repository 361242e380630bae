// Line diffs the way GitHub shows them in a pull request's `patch` field (hunks only, no file headers),
// and the set of lines a review comment may sit on. Used by the fake GitHub; small and dependency-free.

export interface Patch {
  patch: string;
  additions: number;
  deletions: number;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

type Op = { kind: " " | "-" | "+"; text: string };

/** Longest-common-subsequence diff after trimming the common prefix and suffix. */
function diffOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  const ops: Op[] = a.slice(0, start).map((text) => ({ kind: " ", text }));
  if (n * m > 25_000_000) {
    // Too big for the table: everything removed, everything added (still a valid diff).
    for (const text of midA) ops.push({ kind: "-", text });
    for (const text of midB) ops.push({ kind: "+", text });
  } else {
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] =
          midA[i] === midB[j] ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: " ", text: midA[i++] });
        j++;
      } else if (i < n && (j === m || table[(i + 1) * width + j] >= table[i * width + j + 1])) {
        ops.push({ kind: "-", text: midA[i++] }); // removals before additions, as git does
      } else {
        ops.push({ kind: "+", text: midB[j++] });
      }
    }
  }
  for (const text of a.slice(endA)) ops.push({ kind: " ", text });
  return ops;
}

/** A unified diff of two texts with `context` lines around each change, as in GitHub's `patch`. */
export function unifiedPatch(oldText: string, newText: string, context = 3): Patch {
  const ops = diffOps(splitLines(oldText), splitLines(newText));
  const changed = ops.map((op, index) => (op.kind === " " ? -1 : index)).filter((index) => index >= 0);
  if (!changed.length) return { patch: "", additions: 0, deletions: 0 };

  // Group changes whose context windows touch into hunks.
  const groups: [number, number][] = [];
  for (const index of changed) {
    const last = groups[groups.length - 1];
    if (last && index - last[1] <= 2 * context + 1) last[1] = index;
    else groups.push([index, index]);
  }
  // Line numbers before each op.
  const oldLine: number[] = [];
  const newLine: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(n);
    if (op.kind !== "+") o++;
    if (op.kind !== "-") n++;
  }
  const hunks: string[] = [];
  let additions = 0;
  let deletions = 0;
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    const oldStart = oldCount ? oldLine[from] : oldLine[from] - 1;
    const newStart = newCount ? newLine[from] : newLine[from] - 1;
    const lines = slice.map((op) => `${op.kind}${op.text}`);
    additions += slice.filter((op) => op.kind === "+").length;
    deletions += slice.filter((op) => op.kind === "-").length;
    hunks.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n${lines.join("\n")}`);
  }
  return { patch: hunks.join("\n"), additions, deletions };
}

export interface Hunk {
  /** Right-side (new file) lines shown in this hunk: added and context. */
  right: Set<number>;
  /** Left-side (old file) lines shown in this hunk: removed and context. */
  left: Set<number>;
}

/** The hunks of a patch, with the lines of each side a review comment may be placed on. */
export function parsePatch(patch: string | undefined): Hunk[] {
  const hunks: Hunk[] = [];
  if (!patch) return hunks;
  let current: Hunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (const line of patch.split("\n")) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (header) {
      current = { right: new Set(), left: new Set() };
      hunks.push(current);
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      continue;
    }
    if (!current || line.startsWith("\\")) continue;
    if (line.startsWith("+")) current.right.add(newLine++);
    else if (line.startsWith("-")) current.left.add(oldLine++);
    else {
      current.right.add(newLine++);
      current.left.add(oldLine++);
    }
  }
  return hunks;
}
