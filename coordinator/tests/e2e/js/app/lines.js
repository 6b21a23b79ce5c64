// Lines read through a readline Interface's async iteration across a
// crash: they are read live by every execution (the resumed run is given
// the same input), the boundaries they lead to replay.
const _currant = require("currant").module("app/lines.js"); const readline = require("readline");
const fs = require("fs");
async function main() {
  const rl = _currant.call(0, _currant.ref(readline, "createInterface"), { input: process.stdin });
  let n = 0;
  for await (const line of rl) {
    n += 1;
    _currant.call(1, _currant.ref(fs, "appendFileSync"), _currant.read(2, process.env, "DATA"), `${line}\n`);
    console.log("line", line, _currant.call(3, _currant.ref(Date, "now")) > 0);
  }
  console.log("lines", n);
}
main();
