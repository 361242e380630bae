'use strict';

const Order = require('../models/order');

async function orderRoutes(fastify) {
  fastify.get('/', async (request) => {
    const items = await Order.find({ tenantId: request.tenantId }).sort({ createdAt: -1 }).limit(50).lean();
    return { items };
  });

  fastify.post('/', async (request, reply) => {
    const { currency, lines } = request.body;
    const order = await new Order({ tenantId: request.tenantId, currency, lines }).save();
    return reply.code(201).send(order);
  });
}

module.exports = orderRoutes;
