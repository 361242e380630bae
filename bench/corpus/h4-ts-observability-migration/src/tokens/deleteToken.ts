import { repo } from "../repo";
import { log } from "@acme/observability";

export async function deleteToken(workspaceId: string, tokenId: string) {
  await repo.tokens.delete(workspaceId, tokenId);
  log.info({ workspaceId, tokenId }, "api token deleted");
}
