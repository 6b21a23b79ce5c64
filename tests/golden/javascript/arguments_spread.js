// Spread arguments are iterated once, by the original call; `arguments` stays the function's.
const fs = require("fs");

function write() {
  const parts = ["/tmp/currant-spread", "x"];
  fs.writeFileSync(...parts);
  fs.writeFileSync(arguments[0], ...Array.from(arguments).slice(1));
  return Math.max(...[Math.random(), Math.random()]);
}
module.exports = { write };
