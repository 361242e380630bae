// Changed files and their contents: one paginated list, contents batched through GraphQL, REST blobs
// only for truncated texts. No per-file request loop.
import type { Context } from "probot";
import type { Config } from "../config/schema.js";
import { attributeDirs, GITATTRIBUTES, type AttributesFile } from "../engine/attributes.js";
import { planFiles } from "../engine/index.js";
import { languageOf } from "../engine/languages.js";
import { isBinaryText } from "../engine/select.js";
import type { ChangedFile, RepoFile } from "../engine/types.js";

type Octokit = Context["octokit"];

export interface RepoRef {
  owner: string;
  repo: string;
}

/** GitHub lists at most 3,000 files of a pull request. */
export const MAX_PR_FILES = 3000;
/** Blobs per GraphQL request. */
export const BATCH_SIZE = 40;
/** Truncated blobs re-read through REST, at most, per review. */
export const MAX_BLOB_FALLBACKS = 20;

export async function listChangedFiles(octokit: Octokit, ref: RepoRef, pullNumber: number): Promise<ChangedFile[]> {
  const rows = await octokit.paginate(
    octokit.rest.pulls.listFiles,
    { ...ref, pull_number: pullNumber, per_page: 100 },
    (response, done) => {
      if (response.data.length < 100) done();
      return response.data;
    },
  );
  return rows.slice(0, MAX_PR_FILES).map((f) => ({
    path: f.filename,
    status: f.status,
    patch: f.patch,
    previousPath: f.previous_filename,
  }));
}

/** GitHub lists at most 300 files of a comparison, and never pages through more. */
export const MAX_COMPARE_FILES = 300;

/**
 * Paths (old and new names) changed between two commits; null when GitHub cannot compare them, the head is not
 * a descendant of `base` (a force-push), or the list is cut at its 300-file limit: a missing path must not count
 * as unchanged.
 */
export async function filesChangedBetween(octokit: Octokit, ref: RepoRef, base: string, head: string): Promise<{ files: string[] } | null> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...ref, basehead: `${base}...${head}`, per_page: 100 });
    // The compare is three-dot (from the merge base): only when `base` is an ancestor of the head does it list
    // every file that differs. After a force-push (diverged, behind) it can miss some, so nothing is known.
    if (data.status !== "ahead" && data.status !== "identical") return null;
    const files = data.files ?? [];
    if (files.length >= MAX_COMPARE_FILES) return null;
    return { files: files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])) };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 422) return null;
    throw error;
  }
}

/** A blob read through GraphQL or REST; `skip` says why there is no text. */
export interface Blob {
  text?: string;
  skip?: string;
}

interface BlobNode {
  oid: string;
  text: string | null;
  isBinary: boolean | null;
  isTruncated: boolean;
  byteSize: number;
}

/** Largest blob read only to classify it (binary or over limits.max_file_bytes). */
export const MAX_CLASSIFY_BYTES = 10_000_000;

interface PendingBlob {
  expression: string;
  oid: string;
  skip?: string;
}

/**
 * Reads `<sha>:<path>` expressions in batches; the result is keyed by expression. For expressions in `classify`,
 * binary and oversized blobs are read too (text plus `skip`): not analysed, but classified from their content.
 */
export async function readBlobs(
  octokit: Octokit,
  ref: RepoRef,
  expressions: string[],
  maxBytes: number,
  classify: ReadonlySet<string> = new Set(),
): Promise<Map<string, Blob>> {
  const out = new Map<string, Blob>();
  const truncated: PendingBlob[] = [];
  const unique = [...new Set(expressions)];
  for (let i = 0; i < unique.length; i += BATCH_SIZE) {
    const batch = unique.slice(i, i + BATCH_SIZE);
    const nodes = await queryBlobs(octokit, ref, batch);
    batch.forEach((expression, j) => {
      const node = nodes[j];
      if (!node) return void out.set(expression, { skip: "not found at this commit" });
      const skip = node.isBinary ? "binary" : node.byteSize > maxBytes ? `larger than limits.max_file_bytes (${node.byteSize} > ${maxBytes} bytes)` : undefined;
      const wanted = !skip || (classify.has(expression) && node.byteSize <= MAX_CLASSIFY_BYTES);
      if (!wanted) out.set(expression, { skip });
      else if (skip || node.isTruncated || node.text === null) truncated.push({ expression, oid: node.oid, skip });
      else out.set(expression, { text: node.text });
    });
  }
  await readTruncated(octokit, ref, truncated, out, classify);
  return out;
}

async function queryBlobs(octokit: Octokit, ref: RepoRef, expressions: string[]): Promise<(BlobNode | null)[]> {
  const vars = expressions.map((_, i) => `$e${i}: String!`).join(", ");
  const fields = expressions
    .map((_, i) => `f${i}: object(expression: $e${i}) { ... on Blob { oid text isBinary isTruncated byteSize } }`)
    .join("\n    ");
  const query = `query($owner: String!, $name: String!, ${vars}) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
  const variables: Record<string, string> = { owner: ref.owner, name: ref.repo };
  expressions.forEach((e, i) => (variables[`e${i}`] = e));
  const data = await octokit.graphql<{ repository: Record<string, BlobNode | null> | null }>(query, variables);
  return expressions.map((_, i) => data.repository?.[`f${i}`] ?? null);
}

async function readTruncated(
  octokit: Octokit,
  ref: RepoRef,
  truncated: PendingBlob[],
  out: Map<string, Blob>,
  classify: ReadonlySet<string>,
): Promise<void> {
  for (const { expression, skip } of truncated.slice(MAX_BLOB_FALLBACKS)) {
    out.set(expression, { skip: skip ?? `content not read (more than ${MAX_BLOB_FALLBACKS} large files)` });
  }
  const reads = truncated.slice(0, MAX_BLOB_FALLBACKS).map(async ({ expression, oid, skip }) => {
    const { data } = await octokit.rest.git.getBlob({ ...ref, file_sha: oid });
    const text = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8").toString("utf8");
    const why = skip ?? (isBinaryText(text) ? "binary" : undefined);
    out.set(expression, why && !classify.has(expression) ? { skip: why } : { text, skip: why });
  });
  await Promise.all(reads);
}

const WITH_BASE = new Set(["modified", "renamed", "changed"]);

export interface FetchedFiles {
  /** The changed files with content (head) and base content where read; `skipReason` where not. */
  files: ChangedFile[];
}

/** Contents at the head SHA of the files the engine will read, and base contents of modified ones. */
export async function fetchContents(
  octokit: Octokit,
  ref: RepoRef,
  files: ChangedFile[],
  shas: { head: string; base: string },
  config: Config,
): Promise<FetchedFiles> {
  const { read, classify } = planFiles(files, config);
  const head = (f: ChangedFile) => `${shas.head}:${f.path}`;
  const base = (f: ChangedFile) => `${shas.base}:${f.previousPath ?? f.path}`;
  const expressions = read.flatMap((f) => (WITH_BASE.has(f.status) ? [head(f), base(f)] : [head(f)]));
  const heads = [...read, ...classify].map(head);
  const blobs = await readBlobs(octokit, ref, [...expressions, ...classify.map(head)], config.limits.max_file_bytes, new Set(heads));
  const byPath = new Map<string, ChangedFile>();
  for (const f of classify) byPath.set(f.path, { ...f, content: blobs.get(head(f))?.text });
  for (const f of read) {
    const h = blobs.get(head(f));
    const baseContent = WITH_BASE.has(f.status) ? blobs.get(base(f))?.text : undefined;
    byPath.set(f.path, { ...f, content: h?.text, baseContent, skipReason: h?.skip });
  }
  return { files: files.map((f) => byPath.get(f.path) ?? f) };
}

/** Languages read in unchanged files: dependents of a changed contract, and middleware a pipeline registers. */
const REPO_LANGUAGES = new Set(["typescript", "rust", "python"]);

/** package.json files read at most per review (shallowest first): a PR spread over many packages stays bounded. */
const MAX_MANIFESTS = 100;

/** Unchanged TS/JS/Rust/Python files at the head SHA, for cross-file rules, closest to the changed files first; and the package.json files above the changed files. */
export async function fetchRepoFiles(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  changed: ChangedFile[],
  config: Config,
): Promise<RepoFile[]> {
  const max = config.limits.max_repo_files;
  if (max === 0) return [];
  const { data } = await octokit.rest.git.getTree({ ...ref, tree_sha: headSha, recursive: "true" });
  const changedPaths = new Set(changed.flatMap((f) => [f.path, f.previousPath ?? f.path]));
  const candidates: ChangedFile[] = data.tree
    .filter((e) => e.type === "blob" && e.path && !changedPaths.has(e.path))
    .filter((e) => REPO_LANGUAGES.has(languageOf(e.path!) ?? "") && (e.size ?? 0) <= config.limits.max_file_bytes)
    .map((e) => ({ path: e.path!, status: "unchanged" }));
  const wanted = planFiles(candidates, { ...config, limits: { ...config.limits, max_files: Number.MAX_SAFE_INTEGER } }).read;
  const dirs = changed.map((f) => dirOf(f.path));
  const chosen = wanted
    .map((f) => ({ path: f.path, score: Math.max(0, ...dirs.map((d) => sharedDepth(d, dirOf(f.path)))) }))
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
    .slice(0, max);
  // the package.json of every folder above a changed file, in the same read: which files its scripts run
  const above = new Set(changed.flatMap((f) => dirOf(f.path).map((_, i, parts) => [...parts.slice(0, i + 1), "package.json"].join("/")).concat("package.json")));
  const manifests = data.tree
    .filter((e) => e.type === "blob" && e.path && above.has(e.path))
    .map((e) => ({ path: e.path! }))
    .sort((a, b) => a.path.split("/").length - b.path.split("/").length || a.path.localeCompare(b.path))
    .slice(0, MAX_MANIFESTS);
  const read = [...chosen, ...manifests];
  const blobs = await readBlobs(octokit, ref, read.map((f) => `${headSha}:${f.path}`), config.limits.max_file_bytes);
  return read.flatMap((f) => {
    const blob = blobs.get(`${headSha}:${f.path}`);
    return blob?.text === undefined || blob.skip ? [] : [{ path: f.path, content: blob.text }];
  });
}

function dirOf(path: string): string[] {
  return path.split("/").slice(0, -1);
}

function sharedDepth(a: string[], b: string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Directories whose .gitattributes are read, at most: with the root, BATCH_SIZE per GraphQL request. */
export const MAX_ATTRIBUTE_DIRS = 5 * BATCH_SIZE;
/** Largest .gitattributes read. */
const MAX_ATTRIBUTES_BYTES = 1_000_000;

/**
 * The .gitattributes files on `branch` (the default branch: never the PR head) of the root and of every directory
 * above a changed file, shallowest first, in batched GraphQL reads: at most MAX_ATTRIBUTE_DIRS / BATCH_SIZE requests.
 */
export async function readAttributes(octokit: Octokit, ref: RepoRef, branch: string, paths: string[]): Promise<{ files: AttributesFile[]; dirs: string[]; capped: boolean }> {
  const { dirs, capped } = attributeDirs(paths, MAX_ATTRIBUTE_DIRS);
  const expression = (dir: string) => `refs/heads/${branch}:${dir ? `${dir}/` : ""}${GITATTRIBUTES}`;
  const blobs = await readBlobs(octokit, ref, dirs.map(expression), MAX_ATTRIBUTES_BYTES);
  const files = dirs.flatMap((dir) => {
    const text = blobs.get(expression(dir))?.text;
    return text === undefined ? [] : [{ dir, text }];
  });
  return { files, dirs, capped };
}
