"use strict";
// Settings read from the environment (each read is a boundary).

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const DEFAULT_CARD_LIMIT = 100;

// Where the sample keeps its files: argv[2], else $CURRANT_SAMPLE_DIR, else a
// new temporary directory.
function dataDir(argv) {
  const dir =
    argv[2] ??
    process.env.CURRANT_SAMPLE_DIR ??
    fs.mkdtempSync(path.join(os.tmpdir(), "currant-sample-"));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// Largest amount (in cents) a card may be charged in one order.
function cardLimit() {
  const raw = process.env["CURRANT_SAMPLE_CARD_LIMIT"];
  return (raw ? Number(raw) : DEFAULT_CARD_LIMIT) * 100;
}

// Milliseconds to wait between orders (the demo slows a run down with it);
// CURRANT_SAMPLE_PACE is in seconds, as for the Python sample.
function pace() {
  return Number(process.env.CURRANT_SAMPLE_PACE ?? "0.01") * 1000;
}

function currency() {
  const { CURRANT_SAMPLE_CURRENCY = "EUR" } = process.env;
  return CURRANT_SAMPLE_CURRENCY;
}

module.exports = { dataDir, cardLimit, pace, currency };
