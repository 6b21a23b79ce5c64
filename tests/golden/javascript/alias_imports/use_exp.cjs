const exp = require("./exp.cjs");
const { now, write, pick } = require("./exp.cjs");

console.log(now() > 0, exp.now() > 0, pick() < 1, write("/dev/null", "x"), exp.again() > 0);
