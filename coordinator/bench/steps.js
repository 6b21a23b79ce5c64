const _currant = require("currant").module("steps.js");
// N sequential no-op boundary calls (argv[2]), for `coordinator/bench/bench.sh`.
const step = (i) => i;
const n = Number(process.argv[2]);
let total = 0;
for (let i = 0; i < n; i++) total += _currant.call(0, step, i);
console.log(total);
