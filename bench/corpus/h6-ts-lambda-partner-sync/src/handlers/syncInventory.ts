import type { SQSEvent, SQSBatchResponse } from "aws-lambda";
import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { logger } from "../lib/logger";
import { fetchChangedSkus } from "../lib/partnerApi";

const sts = new STSClient({});
const secrets = new SecretsManagerClient({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

const LOCK_TABLE = process.env.SYNC_LOCK_TABLE ?? "sync-locks";
const LOCK_TTL_MS = 15 * 60 * 1000;

const BATCH_SIZE = 25;

interface SyncMessage {
  partnerId: string;
  roleArn: string;
  externalId: string;
  tableName: string;
  since: string;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function syncPartner(msg: SyncMessage, requestId: string) {
  const log = logger.child({ requestId, partnerId: msg.partnerId });
  const lockKey = { pk: `SYNCLOCK#${msg.partnerId}` };

  const current = await ddb.send(new GetCommand({ TableName: LOCK_TABLE, Key: lockKey }));
  if (current.Item && current.Item.expiresAt > Date.now()) {
    log.info({ owner: current.Item.owner }, "sync already running for partner, skipping");
    return;
  }
  await ddb.send(new PutCommand({ TableName: LOCK_TABLE, Item: { ...lockKey, owner: requestId, expiresAt: Date.now() + LOCK_TTL_MS } })); // expect: check-then-act-lock

  try {
    await copyInventory(msg, log);
  } finally {
    await ddb.send(new DeleteCommand({ TableName: LOCK_TABLE, Key: lockKey }));
  }
}

async function copyInventory(msg: SyncMessage, log: typeof logger) {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: `partners/${msg.partnerId}/api-key` })); // expect: secret-fetch-per-request
  const apiKey = JSON.parse(secret.SecretString ?? "{}").apiKey as string;

  const assumed = await sts.send( // expect: credentials-per-request
    new AssumeRoleCommand({
      RoleArn: msg.roleArn,
      RoleSessionName: `inventory-sync-${msg.partnerId}`,
      ExternalId: msg.externalId,
      DurationSeconds: 3600,
    }),
  );
  const creds = assumed.Credentials!;

  const partnerDdb = DynamoDBDocumentClient.from( // expect: client-per-request
    new DynamoDBClient({
      credentials: {
        accessKeyId: creds.AccessKeyId!,
        secretAccessKey: creds.SecretAccessKey!,
        sessionToken: creds.SessionToken!,
        expiration: creds.Expiration,
      },
    }),
  );

  const skus = await fetchChangedSkus(msg.partnerId, apiKey, msg.since);
  log.info({ count: skus.length }, "changed SKUs fetched");

  for (const batch of chunk(skus, BATCH_SIZE)) {
    await partnerDdb.send( // expect: unprocessed-items-ignored
      new BatchWriteCommand({
        RequestItems: {
          [msg.tableName]: batch.map((sku) => ({
            PutRequest: {
              Item: {
                pk: `SKU#${sku.sku}`,
                quantity: sku.quantity,
                warehouse: sku.warehouse,
                updatedAt: sku.updatedAt,
              },
            },
          })),
        },
      }),
    );
  }

  log.info({ written: skus.length }, "partner inventory synced");
}

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];

  for (const record of event.Records) {
    try {
      await syncPartner(JSON.parse(record.body) as SyncMessage, record.messageId);
    } catch (err) {
      logger.error({ err, messageId: record.messageId }, "partner sync failed");
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }

  return { batchItemFailures };
};
