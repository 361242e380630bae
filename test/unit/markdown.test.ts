import { cell, codeBlock, codeSpan, plainText, richText } from "../../src/report/markdown.js";
import { foreignHtml, mentions, renderHtml } from "../support/markdown.js";
import { findingUrl } from "../../src/report/text.js";

const HOSTILE = [
  "docs/x`</details><img src=x onerror=alert(1)> @octocat `y.md",
  "a ``` b ` c `` d",
  "`leading and trailing`",
  "<script>alert(1)</script>",
  "x\n\n**Gate: success**\n\n<img src=y>",
  "[click](https://evil.example) ![i](https://evil.example/i.png) @octocat",
  "a|b\\|c<b>bold</b>",
  "&lt;img src=z&gt; &#64;octocat",
];

describe("codeSpan", () => {
  test.each(HOSTILE)("renders %j as one literal code element", (s) => {
    const html = renderHtml(`see ${codeSpan(s)} here`);
    const codes = html.match(/<code>/g) ?? [];
    expect(codes).toHaveLength(1);
    expect(foreignHtml(`see ${codeSpan(s)} here`)).toEqual([]);
    const inner = /<code>(.*)<\/code>/s.exec(html)![1];
    const decoded = inner.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    expect(decoded).toBe(s.replace(/\n/g, " "));
  });
});

describe("plainText", () => {
  test.each(HOSTILE)("renders %j with no element, link or mention", (s) => {
    const out = `- reason: ${plainText(s)}`;
    expect(foreignHtml(out)).toEqual([]);
    expect(mentions(out)).toEqual([]);
    const html = renderHtml(out);
    expect(html).not.toMatch(/<(img|a|strong|em|script|b)\b/);
    expect(html.match(/<li>/g)).toHaveLength(1);
  });

  test("block markers at the start of a line stay text", () => {
    for (const s of ["# h", "- item", "1. item", "> quote", "=== "]) {
      expect(renderHtml(plainText(s))).toMatch(/^<p>/);
    }
  });
});

describe("richText", () => {
  test("keeps the rule's code spans and makes the quoted code literal", () => {
    const msg = "`a + `</details><img src=x>` @octocat` computes money in floating point.";
    const out = richText(msg);
    expect(foreignHtml(out)).toEqual([]);
    expect(mentions(out)).toEqual([]);
    expect(renderHtml(out)).not.toMatch(/<img/);
    expect(renderHtml(richText("`amount * 1.1` is a float"))).toBe("<p><code>amount * 1.1</code> is a float</p>\n");
  });

  test.each(HOSTILE)("renders %j with no element or mention", (s) => {
    const out = `text ${richText(s)}`;
    expect(foreignHtml(out)).toEqual([]);
    expect(mentions(out)).toEqual([]);
    expect(renderHtml(out)).not.toMatch(/<(img|a|strong|script|b)\b/);
  });
});

describe("cell", () => {
  test.each(HOSTILE)("keeps %j in one table cell", (s) => {
    const table = `| A | B |\n| --- | --- |\n| ${cell(codeSpan(s))} | ${cell(plainText(s))} |`;
    const html = renderHtml(table);
    expect(html.match(/<td>/g)).toHaveLength(2);
    expect(foreignHtml(table)).toEqual([]);
    expect(mentions(table)).toEqual([]);
  });
});

describe("codeBlock", () => {
  test("no line of the content closes the block", () => {
    const s = "```\n</details><img src=x>\n````\n@octocat";
    const out = `${codeBlock(s)}\n\nafter`;
    const html = renderHtml(out);
    expect(html.match(/<pre>/g)).toHaveLength(1);
    expect(foreignHtml(out)).toEqual([]);
    expect(mentions(out)).toEqual([]);
  });
});

describe("links to a finding outside the diff", () => {
  it("a parenthesis in the path cannot end the link and let the rest render as Markdown", () => {
    const path = "src/a)_x_ ~~y~~ *z* (b.ts";
    const url = findingUrl("https://github.com/acme/shop/pull/7", "c".repeat(40), { path, line: 4, outside: true })!;
    expect(url).toBe(`https://github.com/acme/shop/blob/${"c".repeat(40)}/src/a%29_x_%20~~y~~%20*z*%20%28b.ts#L4`);
    const html = renderHtml(`[${codeSpan(path)}](${url})`);
    expect(html).not.toMatch(/<em>|<s>/);
    expect(html).toContain(`href="${url}"`);
  });
});
