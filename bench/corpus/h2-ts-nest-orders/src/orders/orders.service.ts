import { Inject, Injectable, NotFoundException } from "@nestjs/common";
import { HttpService } from "@nestjs/axios";
import { InjectDataSource, InjectRepository } from "@nestjs/typeorm";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { firstValueFrom } from "rxjs";
import { DataSource, Repository } from "typeorm";
import { OutboxMessage } from "../outbox/outbox-message.entity";
import { CreateOrderDto, OrderLineDto } from "./dto/create-order.dto";
import { OrderLine } from "./order-line.entity";
import { Order } from "./order.entity";
import { SQS_CLIENT } from "./orders.module";

interface PricedLine extends OrderLineDto {
  unitPriceCents: number;
}

@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    private readonly http: HttpService,
    @Inject(SQS_CLIENT) private readonly sqs: SQSClient,
  ) {}

  async create(tenantId: string, userId: string, dto: CreateOrderDto): Promise<Order> {
    const priced = await this.priceLines(dto.lines);
    const totalCents = priced.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);

    return this.dataSource.transaction(async (manager) => {
      const order = await manager.save(
        manager.create(Order, { tenantId, createdBy: userId, status: "placed", totalCents }),
      );
      await manager.save(
        priced.map((l) =>
          manager.create(OrderLine, { orderId: order.id, sku: l.sku, quantity: l.quantity, unitPriceCents: l.unitPriceCents }),
        ),
      );
      await this.sqs.send(new SendMessageCommand({ QueueUrl: process.env.FULFILMENT_QUEUE_URL, MessageBody: JSON.stringify({ orderId: order.id, tenantId }) })); // expect: side-effect-before-commit
      return order;
    });
  }

  private async priceLines(lines: OrderLineDto[]): Promise<PricedLine[]> {
    const priced: PricedLine[] = [];
    for (const line of lines) {
      const { data } = await firstValueFrom(this.http.get<{ unitPriceCents: number }>(`/skus/${encodeURIComponent(line.sku)}/price`)); // expect: network-call-in-loop
      priced.push({ ...line, unitPriceCents: data.unitPriceCents });
    }
    return priced;
  }

  list(tenantId: string) {
    return this.orders.find({ where: { tenantId }, order: { createdAt: "DESC" }, take: 50 });
  }

  async findOne(tenantId: string, id: string) {
    const order = await this.orders.findOne({ where: { id, tenantId }, relations: { lines: true } });
    if (!order) throw new NotFoundException();
    return order;
  }

  async cancel(tenantId: string, id: string) {
    return this.dataSource.transaction(async (manager) => {
      const order = await manager.findOneOrFail(Order, { where: { id, tenantId }, lock: { mode: "pessimistic_write" } });
      order.status = "cancelled";
      await manager.save(order);
      await manager.insert(OutboxMessage, {
        topic: "orders.cancelled",
        payload: JSON.stringify({ orderId: order.id, tenantId }),
      });
      return order;
    });
  }
}
