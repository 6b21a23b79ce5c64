const crypto = require("crypto");
const { randomUUID: uuid } = require("node:crypto");

function pick(xs) {
  const i = Math.floor(Math.random() * xs.length);
  const id = crypto.randomUUID();
  const id2 = uuid();
  const bytes = crypto.randomBytes(8);
  const n = crypto.randomInt(10);
  globalThis.crypto.getRandomValues(new Uint8Array(4));
  return [xs[i], id, id2, bytes, n];
}
module.exports = pick;
