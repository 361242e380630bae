// Who an editor is to the repository: collaborator permission and team membership, cached briefly.
import type { Context } from "probot";
import type { Permission } from "../checklist/authorize.js";

type Octokit = Context["octokit"];

const TTL_MS = 60_000;
const MAX_ENTRIES = 2000;

interface Entry<T> {
  value: T;
  expires: number;
}

class Cache<T> {
  readonly #map = new Map<string, Entry<T>>();
  async get(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.#map.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await load();
    this.#map.set(key, { value, expires: now + TTL_MS });
    if (this.#map.size > MAX_ENTRIES) this.#map.delete(this.#map.keys().next().value!);
    return value;
  }
  clear(): void {
    this.#map.clear();
  }
}

const permissions = new Cache<Permission>();
const memberships = new Cache<boolean>();

/** Tests reset the caches between cases. */
export function clearPermissionCache(): void {
  permissions.clear();
  memberships.clear();
}

/** admin / write / read / none ("maintain" is reported as write, "triage" as read). 404: none. */
export async function collaboratorPermission(octokit: Octokit, owner: string, repo: string, username: string): Promise<Permission> {
  return permissions.get(`${owner}/${repo}:${username}`.toLowerCase(), async () => {
    try {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
      const p = data.permission;
      return p === "admin" || p === "write" || p === "read" ? p : "none";
    } catch (error) {
      if ((error as { status?: number }).status === 404) return "none";
      throw error;
    }
  });
}

/** Whether `username` is an active member of `team` ("org/team-slug"). Needs the members:read permission. */
export async function isTeamMember(octokit: Octokit, team: string, username: string): Promise<boolean> {
  const [org, teamSlug] = team.split("/");
  return memberships.get(`${team}:${username}`.toLowerCase(), async () => {
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: teamSlug, username });
      return data.state === "active";
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  });
}
