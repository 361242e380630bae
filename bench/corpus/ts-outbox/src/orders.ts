import { PrismaClient } from "@prisma/client";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
import pino from "pino";

const prisma = new PrismaClient();
const sns = new SNSClient({});
const log = pino();

export async function placeOrder(tenantId: string, input: { sku: string; quantity: number }) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data: { tenantId, sku: input.sku, quantity: input.quantity } });
    await tx.stock.update({ where: { sku: input.sku }, data: { reserved: { increment: input.quantity } } });
    await sns.send(new PublishCommand({ TopicArn: process.env.ORDERS_TOPIC, Message: JSON.stringify(order) })); // expect: side-effect-before-commit
    return order;
  });
}

export async function cancelOrder(tenantId: string, orderId: string) {
  const order = await prisma.$transaction(async (tx) => {
    const updated = await tx.order.update({ where: { id: orderId, tenantId }, data: { status: "cancelled" } });
    await tx.outbox.create({ data: { topic: "orders", payload: JSON.stringify(updated) } });
    return updated;
  });
  log.info({ orderId }, "cancelled");
  return order;
}

export async function shipOrder(tenantId: string, orderId: string) {
  const order = await prisma.$transaction((tx) => tx.order.update({ where: { id: orderId, tenantId }, data: { status: "shipped" } }));
  await sns.send(new PublishCommand({ TopicArn: process.env.ORDERS_TOPIC, Message: JSON.stringify(order) }));
  return order;
}
