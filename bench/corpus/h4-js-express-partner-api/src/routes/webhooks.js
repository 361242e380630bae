'use strict';

const crypto = require('node:crypto');
const express = require('express');
const db = require('../db');

const router = express.Router();
const SIGNING_SECRET = process.env.CARRIER_WEBHOOK_SECRET;

function validSignature(raw, signature) {
  const expected = crypto.createHmac('sha256', SIGNING_SECRET).update(raw).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(String(signature || ''));
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

router.post('/carrier', async (req, res, next) => {
  if (!validSignature(req.body, req.headers['x-carrier-signature'])) {
    return res.status(401).end();
  }
  try {
    const event = JSON.parse(req.body.toString('utf8'));
    await db('shipment_events')
      .insert({ carrier_ref: event.reference, status: event.status, received_at: new Date() })
      .onConflict(['carrier_ref', 'status'])
      .ignore();
    req.log.info({ carrierRef: event.reference, status: event.status }, 'carrier event stored');
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
