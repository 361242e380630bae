import express from "express";
import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import jwt from "jsonwebtoken";
import { requireAuth } from "./middleware/auth";
import { logger } from "./logger";

const app = express();
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.TABLE_NAME!;

app.use(express.json());

// Health check is deliberately public.
app.get("/healthz", (_req, res) => res.send("ok"));

app.get("/reports/:id", async (req, res) => { // expect: express-route-before-middleware
  const report = await loadReport(req.params.id);
  res.json(report);
});

app.use(requireAuth);

app.get("/orders", async (req, res) => {
  const claims = jwt.decode(req.headers.authorization!.slice(7)) as { tenantId: string; role: string }; // expect: jwt-decode-without-verify
  if (claims.role !== "admin") return res.status(403).end();
  const result = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: "tenantId = :t",
      ExpressionAttributeValues: { ":t": claims.tenantId },
    }),
  );
  res.json(result.Items);
});

app.post("/orders/search", async (req, res) => {
  const tenantId = req.body.tenantId; // expect: tenant-from-untrusted-source
  const result = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: "tenant-created-index",
      KeyConditionExpression: "tenantId = :t AND createdAt > :since",
      ExpressionAttributeValues: { ":t": tenantId, ":since": req.body.since },
    }),
  );
  res.json(result.Items);
});

app.get("/orders/recent", async (req, res) => {
  const since = Date.now() - 86_400_000;
  const result = await ddb.send(
    new QueryCommand({ // expect: cross-tenant-index-query
      TableName: TABLE,
      IndexName: "created-at-index",
      KeyConditionExpression: "gsiPk = :pk AND createdAt > :since",
      ExpressionAttributeValues: { ":pk": "ORDER", ":since": since },
    }),
  );
  logger.info({ requestId: req.header("x-request-id"), count: result.Count }, "recent orders");
  res.json(result.Items);
});

app.post("/operators/sync", async (req, res) => {
  const sts = new STSClient({}); // expect: client-per-request
  const { Credentials } = await sts.send( // expect: credentials-per-request
    new AssumeRoleCommand({ RoleArn: process.env.OPERATOR_ROLE_ARN!, RoleSessionName: "operator-sync" }),
  );
  console.log("assumed operator role", Credentials?.Expiration); // expect: unstructured-logging
  res.status(202).end();
});

app.post("/orders/batch", async (req, res) => {
  const ids: string[] = req.body.ids;
  const out = await ddb.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: ids.map((id) => ({ pk: id })) } } })); // expect: batch-without-tenant-check, unprocessed-items-ignored
  res.json(out.Responses?.[TABLE] ?? []);
});

async function loadReport(id: string) {
  const response = await fetch(`${process.env.REPORTS_URL}/reports/${id}`); // expect: no-timeout-or-fallback
  return response.json();
}

app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  logger.error({ err }, "unhandled");
  res.status(500).json({ error: "internal" });
});

export default app;
