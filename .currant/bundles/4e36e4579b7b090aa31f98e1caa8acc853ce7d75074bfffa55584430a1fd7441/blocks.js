const _currant1 = require("currant").module("blocks.js"); const _currant = require("currant").module("blocks.js");
const step = (i) => i;
const n = Number(process.argv[2]);
let total = 0;
let t0 = _currant1.call(0, _currant1.ref(process.hrtime, "bigint")); const blocks = [];
for (let i = 0; i < n; i++) { total += _currant.call(0, step, i); if (i % 50 === 49) { const t1 = _currant1.call(1, _currant1.ref(process.hrtime, "bigint")); blocks.push(Number(t1 - t0) / 50000); t0 = t1; } }
process._rawDebug(blocks.map((x) => x.toFixed(0)).join(" "));
console.log(total);
//# sourceMappingURL=blocks.js.map
