// Reads posted Markdown the way GitHub does (a CommonMark parser with GFM tables, raw HTML on) and lists what
// a hostile PR could have smuggled in: HTML elements and @mentions outside code.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: true });

/** HTML the app itself writes: its hidden markers, the skipped-files <details>, line breaks. */
const OWN_HTML = /^\s*(<!--\s*\/?ai-gaps:[^>]*-->|<\/?details>|<details><summary>[^<]*<\/summary>|<\/?summary>|<br\s*\/?>)\s*$/;

interface Token {
  type: string;
  content: string;
  children: Token[] | null;
}

function walk(tokens: Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    if (t.children) walk(t.children, visit);
  }
}

/** Raw HTML pieces in the Markdown that the app does not write itself. */
export function foreignHtml(markdown: string): string[] {
  const out: string[] = [];
  walk(md.parse(markdown, {}) as Token[], (t) => {
    if (t.type !== "html_block" && t.type !== "html_inline") return;
    for (const piece of t.content.split("\n").filter((l) => l.trim())) if (!OWN_HTML.test(piece)) out.push(piece);
  });
  return out;
}

/** Logins GitHub would notify: `@name` in text outside code spans and blocks. */
export function mentions(markdown: string): string[] {
  const out: string[] = [];
  walk(md.parse(markdown, {}) as Token[], (t) => {
    if (t.type !== "text") return;
    for (const m of t.content.matchAll(/(?:^|[^\w`])@([A-Za-z0-9][A-Za-z0-9-]*)/g)) out.push(m[1]);
  });
  return out;
}

/** The rendered HTML, for asserting on the visible result. */
export function renderHtml(markdown: string): string {
  return md.render(markdown);
}
