"use strict";
// Receipts on disk (fs promises) and a notification through a subprocess.

const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const currant = require("currant");
const config = require("./config.js");

// A task: the receipts are sent concurrently (Promise.all), and each task
// call keys its own checkpoints, so a resume matches them whatever order
// the file system finishes them in (plain async functions would take keys
// in completion order: README, "Known limits").
async function sendReceipt(dataDir, orderId, transaction) {
  "use task";
  const receipts = path.join(dataDir, "receipts");
  await fs.promises.mkdir(receipts, { recursive: true });
  const issued = new Date();
  await fs.promises.writeFile(
    path.join(receipts, `${orderId}.txt`),
    [
      `order ${orderId}`,
      `amount ${transaction.amount} ${transaction.currency}`,
      `transaction ${transaction.id}`,
      `issued ${issued.toISOString()}`,
      "",
    ].join("\n"),
  );
  const out = execFileSync("echo", [`receipt sent for ${orderId}`], {
    encoding: "utf8",
  });
  return out.trim();
}

async function countReceipts(dataDir) {
  const names = await fs.promises.readdir(path.join(dataDir, "receipts"));
  return names.filter((name) => name.endsWith(".txt")).length;
}

function startLog(dataDir) {
  const day = new Date().toISOString().slice(0, 10);
  fs.writeFileSync(path.join(dataDir, "shop.log"), `# shop log, ${day}\n`);
}

function logLine(dataDir, message) {
  fs.appendFileSync(path.join(dataDir, "shop.log"), `${Date.now()} ${message}\n`);
}

// Waits a moment between orders (a durable sleep under the coordinator).
async function pace() {
  await currant.sleep(config.pace());
}

// Not called by the sample (it must not touch the network); shows that a
// fetch would be a boundary too.
async function postWebhook(url, payload) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  return response.status;
}

module.exports = {
  sendReceipt,
  countReceipts,
  startLog,
  logLine,
  pace,
  postWebhook,
};
