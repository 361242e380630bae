import { mailer } from "../shared/mailer";
import type { OpenInvoice } from "../psp";

export async function sendPaymentReminder(invoice: OpenInvoice, email: string): Promise<void> {
  await mailer.send({ to: email, template: "reminder", data: { invoiceId: invoice.id, dueAt: invoice.dueAt } });
}
