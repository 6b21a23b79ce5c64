#!/usr/bin/env node
// Processes a batch of orders and prints what happened.
//
// Usage: node main.mjs [DATA_DIR]
// (default: $CURRANT_SAMPLE_DIR, else a new temporary directory)
//
// Everything printed is derived from the orders, never from clocks, uuids or
// randomness, so a plain run and an instrumented run print the same text.

import { readFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { processOrders, ORDERS } from "./lib/index.mjs";
import * as shop from "./lib/index.mjs";
import config from "./lib/config.js";

const dataDir = config.dataDir(process.argv);
function show(r) {
  let line = `${r.order} ${r.customer.padEnd(6)} ${r.status}`;
  if ("amount" in r) {
    line += ` ${(r.amount / 100).toFixed(2)} ${config.currency()}`;
  }
  if (r.detail) line += ` (${r.detail})`;
  console.log(line);
}

const results = await processOrders(dataDir, show);
for (const r of results) {
  if (r.message) console.log(r.message);
}
const paid = results.filter((r) => r.status === "paid");
const revenue = paid.reduce((sum, r) => sum + r.amount, 0) / 100;
console.log(
  `paid: ${paid.length} of ${ORDERS.length}, revenue ${revenue.toFixed(2)}`,
);
console.log(`stock left: ${shop.inventory.summary(dataDir)}`);
console.log(`receipts on disk: ${await shop.notify.countReceipts(dataDir)}`);
const log = await readFile(path.join(dataDir, "shop.log"), "utf8");
console.log(`log lines: ${log.trimEnd().split("\n").length}`);
