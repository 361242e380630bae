// Pull-request reads the review job needs besides files and commits: the current head, a file on a branch.
import type { Context } from "probot";
import type { RepoRef } from "./files.js";

type Octokit = Context["octokit"];

/** The pull request as GitHub has it now. */
export async function getPull(octokit: Octokit, ref: RepoRef, pullNumber: number) {
  const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: pullNumber });
  return data;
}

/** The PR's head SHA as GitHub has it now. */
export async function currentHeadSha(octokit: Octokit, ref: RepoRef, pullNumber: number): Promise<string> {
  return (await getPull(octokit, ref, pullNumber)).head.sha;
}

/** Open PRs whose head is `sha` (fork PRs are missing from check payloads' pull_requests). */
export async function openPullsWithHead(octokit: Octokit, ref: RepoRef, sha: string): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...ref, commit_sha: sha, per_page: 100 });
  return data.filter((p) => p.state === "open" && p.head.sha === sha).map((p) => p.number);
}

/** Messages of the commits between two SHAs (first page: up to 100 commits). */
export async function commitMessagesBetween(octokit: Octokit, ref: RepoRef, base: string, head: string): Promise<string[]> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...ref, basehead: `${base}...${head}`, per_page: 100 });
  return data.commits.map((c) => c.commit.message);
}

/** A text file on a branch; undefined when it is not there. */
export async function readBranchFile(octokit: Octokit, ref: RepoRef, path: string, branch: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...ref, path, ref: branch, mediaType: { format: "raw" } });
    return String(data);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
