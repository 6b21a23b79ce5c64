// One call per entry of the JavaScript catalogue (see `currantc catalogue`).
// Nothing here runs: the calls sit in a function that is never called, so
// the file is only loaded.  tests/suites/25-catalogue.sh checks that every
// entry of the table appears as a site in some golden manifest.
"use strict";
const currant = require("currant");
const fs = require("fs");
const fsp = require("fs/promises");
const cp = require("child_process");
const crypto = require("crypto");
const http = require("http");
const https = require("https");
const os = require("node:os");
const timers = require("node:timers/promises");
const readline = require("readline");
const rlp = require("readline/promises");
const { performance: perf } = require("perf_hooks");

async function everyEntry(p) {
  await currant.sleep(1);
  currant.now();
  currant.random();
  currant.uuid();
  await currant.waitEvent("approved", 60);
  await currant.prompt("Summarise {x}", { x: 1 });
  await currant.poll(() => true, { every: 1, timeout: 10 });
  Date.now();
  Date();
  new Date();
  performance.now();
  perf.now();
  process.hrtime();
  process.hrtime.bigint();
  process.uptime();
  os.uptime();
  await timers.setTimeout(1);
  await timers.scheduler.wait(1);
  Math.random();
  crypto.randomUUID();
  crypto.getRandomValues(new Uint8Array(4));
  crypto.randomBytes(4);
  crypto.randomInt(10);
  crypto.randomFillSync(new Uint8Array(4));
  crypto.randomFill(new Uint8Array(4), () => {});
  crypto.webcrypto.getRandomValues(new Uint8Array(4));
  process.env.HOME;
  process.cwd();
  os.hostname();
  os.homedir();
  os.userInfo();
  const rl = readline.createInterface({ input: process.stdin });
  rl.question("?", () => {});
  rlp.createInterface({ input: process.stdin });
  await fetch("http://localhost");
  http.request("http://localhost");
  http.get("http://localhost");
  https.request("https://localhost");
  https.get("https://localhost");
  cp.execFileSync("true");
  fs.readFileSync(p);
  await fsp.readFile(p);
  const fh = await fsp.open(p);
  await fh.read();
  await fh.readFile();
  await fh.write("x");
  await fh.writeFile("x");
}

module.exports = { everyEntry };
console.log("loaded");
