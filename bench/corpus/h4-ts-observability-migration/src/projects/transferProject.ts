import { repo } from "../repo";
import { log } from "@acme/observability";

export async function transferProject(workspaceId: string, projectId: string, newOwnerId: string) {
  const member = await repo.members.find(workspaceId, newOwnerId);
  if (!member) throw new Error("new owner is not a member");
  await repo.projects.setOwner(workspaceId, projectId, newOwnerId);
  log.info({ workspaceId, projectId, newOwnerId }, "project transferred");
}
