import { repo } from "../repo";
import { log } from "@acme/observability";

export async function disableWebhook(workspaceId: string, webhookId: string) {
  await repo.webhooks.setEnabled(workspaceId, webhookId, false);
  log.info({ workspaceId, webhookId }, "webhook disabled");
}
