// Parses Mermaid diagrams with Mermaid itself, in plain Node (jest's module loader cannot load jsdom's ESM
// dependencies). Reads a JSON array of diagram texts on stdin; prints [{ ok, type } | { ok: false, error }].
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>");
Object.assign(globalThis, { window, document: window.document });
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const text of JSON.parse(input)) {
  try {
    const { diagramType } = await mermaid.parse(text);
    out.push({ ok: true, type: diagramType });
  } catch (error) {
    out.push({ ok: false, error: String(error?.message ?? error).split("\n").slice(0, 4).join("\n") });
  }
}
process.stdout.write(JSON.stringify(out));
