// nondeterminism: inside code a run executes.
import { Worker } from "node:worker_threads";
import * as currant from "currant";

let count = 0;
let quiet = 0;
let ticks = 0;

function spin(file) {
  return new Worker(file); // expect: nondeterminism
}

async function main(name) {
  const w = spin("./w.js");
  const v = eval("1 + 1"); // expect: nondeterminism
  const f = new Function("return 1"); // expect: nondeterminism
  const mod = await import(name); // expect: nondeterminism
  // Deterministic in JavaScript: Set iteration follows insertion order.
  for (const tag of new Set(["a", "b"])) console.log(tag);
  const lit = await import("./lib.mjs");
  bump();
  calm();
  await shadows();
  const fanned = await fanOut(["x", "y"]);
  return [w, v, f, mod, lit, fanned];
}

// Plain async functions that reach checkpoints, run side by side: what
// they reach after an await is keyed in completion order.
async function stamp(tag) {
  await currant.sleep("1s");
  return `${tag} ${Date.now()}`;
}

async function relay(tag) {
  return stamp(tag); // reaches checkpoints through stamp
}

async function sealed(tag) {
  "use task";
  return `${tag} ${Date.now()}`;
}

async function idle(n) {
  await null;
  return n;
}

async function fanOut(tags) {
  const a = await Promise.all([stamp("a"), relay("b")]); // expect: nondeterminism, nondeterminism
  const b = await Promise.all(tags.map(stamp)); // expect: nondeterminism
  const c = await Promise.allSettled(tags.map(async (t) => currant.sleep(t))); // expect: nondeterminism
  // tasks, and functions that reach no checkpoint, are fine
  const d = await Promise.all([sealed("d"), idle(1)]);
  const e = await Promise.all(tags.map((t) => sealed(t)));
  // a "use task" function given as a value is called by map, not as a task
  const f = await Promise.all(tags.map(sealed)); // expect: nondeterminism
  return [a, b, c, d, e, f];
}

async function bump() {
  count += 1; // expect: nondeterminism
  ticks++; // expect: nondeterminism
  await currant.sleep("1s");
}

function calm() {
  quiet++;
}

async function shadows() {
  // Block-scoped and local names shadow the module's: not module state.
  for (let count = 0; count < 2; count++) await currant.sleep("1s");
  let ticks = 0;
  ticks++;
  return ticks;
}

function unused() {
  return eval("2"); // not reachable: not reported
}

await main("./lib.mjs");
