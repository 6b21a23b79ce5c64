// Prices an order: the JavaScript half of samples/crosslang.  Called from
// pipeline.py through `from currant.js.pricing import quote`; when the
// pipeline runs under currant, the environment and clock reads below are
// checkpoints of the same durable run, keyed under the Python call.

const TAX = { eu: 0.2, uk: 0.2, us: 0.08 };
const CURRENCY = { eu: "EUR", uk: "GBP", us: "USD" };

/**
 * @param {number} cents subtotal before tax
 * @param {string} region "eu", "uk" or "us"
 * @returns {{subtotal: number, tax: number, total: number, currency: string, quotedAt: number}}
 */
function quote(cents, region) {
  if (!(region in TAX)) throw new RangeError(`no tax rate for region ${region}`);
  const discount = Number(process.env.PRICING_DISCOUNT_PCT || "0") / 100;
  const net = Math.round(cents * (1 - discount));
  const tax = Math.round(net * TAX[region]);
  return { subtotal: net, tax, total: net + tax, currency: CURRENCY[region], quotedAt: Date.now() };
}

module.exports = { quote };
