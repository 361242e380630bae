import { Router } from "express";
import { db } from "../db";

export const invoicesRouter = Router();

invoicesRouter.get("/", async (req, res, next) => {
  try {
    const { rows } = await db.query(
      "SELECT id, number, total_cents, currency, status FROM invoices WHERE tenant_id = $1 ORDER BY issued_at DESC LIMIT 100",
      [req.auth!.tenantId],
    );
    res.json({ items: rows });
  } catch (err) {
    next(err);
  }
});
