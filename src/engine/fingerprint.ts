// One fingerprint per finding instance. The base is rule + path + normalised line text (stable when lines move);
// identical copies are numbered in line order, as code scanning numbers them, so a second copy of a dismissed
// line is a new, open finding. The first copy keeps the plain base, so earlier records still match it.
import { createHash } from "node:crypto";
import type { Finding } from "./types.js";

export function numberInstances(findings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  const order = findings.map((f, i) => ({ f, i })).sort((a, b) => a.f.path.localeCompare(b.f.path) || a.f.line - b.f.line || a.i - b.i);
  const out = [...findings];
  for (const { f, i } of order) {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    if (n) out[i] = { ...f, fingerprint: createHash("sha1").update(`${f.fingerprint}#${n}`).digest("hex").slice(0, 16) };
  }
  return out;
}
