import { ForbiddenException, Injectable } from "@nestjs/common";
import { InjectPinoLogger, PinoLogger } from "nestjs-pino";
import { randomUUID } from "node:crypto";
import { PrismaService } from "../prisma/prisma.service";

/**
 * Order writes and their events commit together: the event goes into the outbox table in the same
 * transaction and the outbox relay publishes it to EventBridge after commit.
 */
@Injectable()
export class OrdersOutboxService {
  constructor(
    @InjectPinoLogger(OrdersOutboxService.name) private readonly logger: PinoLogger,
    private readonly prisma: PrismaService,
  ) {}

  async create(tenantId: string, userId: string, sku: string) {
    const order = await this.prisma.$transaction(async (tx) => {
      const created = await tx.order.create({ data: { id: randomUUID(), tenantId, sku, createdBy: userId, status: "PENDING" } });
      await tx.outbox.create({
        data: {
          id: randomUUID(),
          topic: "order.created",
          aggregateId: created.id,
          payload: { orderId: created.id, tenantId, sku },
        },
      });
      return created;
    });
    this.logger.info({ tenantId, orderId: order.id }, "order created");
    return order;
  }

  async bulkArchive(tenantId: string, orderIds: string[]) {
    const found = await this.prisma.order.findMany({
      where: { id: { in: orderIds } },
      select: { id: true, tenantId: true },
    });
    // Every requested order must exist and belong to the caller's tenant; otherwise nothing changes.
    if (found.length !== orderIds.length || found.some((o) => o.tenantId !== tenantId)) {
      throw new ForbiddenException("one or more orders are not accessible");
    }

    const archived = await this.prisma.$transaction(async (tx) => {
      const res = await tx.order.updateMany({
        where: { tenantId, id: { in: orderIds } },
        data: { archivedAt: new Date() },
      });
      await tx.outbox.createMany({
        data: orderIds.map((orderId) => ({
          id: randomUUID(),
          topic: "order.archived",
          aggregateId: orderId,
          payload: { orderId, tenantId },
        })),
      });
      return res.count;
    });
    this.logger.info({ tenantId, archived }, "orders archived");
    return { archived };
  }
}
