import { Hono } from "hono";
import axios from "axios";
import { z } from "zod";
import { isEnabled } from "../lib/flags";

const PRICING_URL = process.env.PRICING_URL ?? "http://pricing.internal:8080";

const QuoteRequest = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive().max(10_000),
  currency: z.enum(["USD", "EUR", "GBP"]),
});

export const quotes = new Hono<{ Variables: { requestId: string; jwtPayload: { sub: string; tid: string } } }>();

async function priceWithRetry(body: unknown, requestId: string) {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) { // expect: retry-without-backoff
    try {
      const { data } = await axios.post(`${PRICING_URL}/v3/price`, body, { // expect: no-timeout-or-fallback
        headers: { "x-request-id": requestId },
      });
      return data as { unitPriceMinor: number; totalMinor: number; currency: string };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

quotes.post("/", async (c) => {
  const { tid: tenantId } = c.get("jwtPayload");
  const input = QuoteRequest.parse(await c.req.json());
  const dynamic = await isEnabled("dynamic-pricing", { tenantId });

  const price = await priceWithRetry({ ...input, tenantId, dynamic }, c.get("requestId"));
  console.log(`quote for ${tenantId}: ${input.sku} x${input.quantity} = ${price.totalMinor}`); // expect: unstructured-logging
  return c.json({ ...input, ...price, dynamic }, 201);
});
