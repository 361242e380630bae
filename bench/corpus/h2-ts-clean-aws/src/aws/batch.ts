import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { setTimeout as sleep } from "node:timers/promises";
import { logger } from "../logger";

const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 50;

type WriteRequests = NonNullable<BatchWriteCommandInput["RequestItems"]>;

export async function batchPut(ddb: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: WriteRequests = { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    for (let attempt = 1; ; attempt++) {
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: pending }));
      const unprocessed = out.UnprocessedItems ?? {};
      if (Object.keys(unprocessed).length === 0) break;
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(`batchPut: ${unprocessed[table]?.length ?? 0} items still unprocessed after ${attempt} attempts`);
      }
      const delay = Math.random() * BASE_DELAY_MS * 2 ** attempt;
      logger.warn({ table, attempt, remaining: unprocessed[table]?.length, delay }, "unprocessed items, backing off");
      await sleep(delay);
      pending = unprocessed;
    }
  }
}
