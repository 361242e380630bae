import { Injectable, OnModuleDestroy, OnModuleInit } from "@nestjs/common";
import { Kafka, Producer } from "kafkajs";

@Injectable()
export class EventsProducer implements OnModuleInit, OnModuleDestroy {
  private readonly producer: Producer = new Kafka({
    clientId: "procurement",
    brokers: (process.env.KAFKA_BROKERS ?? "").split(","),
  }).producer({ idempotent: true });

  async onModuleInit() {
    await this.producer.connect();
  }

  async onModuleDestroy() {
    await this.producer.disconnect();
  }

  async publish(topic: string, key: string, value: unknown) {
    await this.producer.send({ topic, messages: [{ key, value: JSON.stringify(value) }] });
  }
}
