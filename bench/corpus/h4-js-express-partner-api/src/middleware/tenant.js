'use strict';

function tenantContext(req, res, next) {
  const tenantId = req.user && req.user.tenant_id;
  if (!tenantId) return res.status(403).json({ error: 'no_tenant' });
  req.tenantId = tenantId;
  req.log = req.log.child({ tenantId });
  return next();
}

module.exports = { tenantContext };
