"use strict";
// Stock kept in a JSON file, read and written with synchronous fs calls.

const { readFileSync: readFile, writeFileSync } = require("node:fs");
const path = require("node:path");

const INITIAL_STOCK = {
  widget: { price: 1250, count: 10 },
  gadget: { price: 4999, count: 2 },
  gizmo: { price: 799, count: 3 },
};

class OutOfStock extends Error {
  name = "OutOfStock";
}

const stockPath = (dataDir) => path.join(dataDir, "stock.json");

function save(dataDir, stock) {
  writeFileSync(stockPath(dataDir), `${JSON.stringify(stock, null, 2)}\n`);
}

function load(dataDir) {
  return JSON.parse(readFile(stockPath(dataDir), "utf8"));
}

function seed(dataDir) {
  save(dataDir, INITIAL_STOCK);
}

// Total price in cents of the order lines [[sku, qty], ...].
function priceOf(dataDir, lines) {
  const stock = load(dataDir);
  return lines.reduce((sum, [sku, qty]) => sum + stock[sku].price * qty, 0);
}

// Takes the lines out of stock, or throws OutOfStock and changes nothing.
function reserve(dataDir, lines) {
  const stock = load(dataDir);
  for (const [sku, qty] of lines) {
    if (stock[sku].count < qty) {
      throw new OutOfStock(`${sku}: wanted ${qty}, have ${stock[sku].count}`);
    }
  }
  for (const [sku, qty] of lines) stock[sku].count -= qty;
  save(dataDir, stock);
}

// Puts reserved lines back (after a failed payment).
function release(dataDir, lines) {
  const stock = load(dataDir);
  for (const [sku, qty] of lines) stock[sku].count += qty;
  save(dataDir, stock);
}

function summary(dataDir) {
  const stock = load(dataDir);
  return Object.keys(stock)
    .sort()
    .map((sku) => `${sku}=${stock[sku].count}`)
    .join(", ");
}

module.exports = { OutOfStock, seed, priceOf, reserve, release, summary };
