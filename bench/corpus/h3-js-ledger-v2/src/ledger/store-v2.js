'use strict';

const AWS = require('aws-sdk');
const { setTimeout: sleep } = require('node:timers/promises');
const logger = require('../logger');

const doc = new AWS.DynamoDB.DocumentClient({
  region: process.env.AWS_REGION,
  httpOptions: { connectTimeout: 1000, timeout: 3000 },
});
const TABLE = process.env.LEDGER_TABLE || 'ledger';
const MAX_ATTEMPTS = 6;
const RECENT_LIMIT = 20;

function backoff(attempt) {
  const cap = Math.min(5000, 100 * 2 ** attempt);
  return Math.floor(Math.random() * cap); // full jitter
}

/** Each entry is its own item (pk = account, sk = entry id); the conditional put makes imports idempotent. */
async function putEntry(accountId, entry) {
  await doc
    .put({
      TableName: TABLE,
      Item: { pk: `ACCOUNT#${accountId}`, sk: `ENTRY#${entry.id}`, ...entry },
      ConditionExpression: 'attribute_not_exists(sk)',
    })
    .promise()
    .catch((err) => {
      if (err.code !== 'ConditionalCheckFailedException') throw err;
    });
}

/** Keeps a short "recent activity" list on the account summary, bounded by the condition. */
async function pushRecent(accountId, summary) {
  await doc
    .update({
      TableName: TABLE,
      Key: { pk: `ACCOUNT#${accountId}`, sk: 'SUMMARY' },
      UpdateExpression: 'SET recent = list_append(if_not_exists(recent, :empty), :s)',
      ConditionExpression: 'attribute_not_exists(recent) OR size(recent) < :max',
      ExpressionAttributeValues: { ':s': [summary], ':empty': [], ':max': RECENT_LIMIT },
    })
    .promise()
    .catch((err) => {
      if (err.code !== 'ConditionalCheckFailedException') throw err;
      // list is full: the next compaction run trims it; the entry itself is stored by putEntry.
    });
}

async function importEntries(entries, { requestId } = {}) {
  for (let i = 0; i < entries.length; i += 25) {
    let pending = {
      [TABLE]: entries.slice(i, i + 25).map((e) => ({ PutRequest: { Item: { pk: `ACCOUNT#${e.accountId}`, sk: `ENTRY#${e.id}`, ...e } } })),
    };
    for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
      if (attempt === MAX_ATTEMPTS) {
        logger.error({ requestId, left: pending[TABLE].length }, 'ledger import: unprocessed items after retries');
        throw new Error('ledger import incomplete');
      }
      if (attempt > 0) await sleep(backoff(attempt));
      const res = await doc.batchWrite({ RequestItems: pending }).promise();
      pending = res.UnprocessedItems || {};
    }
  }
}

async function acquireSettlementLease(accountId, owner) {
  const now = Date.now();
  try {
    await doc
      .put({
        TableName: TABLE,
        Item: { pk: `ACCOUNT#${accountId}`, sk: 'LEASE#settlement', owner, expiresAt: now + 10 * 60_000 },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': now, ':owner': owner },
      })
      .promise();
    return true;
  } catch (err) {
    if (err.code === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

module.exports = { putEntry, pushRecent, importEntries, acquireSettlementLease };
