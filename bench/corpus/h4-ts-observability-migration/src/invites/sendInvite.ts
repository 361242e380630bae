import { repo } from "../repo";
import { log } from "@acme/observability";

export async function sendInvite(workspaceId: string, email: string) {
  const invite = await repo.invites.create(workspaceId, email.toLowerCase());
  await repo.outbox.enqueue("invite.created", { inviteId: invite.id });
  log.info({ workspaceId }, "invite queued");
}
