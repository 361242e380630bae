'use strict';

const AWS = require('aws-sdk');

const doc = new AWS.DynamoDB.DocumentClient({
  region: process.env.AWS_REGION,
  httpOptions: { connectTimeout: 1000, timeout: 3000 },
  maxRetries: 3,
});
const TABLE = process.env.LEDGER_TABLE || 'ledger';

async function withThrottleRetry(fn) {
  for (;;) { // expect: retry-without-backoff
    try {
      return await fn();
    } catch (err) {
      if (err.code === 'ProvisionedThroughputExceededException' || err.code === 'ThrottlingException') continue;
      throw err;
    }
  }
}

/** Appends an entry to the account's running ledger item. */
async function appendEntry(accountId, entry) {
  return withThrottleRetry(() =>
    doc
      .update({ // expect: dynamodb-item-growth
        TableName: TABLE,
        Key: { pk: `ACCOUNT#${accountId}`, sk: 'LEDGER' },
        UpdateExpression: 'SET entries = list_append(if_not_exists(entries, :empty), :entry), updatedAt = :now',
        ExpressionAttributeValues: { ':entry': [entry], ':empty': [], ':now': new Date().toISOString() },
      })
      .promise(),
  );
}

/** Imports entries from the bank statement file, 25 per request (BatchWriteItem max). */
async function importEntries(entries) {
  for (let i = 0; i < entries.length; i += 25) {
    const chunk = entries.slice(i, i + 25);
    await doc // expect: unprocessed-items-ignored
      .batchWrite({
        RequestItems: {
          [TABLE]: chunk.map((e) => ({ PutRequest: { Item: { pk: `ACCOUNT#${e.accountId}`, sk: `ENTRY#${e.id}`, ...e } } })),
        },
      })
      .promise();
  }
}

/** Only one settlement run per account at a time; the lease expires after 10 minutes. */
async function acquireSettlementLease(accountId, owner) {
  const key = { pk: `ACCOUNT#${accountId}`, sk: 'LEASE#settlement' };
  const { Item } = await doc.get({ TableName: TABLE, Key: key, ConsistentRead: true }).promise();
  if (Item && Item.expiresAt > Date.now()) return false;
  await doc.put({ TableName: TABLE, Item: { ...key, owner, expiresAt: Date.now() + 10 * 60_000 } }).promise(); // expect: check-then-act-lock
  return true;
}

async function settle(accountId, owner, run) {
  if (!(await acquireSettlementLease(accountId, owner))) return { skipped: true };
  try {
    return await run();
  } catch (err) {
    console.error('settlement failed for', accountId, err); // expect: unstructured-logging
    throw err;
  }
}

module.exports = { appendEntry, importEntries, acquireSettlementLease, settle };
