'use strict';

const express = require('express');
const helmet = require('helmet');
const pinoHttp = require('pino-http');
const { randomUUID } = require('node:crypto');

const { requireAuth } = require('./middleware/auth');
const { tenantContext } = require('./middleware/tenant');
const shipmentsRouter = require('./routes/shipments');
const webhooksRouter = require('./routes/webhooks');
const { logger } = require('./logger');

function buildApp() {
  const app = express();

  app.disable('x-powered-by');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => req.headers['x-request-id'] || randomUUID(),
    }),
  );

  app.get('/healthz', (req, res) => res.json({ ok: true }));
  app.use('/webhooks', express.raw({ type: 'application/json', limit: '256kb' }), webhooksRouter);

  app.use('/v1/shipments', shipmentsRouter); // expect: express-route-before-middleware

  app.use(express.json({ limit: '1mb' }));
  app.use(requireAuth);
  app.use(tenantContext);

  app.use((err, req, res, next) => {
    req.log.error({ err }, 'unhandled error');
    if (res.headersSent) return next(err);
    res.status(err.status || 500).json({ error: 'internal_error', requestId: req.id });
  });

  app.use((req, res) => res.status(404).json({ error: 'not_found' }));

  return app;
}

module.exports = { buildApp };
