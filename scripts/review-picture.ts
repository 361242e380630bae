// Renders what ai-gaps posts on a sample pull request as GitHub would show it (Markdown rendered to HTML with
// GitHub's Markdown CSS), then screenshots it with headless Chromium into docs/review.png (the README's picture).
// Usage: npx tsx scripts/review-picture.ts   (needs `chromium`: apt-get install -y chromium)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { clearPermissionCache } from "../src/github/permissions.js";
import { E2E } from "../test/support/e2e.js";
import { pullRequestEvent } from "../test/support/payloads.js";
import { UNVERIFIED_JWT_HANDLER } from "../test/support/samples.js";

const BILLING = `export function invoiceTotal(amount: string): number {
  const price = parseFloat(amount);
  return price * 1.2;
}
`;

const md = new MarkdownIt({ html: true, linkify: false });

/** GitHub's task-list rendering: a disabled checkbox in place of `[ ]` / `[x]` at the start of an item. */
function render(markdown: string): string {
  return md
    .render(markdown)
    .replace(/<li>\[( |x)\] /g, (_, x: string) => `<li class="task-list-item"><input type="checkbox" disabled${x === "x" ? " checked" : ""}> `);
}

function box(title: string, body: string): string {
  return `<div class="box"><div class="head">${title}</div><div class="markdown-body">${body}</div></div>`;
}

async function main(): Promise<void> {
  clearPermissionCache();
  const e2e = await E2E.start();
  try {
    e2e.fake.addRepo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n" } });
    const pr = e2e.fake.openPullRequest("acme/shop", { title: "Admin check and invoices", files: { "src/auth.ts": UNVERIFIED_JWT_HANDLER, "src/billing.ts": BILLING } });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    const [comment] = e2e.fake.commentsOn("acme/shop", pr.number);
    const inline = e2e.fake.reviewCommentsOn("acme/shop", pr.number).find((c) => c.body.includes("severity=failure"))!;
    const run = e2e.fake.checkRunsFor("acme/shop", { headSha: pr.headSha }).find((r) => r.status === "completed")!;
    const css = readFileSync(createRequire(import.meta.url).resolve("github-markdown-css/github-markdown-light.css"), "utf8");
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}
      body { background: #f6f8fa; margin: 0; padding: 24px; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
      .cols { max-width: 980px; }
      .box { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin-bottom: 24px; }
      .head { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px; font-size: 14px; color: #57606a; border-radius: 6px 6px 0 0; }
      .head b { color: #1f2328; }
      .markdown-body { padding: 16px; font-size: 14px; }
      .task-list-item { list-style: none; } .task-list-item input { margin: 0 0.3em 0.25em -1.4em; vertical-align: middle; }
    </style></head><body><div class="cols"><div>
      ${box(`<b>ai-gaps</b> bot commented · checklist comment`, render(comment.body))}
      ${box(`<b>ai-gaps</b> bot reviewed <code>src/auth.ts</code> line ${inline.line}`, render(inline.body))}
      ${box(`Check run <b>ai-gaps</b> · ${run.conclusion} · ${run.output.title}`, render(`${run.output.summary}\n\n${run.output.text ?? ""}`))}
    </div></div></body></html>`;
    const dir = mkdtempSync(join(tmpdir(), "ai-gaps-picture-"));
    const page = join(dir, "review.html");
    writeFileSync(page, html);
    const out = new URL("../docs/review.png", import.meta.url).pathname;
    execFileSync("chromium", [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", `--user-data-dir=${mkdtempSync(join(tmpdir(), "ai-gaps-chromium-"))}`,
      "--hide-scrollbars", `--window-size=${process.env.WIDTH ?? 1030},${process.env.HEIGHT ?? 1720}`, `--screenshot=${out}`, `file://${page}`,
    ], { stdio: "ignore" });
    process.stdout.write(`${out}\n${page}\n`);
  } finally {
    await e2e.stop();
  }
}

await main();
