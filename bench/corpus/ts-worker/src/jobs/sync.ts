import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import pino from "pino";

const log = pino();
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = "jobs";

export async function handler(event: { tenantId: string; ids: string[] }) {
  const secrets = new SecretsManagerClient({}); // expect: client-per-request
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: "partner-api-key" })); // expect: secret-fetch-per-request
  for (const id of event.ids) {
    const item = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: id } })); // expect: network-call-in-loop
    log.info({ id, found: Boolean(item.Item) }, "loaded");
  }
  return secret.Name;
}

export async function saveAll(items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    await ddb.send( // expect: unprocessed-items-ignored
      new BatchWriteCommand({
        RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
}

export async function appendEvent(aggregateId: string, event: object) {
  await ddb.send(
    new UpdateCommand({ // expect: dynamodb-item-growth
      TableName: TABLE,
      Key: { pk: aggregateId },
      UpdateExpression: "SET #events = list_append(if_not_exists(#events, :empty), :event)",
      ExpressionAttributeNames: { "#events": "events" },
      ExpressionAttributeValues: { ":event": [event], ":empty": [] },
    }),
  );
}

export async function acquireLock(name: string, owner: string) {
  const current = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: `lock#${name}` } }));
  if (current.Item && current.Item.expiresAt > Date.now()) return false;
  await ddb.send(new PutCommand({ TableName: TABLE, Item: { pk: `lock#${name}`, owner, expiresAt: Date.now() + 30_000 } })); // expect: check-then-act-lock
  return true;
}

export async function callPartner(url: string, body: unknown) {
  while (true) { // expect: retry-without-backoff
    try {
      const res = await fetch(url, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
      if (res.ok) return res.json();
    } catch (err) {
      log.warn({ err }, "partner call failed, retrying");
    }
  }
}
