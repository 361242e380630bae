import { Router } from "express";
import { sendReceipt } from "../shared/notify";
import { capturePayment } from "../psp";

export const paymentsRouter = Router();

paymentsRouter.post("/:invoiceId/capture", async (req, res, next) => {
  try {
    const invoice = await capturePayment(req.user!.tenantId, req.params.invoiceId);
    await sendReceipt({ userId: req.user!.id, invoiceId: invoice.id, locale: req.user!.locale ?? "en" });
    res.json({ status: invoice.status });
  } catch (err) {
    next(err);
  }
});
