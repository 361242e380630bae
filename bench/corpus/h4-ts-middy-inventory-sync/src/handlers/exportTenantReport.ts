import middy from "@middy/core";
import secretsManager from "@middy/secrets-manager";
import type { Context } from "aws-lambda";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { chunk, fullJitter, sleep } from "../lib/chunk";

const logger = new Logger({ serviceName: "tenant-report" });
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }));
const TABLE = process.env.TENANT_TABLE!;
const MAX_BATCH_ATTEMPTS = 6;

interface ExportEvent {
  tenantId: string;
  from: string;
  to: string;
}

type ExportContext = Context & { reportingApi: { token: string } };

async function recentForTenant(tenantId: string, from: string, to: string) {
  const out: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: "gsi-tenant-updated-at",
        KeyConditionExpression: "tenantId = :tenant AND updatedAt BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":tenant": tenantId, ":from": from, ":to": to },
        ExclusiveStartKey: cursor,
      }),
    );
    out.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return out;
}

async function writeAll(requests: { PutRequest: { Item: Record<string, unknown> } }[]) {
  for (const batch of chunk(requests, 25)) {
    let pending: Record<string, any> = { [TABLE]: batch };
    for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error(`unprocessed items after ${attempt} attempts`);
      if (attempt > 0) await sleep(fullJitter(attempt));
      const res = await ddb.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = res.UnprocessedItems ?? {};
    }
  }
}

async function exportReport(event: ExportEvent, context: ExportContext) {
  logger.addContext(context);
  logger.appendKeys({ tenantId: event.tenantId });
  const rows = await recentForTenant(event.tenantId, event.from, event.to);
  await writeAll(
    rows.map((row) => ({
      PutRequest: { Item: { ...row, pk: `TENANT#${event.tenantId}`, sk: `REPORT#${event.to}#${row.sku}` } },
    })),
  );
  logger.info("report exported", { rows: rows.length, hasToken: Boolean(context.reportingApi.token) });
  return { rows: rows.length };
}

export const handler = middy(exportReport).use(
  secretsManager({
    fetchData: { reportingApi: "reporting/api-token" },
    setToContext: true,
    cacheExpiry: 15 * 60 * 1000,
  }),
);
