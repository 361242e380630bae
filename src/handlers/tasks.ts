// Queue tasks that carry their webhook: the event is stored as JSON with the job, and the worker (in this process
// or another) rebuilds its context with a fresh installation token before doing the work.
import { Context, type Logger } from "probot";

type Octokit = Context["octokit"];

/** How a worker gets an installation's Octokit and the app's logger (Probot's app.auth and app.log). */
export interface TaskEnv {
  auth: (installationId: number) => Promise<Octokit>;
  log: Logger;
}

export interface EventData {
  id: string;
  name: string;
  payload: unknown;
}

export function eventData(context: Context): EventData {
  return { id: context.id, name: context.name, payload: context.payload };
}

/** The stored event back as a Probot context; its log lines (and its GitHub client's) name the delivery, repository, PR and head. */
export async function contextFor<C extends Context>(env: TaskEnv, data: EventData): Promise<C> {
  const installation = (data.payload as { installation?: { id?: number } }).installation?.id;
  if (!installation) throw new Error(`queued ${data.name} event ${data.id} has no installation id`);
  const log = env.log.child({ name: data.name, id: data.id, ...eventFields(data) });
  const octokit = withLog(await env.auth(installation), log);
  return new Context({ id: data.id, name: data.name, payload: data.payload } as never, octokit, log) as C;
}

/** The client's own lines (rate-limit waits, retries) carry the job's fields too. */
export function withLog(octokit: Octokit, log: Logger): Octokit {
  octokit.log = log.child({ name: "github" });
  return octokit;
}

function eventFields(data: EventData): { delivery: string; repository?: string; pr?: number; sha?: string } {
  const p = data.payload as {
    repository?: { full_name?: string };
    pull_request?: { number?: number; head?: { sha?: string } };
    issue?: { number?: number };
    check_run?: { head_sha?: string; pull_requests?: { number: number }[] };
    check_suite?: { head_sha?: string };
    merge_group?: { head_sha?: string };
  };
  const pr = p.pull_request?.number ?? p.issue?.number ?? p.check_run?.pull_requests?.[0]?.number;
  const sha = p.pull_request?.head?.sha ?? p.check_run?.head_sha ?? p.check_suite?.head_sha ?? p.merge_group?.head_sha;
  return { delivery: data.id, ...(p.repository?.full_name ? { repository: p.repository.full_name } : {}), ...(pr ? { pr } : {}), ...(sha ? { sha } : {}) };
}
