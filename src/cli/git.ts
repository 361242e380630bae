// What the local review reads from git: the repository root, the changed files and their contents.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ChangedFile } from "../engine/types.js";
import { UsageError } from "./usage.js";

/** git's id of the empty tree: the base of a repository with no commit yet. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

export class Git {
  constructor(readonly root: string) {}

  /** The repository holding `dir`, or a usage error outside git. */
  static at(dir: string): Git {
    const root = tryGit(dir, ["rev-parse", "--show-toplevel"])?.trim();
    if (!root) throw new UsageError(`not inside a git repository (${dir}): run it in your repository, or name the files to review`);
    return new Git(root);
  }

  run(args: string[]): string {
    return runGit(this.root, args);
  }

  try(args: string[]): string | undefined {
    return tryGit(this.root, args);
  }

  /** The commit a ref names, or a usage error naming the ref. */
  commit(ref: string, what = "ref"): string {
    const sha = this.try(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])?.trim();
    if (!sha) throw new UsageError(`unknown git ${what} "${ref}": name a branch, tag or commit of ${this.root}`);
    return sha;
  }

  /** origin/HEAD, else main, else master, else the parent commit; the empty tree before the first commit. */
  defaultBase(): string {
    for (const ref of ["origin/HEAD", "main", "master", "HEAD~1", "HEAD"]) {
      if (this.try(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])) return ref;
    }
    return EMPTY_TREE;
  }

  mergeBase(base: string, head: string): string {
    if (base === EMPTY_TREE) return base;
    return this.try(["merge-base", base, head])?.trim() ?? base;
  }

  show(rev: string, path: string): string | undefined {
    return this.try(["show", `${rev}:${path}`]);
  }

  /** Commit messages of base..head, newest first. */
  messages(base: string, head: string): string[] {
    if (base === EMPTY_TREE) return [];
    return (this.try(["log", "--format=%B%x00", `${base}..${head}`]) ?? "").split("\0").map((m) => m.trim()).filter(Boolean);
  }

  /**
   * Files changed from `base` (its merge base with the head) to `head`, or to the working tree (tracked
   * changes, staged or not, and untracked files git does not ignore) when `head` is undefined.
   */
  changedFiles(base: string, head?: string): ChangedFile[] {
    const from = this.mergeBase(base, head ?? "HEAD");
    const range = head ? [from, head] : [from];
    const fields = this.run(["diff", "--name-status", "-M", "-z", "--no-ext-diff", ...range]).split("\0");
    const files: ChangedFile[] = [];
    for (let i = 0; i + 1 < fields.length; ) {
      const code = fields[i++];
      const renamed = code.startsWith("R") || code.startsWith("C");
      const previousPath = renamed ? fields[i++] : undefined;
      const path = fields[i++];
      files.push(this.changed(code, path, previousPath, range, head));
    }
    if (!head) files.push(...this.untracked());
    return files;
  }

  private changed(code: string, path: string, previousPath: string | undefined, range: string[], head?: string): ChangedFile {
    const status = code.startsWith("D") ? "removed" : code.startsWith("A") ? "added" : code.startsWith("R") ? "renamed" : code.startsWith("C") ? "copied" : "modified";
    const paths = previousPath ? [previousPath, path] : [path];
    const patch = hunks(this.run(["diff", "-M", "--no-color", "--no-ext-diff", ...range, "--", ...paths]));
    const content = status === "removed" ? undefined : head ? this.show(head, path) : this.readWorkingFile(path);
    const basePath = previousPath ?? path;
    const baseContent = status === "modified" || status === "renamed" ? this.show(range[0], basePath) : undefined;
    return { path, status, previousPath, patch, content, baseContent };
  }

  private untracked(): ChangedFile[] {
    const paths = this.run(["ls-files", "--others", "--exclude-standard", "-z"]).split("\0").filter(Boolean);
    return paths.map((path) => {
      const content = this.readWorkingFile(path);
      return { path, status: "added", content, patch: content === undefined ? undefined : addedPatch(content) };
    });
  }

  private readWorkingFile(path: string): string | undefined {
    const full = join(this.root, path);
    return existsSync(full) && statSync(full).isFile() ? readFileSync(full, "utf8") : undefined;
  }
}

function runGit(cwd: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { code?: string; stderr?: string };
    if (e.code === "ENOENT") throw new UsageError("git is not installed or not on PATH");
    throw new UsageError(`git ${args[0]} failed: ${(e.stderr ?? String(error)).trim().split("\n")[0]}`);
  }
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return runGit(cwd, args);
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith("git is not installed")) throw error;
    return undefined;
  }
}

/** The hunks of a one-file `git diff`, without its header lines. */
function hunks(diff: string): string | undefined {
  const start = diff.indexOf("\n@@");
  return start < 0 ? undefined : diff.slice(start + 1).replace(/\n$/, "");
}

/** The patch GitHub would show for a new file: every line added. */
function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, "").split("\n");
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join("\n");
}
