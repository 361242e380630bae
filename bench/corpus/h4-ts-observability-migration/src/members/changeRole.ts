import { repo } from "../repo";
import { log } from "@acme/observability";

export async function changeRole(workspaceId: string, memberId: string, role: "admin" | "member" | "viewer") {
  await repo.members.setRole(workspaceId, memberId, role);
  log.info({ workspaceId, memberId, role }, "member role changed");
}
