'use strict';

const Fastify = require('fastify');
const mongoose = require('mongoose');

const tenantAuth = require('./plugins/tenant-auth');
const orderRoutes = require('./routes/orders');

async function build() {
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL || 'info' }, requestIdHeader: 'x-request-id' });

  await mongoose.connect(process.env.MONGO_URL, { serverSelectionTimeoutMS: 5000 });

  app.get('/healthz', async () => ({ ok: true }));
  app.register(tenantAuth); // expect: pipeline-order
  app.register(orderRoutes, { prefix: '/v1/orders' });

  return app;
}

module.exports = { build };
