import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableFor } from "../data/tables";

const LOCK_TTL_MS = 15 * 60_000;

export async function acquireNightlyLock(job: string, owner: string): Promise<boolean> {
  const table = tableFor("platform", "job_locks");
  const existing = await documentClient.send(new GetCommand({ TableName: table, Key: { pk: job } }));
  if (existing.Item && existing.Item.expiresAt > Date.now()) {
    return existing.Item.owner === owner;
  }
  await documentClient.send( // expect: check-then-act-lock
    new PutCommand({ TableName: table, Item: { pk: job, owner, expiresAt: Date.now() + LOCK_TTL_MS } }),
  );
  return true;
}

export async function releaseNightlyLock(job: string, owner: string) {
  await documentClient.send(
    new DeleteCommand({
      TableName: tableFor("platform", "job_locks"),
      Key: { pk: job },
      ConditionExpression: "#owner = :owner",
      ExpressionAttributeNames: { "#owner": "owner" },
      ExpressionAttributeValues: { ":owner": owner },
    }),
  );
}
