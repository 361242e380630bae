// This app's own identity (id and slug), to recognise its check runs and comments.
import type { Probot } from "probot";
import type { AppIdentity } from "./comment.js";

/** Asked once (GET /app); a failed lookup is retried next time, matching by check name and bot author meanwhile. */
export function appIdentity(app: Probot, env: Record<string, string | undefined> = process.env): () => Promise<AppIdentity> {
  let known: AppIdentity | undefined;
  return async () => {
    if (known) return known;
    try {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      known = { id: data?.id, slug: data?.slug };
      return known;
    } catch (error) {
      app.log.warn({ err: error }, "could not read this app's identity; matching by check name and bot author only");
      const id = Number(env.APP_ID);
      return { id: Number.isFinite(id) && id > 0 ? id : undefined };
    }
  };
}
