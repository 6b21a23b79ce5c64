"use strict";
// A fake card processor: a task, uuids, clocks and a little randomness.

const crypto = require("node:crypto");
const { task } = require("currant");
const config = require("./config.js");

class Declined extends Error {
  name = "Declined";
}

// Charges amount cents; resolves to a transaction record.  A declined card
// is final; anything else is retried twice.
const charge = task(
  { retries: 2, nonRetryable: [Declined] },
  async function charge(orderId, amount) {
    const started = Date.now();
    if (amount > config.cardLimit()) {
      throw new Declined(`${orderId}: ${amount} cents is over the card limit`);
    }
    // A real processor takes a moment; the jitter is recorded, not printed.
    const latency = 1 + Math.random() * 4;
    await new Promise((resolve) => setTimeout(resolve, latency));
    return {
      id: crypto.randomUUID(),
      order: orderId,
      amount,
      currency: config.currency(),
      at: new Date().toISOString(),
      took: Date.now() - started,
    };
  },
);

const refund = task(async (transaction) => ({
  id: crypto.randomBytes(16).toString("hex"),
  refunds: transaction.id,
  at: Date.now(),
}));

module.exports = { Declined, charge, refund };
