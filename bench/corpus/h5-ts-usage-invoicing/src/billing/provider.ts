const BILLING_API_URL = process.env.BILLING_API_URL!;
const BILLING_API_TOKEN = process.env.BILLING_API_TOKEN!;

export interface OutboundInvoice {
  accountId: string;
  calls: number;
  amountMinor: number;
  currency: string;
}

export async function pushInvoices(invoices: OutboundInvoice[]): Promise<void> {
  let attempt = 0;
  while (true) { // expect: retry-without-backoff
    attempt += 1;
    const res = await fetch(`${BILLING_API_URL}/v2/invoices:batch`, { // expect: no-timeout-or-fallback
      method: "POST",
      headers: { authorization: `Bearer ${BILLING_API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ invoices }),
    });
    if (res.ok) return;
    if (res.status < 500 || attempt >= 5) {
      throw new Error(`billing provider rejected batch: ${res.status}`);
    }
  }
}
