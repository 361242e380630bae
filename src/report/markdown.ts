// The one escaping layer for text the pull request controls (paths, quoted code, reasons, notes) on its way
// into Markdown: whatever it holds, it renders as literal text: no HTML element, link, emphasis or @mention.

/** Zero-width space: `@` followed by it is no mention, and it shows as nothing. */
const ZWSP = "\u200b";

function oneLine(s: string): string {
  return s.replace(/\r\n?|\n/g, " ");
}

/** Literal code: a code span whose fence is longer than any backtick run inside, on one line. */
export function codeSpan(s: string): string {
  const content = oneLine(s);
  if (!content) return "` `";
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  // CommonMark strips one space from each side when both are there; a backtick at the edge needs the pad.
  const pad = content.startsWith("`") || content.endsWith("`") || (/^ .*[^ ].* $/.test(content)) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;" };

/** Literal inline text: `<` and `&` as entities (safe in HTML blocks too), Markdown punctuation escaped, `@` neutralised. */
export function plainText(s: string): string {
  return oneLine(s)
    .replace(/[&<]/g, (c) => HTML[c])
    .replace(/[\\`*[\]~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\$&")
    .replace(/^(\s*)([-+#=>])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2")
    .replace(/@/g, `@${ZWSP}`);
}

/**
 * Text written as Markdown with `code` spans (rule messages, reasons), where the quoted parts may hold anything:
 * each span is re-fenced with `codeSpan`, the rest goes through `plainText`, so a backtick in the quoted code cannot
 * end its span early and let the rest be read as Markdown or HTML.
 */
export function richText(s: string): string {
  const out: string[] = [];
  const runs = /`+/g;
  let at = 0;
  let m: RegExpExecArray | null;
  while ((m = runs.exec(s))) {
    const close = findRun(s, m[0].length, runs.lastIndex);
    if (close < 0) continue;
    out.push(plainText(s.slice(at, m.index)), codeSpan(trimSpan(s.slice(runs.lastIndex, close))));
    at = close + m[0].length;
    runs.lastIndex = at;
  }
  out.push(plainText(s.slice(at)));
  return out.join("");
}

/** Index of the next backtick run of exactly `length` from `from`, or -1. */
function findRun(s: string, length: number, from: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = runs.exec(s))) if (m[0].length === length) return m.index;
  return -1;
}

function trimSpan(s: string): string {
  return /^ .*[^ ].* $/s.test(s) ? s.slice(1, -1) : s;
}

/** A fenced code block that no line of `s` can close. */
export function codeBlock(s: string, lang = ""): string {
  const longest = Math.max(2, ...(s.match(/^ {0,3}`{3,}/gm) ?? []).map((f) => f.trim().length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${/^[a-z0-9-]*$/i.test(lang) ? lang : ""}\n${s.replace(/\r\n?/g, "\n")}\n${fence}`;
}

/** A table cell: one line, every `|` escaped (inside code spans too, as GFM tables require). */
export function cell(s: string): string {
  return oneLine(s).replace(/(\\*)\|/g, (_, slashes: string) => `${slashes}${slashes}\\|`);
}
