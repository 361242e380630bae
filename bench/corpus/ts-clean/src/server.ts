import express from "express";
import pino from "pino";
import pinoHttp from "pino-http";
import { jwtVerify, createRemoteJWKSet } from "jose";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import axios from "axios";
import { credentialsFor } from "./credentials";

const log = pino();
const app = express();
const jwks = createRemoteJWKSet(new URL(process.env.JWKS_URL!));
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }));
const http = axios.create({ baseURL: process.env.INVENTORY_URL, timeout: 3000 });
const TABLE = "orders";

app.use(pinoHttp({ logger: log }));
app.use(express.json());
app.use(async (req, res, next) => {
  try {
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
    const { payload } = await jwtVerify(token, jwks, { audience: "orders-api" });
    (req as any).user = { id: payload.sub, tenantId: payload["tenant_id"] };
    next();
  } catch {
    res.status(401).end();
  }
});

app.get("/orders", async (req, res) => {
  const { tenantId } = (req as any).user;
  // The tenant comes from the verified token, never from the request body.
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: "tenant-created-index",
      KeyConditionExpression: "tenantId = :t",
      ExpressionAttributeValues: { ":t": tenantId },
    }),
  );
  req.log.info({ count: out.Count }, "listed orders");
  res.json(out.Items);
});

app.post("/orders/lookup", async (req, res) => {
  const { tenantId } = (req as any).user;
  const ids: string[] = req.body.ids.slice(0, 100);
  const out = await ddb.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: ids.map((id) => ({ pk: `${tenantId}#${id}` })) } } }));
  const items = (out.Responses?.[TABLE] ?? []).filter((item) => item.tenantId === tenantId);
  res.json({ items, unprocessed: Object.keys(out.UnprocessedKeys ?? {}).length });
});

app.post("/orders", async (req, res) => {
  const { tenantId } = (req as any).user;
  await ddb.send(
    new PutCommand({
      TableName: TABLE,
      Item: { pk: `${tenantId}#${req.body.id}`, tenantId, totalCents: Math.round(req.body.totalCents) },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  const stock = await http.get(`/stock/${encodeURIComponent(req.body.sku)}`);
  res.status(201).json({ available: stock.data.available });
});

app.post("/partner/sync", async (req, res) => {
  const creds = await credentialsFor(process.env.PARTNER_ROLE_ARN!);
  req.log.info({ expires: creds.Expiration }, "partner credentials ready");
  res.status(202).end();
});

app.use((err: Error, req: express.Request, res: express.Response, _next: express.NextFunction) => {
  req.log.error({ err }, "unhandled");
  res.status(500).end();
});

export default app;
