import { repo } from "../repo";
import { log } from "@acme/observability";

export async function createToken(workspaceId: string, label: string) {
  const token = await repo.tokens.issue(workspaceId, label);
  log.info({ workspaceId, label }, "api token issued");
  return token.id;
}
