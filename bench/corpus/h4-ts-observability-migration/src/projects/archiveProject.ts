import { repo } from "../repo";
import { log } from "@acme/observability";

export async function archiveProject(workspaceId: string, projectId: string) {
  await repo.projects.setArchived(workspaceId, projectId, true);
  log.info({ workspaceId, projectId }, "project archived");
}
