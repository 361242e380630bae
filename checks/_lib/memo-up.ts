// One walk towards the root shared by every node it passes: the ts-morph and tree-sitter helpers both use it.

export const UP = Symbol("up");

interface Cache<K, T> {
  has(key: K): boolean;
  get(key: K): T | undefined;
  set(key: K, value: T): unknown;
}

/**
 * A fact about a node that is either decided by its parent or the same as the parent's (`step` returns UP),
 * remembered per node: asked of every node of a long chain or deep nesting, it walks each edge once.
 */
export function walkUpOnce<N, K, T>(
  node: N,
  parentOf: (n: N) => N | undefined | null,
  keyOf: (n: N) => K,
  cache: Cache<K, T>,
  step: (child: N, parent: N) => T | typeof UP,
  atRoot: T,
): T {
  const path: K[] = [];
  let result = atRoot;
  for (let cur = node; ; ) {
    const key = keyOf(cur);
    if (cache.has(key)) {
      result = cache.get(key)!;
      break;
    }
    path.push(key);
    const parent = parentOf(cur);
    if (!parent) break;
    const decided = step(cur, parent);
    if (decided !== UP) {
      result = decided;
      break;
    }
    cur = parent;
  }
  for (const key of path) cache.set(key, result);
  return result;
}
