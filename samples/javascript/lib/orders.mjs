// Order processing: the workflow tying stock, payments and receipts (ESM).

import { performance } from "node:perf_hooks";
import inventory from "./inventory.js";
import { Declined, charge as chargeCard } from "./payments.js";
import * as notify from "./notify.js";

export const ORDERS = [
  ["alice", [["widget", 2], ["gadget", 1]]],
  ["bob", [["gizmo", 5]]],
  ["carol", [["gadget", 1], ["widget", 8]]],
  ["dave", [["gizmo", 3]]],
];

export async function placeOrder(dataDir, number, customer, lines) {
  "use task";
  const order = `order-${number}`;
  try {
    inventory.reserve(dataDir, lines);
  } catch (err) {
    if (!(err instanceof inventory.OutOfStock)) throw err;
    notify.logLine(dataDir, `${order} rejected: ${err.message}`);
    return { order, customer, status: "out of stock", detail: err.message };
  }
  const amount = inventory.priceOf(dataDir, lines);
  let transaction;
  try {
    transaction = await chargeCard(order, amount);
  } catch (err) {
    if (!(err instanceof Declined)) throw err;
    inventory.release(dataDir, lines);
    notify.logLine(dataDir, `${order} declined`);
    return { order, customer, status: "declined", amount };
  }
  notify.logLine(dataDir, `${order} paid ${transaction.id}`);
  return { order, customer, status: "paid", amount, transaction };
}

// Runs every order one after the other (they share the stock), then sends
// the receipts of the paid ones concurrently.  report, if given, gets each
// result as soon as it is known.
export async function processOrders(dataDir, report) {
  const opened = new Date();
  const started = performance.now();
  inventory.seed(dataDir);
  notify.startLog(dataDir);
  const results = [];
  for (const [i, [customer, lines]] of ORDERS.entries()) {
    const result = await placeOrder(dataDir, i + 1, customer, lines);
    results.push(result);
    report?.(result);
    await notify.pace();
  }
  const paid = results.filter((r) => r.status === "paid");
  const messages = await Promise.all(
    paid.map((r) => notify.sendReceipt(dataDir, r.order, r.transaction)),
  );
  paid.forEach((r, i) => {
    r.message = messages[i];
  });
  const took = (performance.now() - started).toFixed(1);
  notify.logLine(dataDir, `batch opened ${opened.toISOString()} took ${took} ms`);
  return results;
}
