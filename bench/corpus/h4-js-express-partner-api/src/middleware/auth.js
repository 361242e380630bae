'use strict';

const jwt = require('jsonwebtoken');

const PUBLIC_KEY = process.env.JWT_PUBLIC_KEY;

function bearer(req) {
  const header = req.headers.authorization || '';
  const [scheme, token] = header.split(' ');
  return scheme === 'Bearer' ? token : undefined;
}

function requireAuth(req, res, next) {
  const token = bearer(req);
  if (!token) return res.status(401).json({ error: 'missing_token' });
  try {
    req.user = jwt.verify(token, PUBLIC_KEY, {
      algorithms: ['RS256'],
      audience: 'partner-api',
      issuer: 'https://auth.example.com/',
    });
    return next();
  } catch (err) {
    req.log.info({ reason: err.name }, 'token rejected');
    return res.status(401).json({ error: 'invalid_token' });
  }
}

function requireRole(role) {
  return (req, res, next) => {
    const claims = jwt.decode(bearer(req)); // expect: jwt-decode-without-verify
    if (!claims || !claims.roles || !claims.roles.includes(role)) {
      return res.status(403).json({ error: 'forbidden' });
    }
    return next();
  };
}

module.exports = { requireAuth, requireRole };
