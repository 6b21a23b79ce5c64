const _currant = require("currant").module("steps.js");
// N sequential boundary calls (argv[2]) of a no-op, for
// `coordinator/bench/bench.sh`: a plain call, or with argv[3] a task
// ("task") or a Python function through the bridge ("bridge").  With
// $CURRANT_BENCH_TIMING set, the loop's ms are appended to that file (the
// record rows' figure: no start-up in it).
const fs = require("fs");
const currant = require("currant");

let step = (i) => i;
if (process.argv[3] === "task") step = currant.task(step);
else if (process.argv[3] === "bridge") step = _currant.bridge("py", "bridge_target.py", []).step;
const n = Number(process.argv[2]);
const t = process.hrtime.bigint();
let total = 0;
for (let i = 0; i < n; i++) total += _currant.call(0, step, i);
const timing = process.env.CURRANT_BENCH_TIMING;
if (timing) fs.appendFileSync(timing, `${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(3)}\n`);
console.log(total);
