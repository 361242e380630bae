'use strict';

const { createRemoteJWKSet, jwtVerify } = require('jose');

const jwks = createRemoteJWKSet(new URL(process.env.JWKS_URL), { timeoutDuration: 3000, cooldownDuration: 30000 });

async function tenantAuth(fastify) {
  fastify.decorateRequest('tenantId', null);

  fastify.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization || '';
    if (!header.startsWith('Bearer ')) return reply.code(401).send({ error: 'missing_token' });
    try {
      const { payload } = await jwtVerify(header.slice(7), jwks, { audience: 'orders-service' });
      request.tenantId = payload.tenant_id;
    } catch (err) {
      request.log.info({ reason: err.code }, 'token rejected');
      return reply.code(401).send({ error: 'invalid_token' });
    }
  });
}

module.exports = tenantAuth;
