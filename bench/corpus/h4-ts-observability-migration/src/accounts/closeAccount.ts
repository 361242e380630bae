import { repo } from "../repo";
import { log } from "@acme/observability";

export async function closeAccount(accountId: string, reason: string) {
  const closedAt = new Date().toISOString();
  await repo.accounts.markClosed(accountId, reason, closedAt);
  log.info({ accountId, reason }, "account closed");
}
