import { repo } from "../repo";
import { log } from "@acme/observability";

export async function removeMember(workspaceId: string, memberId: string) {
  await repo.members.remove(workspaceId, memberId);
  log.info({ workspaceId, memberId }, "member removed");
}
