import type { FastifyInstance } from "fastify";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { request } from "undici";
import { credentialsFor } from "../aws/credentials";
import { withRetry } from "../lib/retry";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.CONNECTORS_TABLE!;
const LEASE_MS = 60_000;

async function takeLease(tenantId: string, connectorId: string, owner: string): Promise<boolean> {
  const now = Date.now();
  try {
    await ddb.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: `TENANT#${tenantId}`, sk: `LEASE#${connectorId}`, owner, expiresAt: now + LEASE_MS },
        ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
        ExpressionAttributeValues: { ":now": now },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

async function releaseLease(tenantId: string, connectorId: string, owner: string) {
  await ddb.send(
    new DeleteCommand({
      TableName: TABLE,
      Key: { pk: `TENANT#${tenantId}`, sk: `LEASE#${connectorId}` },
      ConditionExpression: "#owner = :owner",
      ExpressionAttributeNames: { "#owner": "owner" },
      ExpressionAttributeValues: { ":owner": owner },
    }),
  );
}

async function fetchManifest(url: string) {
  return withRetry(
    async () => {
      const res = await request(url, { headersTimeout: 2_000, bodyTimeout: 5_000 });
      if (res.statusCode >= 500) throw Object.assign(new Error("upstream"), { statusCode: res.statusCode });
      return (await res.body.json()) as { version: string; steps: string[] };
    },
    { attempts: 4, baseMs: 100, maxMs: 2_000, retryable: (e) => (e as { statusCode?: number }).statusCode !== undefined },
  );
}

export default async function runsRoutes(app: FastifyInstance) {
  app.post<{ Params: { connectorId: string } }>("/connectors/:connectorId/runs", async (req, reply) => {
    const { tenantId, sub } = req.principal;
    const { connectorId } = req.params;
    const connector = await app.connectors.get(tenantId, connectorId);
    if (!connector) return reply.notFound();

    if (!(await takeLease(tenantId, connectorId, req.id))) return reply.conflict("run already in progress");
    try {
      const credentials = await credentialsFor(connector.roleArn, connector.externalId);
      const manifest = await fetchManifest(connector.manifestUrl);
      const result = await app.runner.run({ connector, manifest, credentials });
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { pk: `TENANT#${tenantId}`, sk: `RUN#${result.runId}`, status: result.status, by: sub } } },
            { Put: { TableName: TABLE, Item: { pk: "OUTBOX", sk: `${Date.now()}#${result.runId}`, type: "connector.run.finished", tenantId } } },
          ],
        }),
      );
      req.log.info({ tenantId, connectorId, runId: result.runId, status: result.status }, "connector run finished");
      return reply.code(201).send({ runId: result.runId, status: result.status });
    } finally {
      await releaseLease(tenantId, connectorId, req.id);
    }
  });
}
