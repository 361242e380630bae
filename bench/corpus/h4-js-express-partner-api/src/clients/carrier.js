'use strict';

const axios = require('axios');

const carrier = axios.create({
  baseURL: process.env.CARRIER_API_URL,
  headers: { 'x-api-key': process.env.CARRIER_API_KEY },
});

async function fetchQuote(shipment) {
  const { data } = await carrier.post('/quotes', { // expect: no-timeout-or-fallback
    origin: shipment.origin,
    destination: shipment.destination,
    weightGrams: shipment.weightGrams,
  });
  return data;
}

async function bookPickup(shipment, log) {
  let attempt = 0;
  for (;;) { // expect: retry-without-backoff
    attempt += 1;
    try {
      const { data } = await carrier.post('/pickups', { shipmentId: shipment.id }, { timeout: 4000 });
      return data;
    } catch (err) {
      log.warn({ err, attempt, shipmentId: shipment.id }, 'pickup booking failed');
      if (err.response && err.response.status < 500) throw err;
    }
  }
}

module.exports = { fetchQuote, bookPickup };
