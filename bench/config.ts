// Config loading on hostile files: time of checkConfigText against yaml's own parse (its quadratic unique-key
// check on) in the same run, printed as ratios.   Run: npx tsx bench/config.ts
import { parse } from "yaml";
import { checkConfigText, MAX_CONFIG_KEYS } from "../src/config/load.js";

function time(fn: () => unknown, rounds = 3): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

const keys = (n: number) => "x:\n" + Array.from({ length: n }, (_, i) => `  k${i}: 1`).join("\n") + "\n";
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (let i = 1; i < 9; i++) laughs.push(`${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(",")}]`);

const cases: [string, string][] = [
  [`${MAX_CONFIG_KEYS} keys (at the cap)`, keys(MAX_CONFIG_KEYS)],
  ["8,000 keys (under the byte cap, over the key cap)", keys(8_000)],
  ["20,000 keys (over the byte cap)", keys(20_000)],
  ["billion laughs", laughs.join("\n") + "\n"],
];
console.log("case | checkConfigText ms | yaml.parse (uniqueKeys on) ms | ratio");
for (const [name, text] of cases) {
  const ours = time(() => checkConfigText(text, "bench.yml"));
  let theirs: number | string;
  try {
    theirs = time(() => parse(text), 1);
  } catch {
    theirs = "throws";
  }
  const ratio = typeof theirs === "number" ? `${(theirs / ours).toFixed(1)}x` : "-";
  console.log(`${name} | ${ours.toFixed(1)} | ${typeof theirs === "number" ? theirs.toFixed(1) : theirs} | ${ratio}`);
}
