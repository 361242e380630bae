import { mailer } from "./mailer";
import { db } from "../db";

export interface ReceiptRequest {
  userId: string;
  invoiceId: string;
  locale: string;
}

export async function sendReceipt({ userId, invoiceId, locale }: ReceiptRequest): Promise<void> {
  const [user, invoice] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId } }),
    db.invoice.findUniqueOrThrow({ where: { id: invoiceId } }),
  ]);
  await mailer.send({ to: user.email, template: `receipt.${locale}`, data: { invoice } });
}
