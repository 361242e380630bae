"use strict";

const AWS = require("aws-sdk");

const doc = new AWS.DynamoDB.DocumentClient({ convertEmptyValues: true, maxRetries: 3 });
const TABLE = process.env.LEDGER_TABLE;
const RECENT_LIMIT = 20;

/**
 * Account item layout: pk = TENANT#<tenant>#ACCOUNT#<id>, sk = "META".
 * GSI "byDay" is keyed on createdDay (YYYY-MM-DD) for the nightly export.
 */

async function appendEntry(tenantId, accountId, entry) {
  await doc
    .update({ // expect: dynamodb-item-growth
      TableName: TABLE,
      Key: { pk: `TENANT#${tenantId}#ACCOUNT#${accountId}`, sk: "META" },
      UpdateExpression: "SET entries = list_append(if_not_exists(entries, :empty), :e), balanceCents = balanceCents + :amt",
      ExpressionAttributeValues: { ":e": [entry], ":empty": [], ":amt": entry.amountCents },
    })
    .promise();
}

async function recordRecent(tenantId, accountId, entry) {
  // keeps a short preview list; the condition stops it past RECENT_LIMIT and the full history lives in its own items
  await doc
    .update({
      TableName: TABLE,
      Key: { pk: `TENANT#${tenantId}#ACCOUNT#${accountId}`, sk: "META" },
      UpdateExpression: "SET recent = list_append(if_not_exists(recent, :empty), :e) ADD entryCount :one",
      ConditionExpression: "attribute_not_exists(recent) OR size(recent) < :max",
      ExpressionAttributeValues: { ":e": [entry], ":empty": [], ":one": 1, ":max": RECENT_LIMIT },
    })
    .promise();
}

async function entriesForDay(tenantId, day) {
  const res = await doc
    .query({ // expect: cross-tenant-index-query
      TableName: TABLE,
      IndexName: "byDay",
      KeyConditionExpression: "createdDay = :d",
      ExpressionAttributeValues: { ":d": day },
    })
    .promise();
  return res.Items;
}

async function entriesForTenantSince(tenantId, since) {
  const items = [];
  let ExclusiveStartKey;
  do {
    const page = await doc
      .query({
        TableName: TABLE,
        IndexName: "byTenantCreated",
        KeyConditionExpression: "tenantId = :t AND createdAt >= :since",
        ExpressionAttributeValues: { ":t": tenantId, ":since": since },
        ExclusiveStartKey,
      })
      .promise();
    items.push(...page.Items);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function getAccounts(tenantId, accountIds) {
  const res = await doc.batchGet({ RequestItems: { [TABLE]: { Keys: accountIds.map((id) => ({ pk: id, sk: "META" })) } } }).promise(); // expect: batch-without-tenant-check, unprocessed-items-ignored
  return res.Responses[TABLE];
}

async function importEntries(tenantId, entries) {
  for (let i = 0; i < entries.length; i += 25) {
    const chunk = entries.slice(i, i + 25);
    await doc
      .batchWrite({ // expect: unprocessed-items-ignored
        RequestItems: {
          [TABLE]: chunk.map((e) => ({
            PutRequest: { Item: { pk: `TENANT#${tenantId}#ENTRY#${e.id}`, sk: "ENTRY", tenantId, ...e } },
          })),
        },
      })
      .promise();
  }
}

async function claimIdempotencyKey(tenantId, key, requestHash) {
  const existing = await doc.get({ TableName: TABLE, Key: { pk: `TENANT#${tenantId}#IDEMP#${key}`, sk: "IDEMP" } }).promise();
  if (existing.Item) {
    return { claimed: false, requestHash: existing.Item.requestHash };
  }
  await doc.put({ TableName: TABLE, Item: { pk: `TENANT#${tenantId}#IDEMP#${key}`, sk: "IDEMP", requestHash, ttl: Math.floor(Date.now() / 1000) + 86_400 } }).promise(); // expect: check-then-act-lock
  return { claimed: true };
}

async function claimTransferLease(tenantId, transferId, owner) {
  const now = Date.now();
  try {
    await doc
      .put({
        TableName: TABLE,
        Item: { pk: `TENANT#${tenantId}#LEASE#${transferId}`, sk: "LEASE", owner, expiresAt: now + 30_000 },
        ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
        ExpressionAttributeValues: { ":now": now },
      })
      .promise();
    return true;
  } catch (err) {
    if (err.code === "ConditionalCheckFailedException") return false;
    throw err;
  }
}

async function reportingCredentials(tenantId) {
  const sts = new AWS.STS(); // expect: client-per-request
  const { Credentials } = await sts.assumeRole({ RoleArn: process.env.REPORTING_ROLE_ARN, RoleSessionName: `ledger-report-${tenantId}` }).promise(); // expect: credentials-per-request
  return new AWS.Credentials(Credentials.AccessKeyId, Credentials.SecretAccessKey, Credentials.SessionToken);
}

module.exports = {
  appendEntry,
  recordRecent,
  entriesForDay,
  entriesForTenantSince,
  getAccounts,
  importEntries,
  claimIdempotencyKey,
  claimTransferLease,
  reportingCredentials,
};
