const _currant = require("currant").module("steps_timed.js");
// ../steps.js timed inside, like the peers' workflows: the N steps' ms are
// appended to $CURRANT_BENCH_TIMING; with $CURRANT_BENCH_CRASH set the
// script then dies, and `currant resume` replays the N steps.  For peers.py.
const fs = require("fs");
const step = (i) => i;
const n = Number(process.argv[2]);
const t = process.hrtime.bigint();
let total = 0;
for (let i = 0; i < n; i++) total += _currant.call(0, step, i);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
fs.appendFileSync(process.env.CURRANT_BENCH_TIMING, `${ms.toFixed(3)}\n`);
if (process.env.CURRANT_BENCH_CRASH) process.exit(1); // a crash after the N steps: `currant resume` replays them
console.log(total);
