import { Router, type Request, type Response, type NextFunction } from "express";
import { randomUUID } from "node:crypto";
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { z } from "zod";
import { db } from "../db";

const s3 = new S3Client({});
const sqs = new SQSClient({});

const EXPORT_BUCKET = process.env.EXPORT_BUCKET ?? "";
const EXPORT_QUEUE_URL = process.env.EXPORT_QUEUE_URL ?? "";
const DOWNLOAD_TTL_SECONDS = 15 * 60;

const createExportSchema = z.object({
  format: z.enum(["csv", "parquet"]),
  from: z.string().date(),
  to: z.string().date(),
});

export const exportsRouter = Router();

const asyncHandler =
  (fn: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };

exportsRouter.post(
  "/",
  asyncHandler(async (req, res) => {
    const input = createExportSchema.parse(req.body);
    const { tenantId, userId } = req.auth!;
    const exportId = randomUUID();

    await db.query(
      `INSERT INTO report_exports (id, tenant_id, requested_by, format, range_from, range_to, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued')`,
      [exportId, tenantId, userId, input.format, input.from, input.to],
    );

    await sqs.send(
      new SendMessageCommand({
        QueueUrl: EXPORT_QUEUE_URL,
        MessageBody: JSON.stringify({ exportId, tenantId }),
        MessageGroupId: tenantId,
        MessageDeduplicationId: exportId,
      }),
    );

    req.log.info({ exportId, tenantId }, "report export queued");
    res.status(202).json({ id: exportId, status: "queued" });
  }),
);

exportsRouter.get(
  "/",
  asyncHandler(async (req, res) => {
    const { tenantId } = req.auth!;
    const { rows } = await db.query(
      `SELECT id, format, status, range_from, range_to, created_at
         FROM report_exports
        WHERE tenant_id = $1
        ORDER BY created_at DESC
        LIMIT 50`,
      [tenantId],
    );
    res.json({ items: rows });
  }),
);

exportsRouter.get(
  "/:id/download",
  asyncHandler(async (req, res) => {
    const { tenantId } = req.auth!;
    const { rows } = await db.query(
      `SELECT object_key, status FROM report_exports WHERE id = $1 AND tenant_id = $2`,
      [req.params.id, tenantId],
    );
    const row = rows[0];
    if (!row) {
      res.status(404).json({ error: "export_not_found" });
      return;
    }
    if (row.status !== "ready") {
      res.status(409).json({ error: "export_not_ready", status: row.status });
      return;
    }

    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: EXPORT_BUCKET, Key: row.object_key }),
      { expiresIn: DOWNLOAD_TTL_SECONDS },
    );
    res.json({ url, expiresIn: DOWNLOAD_TTL_SECONDS });
  }),
);
