import { Injectable } from "@nestjs/common";
import { InjectPinoLogger, PinoLogger } from "nestjs-pino";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import Stripe from "stripe";
import { PrismaService } from "../prisma/prisma.service";

@Injectable()
export class OrdersService {
  constructor(
    @InjectPinoLogger(OrdersService.name) private readonly logger: PinoLogger,
    private readonly prisma: PrismaService,
    private readonly events: EventBridgeClient,
    private readonly stripe: Stripe,
  ) {}

  async bulkCancel(tenantId: string, orderIds: string[], reason: string) {
    const orders = await this.prisma.order.findMany({ // expect: batch-without-tenant-check
      where: { id: { in: orderIds }, status: { in: ["PENDING", "PAID"] } },
      select: { id: true, tenantId: true, paymentIntentId: true, totalCents: true },
    });

    await this.prisma.$transaction(async (tx) => {
      await tx.order.updateMany({
        where: { id: { in: orders.map((o) => o.id) } },
        data: { status: "CANCELLED", cancelReason: reason, cancelledAt: new Date() },
      });
      await this.events.send( // expect: side-effect-before-commit
        new PutEventsCommand({
          Entries: orders.map((o) => ({
            Source: "orders",
            DetailType: "order.cancelled",
            Detail: JSON.stringify({ orderId: o.id, tenantId: o.tenantId, reason }),
          })),
        }),
      );
      await tx.auditLog.create({ data: { tenantId, action: "orders.bulk_cancel", count: orders.length } });
    });

    for (const order of orders.filter((o) => o.paymentIntentId)) {
      await this.stripe.refunds.create( // expect: network-call-in-loop
        { payment_intent: order.paymentIntentId!, reason: "requested_by_customer" },
        { idempotencyKey: `cancel-${order.id}` },
      );
    }

    this.logger.info({ tenantId, cancelled: orders.length }, "bulk cancel done");
    return { cancelled: orders.map((o) => o.id) };
  }
}
