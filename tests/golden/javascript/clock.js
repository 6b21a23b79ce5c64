const { performance } = require("perf_hooks");

function stamp() {
  const a = Date.now();
  const b = new Date();
  const c = new Date;
  const d = Date();
  const fixed = new Date(0); // deterministic: not a site
  const e = performance.now();
  const f = process.hrtime();
  const g = process.hrtime.bigint();
  const h = process.uptime();
  return [a, b, c, d, fixed, e, f, g, h];
}
module.exports = { stamp };
