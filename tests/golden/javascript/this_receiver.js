// obj.m(x) keeps `this`; the receiver and the property are read once, in order.
const fs = require("fs");
const holder = { fs };

function read(p) {
  const a = fs.readFileSync(p, "utf8");
  const b = fs["readFileSync"](p, "utf8");
  const c = (fs.readFileSync)(p, "utf8");
  const d = fs.promises.readFile(p);
  return [a, b, c, d, holder];
}
module.exports = { read };
