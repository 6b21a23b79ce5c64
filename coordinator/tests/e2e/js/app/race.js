const _currant = require("currant").module("app/race.js");
// Concurrent plain async functions whose second boundary starts after a
// random delay (see race.py).
const fs = require("fs");
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
async function effect(name) {
  await pause(Math.random() * 10);
  fs.appendFileSync(process.env.SIDE, name + "\n");
  return name.toUpperCase();
}
async function worker(i) {
  const a = await _currant.call(0, effect, `${i}a`);
  await pause(Math.random() * 20);
  const b = await _currant.call(1, effect, `${i}b`);
  return a + b;
}
(async () => console.log(JSON.stringify(await Promise.all([0, 1, 2, 3, 4].map(worker)))))();
