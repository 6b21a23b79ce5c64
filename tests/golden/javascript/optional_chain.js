// Optional chains short-circuit: no call and no argument evaluation when
// the chain is nullish; the guard spans the whole chain.
const fs = require("fs");

function probe(p) {
  const a = fs?.existsSync(p);
  const b = fs.nope?.(console.log("never"));
  const c = fs.existsSync?.(p);
  const d = fs?.promises.readFile(p).then?.(String);
  const e = fs?.existsSync(p).toString().length;
  fs?.existsSync(p);
  const f = fs.promises?.["readFile"](p);
  const g = maybe?.x(Date.now());
  return [a, b, c, d, e, f, g];
}
let maybe = null;
module.exports = { probe };
