// Real git repositories in temporary folders, for the CLI and Action tests.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface Repo {
  dir: string;
  git: (...args: string[]) => string;
  write: (files: Record<string, string>) => void;
  /** Writes the files, commits everything and returns the commit id. */
  commit: (message: string, files?: Record<string, string>) => string;
}

export function makeRepo(files: Record<string, string> = {}): Repo {
  const dir = mkdtempSync(join(tmpdir(), "ai-gaps-repo-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const write = (more: Record<string, string>) => {
    for (const [path, text] of Object.entries(more)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  const commit = (message: string, more: Record<string, string> = {}) => {
    write(more);
    git("add", "-A");
    git("commit", "-qm", message);
    return git("rev-parse", "HEAD").trim();
  };
  git("init", "-q", "-b", "main");
  git("config", "user.email", "dev@example.com");
  git("config", "user.name", "dev");
  git("config", "commit.gpgsign", "false");
  write(files);
  return { dir, git, write, commit };
}
