import { repo } from "../repo";
import { log } from "@acme/observability";

export async function restoreProject(workspaceId: string, projectId: string) {
  await repo.projects.setArchived(workspaceId, projectId, false);
  log.info({ workspaceId, projectId }, "project restored");
}
