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

/** The stored event back as a Probot context. */
export async function contextFor<C extends Context>(env: TaskEnv, data: EventData): Promise<C> {
  const installation = (data.payload as { installation?: { id?: number } }).installation?.id;
  if (!installation) throw new Error(`queued ${data.name} event ${data.id} has no installation id`);
  const octokit = await env.auth(installation);
  return new Context({ id: data.id, name: data.name, payload: data.payload } as never, octokit, env.log.child({ name: data.name, id: data.id })) as C;
}
