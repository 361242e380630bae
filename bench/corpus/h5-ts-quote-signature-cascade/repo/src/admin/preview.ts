import type { Request, Response } from "express";
import { quoteFor } from "../pricing/quote";
import { getPlan } from "../pricing/plans";

export async function previewQuote(req: Request, res: Response) {
  const plan = await getPlan(String(req.query.plan));
  const seats = Number.parseInt(String(req.query.seats ?? "1"), 10);
  res.json(quoteFor(plan, seats)); // expect: stale-dependents
}
