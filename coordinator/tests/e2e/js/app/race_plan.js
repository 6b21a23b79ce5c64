const _currant = require("currant").module("app/race_plan.js");
// Concurrent plain async functions (see race.js) whose second boundaries
// start, and then finish, in an order the test sets for each execution:
// $RACE_PLAN holds lines "START FINISH" (worker numbers, e.g. "012 102");
// each execution takes the first line (the last one stays), so a resume
// can interleave otherwise than the execution it resumes, deterministically.
const fs = require("fs");

/** @returns {{promise: Promise<void>, resolve: () => void}} */
function deferred() {
  let resolve = () => {};
  const promise = new Promise((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** This execution's line of $RACE_PLAN, as worker numbers. */
function takePlan() {
  const file = process.env.RACE_PLAN;
  const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
  if (lines.length > 1) fs.writeFileSync(file, lines.slice(1).join("\n") + "\n");
  const [start, finish] = lines[0].split(" ");
  return { start: [...start].map(Number), finish: [...finish].map(Number) };
}

const plan = takePlan();
const n = plan.start.length;
const each = () => Array.from({ length: n }, deferred);
const [arrived, go, started, done] = [each(), each(), each(), each()];
/** @type {Map<string, {promise: Promise<void>, resolve: () => void}>} */
const release = new Map();
const gate = (name) => release.get(name) || release.set(name, deferred()).get(name);

/**
 * Done when the schedule says: so each one is committed before the next
 * one is done, and a kill after a commit leaves no effect unjournaled.
 * @param {string} name
 */
async function effect(name) {
  await gate(name).promise;
  fs.appendFileSync(process.env.SIDE, name + "\n");
  return name.toUpperCase();
}

/** @param {number} i */
async function worker(i) {
  const a = await _currant.call(0, effect, `${i}a`);
  arrived[i].resolve();
  await go[i].promise;
  // takes its key now; with RACE_SITES=alternate odd workers call from
  // another site, so a resume that starts them otherwise can meet another
  // site's row at its key
  const site = process.env.RACE_SITES === "alternate" ? 1 + (i % 2) : 1;
  const pending = _currant.call(site, effect, `${i}b`);
  started[i].resolve();
  const b = await pending;
  done[i].resolve();
  return a + b;
}

async function schedule() {
  for (let i = 0; i < n; i++) {
    gate(`${i}a`).resolve(); // a replayed call never waits for it
    await arrived[i].promise;
  }
  for (const i of plan.start) {
    go[i].resolve();
    await started[i].promise;
  }
  for (const i of plan.finish) {
    gate(`${i}b`).resolve();
    await done[i].promise;
  }
}

(async () => {
  const [results] = await Promise.all([Promise.all(plan.start.map((_, i) => worker(i))), schedule()]);
  console.log(JSON.stringify(results));
})();
