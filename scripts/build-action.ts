// Bundles the GitHub Action into dist-action/: ESM entry, engine worker and shared chunk, plus the .wasm files they load,
// so a `uses:` checkout runs it with no npm install. `npm run build:action [outdir]`.
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { copyGrammars, GRAMMARS } from "./grammars.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function buildAction(outdir = join(root, "dist-action")): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    // The engine's worker thread (src/engine/pool.ts starts worker.js beside the module) shares one chunk with the entry.
    entryPoints: [
      { in: join(root, "src/cli/action-main.ts"), out: "index" },
      { in: join(root, "src/engine/worker.ts"), out: "worker" },
    ],
    outdir,
    splitting: true,
    chunkNames: "chunk-[hash]",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: true,
    legalComments: "linked",
    logLevel: "warning",
    // CommonJS dependencies use require, __filename and __dirname; give the ESM bundle them.
    banner: {
      js: [
        'import { createRequire as __aiGapsRequire } from "node:module";',
        'import { dirname as __aiGapsDirname } from "node:path";',
        'import { fileURLToPath as __aiGapsPath } from "node:url";',
        "const require = __aiGapsRequire(import.meta.url);",
        "const __filename = __aiGapsPath(import.meta.url);",
        "const __dirname = __aiGapsDirname(__filename);",
      ].join(" "),
    },
  });
  // What the bundle loads from beside itself: the tree-sitter runtime and the grammars.
  copyGrammars(outdir, ["web-tree-sitter/web-tree-sitter.wasm", ...GRAMMARS]);
  return join(outdir, "index.js");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildAction(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stdout.write(`${out}\n`);
}
