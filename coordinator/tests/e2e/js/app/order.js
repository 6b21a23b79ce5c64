const _currant = require("currant").module("app/order.js");
// Concurrent plain async functions that resume in the order their first
// (awaited) boundaries complete: the order they started, then (the second
// waits less) the other.  Each then takes a ticket (a counter in a side
// file) and writes a side effect with it, so a resume that handed one
// function the other's ticket would write again with other arguments.
const fs = require("fs");
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
async function wait(ms) {
  await pause(ms);
  return ms;
}
function ticket() {
  const file = `${process.env.SIDE}.ticket`;
  const n = fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8")) + 1 : 1;
  fs.writeFileSync(file, String(n));
  return n;
}
async function worker(name, ms) {
  await _currant.call(0, wait, ms);
  const t = _currant.call(1, ticket);
  _currant.call(2, fs.appendFileSync, process.env.SIDE, `${name} ${t}\n`);
  return `${name}:${t}`;
}
(async () => {
  // the one started first finishes first, then the other way round
  const waits = { fast: 5, slow: 80 };
  for (const [first, second] of [["fast", "slow"], ["slow", "fast"]]) {
    console.log(JSON.stringify(await Promise.all([worker(first, waits[first]), worker(second, waits[second])])));
  }
})();
