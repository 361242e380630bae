import { Module } from "@nestjs/common";
import { HttpModule } from "@nestjs/axios";
import { TypeOrmModule } from "@nestjs/typeorm";
import { SQSClient } from "@aws-sdk/client-sqs";
import { OutboxMessage } from "../outbox/outbox-message.entity";
import { OrderLine } from "./order-line.entity";
import { Order } from "./order.entity";
import { OrdersController } from "./orders.controller";
import { OrdersService } from "./orders.service";

export const SQS_CLIENT = Symbol("SQS_CLIENT");

@Module({
  imports: [
    TypeOrmModule.forFeature([Order, OrderLine, OutboxMessage]),
    HttpModule.register({
      baseURL: process.env.PRICING_URL,
      timeout: 2_500,
      maxRedirects: 0,
    }),
  ],
  controllers: [OrdersController],
  providers: [
    OrdersService,
    { provide: SQS_CLIENT, useValue: new SQSClient({ region: process.env.AWS_REGION }) },
  ],
})
export class OrdersModule {}
