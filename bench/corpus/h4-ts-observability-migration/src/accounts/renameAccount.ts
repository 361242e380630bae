import { repo } from "../repo";
import { log } from "@acme/observability";

export async function renameAccount(accountId: string, name: string) {
  if (name.trim().length < 2) throw new Error("name too short");
  await repo.accounts.rename(accountId, name.trim());
  log.info({ accountId }, "account renamed");
}
