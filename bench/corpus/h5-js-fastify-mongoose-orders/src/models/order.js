'use strict';

const mongoose = require('mongoose');

const lineSchema = new mongoose.Schema(
  {
    sku: { type: String, required: true },
    quantity: { type: Number, required: true, min: 1 },
    unitPriceMinor: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

const orderSchema = new mongoose.Schema(
  {
    tenantId: { type: String, required: true, index: true },
    currency: { type: String, required: true },
    lines: { type: [lineSchema], validate: (v) => v.length > 0 && v.length <= 200 },
    totalMinor: { type: Number },
  },
  { timestamps: true },
);

const Order = mongoose.model('Order', orderSchema);

orderSchema.pre('save', function computeTotal(next) { // expect: pipeline-order
  this.totalMinor = this.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
  next();
});

module.exports = Order;
