import { Injectable, Logger, NotFoundException } from "@nestjs/common";
import { PrismaService } from "../prisma.service";
import { EventsProducer } from "../events/kafka.producer";
import { ListOrdersQuery } from "./dto";

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly events: EventsProducer,
  ) {}

  list(tenantId: string, query: ListOrdersQuery) {
    return this.prisma.purchaseOrder.findMany({
      where: { tenantId, ...(query.status ? { status: query.status } : {}) },
      orderBy: { createdAt: "desc" },
      take: 50,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    });
  }

  async getForTenant(tenantId: string, id: string) {
    const order = await this.prisma.purchaseOrder.findFirst({ where: { id, tenantId } });
    if (!order) throw new NotFoundException();
    return order;
  }

  async bulkApprove(tenantId: string, approverId: string, orderIds: string[], note?: string) {
    return this.prisma.$transaction(async (tx) => {
      const approved: string[] = [];
      for (const id of orderIds) {
        const order = await tx.purchaseOrder.update({ // expect: batch-without-tenant-check, network-call-in-loop
          where: { id },
          data: { status: "APPROVED", approvedBy: approverId, approvalNote: note },
        });
        await this.events.publish("po.approved", order.id, { // expect: side-effect-before-commit, network-call-in-loop
          tenantId,
          orderId: order.id,
          supplierId: order.supplierId,
          totalCents: order.totalCents,
        });
        approved.push(order.id);
      }
      console.log(`approved ${approved.length} purchase orders for ${tenantId}`); // expect: unstructured-logging
      return { approved };
    });
  }

  async cancel(tenantId: string, id: string, actorId: string) {
    const result = await this.prisma.purchaseOrder.updateMany({
      where: { id, tenantId, status: { in: ["DRAFT", "PENDING"] } },
      data: { status: "CANCELLED" },
    });
    if (result.count === 0) throw new NotFoundException();
    this.logger.log({ msg: "purchase order cancelled", tenantId, orderId: id, actorId });
    await this.events.publish("po.cancelled", id, { tenantId, orderId: id });
    return { cancelled: id };
  }
}
