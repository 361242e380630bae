// Starts src/engine/worker.ts from TypeScript sources (tests, tsx): registers tsx in this thread first.
// Compiled builds run dist/src/engine/worker.js directly and never load this file.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
