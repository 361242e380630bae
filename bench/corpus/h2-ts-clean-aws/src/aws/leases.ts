import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export async function acquireLease(ddb: DynamoDBDocumentClient, table: string, tenantId: string, name: string, owner: string, ttlMs = 30_000) {
  const now = Date.now();
  try {
    await ddb.send(
      new PutCommand({
        TableName: table,
        Item: { pk: `TENANT#${tenantId}`, sk: `LEASE#${name}`, owner, expiresAt: now + ttlMs },
        ConditionExpression: "attribute_not_exists(sk) OR expiresAt < :now OR #o = :owner",
        ExpressionAttributeNames: { "#o": "owner" },
        ExpressionAttributeValues: { ":now": now, ":owner": owner },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

export async function releaseLease(ddb: DynamoDBDocumentClient, table: string, tenantId: string, name: string, owner: string) {
  await ddb
    .send(
      new DeleteCommand({
        TableName: table,
        Key: { pk: `TENANT#${tenantId}`, sk: `LEASE#${name}` },
        ConditionExpression: "#o = :owner",
        ExpressionAttributeNames: { "#o": "owner" },
        ExpressionAttributeValues: { ":owner": owner },
      }),
    )
    .catch((err) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
}

export async function leasesExpiringSoon(ddb: DynamoDBDocumentClient, table: string, tenantId: string) {
  const out = await ddb.send(
    new QueryCommand({
      TableName: table,
      IndexName: "tenant-expiry-index",
      KeyConditionExpression: "tenantId = :t AND expiresAt < :soon",
      ExpressionAttributeValues: { ":t": tenantId, ":soon": Date.now() + 60_000 },
    }),
  );
  return out.Items ?? [];
}
