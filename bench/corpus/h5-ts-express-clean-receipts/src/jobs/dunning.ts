import { sendReceipt } from "../shared/notify";
import type { PaidInvoice } from "../psp";

export async function onLatePaymentSettled(invoice: PaidInvoice): Promise<void> {
  await sendReceipt({ userId: invoice.payerId, invoiceId: invoice.id, locale: invoice.payerLocale });
}
