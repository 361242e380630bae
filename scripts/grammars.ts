// The tree-sitter grammars the engine loads, copied beside the built engine (dist/src/engine/) so the
// package and the Docker image carry them without the grammar packages (and their native install step).
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export const GRAMMARS = ["tree-sitter-rust/tree-sitter-rust.wasm", "tree-sitter-python/tree-sitter-python.wasm"];

export function copyGrammars(outdir: string, files = GRAMMARS): void {
  mkdirSync(outdir, { recursive: true });
  for (const file of files) copyFileSync(require.resolve(file), join(outdir, file.split("/")[1]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  copyGrammars(fileURLToPath(new URL("../dist/src/engine/", import.meta.url)));
}
