import { repo } from "../repo";
import { log } from "@acme/observability";

export async function revokeInvite(workspaceId: string, inviteId: string) {
  const revoked = await repo.invites.revoke(workspaceId, inviteId);
  if (!revoked) throw new Error("invite not found");
  log.info({ workspaceId, inviteId }, "invite revoked");
}
