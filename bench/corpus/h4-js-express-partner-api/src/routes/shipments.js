'use strict';

const express = require('express');
const { requireRole } = require('../middleware/auth');
const { fetchQuote, bookPickup } = require('../clients/carrier');
const db = require('../db');

const router = express.Router();

router.get('/', async (req, res, next) => {
  try {
    const rows = await db('shipments')
      .where({ tenant_id: req.tenantId })
      .orderBy('created_at', 'desc')
      .limit(Math.min(Number(req.query.limit) || 50, 200));
    res.json({ items: rows });
  } catch (err) {
    next(err);
  }
});

router.post('/:id/quote', async (req, res, next) => {
  try {
    const shipment = await db('shipments').where({ id: req.params.id, tenant_id: req.tenantId }).first();
    if (!shipment) return res.status(404).json({ error: 'not_found' });
    const quote = await fetchQuote(shipment);
    req.log.info({ shipmentId: shipment.id, carrier: quote.carrier }, 'quote fetched');
    return res.json(quote);
  } catch (err) {
    return next(err);
  }
});

router.post('/:id/pickup', requireRole('dispatcher'), async (req, res, next) => {
  try {
    const shipment = await db('shipments').where({ id: req.params.id, tenant_id: req.tenantId }).first();
    if (!shipment) return res.status(404).json({ error: 'not_found' });
    const booking = await bookPickup(shipment, req.log);
    await db('shipments').where({ id: shipment.id, tenant_id: req.tenantId }).update({ pickup_ref: booking.reference });
    return res.status(201).json(booking);
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
