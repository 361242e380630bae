import { Router } from "express";
import { mailer } from "../lib/mailer";
import { invoiceRepo } from "../lib/invoice-repo";

export const invoicesRouter = Router();

invoicesRouter.get("/", async (req, res, next) => {
  try {
    const invoices = await invoiceRepo.listForTenant(req.tenant.id, { limit: 50 });
    res.json(invoices);
  } catch (err) {
    next(err);
  }
});

invoicesRouter.post("/:invoiceId/send", async (req, res, next) => {
  try {
    const invoice = await invoiceRepo.get(req.tenant.id, req.params.invoiceId);
    if (!invoice) return res.status(404).end();
    console.log(`sending invoice ${invoice.id} to ${invoice.billingEmail}`); // expect: unstructured-logging

    let attempt = 0;
    while (attempt < 4) { // expect: retry-without-backoff
      try {
        await mailer.post("/v1/messages", { to: invoice.billingEmail, template: "invoice", data: { invoiceId: invoice.id } });
        break;
      } catch (err) {
        attempt += 1;
        if (attempt >= 4) throw err;
      }
    }

    await invoiceRepo.markSent(req.tenant.id, invoice.id);
    req.log.info({ invoiceId: invoice.id, tenantId: req.tenant.id }, "invoice sent");
    res.status(202).json({ status: "sent" });
  } catch (err) {
    next(err);
  }
});
