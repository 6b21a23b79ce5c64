// JavaScript called from Python (tests/suites/96-bridge.sh).
const fs = require("node:fs");
const { double, again } = require("./back.py");

function quote(n, k) {
  fs.appendFileSync(process.env.SIDE, `js-quote ${n}\n`);
  return n * k;
}

function fail(m) {
  throw new TypeError(`bad ${m}`);
}

async function later(n) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return n + 1;
}

function echo(...values) {
  return values;
}

function roundtrip(n) {
  return double(n) + 1;
}

function reenter() {
  return again();
}

function dieOnce(n) {
  fs.appendFileSync(process.env.SIDE, `js-die-once ${n}\n`);
  require(process.env.CHAOS_JS).dieOnce(process.env.MARK);
  return n + 1;
}

function dieAlways() {
  require(process.env.CHAOS_JS).dieOnce("");
}

module.exports = { quote, fail, later, echo, roundtrip, reenter, dieOnce, dieAlways };
