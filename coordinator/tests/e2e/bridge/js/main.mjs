// JavaScript calling Python (tests/suites/96-bridge.sh): values, errors,
// an async function, side effects.
import fs from "node:fs";
import { echo, fail, score, slow } from "./model.py";

const effect = (name) => {
  fs.appendFileSync(process.env.SIDE, `${name}\n`);
  return name;
};

console.log("start", effect("js-start"));
console.log("score", score(4));
try {
  fail("x");
} catch (e) {
  console.log("error", e.name, e.message, e instanceof Error);
}
console.log("slow", await slow(2));
console.log("values", echo([1, 2], Buffer.from("xy"), new Map([[1, "a"]]), 10n ** 20n, new Date(0)));
console.log("end", effect("js-end"));
