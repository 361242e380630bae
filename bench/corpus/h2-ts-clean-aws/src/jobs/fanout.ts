import pLimit from "p-limit";
import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { postJson } from "../http/retry";
import { logger } from "../logger";

const limit = pLimit(8);

export async function notifyWebhooks(subscribers: { id: string; url: string }[], event: unknown, correlationId: string) {
  const results = await Promise.allSettled(subscribers.map((s) => limit(() => postJson(s.url, event, correlationId))));
  const failed = results.filter((r) => r.status === "rejected").length;
  logger.info({ correlationId, total: subscribers.length, failed }, "webhook fan-out finished");
}

export async function loadOwnedDocuments(ddb: DynamoDBDocumentClient, table: string, tenantId: string, ids: string[]) {
  const out = await ddb.send(
    new BatchGetCommand({
      RequestItems: { [table]: { Keys: ids.slice(0, 100).map((id) => ({ pk: `TENANT#${tenantId}`, sk: `DOC#${id}` })) } },
    }),
  );
  if (out.UnprocessedKeys && Object.keys(out.UnprocessedKeys).length > 0) {
    throw Object.assign(new Error("partial batch read"), { retryable: true });
  }
  return (out.Responses?.[table] ?? []).filter((doc) => doc.tenantId === tenantId);
}
