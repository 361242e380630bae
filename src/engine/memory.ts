// tree-sitter's WASM memory, made here instead of inside web-tree-sitter so the engine can see how large it
// has grown (it lives outside the JS heap that limits.memory_mb caps in a worker) and a worker can cap it.
// A WASM memory never shrinks: the pool replaces a worker whose memory has grown past half its ceiling.

const PAGE = 65536;
/** web-tree-sitter's own initial size (32 MB). */
const INITIAL_PAGES = 512;
/** The most a WASM memory can be (web-tree-sitter's own maximum: 2 GB). */
const MAX_PAGES = 32768;

let memory: WebAssembly.Memory | undefined;
let hardCapMb: number | undefined;

/**
 * A hard cap on the memory for a worker whose ceiling is `ceilingMb` (limits.memory_mb), set before it first
 * parses. The engine's own check (budget.ts memoryOver) stops a file once the memory passes the ceiling; the cap
 * sits above it, so only an allocation that jumps far past the ceiling fails (tree-sitter's module then stops
 * working, and the pool replaces the worker).
 */
export function capWasmMemory(ceilingMb: number): void {
  hardCapMb = ceilingMb + Math.max(128, ceilingMb / 4);
}

/** The memory handed to web-tree-sitter when it loads. */
export function wasmMemory(): WebAssembly.Memory {
  const maximum = hardCapMb ? Math.min(MAX_PAGES, Math.max(INITIAL_PAGES * 2, Math.ceil((hardCapMb * 2 ** 20) / PAGE))) : MAX_PAGES;
  memory ??= new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum });
  return memory;
}

/** Megabytes the WASM memory holds now (0 before tree-sitter loads). */
export function wasmMemoryMb(): number {
  return memory ? memory.buffer.byteLength / 2 ** 20 : 0;
}
