import middy from "@middy/core";
import sqsPartialBatchFailure from "@middy/sqs-partial-batch-failure";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Logger } from "@aws-lambda-powertools/logger";
import { chunk } from "../lib/chunk";

const logger = new Logger({ serviceName: "inventory-sync" });
const sts = new STSClient({});
const secrets = new SecretsManagerClient({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const TABLE = process.env.TENANT_TABLE!;

interface SyncMessage {
  tenantId: string;
  roleArn: string;
  sourceTable: string;
  since: string;
}

async function customerClient(msg: SyncMessage) {
  const { Credentials } = await sts.send( // expect: credentials-per-request
    new AssumeRoleCommand({
      RoleArn: msg.roleArn,
      RoleSessionName: `inventory-sync-${msg.tenantId}`,
      DurationSeconds: 3600,
    }),
  );
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken,
      },
    }),
  );
}

async function readCustomerItems(msg: SyncMessage) {
  const remote = await customerClient(msg);
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await remote.send(
      new ScanCommand({ TableName: msg.sourceTable, ExclusiveStartKey: cursor, Limit: 500 }),
    );
    items.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
}

async function changedSince(tenantId: string, since: string) {
  const res = await ddb.send(
    new QueryCommand({ // expect: cross-tenant-index-query
      TableName: TABLE,
      IndexName: "gsi-updated-at",
      KeyConditionExpression: "entityType = :t AND updatedAt > :since",
      ExpressionAttributeValues: { ":t": "INVENTORY", ":since": since },
    }),
  );
  logger.debug("changed items", { tenantId, count: res.Count });
  return res.Items ?? [];
}

async function mirror(tenantId: string, items: Record<string, unknown>[]) {
  for (const batch of chunk(items, 25)) {
    await ddb.send( // expect: unprocessed-items-ignored
      new BatchWriteCommand({
        RequestItems: {
          [TABLE]: batch.map((item) => ({
            PutRequest: { Item: { ...item, pk: `TENANT#${tenantId}`, sk: `INV#${item.sku}` } },
          })),
        },
      }),
    );
  }
}

async function processRecord(record: SQSRecord) {
  const msg = JSON.parse(record.body) as SyncMessage;
  logger.appendKeys({ tenantId: msg.tenantId, messageId: record.messageId });
  const items = await readCustomerItems(msg);
  await mirror(msg.tenantId, items);
  const stale = await changedSince(msg.tenantId, msg.since);
  logger.info("sync complete", { mirrored: items.length, stale: stale.length });
}

async function syncInventory(event: SQSEvent): Promise<SQSBatchResponse> {
  const webhook = await secrets.send(new GetSecretValueCommand({ SecretId: "inventory/webhook-signing-key" })); // expect: secret-fetch-per-request
  const results = await Promise.allSettled(event.Records.map(processRecord));
  logger.info("batch done", { signed: Boolean(webhook.SecretString), records: event.Records.length });
  return {
    batchItemFailures: results.flatMap((r, i) =>
      r.status === "rejected" ? [{ itemIdentifier: event.Records[i].messageId }] : [],
    ),
  };
}

export const handler = middy(syncInventory).use(sqsPartialBatchFailure());
