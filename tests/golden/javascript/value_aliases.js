// A `const` bound to what a reference denotes is called as that: `const
// now = Date.now; now()` is the clock.  Followed through other aliases and
// imports; `let`/`var` (assignable) and shadowed heads are not.
const fs = require("fs");
const { randomUUID } = require("crypto");
const now = Date.now;
const rf = fs.readFileSync;
const uid = randomUUID;          // alias of an import
const clock = now;               // alias of an alias
const p = fs.promises;
let later = Date.now;            // let: may be assigned again

function f() {
  const t = now();
  const s = rf(__filename, "utf8");
  later();
  return [t > 0, s.length > 0, uid().length, clock() > 0];
}

async function g() {
  const Date = { now: () => 1 };
  const shadowed = Date.now;      // this Date is a local object
  return [shadowed(), (await p.readFile(__filename)).length > 0];
}

function cycle() {
  const x = y; // each an alias of the other: followed 8 deep, then unresolved
  const y = x;
  return x();
}

console.log(f());
g().then((r) => console.log(r));
