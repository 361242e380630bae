import { Inject, Injectable, Logger } from "@nestjs/common";
import { Cron, CronExpression } from "@nestjs/schedule";
import { InjectDataSource } from "@nestjs/typeorm";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DataSource, In, IsNull } from "typeorm";
import { SQS_CLIENT } from "../orders/orders.module";
import { OutboxMessage } from "./outbox-message.entity";

const BATCH = 10;

@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SQS_CLIENT) private readonly sqs: SQSClient,
  ) {}

  @Cron(CronExpression.EVERY_5_SECONDS)
  async relay(): Promise<void> {
    const pending = await this.dataSource
      .getRepository(OutboxMessage)
      .find({ where: { sentAt: IsNull() }, order: { id: "ASC" }, take: BATCH });
    if (pending.length === 0) return;

    // the rows were committed by the transaction that wrote them; publishing here happens after commit
    const result = await this.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: process.env.ORDERS_EVENTS_QUEUE_URL,
        Entries: pending.map((m) => ({ Id: String(m.id), MessageBody: m.payload })),
      }),
    );
    const sent = (result.Successful ?? []).map((s) => Number(s.Id));
    if (sent.length > 0) {
      await this.dataSource.getRepository(OutboxMessage).update({ id: In(sent) }, { sentAt: new Date() });
    }
    if (result.Failed?.length) {
      this.logger.warn({ failed: result.Failed.map((f) => f.Id), batch: pending.length }, "outbox relay partial failure");
    }
  }
}
