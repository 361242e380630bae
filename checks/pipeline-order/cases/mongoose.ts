// Mongoose: hooks added after model() compiled the schema never run.
import type { RuleCase } from "../../../src/engine/rule.js";

export function mongooseCases(): RuleCase[] {
  return [
    {
      name: "pre('save') hook added after the model was compiled",
      language: "typescript",
      code: `import mongoose, { Schema } from "mongoose";

const invoiceSchema = new Schema({ tenantId: String, totalCents: Number, number: String });

export const Invoice = mongoose.model("Invoice", invoiceSchema);

invoiceSchema.pre("save", async function () {
  this.number ??= await nextInvoiceNumber(this.tenantId);
});
`,
      expect: [7],
    },
    {
      name: "hooks added before model()",
      language: "typescript",
      code: `import { Schema, model } from "mongoose";

const userSchema = new Schema({ email: String, passwordHash: String });
userSchema.pre("save", async function () {
  if (this.isModified("passwordHash")) this.passwordHash = await hash(this.passwordHash);
});
userSchema.post("save", (doc) => audit("user.saved", doc.id));

export const User = model("User", userSchema);
`,
      expect: [],
    },
  ];
}
