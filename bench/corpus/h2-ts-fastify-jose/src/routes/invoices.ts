import type { FastifyInstance } from "fastify";
import got from "got";
import { prisma } from "../db";

const pdfRenderer = got.extend({
  prefixUrl: process.env.PDF_RENDERER_URL,
  timeout: { connect: 500, request: 8_000 },
  retry: { limit: 2, methods: ["POST"], statusCodes: [502, 503, 504], backoffLimit: 2_000 },
});

export default async function invoiceRoutes(app: FastifyInstance) {
  app.get<{ Params: { id: string } }>(
    "/invoices/:id",
    { onRequest: [app.authenticate, app.impersonation] },
    async (request, reply) => {
      const invoice = await prisma.invoice.findFirst({
        where: { id: request.params.id, tenantId: request.principal!.tenantId },
      });
      if (!invoice) return reply.code(404).send();
      return invoice;
    },
  );

  app.post<{ Params: { id: string } }>(
    "/invoices/:id/pdf",
    { onRequest: [app.authenticate] },
    async (request, reply) => {
      const invoice = await prisma.invoice.findFirstOrThrow({
        where: { id: request.params.id, tenantId: request.principal!.tenantId },
        include: { lines: true },
      });
      const pdf = await pdfRenderer.post("render", { json: { template: "invoice", invoice } }).buffer();
      request.log.info({ reqId: request.id, invoiceId: invoice.id, bytes: pdf.length }, "invoice rendered");
      return reply.type("application/pdf").send(pdf);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/admin/invoices/:id",
    { onRequest: [app.authenticate, app.requireAdmin] },
    async (request) => {
      await prisma.invoice.update({
        where: { id: request.params.id },
        data: { voidedAt: new Date(), voidedBy: request.principal!.sub },
      });
      return { voided: true };
    },
  );
}
