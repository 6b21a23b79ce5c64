const _currant = require("currant").module("app/retry.js");
// A task that fails twice, then succeeds; attempts are counted in $SIDE.
const fs = require("fs");
const currant = require("currant");
const flaky = currant.task({ retries: 3, initialInterval: 50, backoff: "fixed", jitter: 0 }, async function flaky() {
  fs.appendFileSync(process.env.SIDE, "attempt\n");
  const n = fs.readFileSync(process.env.SIDE, "utf8").trim().split("\n").length;
  if (n < 3) throw new Error(`down ${n}`);
  return n;
});
(async () => console.log("result", await _currant.call(0, flaky)))();
